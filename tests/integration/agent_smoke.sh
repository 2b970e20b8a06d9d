#!/bin/bash
# agent_smoke.sh: seam-gui-agent on its own, against agent-probe (a fake daemon) on a private Xvfb:
#   1. a seam-testclient --pattern window reaches the "host" with the right pixels;
#   2. the guest resizes it (xdotool) while connected: a new buffer, still the right pixels
#      (this probe is also the agent's first reconnection);
#   3. a probe killed mid-connection, then a new one: the agent reconnects and re-sends the window;
#      that probe resizes it from the host, sends input (checked in the client's log) and closes it.
# Usage: agent_smoke.sh [BUILD_DIR] (default build). Prints one line: "agent_smoke: PASS" or
# "agent_smoke: FAIL: reason"; exits non-zero on failure.
set -euo pipefail

B=${1:-build}
AGENT=$B/bin/seam-gui-agent
CLIENT=$B/tests/seam-testclient
PROBE=$B/tests/agent-probe
dir=$(mktemp -d /tmp/agent-smoke.XXXXXX)
# Only the verdict goes out; the shell's own notices (a killed probe's "Killed") go to the logs.
exec 2>"$dir/stderr.log"
pids=()
keep=

fail() {
	echo "agent_smoke: FAIL: $* (logs in $dir)"
	keep=1
	exit 1
}

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	[ -n "$keep" ] || rm -rf "$dir"
}
trap cleanup EXIT

for b in "$AGENT" "$CLIENT" "$PROBE"; do
	[ -x "$b" ] || fail "$b is missing (build it first)"
done
command -v Xvfb >/dev/null || fail "Xvfb is not installed"
command -v xdotool >/dev/null || fail "xdotool is not installed"

# wait_line FILE REGEX SECONDS: wait until FILE has a line matching REGEX.
wait_line() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# A display of our own in 50..59: Xvfb refuses one that is taken, so try them in turn.
display=
for n in {50..59}; do
	[ -e /tmp/.X$n-lock ] || [ -e /tmp/.X11-unix/X$n ] && continue
	: >"$dir/displayfd"
	Xvfb ":$n" -screen 0 1280x1024x24 -nolisten tcp -displayfd 3 3>"$dir/displayfd" \
		>"$dir/xvfb.log" 2>&1 &
	xpid=$!
	if wait_line "$dir/displayfd" "^$n\$" 10; then
		pids+=("$xpid")
		display=":$n"
		break
	fi
	kill "$xpid" 2>/dev/null || true
done
[ -n "$display" ] || fail "no free X display in :50-:59"
export DISPLAY=$display
sock="unix:$dir/sock"

# probe NAME ARGS...: start agent-probe in the background (it gives up by itself after 20 s),
# output in $dir/NAME.out.
probe() {
	local name=$1
	shift
	"$PROBE" --channel "$sock" --timeout 20 "$@" >"$dir/$name.out" 2>&1 &
	probe_pid=$!
}

# expect_ok PID NAME: the probe must exit 0.
expect_ok() {
	wait "$1" || fail "$2: $(grep -h FAIL "$dir/$2.out" || echo "agent-probe exited with an error")"
}

# 1. First display.
probe first --expect-title smoke-pattern
# The agent and the client run until the end (the trap stops them if anything fails).
"$AGENT" --channel "$sock" --close-timeout 2 -v >"$dir/agent.log" 2>&1 &
agent_pid=$!
pids+=("$agent_pid")
"$CLIENT" --pattern --title smoke-pattern --log "$dir/client.log" &
pids+=("$!")
expect_ok "$probe_pid" first
wait_line "$dir/client.log" '^ready ' 5 || fail "seam-testclient did not start"
win=$(awk '/^ready /{print $2; exit}' "$dir/client.log")

# 2. The guest resizes the window while a (new) probe is connected.
probe resize --expect-title smoke-pattern --expect-size 320x240
wait_line "$dir/resize.out" "^dump $win 200x150" 10 || fail "the agent did not reconnect after the first probe left"
xdotool windowsize "$win" 320 240
expect_ok "$probe_pid" resize
grep -q "^dump $win 320x240" "$dir/resize.out" || fail "no new buffer after the resize"

# 3. A probe killed mid-connection, then one that resizes, types, clicks and closes.
probe killed --expect-title no-such-window
killed_pid=$probe_pid
wait_line "$dir/killed.out" "^dump $win" 10 || fail "the agent did not connect to the third probe"
kill -9 "$killed_pid"
wait "$killed_pid" 2>/dev/null || true
probe last --expect-title smoke-pattern --expect-size 320x240 --then-resize 400x300 \
	--then-input 38 --then-close
expect_ok "$probe_pid" last
grep -q "^ok $win closed" "$dir/last.out" || fail "the window was not closed"
for line in 'focus in' 'text a' 'text A' 'button press 1 10 20' 'button release 1 10 20' \
	'motion 30 40' 'configure -?[0-9]+ -?[0-9]+ 400 300' 'close requested'; do
	grep -qE "^$line\$" "$dir/client.log" || fail "seam-testclient did not log '$line'"
done

# The agent survived all of it and exits cleanly on SIGTERM.
kill -0 "$agent_pid" 2>/dev/null || fail "the agent died"
kill -TERM "$agent_pid"
status=0
wait "$agent_pid" || status=$?
[ "$status" -eq 0 ] || fail "the agent exited with status $status on SIGTERM"
bad=$(grep -E ': error: ' "$dir/agent.log" || true)
[ -z "$bad" ] || fail "the agent logged an error: $bad"

echo "agent_smoke: PASS"
