#!/bin/sh
# The Xen lab's helpers in dom0: sourced by /lab/test.sh, and by hand at the lab's shell
# (tests/xen/lab.sh --shell):  . /lab/lib.sh; DP=/local/domain/1; g ps
export PATH=/bin:/sbin:/usr/bin:/usr/lib/xen-4.17/bin
NAME=${NAME:-work}
B=3
PORT=6000
PASS=0
FAIL=0
T0=$(cut -d' ' -f1 /proc/uptime)

now() { cut -d' ' -f1 /proc/uptime; }
# Each result says when it came, in seconds since dom0 booted.
ok() { PASS=$((PASS + 1)); echo "SEAM-XEN: ok $* [$(cut -d' ' -f1 /proc/uptime) s]"; }
# The first failure dumps the logs at once: the state that explains it may not last, and a run
# that overruns its time is cut off before the end.
bad() {
	FAIL=$((FAIL + 1))
	echo "SEAM-XEN: FAIL $* [$(cut -d' ' -f1 /proc/uptime) s]"
	[ "$FAIL" -eq 1 ] && [ -n "${DP:-}" ] && dump_logs >&3 2>&1
}
# fd 3 is the console even inside check, which sends a step's own output to /tmp/check.out.
exec 3>&1
info() { echo "SEAM-XEN: info $*" >&3; }
finish() {
	[ "$FAIL" -gt 1 ] && dump_logs # the first failure dumped them already
	xl destroy seam-guest >/dev/null 2>&1
	echo "SEAM-XEN: test took $(awk -v a="$T0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}') s"
	echo "SEAM-XEN: done $PASS passed, $FAIL failed"
	exit 0
}
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

# g COMMAND: run a shell command in the domU (through xenstore, see domu-init.sh); its output in
# $GOUT, its status returned. A command that starts a program in the background must redirect
# the program's output.
GSEQ=0
g() {
	GSEQ=$((GSEQ + 1))
	xenstore-write "$DP/data/seam-cmd" "$GSEQ $*"
	end=$(($(date +%s) + ${GTIMEOUT:-30}))
	nap=20000 # backoff to 0.32 s: polling must not steal the domU's CPU under emulation
	while :; do
		r=$(xenstore-read "$DP/data/seam-rc" 2>/dev/null)
		[ "${r%% *}" = "$GSEQ" ] && break
		if [ "$(date +%s)" -ge $end ]; then
			GOUT="(the domU did not answer within ${GTIMEOUT:-30} s)"
			echo "$GOUT"
			return 124
		fi
		usleep $nap
		[ $nap -lt 320000 ] && nap=$((nap * 2))
	done
	# xenstore-read writes a newline as the two characters \n.
	GOUT=$(xenstore-read "$DP/data/seam-out" 2>/dev/null | sed 's/\\n/\n/g')
	echo "$GOUT"
	return "${r#* }"
}
# gwait [-s] SECONDS FILE LINE...: wait in the domU until FILE has every LINE (seam-waitfor). No
# argument may hold a single quote.
gwait() {
	cmd=seam-waitfor
	[ "$1" = -s ] && { cmd="$cmd -s"; shift; }
	t=$1
	for a in "$@"; do cmd="$cmd '$a'"; done
	GTIMEOUT=$((t + 20)) g "$cmd"
}
start_agent() { g "seam-gui-agent --channel vchan:0:$PORT -v >>/tmp/agent.log 2>&1 &" >/dev/null; }
start_client() { # TITLE WxH X,Y LOG
	g "seam-testclient --pattern --title $1 --size $2 --pos $3 --log $4 >/dev/null 2>&1 &" >/dev/null
}

export DISPLAY=:0
ID=
# find_win TITLE [TIMEOUT]: set ID X Y W H of the host frame showing "[work] TITLE".
find_win() {
	out=$(seam-xprobe find "[$NAME] $1" "${2:-10}") || return 1
	set -- $out
	ID=$1 X=$2 Y=$3 W=$4 H=$5
}
# The daemon's gntdev mappings (/proc/PID/maps): the vchan's own pages and every window buffer.
gnt_maps() { c=$(grep -c /dev/xen/gntdev "/proc/$DPID/maps" 2>/dev/null); echo "${c:-0}"; }
# maps_are N [SECONDS]: wait until the daemon has N gntdev mappings.
maps_are() { retry "${2:-15}" test "$(gnt_maps)" -eq "$1" || { echo "$(gnt_maps) gntdev mappings, expected $1"; return 1; }; }
daemon_alive() { kill -0 "$DPID" 2>/dev/null; }
# daemon_says REGEX [SECONDS]: wait for a daemon log line since the mark (LOGMARK=line count).
logged_since_mark() { tail -n +$((LOGMARK + 1)) /tmp/daemon.log | grep -qE -- "$1"; }
daemon_says() {
	retry "${2:-15}" logged_since_mark "$1" || { echo "no daemon log line /$1/"; return 1; }
}
mark_log() { LOGMARK=$(wc -l </tmp/daemon.log); }
dump_logs() {
	echo "---- processes"
	ps | grep -v ' \[.*\]$'
	echo "---- daemon log"
	cat /tmp/daemon.log
	echo "---- dmesg (tail)"
	dmesg | tail -n 8
	con=/var/log/xen/console/guest-seam-guest.log
	n=$(grep -n -m 1 -E 'Kernel panic|BUG:|Oops|Call Trace' $con 2>/dev/null | cut -d: -f1)
	if [ -n "$n" ]; then
		echo "---- domU console: the kernel complained"
		tail -n +$((n > 6 ? n - 6 : 1)) $con | head -n 14
	fi
	echo "---- domU console (tail)"
	tail -n 12 $con 2>/dev/null
	echo "---- domU: agent log"
	GTIMEOUT=15 g "tail -n 30 /tmp/agent.log"
	echo "---- domU: client logs"
	GTIMEOUT=15 g "for f in /tmp/client*.log; do echo \"-- \$f\"; tail -n 4 \$f; done"
	echo "---- domU: processes"
	GTIMEOUT=15 g "ps | grep -v ' \[.*\]\$'; for p in \$(pidof Xvfb seam-gui-agent seam-testclient seam-rogue-grants); do echo \"-- \$p: \$(grep State /proc/\$p/status) in \$(cat /proc/\$p/wchan)\"; done"
}

