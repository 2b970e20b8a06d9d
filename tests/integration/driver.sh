#!/usr/bin/env bash
# The guest driver's capture path end to end: a guest Xorg running seam_drv (window pixmaps in
# memfds), seam-gui-agent, a real xterm and seam-testclient; a host Xvfb with openbox and
# seam-gui-daemon. Checks that the agent takes the driver's path, that the host shows the guest's
# pixels (after a repaint and a resize too) with no ShmGetImage made, that the driver's socket
# drops a malformed client and stays up, and that the ShmGetImage fallback works on the same
# server when the agent is told not to ask.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh

DRV=build/lib/xorg/modules/drivers/seam_drv.so
if ! command -v Xorg >/dev/null; then
	echo "driver: skipped: Xorg is not installed (Debian: xserver-xorg-core)"
	exit 0
fi
if ! pkg-config --exists xorg-server; then
	echo "driver: skipped: xserver-xorg-dev is not installed, so $DRV is not built"
	exit 0
fi
it_setup driver "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-testclient" "$TBIN/seam-xprobe" "$DRV"

NAME=drv
B=3
XP=$TBIN/seam-xprobe
# The guest's runtime directory: the driver's socket goes to its default place there.
export XDG_RUNTIME_DIR=$IT_TMP/run
RUN=$XDG_RUNTIME_DIR
mkdir -m 0700 "$RUN"

it_xvfb HOST 1280x1024 || exit 1
it_xorg GUEST 1280x1024 seam -modulepath "$PWD/build/lib/xorg/modules,/usr/lib/xorg/modules" || exit 1
DRVSOCK=$RUN/seam-drv-${GUEST#:}
SOCK=$IT_TMP/gui.sock
host() { env DISPLAY=$HOST "$@"; }
guest() { env DISPLAY=$GUEST "$@"; }
find_win() {
	local out
	out=$(host "$XP" find "[$NAME] $1" "${2:-10}") || return 1
	read -r ID X Y W H <<<"$out"
}

echo "driver: the guest X server"
check "Xorg loaded seam_drv and listens at the default path" it_wait_log "$IT_TMP/xorg${GUEST#:}.log" "seam\(0\): window pixmaps in memfds; agent socket $DRVSOCK" 5
sockmode() { stat -c %a "$DRVSOCK"; test "$(stat -c %a "$DRVSOCK")" = 600; }
check "the socket is the server user's alone (mode 600)" sockmode

it_bg DAEMON daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name $NAME --label blue --channel "unix:$SOCK" -v -v
# The daemon holds a connection first, so the host Xvfb does not reset while openbox connects.
it_wait_log "$IT_TMP/daemon.log" 'serving guest' 10
it_bg WM openbox env DISPLAY=$HOST openbox --sm-disable
# Windows mapped while openbox starts may stay unmanaged: wait until it has taken the screen.
wm_up() { for _ in $(seq 100); do host xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id' && return 0; sleep 0.05; done; return 1; }
check "openbox manages the host screen" wm_up
# No --driver-socket: the agent finds the driver where the server put it, from $DISPLAY.
it_bg AGENT agent env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$SOCK" -v -v
ALOG=$IT_TMP/agent.log

echo "driver: the capture path"
check "the agent takes the guest driver's path" it_wait_log "$ALOG" 'capture: guest driver$' 10
CLOG=$IT_TMP/client.log
it_bg CLIENT client env DISPLAY=$GUEST "$TBIN/seam-testclient" --pattern --title pattern --size 300x200 --pos 40,40 \
	--log "$CLOG"
check "the pattern window appears" find_win pattern 15
check "its pixels equal the guest's" host "$XP" pattern "$ID" $B 5
check "its buffer is the driver's memfd (one dump, no ShmGetImage buffer)" \
	it_wait_log "$ALOG" 'window 0x[0-9a-f]+: dumped a 300x200 buffer' 5
repaint() {
	kill -USR1 "$CLIENT"
	it_wait_log "$CLOG" "^repaint $1" 5 && host "$XP" solid "$ID" $B "$1" 5
}
check "a repaint in the guest reaches the host" repaint 0xff0000
GW=$(guest xdotool search --name '^pattern$' | head -n1)
resized() {
	guest xdotool windowsize "$GW" 420 260
	it_wait_log "$ALOG" 'dumped a 420x260 buffer' 5 || return 1
	for _ in $(seq 50); do
		find_win pattern 1 && [[ $W -eq $((420 + 2 * B)) && $H -eq $((260 + 2 * B)) ]] && break
		sleep 0.1
	done
	[[ $W -eq $((420 + 2 * B)) ]] || return 1
	repaint 0x00ff00
}
check "a resize gives a new buffer with the right pixels" resized

it_bg TERM xterm env DISPLAY=$GUEST xterm -T drvterm -geometry 60x12+400+300 -e sh -c 'echo seam-driver-test; ls /; sleep 600'
same_as_guest() {
	local gw
	find_win drvterm 10 || return 1
	gw=$(guest xdotool search --name '^drvterm$' | head -n1)
	[[ -n $gw ]] || return 1
	sleep 0.5 # xterm has drawn its text
	for _ in $(seq 20); do
		guest import -window "$gw" "$IT_TMP/guest.png" &&
			host import -window "$ID" -crop "$((W - 2 * B))x$((H - 2 * B))+$B+$B" +repage "$IT_TMP/host.png" &&
			compare -metric AE "$IT_TMP/guest.png" "$IT_TMP/host.png" null: && return 0
		sleep 0.2
	done
	return 1
}
check "a real xterm's pixels on the host equal the guest's" same_as_guest
kill "$TERM" # it would hide part of the other window on the host
find_win pattern 5

echo "driver: the driver's socket"
bad_client() {
	python3 - "$DRVSOCK" <<-'EOP'
		import socket, struct, sys
		s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
		s.settimeout(5)
		s.connect(sys.argv[1])
		s.sendall(b"garbage!")
		reply = s.recv(64)
		assert len(reply) == 32, reply
		magic, status = struct.unpack("<II", reply[:8])
		assert magic == 0x5ea3d701 and status == 2, (hex(magic), status)
		assert s.recv(64) == b"", "the driver kept a misbehaving client"
	EOP
}
check "a malformed request is refused and its client dropped" bad_client
check "the server still answers the agent" repaint 0x0000ff

kill "$AGENT"
check "no ShmGetImage was made on this path" it_wait_log "$ALOG" 'capture: 0 ShmGetImage requests, [1-9][0-9]* updates' 5

echo "driver: SeamGrantDomain where Xen's gntalloc is missing"
no_gntalloc() {
	[[ -e /dev/xen/gntalloc ]] && { echo "this machine has /dev/xen/gntalloc: the lab tests grants"; return 0; }
	IT_XORG_DEVICE_EXTRA='Option "SeamGrantDomain" "0"' it_xorg GUEST2 640x480 seam \
		-modulepath "$PWD/build/lib/xorg/modules,/usr/lib/xorg/modules" || return 1
	local log=$IT_TMP/xorg${GUEST2#:}.log
	it_wait_log "$log" 'SeamGrantDomain 0: cannot open /dev/xen/gntalloc: .*; window pixmaps stay in memfds' 5 &&
		it_wait_log "$log" 'window pixmaps in memfds; agent socket' 5
}
check "the driver says it cannot grant, and keeps memfds" no_gntalloc

echo "driver: the fallback on the same server"
it_bg AGENT2 agent2 env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$SOCK" --driver-socket none -v
A2LOG=$IT_TMP/agent2.log
check "the agent logs the ShmGetImage path" it_wait_log "$A2LOG" 'capture: ShmGetImage \(--driver-socket none\)' 10
check "the pattern window is shown by ShmGetImage" bash -c "DISPLAY=$HOST $XP solid \$(DISPLAY=$HOST $XP find '[$NAME] pattern' 10 | cut -d' ' -f1) $B 0x0000ff 5"
kill "$AGENT2"
check "and ShmGetImage was used" it_wait_log "$A2LOG" 'capture: [1-9][0-9]* ShmGetImage requests, 0 updates' 5

it_done
