#!/bin/sh
# The Xen lab's test, run in dom0 by /init once xenstored and xl answer. It starts a domU running
# seam-gui-agent, a host Xvfb with seam-gui-daemon, and checks across the domain boundary.
# Every result is one line on the serial console: "SEAM-XEN: ok NAME" or "SEAM-XEN: FAIL NAME
# reason"; the last is "SEAM-XEN: done N passed, M failed". tests/xen/lab.sh reads them.
export PATH=/bin:/sbin:/usr/bin:/usr/lib/xen-4.17/bin
NAME=work
LABEL=blue
COLOR=0x3465a4
B=3
PORT=6000
MAXSHM=8
PASS=0
FAIL=0
T0=$(cut -d' ' -f1 /proc/uptime)

now() { cut -d' ' -f1 /proc/uptime; }
ok() { PASS=$((PASS + 1)); echo "SEAM-XEN: ok $*"; }
bad() { FAIL=$((FAIL + 1)); echo "SEAM-XEN: FAIL $*"; }
info() { echo "SEAM-XEN: info $*"; }
# check NAME COMMAND...: run it (output kept in /tmp/check.out), count the result.
check() {
	n=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then
		ok "$n"
	else
		bad "$n: $(tail -n 3 /tmp/check.out | tr '\n' ' ')"
	fi
}
# retry SECONDS COMMAND...: until it succeeds (every 0.25 s).
retry() {
	t=$1
	shift
	end=$(($(date +%s) + t))
	while :; do
		"$@" && return 0
		[ "$(date +%s)" -ge $end ] && return 1
		usleep 250000
	done
}

# g COMMAND: run a shell command in the domU (through xenstore); its output in $GOUT.
GSEQ=0
ID=
g() {
	GSEQ=$((GSEQ + 1))
	xenstore-write "$DP/data/seam-cmd" "$GSEQ $*"
	end=$(($(date +%s) + ${GTIMEOUT:-60}))
	while :; do
		r=$(xenstore-read "$DP/data/seam-rc" 2>/dev/null)
		[ "${r%% *}" = "$GSEQ" ] && break
		if [ "$(date +%s)" -ge $end ]; then
			GOUT="(the domU did not answer)"
			echo "$GOUT"
			return 124
		fi
		usleep 50000
	done
	GOUT=$(xenstore-read "$DP/data/seam-out" 2>/dev/null)
	echo "$GOUT"
	return "${r#* }"
}

export DISPLAY=:0
host() { DISPLAY=:0 "$@"; }
# find TITLE [TIMEOUT]: set ID X Y W H of the host frame showing "[work] TITLE".
find_win() {
	out=$(seam-xprobe find "[$NAME] $1" "${2:-10}") || return 1
	set -- $out
	ID=$1 X=$2 Y=$3 W=$4 H=$5
}
# Window buffers the daemon maps from the guest right now (gntdev mappings in its address space).
gnt_maps() { c=$(grep -c /dev/xen/gntdev "/proc/$DPID/maps" 2>/dev/null); echo "${c:-0}"; }
daemon_alive() { kill -0 "$DPID" 2>/dev/null; }
start_daemon() {
	seam-gui-daemon --name $NAME --label $LABEL --channel "vchan:$DOMID:$PORT" \
		--max-shm $MAXSHM -v >>/tmp/daemon.log 2>&1 &
	DPID=$!
}
dump_logs() {
	echo "---- processes"
	ps
	echo "---- host Xvfb log"
	tail -n 20 /tmp/xvfb.log
	echo "---- dmesg (tail)"
	dmesg | tail -n 15
	echo "---- daemon log (tail)"
	tail -n 40 /tmp/daemon.log
	echo "---- domU console (tail)"
	tail -n 40 /var/log/xen/console/guest-seam-guest.log 2>/dev/null
	echo "---- domU agent log (tail)"
	GTIMEOUT=10 g "tail -n 30 /tmp/agent.log; echo ---client.out; tail -n 10 /tmp/client.out; echo ---client.log; tail -n 10 /tmp/client.log; echo ---xlsclients; seam-xprobe count seam 2>&1; ls /tmp"
}

# ---- The domU and the host X server ----------------------------------------------------------------
cat >/lab/domU.cfg <<CFG
name = "seam-guest"
type = "pv"
kernel = "/lab/vmlinux"
ramdisk = "/lab/domU.cpio.gz"
extra = "console=hvc0 quiet"
memory = 256
vcpus = 1
on_crash = "preserve"
CFG
Xvfb :0 -screen 0 640x480x24 -nolisten tcp -noreset -extension GLX -fp /usr/share/fonts/X11/misc \
	>/tmp/xvfb.log 2>&1 &
if xl create /lab/domU.cfg >/tmp/xl-create.log 2>&1; then
	ok "domU created at $(now) s"
else
	bad "domU created: $(tail -n 5 /tmp/xl-create.log | tr '\n' ' ')"
	echo "SEAM-XEN: done $PASS passed, $FAIL failed"
	exit 0
fi
DOMID=$(xl domid seam-guest)
DP=/local/domain/$DOMID
retry 20 seam-xprobe count nothing >/dev/null 2>&1 || bad "host Xvfb did not start"
start_daemon
info "domU is domain $DOMID; daemon: seam-gui-daemon --name $NAME --label $LABEL --channel vchan:$DOMID:$PORT --max-shm $MAXSHM"
check "domU is up and answers over xenstore" retry 60 sh -c "xenstore-read $DP/data/seam-ready >/dev/null 2>&1"
if [ "$FAIL" -gt 0 ]; then
	xl list
	xenstore-ls -f "$DP" 2>&1 | grep -v '/device\|/control' | head -n 30
	echo "---- domU console"
	cat /var/log/xen/console/guest-seam-guest.log 2>/dev/null | tail -n 60
	echo "SEAM-XEN: done $PASS passed, $FAIL failed"
	exit 0
fi
info "domU ready at $(now) s"

# ---- End to end ------------------------------------------------------------------------------------
check "window appears with the [$NAME] title" find_win hello 60
# Nothing else can pass without the window: say why and stop.
if [ -z "$ID" ]; then
	dump_logs
	echo "SEAM-XEN: done $PASS passed, $((FAIL + 1)) failed"
	exit 0
fi
info "host window $ID at $X,$Y size ${W}x$H ($(now) s)"
check "its frame is ${B}px of the label color $COLOR" retry 10 seam-xprobe frame "$ID" $B $COLOR
check "its pixels equal the guest's (pattern)" retry 15 seam-xprobe pattern "$ID" $B
check "size is the guest's plus the frame" test "$W" -eq $((200 + 2 * B)) -a "$H" -eq $((150 + 2 * B))
check "window buffers travel as grants (gntdev mappings in the daemon: $(gnt_maps))" test "$(gnt_maps)" -gt 0
check "the agent uses grant buffers" g "grep -q 'grant buffers' /tmp/agent.log"

click() {
	xdotool mousemove $((X + B + 50)) $((Y + B + 40)) click 1
	GTIMEOUT=20 g "i=0; while ! grep -q '^button press 1 50 40\$' /tmp/client.log; do i=\$((i+1)); [ \$i -gt 100 ] && exit 1; usleep 100000; done"
}
check "a click on the host reaches the guest client at the same point" click
typed() {
	xdotool mousemove $((X + B + 20)) $((Y + B + 20))
	xdotool type --delay 30 "seam1"
	GTIMEOUT=20 g "i=0; for c in s e a m 1; do while ! grep -q \"^text \$c\$\" /tmp/client.log; do i=\$((i+1)); [ \$i -gt 100 ] && exit 1; usleep 100000; done; done"
}
check "typed text on the host reaches the guest client" typed
redraw() {
	g 'kill -USR1 $(pidof seam-testclient)' || return 1
	seam-xprobe solid "$ID" $B 0xff0000 15
}
check "a redraw in the guest arrives (solid red)" redraw
resized() {
	g 'xdotool search --name "^hello$" windowsize 320 240' || return 1
	i=0
	while [ $i -lt 60 ]; do
		find_win hello 1 && [ "$W" -eq $((320 + 2 * B)) ] && [ "$H" -eq $((240 + 2 * B)) ] && break
		i=$((i + 1))
		usleep 250000
	done
	[ "$W" -eq $((320 + 2 * B)) ] && [ "$H" -eq $((240 + 2 * B)) ] || { echo "size ${W}x$H"; return 1; }
	g 'kill -USR1 $(pidof seam-testclient)' || return 1 # green over the whole new size
	seam-xprobe solid "$ID" $B 0x00ff00 15
}
check "a resize arrives with a new grant buffer (solid green at 320x240)" resized

destroyed() {
	g 'kill $(pidof seam-testclient)' || return 1
	seam-xprobe gone "[$NAME] hello" 20 || return 1
	retry 10 test "$(gnt_maps)" -eq 0 || { echo "$(gnt_maps) gntdev mappings left"; return 1; }
}
check "destroying the window releases every gntdev mapping" destroyed
check "the daemon keeps running" daemon_alive

g "seam-testclient --pattern --title again --size 160x120 --pos 60,60 --log /tmp/client2.log >/dev/null 2>&1 &" >/dev/null
check "a second window appears" find_win again 30
agent_killed() {
	g 'kill -9 $(pidof seam-gui-agent)' || return 1
	seam-xprobe gone "[$NAME] again" 20 || return 1
	retry 10 test "$(gnt_maps)" -eq 0 || { echo "$(gnt_maps) gntdev mappings left"; return 1; }
}
check "killing the agent removes its windows and releases every mapping" agent_killed
check "the daemon keeps running after the agent died" daemon_alive
g 'seam-gui-agent --channel vchan:0:6000 -v >>/tmp/agent.log 2>&1 &' >/dev/null
reconnected() { find_win again 40 && retry 15 seam-xprobe pattern "$ID" $B; }
check "the agent reconnects and the window comes back with its pixels" reconnected

# ---- Hostile grants --------------------------------------------------------------------------------
g 'kill $(pidof seam-gui-agent)' >/dev/null
seam-xprobe gone "[$NAME] again" 20 >/dev/null
# rogue ATTACK EXPECT LOGREGEX: run the rogue domU agent; EXPECT is alive, closed or either; the
# daemon's log must show LOGREGEX after it, the daemon must live, and no mapping may be left.
rogue() {
	attack=$1 expect=$2 re=$3
	before=$(wc -l </tmp/daemon.log)
	GTIMEOUT=90 g "seam-rogue-grants --channel vchan:0:$PORT --attack $attack 2>&1" >/dev/null
	res=$(echo "$GOUT" | tail -n 1)
	info "rogue $attack: $res; daemon log: $(tail -n +$((before + 1)) /tmp/daemon.log | grep -E "$re" | head -n 2 | tr '\n' ' ')"
	case $expect in
	either) [ "$res" = alive ] || [ "$res" = closed ] || { echo "rogue said: $GOUT"; return 1; } ;;
	*) [ "$res" = "$expect" ] || { echo "rogue said: $GOUT"; return 1; } ;;
	esac
	retry 10 sh -c "tail -n +$((before + 1)) /tmp/daemon.log | grep -qE '$re'" || { echo "no log line /$re/"; return 1; }
	daemon_alive || { echo "the daemon died"; return 1; }
	retry 10 test "$(gnt_maps)" -eq 0 || { echo "$(gnt_maps) gntdev mappings left"; return 1; }
}
check "hostile: refs the domU does not own are refused, logged, served on" \
	rogue foreign-refs alive "cannot map the guest's grants"
check "hostile: refs of pages unshared before the dump are refused, logged, served on" \
	rogue unshared-refs alive "cannot map the guest's grants"
check "hostile: pages unshared after dom0 mapped them: the daemon survives and releases them" \
	rogue unshare-after-map alive "agent went away|agent connected"
check "hostile: a ref count that does not match the size is refused and logged" \
	rogue count-mismatch either "refs for 100x80|needs exactly"
check "hostile: a ref count past the protocol limit is refused and logged" \
	rogue count-past-limit either "WINDOW_DUMP|refs|body|length"
check "hostile: the per-guest memory cap (--max-shm $MAXSHM) is enforced with real grants" \
	rogue over-cap alive "guest memory cap"
g 'seam-gui-agent --channel vchan:0:6000 -v >>/tmp/agent.log 2>&1 &' >/dev/null
check "after every attack the daemon still serves the honest agent" reconnected

# ---- Latency -----------------------------------------------------------------------------------------
if [ -x /usr/bin/seam-xen-latency ]; then
	. /lab/latency.sh 2>/dev/null || true
fi

[ "$FAIL" -gt 0 ] && dump_logs
xl destroy seam-guest >/dev/null 2>&1
echo "SEAM-XEN: test took $(awk -v a="$T0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s"
echo "SEAM-XEN: done $PASS passed, $FAIL failed"
