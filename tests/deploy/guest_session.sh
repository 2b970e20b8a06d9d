#!/usr/bin/env bash
# seam-guest-session against a host daemon on a host Xvfb (displays :100-:109): it starts its own
# X server (by default Xorg with the dummy driver, run as /usr/lib/xorg/Xorg with its
# configuration and log in the session's runtime directory) at the host's screen size, with a
# cookie, and the agent, runs the session, whose window appears framed on the host; closing that
# window ends the session, and with it the X server and the agent. It reuses an X server that
# already answers (and leaves it running), takes a fixed --size, --server xvfb and a
# configuration file, and with no session waits until SIGTERM.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
SESSION=deploy/seam-guest-session
it_setup guest_session "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$SESSION" \
	"$TBIN/seam-testclient" "$TBIN/seam-xprobe"

NAME=sess
GREEN=0x73d216
B=3
XP=$TBIN/seam-xprobe
export SEAM_BIN_DIR=$BIN SEAM_SIZE_WAIT=10
IT_DISPLAY_BASE=100
it_xvfb HOST 1024x768 || exit 1
# A free display for each guest X server, still in :100-:109.
guest_display() { # guest_display VAR
	local n
	n=$(it_free_display "$IT_DISPLAY_BASE")
	IT_DISPLAY_BASE=$((n + 1))
	((n <= 109)) || { it_log "no free display in :100-:109"; exit 1; }
	printf -v "$1" ':%s' "$n"
}
SOCK=$IT_TMP/gui.sock
it_bg DAEMON daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name $NAME --label green \
	--channel "unix:$SOCK" -v
host() { env DISPLAY=$HOST "$@"; }
find_win() {
	local out
	out=$(host "$XP" find "[$NAME] $1" "${2:-15}") || return 1
	read -r ID X Y W H <<<"$out"
}
gone() { # gone PID...: each has exited within 5 s
	local p i
	for p in "$@"; do
		for ((i = 0; i < 100; i++)); do kill -0 "$p" 2>/dev/null || continue 2; sleep 0.05; done
		echo "pid $p is still running: $(ps -o args= -p "$p")"
		return 1
	done
}
# child NAME: the pid of the session's child process NAME (pgrep -x on the process name).
child() { pgrep -P "$SPID" -x "$1" | head -n 1; }
wait_child() { # wait_child VAR NAME
	local i p=
	for ((i = 0; i < 200; i++)); do
		p=$(child "$2") && [[ -n $p ]] && break
		sleep 0.05
	done
	printf -v "$1" '%s' "$p"
	[[ -n $p ]]
}
exited_with() { # exited_with STATUS: the session (SPID) has ended with STATUS
	local status=0
	gone "$SPID" || return 1
	wait "$SPID" || status=$?
	echo "status $status"
	[[ $status -eq $1 ]]
}

echo "guest_session: its own Xorg at the host's size, the agent, and a session"
guest_display G
CLOG=$IT_TMP/client.log
it_bg SPID session "$SESSION" -v --channel "unix:$SOCK" --display "$G" -- bash -c \
	"echo \"\$XAUTHORITY\" >$IT_TMP/xauth; exec $TBIN/seam-testclient --pattern --title session --size 200x150 --log $CLOG"
check "the session's window appears on the host, titled [$NAME] session" find_win session 30
check "it is framed in green" host "$XP" frame "$ID" $B $GREEN
check "its pixels are the guest's" host "$XP" pattern "$ID" $B
wait_child XVFB Xorg
wait_child AGENT seam-gui-agent
check "the session started its own X server on $G (Xorg, the default) and the agent" test -n "$XVFB" -a -n "$AGENT"
# The real server, not Debian's wrapper (which refuses users off the console), its files in the
# session's runtime directory.
xorg_args() {
	local a
	a=$(ps -o args= -p "$XVFB")
	echo "$a"
	[[ $a == "/usr/lib/xorg/Xorg $G -config ${XDG_RUNTIME_DIR:-/tmp}/seam-session."*/xorg.conf* &&
		$a == *"-logfile ${XDG_RUNTIME_DIR:-/tmp}/seam-session."*/Xorg.log* ]]
}
check "it is /usr/lib/xorg/Xorg, its configuration and log in the runtime directory" xorg_args
if [[ -e build/lib/xorg/modules/drivers/seam_drv.so ]]; then
	# seam_drv beside the agents (build/lib/xorg/modules): the default on a unix: channel.
	check "its driver is Seam's seam_drv, found beside the agents" \
		grep -q "starting Xorg (seam driver)" "$IT_TMP/session.log"
	check "the agent takes the driver's path (no ShmGetImage in the guest)" \
		it_wait_log "$IT_TMP/session.log" 'capture: guest driver$' 5
else
	echo "guest_session: seam_drv: skipped: not built (xserver-xorg-dev is not installed)"
fi
# Least privilege (common/sysfilter.h): both ends run under their seccomp filter (mode 2) with no
# new privileges, unless SEAM_SECCOMP turns it off for debugging.
filtered() { # filtered PID...
	local p
	for p in "$@"; do
		grep -qx $'Seccomp:\t2' "/proc/$p/status" &&
			grep -qx $'NoNewPrivs:\t1' "/proc/$p/status" ||
			{ echo "pid $p: $(grep -E '^(Seccomp|NoNewPrivs):' "/proc/$p/status" | tr '\n' ' ')"; return 1; }
	done
}
if [[ ${SEAM_SECCOMP:-kill} != off ]]; then
	check "the host daemon and the guest agent run under their seccomp filters" filtered "$DAEMON" "$AGENT"
fi
GUEST_AUTH=$(cat "$IT_TMP/xauth" 2>/dev/null)
guest_size() {
	local d
	d=$(DISPLAY=$G XAUTHORITY=$GUEST_AUTH xdpyinfo | grep dimensions) || return 1
	echo "$d"
	[[ $d =~ dimensions:\ *$1\ pixels ]]
}
check "the guest screen follows the host's size (1024x768)" guest_size 1024x768
check "the guest X server wants the session's cookie" bash -c "! DISPLAY=$G XAUTHORITY=/dev/null xdpyinfo >/dev/null 2>&1"
close_ends() { host "$XP" close "$ID" && exited_with 0; }
check "closing the window on the host ends the session (status 0)" close_ends
check "the session's X server and agent are gone" gone "$XVFB" "$AGENT"
check "its display is free again (no lock, no socket)" bash -c "[[ ! -e /tmp/.X${G#:}-lock && ! -e /tmp/.X11-unix/X${G#:} ]]"
check "its window is gone from the host" host "$XP" gone "[$NAME] session" 5
check "the host daemon keeps running" kill -0 "$DAEMON"

echo "guest_session: an X server that already answers, a configuration file"
it_xvfb EXISTING 640x480 || exit 1
printf 'SEAM_GUI_CHANNEL=unix:%s\nSEAM_DISPLAY=%s\n' "$SOCK" "$EXISTING" >"$IT_TMP/guest.conf"
it_bg SPID session2 "$SESSION" -v --config "$IT_TMP/guest.conf" -- \
	"$TBIN/seam-testclient" --pattern --title reuse --size 120x90
check "the window of a session on the existing display appears" find_win reuse 30
wait_child AGENT seam-gui-agent
check "the session started the agent, and no X server" bash -c "[[ -n '$AGENT' && -z \$(pgrep -P $SPID -x 'Xvfb|Xorg') ]]"
term_ends() { kill -TERM "$SPID" && exited_with 0; }
check "SIGTERM ends the session (status 0)" term_ends
check "its agent is gone" gone "$AGENT"
check "the X server it did not start still answers" env DISPLAY=$EXISTING xdpyinfo
check "the window is gone from the host" host "$XP" gone "[$NAME] reuse" 5

echo "guest_session: --size WxH, --server xvfb and no session"
guest_display G
it_bg SPID session3 "$SESSION" --channel "unix:$SOCK" --display "$G" --size 800x600 --server xvfb
wait_child XVFB Xvfb
wait_child AGENT seam-gui-agent
xvfb_size() { ps -o args= -p "$XVFB" | grep -q -- "-screen 0 800x600x24"; }
check "its Xvfb has the given size, 800x600" xvfb_size
check "with no session it keeps running" bash -c "sleep 1; kill -0 $SPID"
check "SIGTERM stops it (status 0)" term_ends
check "and its Xvfb and agent with it" gone "$XVFB" "$AGENT"
check "a bad option is a usage error (status 2)" bash -c "$SESSION --size huge --channel unix:/x; [[ \$? -eq 2 ]]"
check "--xorg-driver dummy is taken" bash -c "$SESSION --xorg-driver dummy --channel unix:/x --check-config | grep -q 'Xorg driver dummy'"
check "an unknown Xorg driver is a usage error (status 2)" bash -c "$SESSION --xorg-driver vesa --channel unix:/x; [[ \$? -eq 2 ]]"

it_done
