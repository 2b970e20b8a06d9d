#!/usr/bin/env bash
# Audio forwarding end to end, with two real PulseAudio servers (a "guest" and a "host", each with
# null sinks and its own runtime directory): a 1 kHz tone played in the guest arrives on the host
# sink (found by frequency, latency measured and printed), the host stream's identity, silence,
# the microphone policy (denied, SIGUSR1, SIGUSR2, --allow-mic), restarts of either program and of
# either PulseAudio server, and a hostile agent (malformed messages, mic requests, a flood).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
. tests/integration/lib.sh
PROBE=$TBIN/seam-audio-probe
HOSTILE=$TBIN/seam-audio-hostile
it_setup audio "$BIN/seam-audio-daemon" "$BIN/seam-audio-agent" "$PROBE" "$HOSTILE"
if ! command -v pulseaudio >/dev/null || ! command -v pactl >/dev/null; then
	it_log "pulseaudio and pactl are needed: run 'make deps'"
	exit 1
fi

NAME=work
SOCK=$IT_TMP/audio.sock
G=unix:$IT_TMP/guest/native
H=unix:$IT_TMP/host/native

# pa_start NAME MODULE-LINE...: a PulseAudio server of our own, nothing from the user's session.
pa_start() {
	local name=$1 dir=$IT_TMP/$1 pid # pid: set by it_bg; lib.sh's cleanup stops the server
	shift
	mkdir -p "$dir"
	{
		echo "load-module module-native-protocol-unix socket=$dir/native auth-anonymous=1"
		printf '%s\n' "$@"
	} >"$dir/default.pa"
	it_bg pid "pa-$name" env -i PATH="$PATH" HOME="$dir" XDG_RUNTIME_DIR="$dir" \
		XDG_CONFIG_HOME="$dir/config" pulseaudio -n --daemonize=no --exit-idle-time=-1 \
		--use-pid-file=no --system=false --disallow-exit --log-target=stderr -F "$dir/default.pa"
	printf -v "PA_PID_$name" '%s' "$pid" # for a test that restarts the server
	for _ in $(seq 100); do
		pa "$name" info >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	it_log "the $name PulseAudio server did not start"
	return 1
}
# pa NAME ARGS...: pactl against one of them.
pa() {
	local dir=$IT_TMP/$1
	shift
	env HOME="$dir" PULSE_SERVER="unix:$dir/native" pactl "$@"
}
# A client of one of them (the probe, the daemon, the agent).
on() {
	local dir=$IT_TMP/$1
	shift
	env HOME="$dir" PULSE_SERVER="unix:$dir/native" "$@"
}
# retry COMMAND...: until it succeeds (5 s at most).
retry() {
	local i
	for ((i = 0; i < 50; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
# count FILE REGEX: lines of FILE matching now.
count() { grep -acE "$2" "$1" 2>/dev/null; }
# wait_count FILE REGEX N [SECONDS]: until N lines of FILE match.
wait_count() {
	local i
	for ((i = 0; i < ${4:-10} * 20; i++)); do
		(($(grep -acE "$2" "$1" 2>/dev/null) >= $3)) && return 0
		sleep 0.05
	done
	it_log "fewer than $3 lines matching /$2/ in $1"
	return 1
}
# measure NAME BURSTS: the probe's latency run, its figures printed with the test's output (not
# only on failure); LATENCY_OK is its verdict for the check that follows. The machine may be busy
# (2 shared cores): an unlucky run is repeated once, and a real failure fails both.
measure() {
	local out=$IT_TMP/latency-$1.out try
	for try in 1 2; do
		on guest "$PROBE" latency --guest "$G" --guest-monitor seam_out.monitor --host "$H" \
			--host-monitor out.monitor --bursts "$2" --max-ms 50 >"$out" 2>&1
		LATENCY_OK=$?
		grep -E "^(latency|host recording)" "$out" | sed "s/^/        [$1, run $try] /"
		((LATENCY_OK == 0)) && return
	done
}
latency_ok() {
	((LATENCY_OK == 0)) || cat "$IT_TMP/latency-$1.out"
	((LATENCY_OK == 0))
}
detect() { on guest "$PROBE" detect --server "$G" --device seam_mic --freq 1500 "$@"; }
rss_kb() { awk '/^VmRSS/{print $2}' "/proc/$1/status"; }
start_daemon() {
	it_bg DAEMON daemon env HOME="$IT_TMP/host" PULSE_SERVER="$H" "$BIN/seam-audio-daemon" \
		--name $NAME --channel "unix:$SOCK" -v "$@"
}
start_agent() {
	it_bg AGENT agent env HOME="$IT_TMP/guest" PULSE_SERVER="$G" "$BIN/seam-audio-agent" \
		--channel "unix:$SOCK" -v
}
DLOG=$IT_TMP/daemon.log
ALOG=$IT_TMP/agent.log

# The host: a sink to hear the guest, and a "microphone" (a null sink's monitor, fed a 1.5 kHz
# tone). The guest: what a desktop's default.pa has that matters here.
HOST_PA=("load-module module-null-sink sink_name=out"
	"load-module module-null-sink sink_name=micsink" "set-default-sink out"
	"set-default-source micsink.monitor" "load-module module-suspend-on-idle")
GUEST_PA=("load-module module-always-sink" "load-module module-suspend-on-idle")
pa_start host "${HOST_PA[@]}" || exit 1
pa_start guest "${GUEST_PA[@]}" || exit 1

start_daemon
start_agent
check "the agent connects and adds its devices" it_wait_log "$ALOG" 'guest devices ready' 10
default_is() { [[ $(pa guest "get-default-$1") == "$2" ]]; }
check "the guest's default sink is the agent's" retry default_is sink seam_out
check "the guest's default source is the agent's microphone" retry default_is source seam_mic
stream_props() {
	local out
	out=$(pa host list sink-inputs)
	grep -q "media.name = \"\[$NAME\] audio\"" <<<"$out" &&
		grep -q "application.name = \"\[$NAME\] audio\"" <<<"$out" &&
		grep -q 'media.role = "music"' <<<"$out" &&
		[[ $(grep -c 'media.name = "\[' <<<"$out") -eq 1 ]]
}
check "one host stream per guest, named [$NAME] audio with application.name and media.role" \
	retry stream_props
# corked SERVER KIND NAME: the stream whose media.name is NAME is corked.
corked() {
	[[ $(pa "$1" list "$2" | awk -v name="$3" '
		/^(Sink Input|Source Output) #/ { corked = "" }
		/^\tCorked:/ { corked = $2 }
		index($0, "media.name = \"" name "\"") { print corked }') == yes ]]
}
check "silence: the host stream is corked while the guest plays nothing" \
	retry corked host sink-inputs "[$NAME] audio"
check "silence: the agent's recording is corked while the guest plays nothing" \
	retry corked guest source-outputs "Sound for the host"
idle_wakeups() {
	local a d
	a=$(awk '/ctxt_switches/{s+=$2} END{print s}' /proc/"$AGENT"/status)
	d=$(awk '/ctxt_switches/{s+=$2} END{print s}' /proc/"$DAEMON"/status)
	sleep 2
	a=$(($(awk '/ctxt_switches/{s+=$2} END{print s}' /proc/"$AGENT"/status) - a))
	d=$(($(awk '/ctxt_switches/{s+=$2} END{print s}' /proc/"$DAEMON"/status) - d))
	echo "wake-ups in 2 s: agent $a, daemon $d"
	((a <= 4 && d <= 4)) # a sink suspending may wake them once; a timer would be 100s
}
check "silence: agent and daemon sleep while nothing plays" idle_wakeups

measure first 8
check "a 1 kHz tone played in the guest arrives on the host sink (by frequency), latency <= 50 ms" \
	latency_ok first
both_corked() {
	corked host sink-inputs "[$NAME] audio" && corked guest source-outputs "Sound for the host"
}
check "after the guest stops, both streams are corked again" retry both_corked

# The microphone: the host's "microphone" carries a 1.5 kHz tone from here on.
it_bg MICTONE mictone env HOME="$IT_TMP/host" "$PROBE" play --server "$H" --device micsink \
	--freq 1500 --secs 120
check "mic denied (the default): a guest recording gets silence, not the host's microphone" \
	detect --secs 2 --expect none
kill -USR1 "$DAEMON"
check "SIGUSR1 allows the mic (logged)" it_wait_log "$DLOG" 'microphone allowed \(SIGUSR1\)' 5
check "mic allowed: the host's tone arrives in the guest's source" \
	detect --secs 3 --min-ms 1500
kill -USR2 "$DAEMON"
check "SIGUSR2 denies the mic (logged)" it_wait_log "$DLOG" 'microphone denied \(SIGUSR2\)' 5
check "mic denied again: silence" detect --secs 2 --expect none

# The agent restarts: it removes its devices on the way out, and the next one is served.
kill "$AGENT"
no_devices() {
	! pa guest list short sinks | grep -q seam_ && ! pa guest list short sources | grep -q seam_
}
check "a stopping agent removes its devices from the guest" retry no_devices
check "the daemon outlives the agent" kill -0 "$DAEMON"
n=$(count "$DLOG" 'agent format')
m=$(count "$ALOG" 'guest devices ready')
start_agent
check "the next agent is served" wait_count "$DLOG" 'agent format' $((n + 1)) 10
# Measure only once its devices are back and the default again: a tone started before would go
# to another sink, or move mid-burst, and the probe would hear it chopped.
check "the next agent adds its devices again" wait_count "$ALOG" 'guest devices ready' $((m + 1)) 10
check "... and is the guest's default sink again" retry default_is sink seam_out
measure agent-restart 6
check "sound flows again after the agent restarted" latency_ok agent-restart

# A hostile agent (the real one stopped: the daemon serves one guest at a time).
n=$(count "$DLOG" 'the agent went away')
kill "$AGENT"
wait_count "$DLOG" 'the agent went away' $((n + 1)) 5 >/dev/null
for c in oversize partial-frame empty-pcm unknown-type daemon-type second-hello bad-rate \
	bad-magic window; do
	check "hostile agent: '$c' closes the connection" "$HOSTILE" bad --channel "unix:$SOCK" --case "$c"
done
no_mic() {
	local out
	out=$("$HOSTILE" mic --channel "unix:$SOCK" --secs 2) || return 1
	echo "$out"
	grep -q '^mic: 0 bytes' <<<"$out"
}
check "a guest cannot turn the microphone on: its request gets no data while denied" no_mic
RSS0=$(rss_kb "$DAEMON")
flood() {
	"$HOSTILE" flood --channel "unix:$SOCK" --secs 3 || return 1
	local rss
	rss=$(rss_kb "$DAEMON")
	echo "daemon RSS ${RSS0} kB before, ${rss} kB after"
	((rss - RSS0 < 8192))
}
check "a guest flooding PLAY_DATA does not grow the daemon's memory" flood
check "the daemon survives all of it" kill -0 "$DAEMON"

# The daemon restarts, with the mic allowed from the start, while the agent waits for it.
n=$(count "$DLOG" 'agent format')
start_agent
check "a new agent connects" wait_count "$DLOG" 'agent format' $((n + 1)) 10
n=$(count "$ALOG" 'the daemon takes')
kill "$DAEMON"
check "the agent outlives the daemon" bash -c "sleep 0.5; kill -0 $AGENT"
start_daemon --allow-mic
check "the agent reconnects to the new daemon" wait_count "$ALOG" 'the daemon takes' $((n + 1)) 10
measure daemon-restart 6
check "sound flows again after the daemon restarted" latency_ok daemon-restart
check "--allow-mic: the host's tone reaches the guest from the start" \
	detect --secs 3 --min-ms 1500

# Each side's PulseAudio server restarts under it: the program notices, drops its streams,
# connects again on its timer (audio/pulse.c), and sound flows again.
pa_restart() {
	local name=$1 pidvar=PA_PID_$1
	shift
	kill "${!pidvar}" && wait "${!pidvar}" 2>/dev/null
	pa_start "$name" "$@"
}
n=$(count "$DLOG" 'connected to PulseAudio')
pa_restart host "${HOST_PA[@]}"
check "the host's PulseAudio restarts: the daemon logs the loss" \
	wait_count "$DLOG" 'lost PulseAudio' 1 5
check "... and connects again on its timer" wait_count "$DLOG" 'connected to PulseAudio' $((n + 1)) 10
n=$(count "$ALOG" 'guest devices ready')
pa_restart guest "${GUEST_PA[@]}"
check "the guest's PulseAudio restarts: the agent adds its devices again" \
	wait_count "$ALOG" 'guest devices ready' $((n + 1)) 10
check "the guest's default sink is the agent's again" retry default_is sink seam_out
measure pulse-restart 6
check "sound flows again after both PulseAudio servers restarted" latency_ok pulse-restart

# Stop everything gently (the agent unloads its devices while its server is still there).
kill "$AGENT" "$DAEMON" "$MICTONE" 2>/dev/null
wait "$AGENT" "$DAEMON" "$MICTONE" 2>/dev/null
kill "${IT_PIDS[@]}" 2>/dev/null
wait 2>/dev/null
it_done
