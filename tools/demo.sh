#!/usr/bin/env bash
# make demo: a guest X server with a few applications, forwarded by Seam onto $DISPLAY over the local
# transport. Without a DISPLAY it starts a host Xvfb, takes a screenshot to build/demo.png and stops.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=build/bin
NAME=${SEAM_DEMO_NAME:-work}
LABEL=${SEAM_DEMO_LABEL:-orange}
RUN=$(mktemp -d /tmp/seam-demo-XXXXXX)
PIDS=()

cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 0' INT TERM

free_display() {
	local n=$1
	while [[ -e /tmp/.X11-unix/X$n || -e /tmp/.X$n-lock ]]; do n=$((n + 1)); done
	echo "$n"
}

start_xvfb() { # start_xvfb N WxH
	Xvfb ":$1" -screen 0 "${2}x24" -nolisten tcp >"$RUN/xvfb$1.log" 2>&1 &
	PIDS+=($!)
	for _ in $(seq 100); do
		DISPLAY=":$1" xdpyinfo >/dev/null 2>&1 && return 0
		sleep 0.05
	done
	echo "demo: Xvfb :$1 did not start" >&2
	exit 1
}

HEADLESS=0
if [[ -z ${DISPLAY:-} ]]; then
	HEADLESS=1
	H=$(free_display 20)
	start_xvfb "$H" 1280x800
	export DISPLAY=":$H"
	echo "demo: no DISPLAY; started a host Xvfb on $DISPLAY, with openbox as its window manager"
	command -v xsetroot >/dev/null && xsetroot -solid '#3b4252'
	openbox --sm-disable >"$RUN/openbox.log" 2>&1 &
	PIDS+=($!)
	sleep 0.5
fi
G=$(free_display 30)
start_xvfb "$G" 1280x800

"$BIN/seam-gui-daemon" --name "$NAME" --label "$LABEL" --channel "unix:$RUN/gui.sock" &
PIDS+=($!)
DISPLAY=":$G" "$BIN/seam-gui-agent" --channel "unix:$RUN/gui.sock" &
PIDS+=($!)
DISPLAY=":$G" xlogo -geometry 220x220+40+60 &
PIDS+=($!)
DISPLAY=":$G" xterm -geometry 70x18+300+60 -bg '#1e1e1e' -fg '#e0e0e0' \
	-e bash -c 'echo "This xterm runs in the guest X server :'"$G"'."; echo "Type here: keys travel host -> daemon -> agent -> XTest."; exec bash --norc' &
PIDS+=($!)
DISPLAY=":$G" xclock -geometry 160x160+40+340 -update 1 &
PIDS+=($!)
DISPLAY=":$G" xeyes -geometry 200x120+300+400 &
PIDS+=($!)

echo "demo: guest '$NAME' (label $LABEL) on :$G, forwarded to $DISPLAY"
if ((HEADLESS)); then
	for _ in $(seq 100); do
		n=$(DISPLAY=$DISPLAY build/tests/seam-xprobe count "[$NAME]" 2>/dev/null || echo 0)
		[[ $n -ge 4 ]] && break
		sleep 0.1
	done
	sleep 1.5 # let the clients finish their first paint
	mkdir -p build
	import -window root build/demo.png
	echo "demo: screenshot of the host screen saved to build/demo.png"
else
	echo "demo: press Ctrl+C to stop"
	wait
fi
