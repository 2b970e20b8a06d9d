#!/usr/bin/env bash
# The guest's screen follows the host's (RandR): the host is Xorg with the dummy driver (whose
# screen xrandr resizes) and openbox, the guest Xorg with the dummy driver too (Debian 12's Xvfb
# cannot grow, cannot switch its output off and lists no monitor a client sets). The guest's
# screen takes the host's size at the connection and after each change (xdpyinfo), lists the
# host's monitors (xrandr --listmonitors) and a GTK 3 application sees them (GDK's monitors); a
# window left beyond a shrunk screen's edge comes back on screen, on both sides.
# SEAM_IT_GUEST_DRIVER=seam runs the guest Xorg with Seam's driver seam_drv instead (its RandR:
# tests/integration/screen_drv.sh); the guest's monitors are then its outputs Virtual-N.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
GDRV=${SEAM_IT_GUEST_DRIVER:-dummy}
GDRV_ARGS=()
if [[ $GDRV == seam ]]; then
	DRV=build/lib/xorg/modules/drivers/seam_drv.so
	pkg-config --exists xorg-server ||
		{ echo "screen (seam_drv): skipped: xserver-xorg-dev is not installed, so $DRV is not built"; exit 0; }
	GDRV_ARGS=(-modulepath "$PWD/build/lib/xorg/modules,/usr/lib/xorg/modules")
fi
it_setup "screen-$GDRV" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-xprobe" ${DRV:+"$DRV"}
if [[ $GDRV == seam ]]; then
	export XDG_RUNTIME_DIR=$IT_TMP/run # the driver's socket goes there, and the agent looks there
	mkdir -m 0700 "$XDG_RUNTIME_DIR"
fi
for t in Xorg xrandr xdpyinfo xterm openbox xdotool xwininfo; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
/usr/bin/python3 -c 'import gi; gi.require_version("Gtk", "3.0")' 2>/dev/null ||
	{ it_log "python3-gi with GTK 3 is missing (make deps installs it)"; exit 1; }
XP=$TBIN/seam-xprobe
B=3
it_xorg HOST 1024x768 || exit 1
it_xorg GUEST 1024x768 "$GDRV" "${GDRV_ARGS[@]}" || exit 1
host() { env DISPLAY=$HOST "$@"; }
guest() { env DISPLAY=$GUEST "$@"; }
# The host's output off (a dummy output's mode would pin the screen's least size), its screen
# 1600x900: the layout the guest must take at the connection is one monitor, the whole screen.
host xrandr --output DUMMY0 --off --fb 1600x900
it_bg WM openbox env DISPLAY=$HOST openbox
sleep 0.5
it_bg D daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name work --label blue \
	--channel "unix:$IT_TMP/screen.sock" -v
it_bg A agent env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/screen.sock" -v

# guest_size WxH: wait until the guest's root is WxH.
guest_size() {
	for _ in $(seq 50); do
		guest xdpyinfo | grep -q "dimensions: *$1 pixels" && return 0
		sleep 0.1
	done
	guest xdpyinfo | grep dimensions
	return 1
}
# guest_monitors "WxH+X+Y ...": wait until the guest lists exactly these monitors.
guest_monitors() {
	local got
	for _ in $(seq 50); do
		got=$(guest xrandr --listmonitors | awk 'NR > 1 {sub(/^[+*]*/, "", $3); print $3}' |
			sed -E 's|/[0-9]+||g' | tr '\n' ' ')
		[[ ${got% } == "$1" ]] && return 0
		sleep 0.1
	done
	echo "guest monitors: ${got% }, expected $1"
	guest xrandr --listmonitors
	return 1
}

check "at the connection the guest's screen takes the host's size (1600x900)" \
	bash -c "$(declare -f guest guest_size); GUEST=$GUEST; guest_size 1600x900"
check "... and one monitor covering it" \
	bash -c "$(declare -f guest guest_monitors); GUEST=$GUEST; guest_monitors 1600x900+0+0"

echo "screen: the host's screen grows"
host xrandr --fb 2400x1000
check "the guest's screen follows (2400x1000)" \
	bash -c "$(declare -f guest guest_size); GUEST=$GUEST; guest_size 2400x1000"

echo "screen: two monitors on the host"
host xrandr --setmonitor LEFT 1200/300x1000/250+0+0 none
host xrandr --setmonitor RIGHT 1200/300x1000/250+1200+0 none
check "the guest lists the host's two monitors (xrandr --listmonitors)" \
	bash -c "$(declare -f guest guest_monitors); GUEST=$GUEST
	guest_monitors '1200x1000+0+0 1200x1000+1200+0'"
gdk_monitors() {
	local got
	got=$(env DISPLAY=$GUEST /usr/bin/python3 tests/integration/gdkmonitors.py)
	echo "GDK's monitors: $got"
	[[ $got == "$1" ]]
}
if [[ $GDRV == seam ]]; then
	check "the agent takes seam_drv's path" it_wait_log "$IT_TMP/agent.log" 'capture: guest driver$' 5
	check "each monitor is one of seam_drv's outputs (Virtual-0, Virtual-1)" bash -c "
		DISPLAY=$GUEST xrandr --listmonitors | awk 'NR > 1 {print \$NF}' | tr '\n' ' ' | grep -qx 'Virtual-0 Virtual-1 '"
fi
check "a GTK 3 application in the guest sees the two monitors (GDK)" \
	gdk_monitors '1200x1000+0+0 1200x1000+1200+0'

echo "screen: a window beyond the new edge"
it_bg X xterm env DISPLAY=$GUEST xterm -title far -geometry 40x10+1900+500
host "$XP" find "[work] far" 10 >/dev/null || it_log "the xterm did not appear on the host"
sleep 0.5
host xrandr --delmonitor RIGHT
host xrandr --fb 1500x800
check "the guest's screen shrinks with the host's (1500x800)" \
	bash -c "$(declare -f guest guest_size); GUEST=$GUEST; guest_size 1500x800"
check "the guest lists what is left of the monitors, cut at the new edge" \
	bash -c "$(declare -f guest guest_monitors); GUEST=$GUEST; guest_monitors 1200x800+0+0"
# on_screen DISPLAY X Y W H: the rectangle lies within DISPLAY's screen.
on_screen() {
	local sw sh
	read -r sw sh < <(env DISPLAY=$1 xdpyinfo | sed -nE 's/.*dimensions: *([0-9]+)x([0-9]+) .*/\1 \2/p')
	echo "$2 $3 $4 $5 on ${sw}x$sh"
	((${2} >= 0 && ${3} >= 0 && ${2} + ${4} <= sw && ${3} + ${5} <= sh))
}
host_far() {
	local g
	for _ in $(seq 30); do
		g=$(env DISPLAY=$HOST "$XP" find "[work] far" 1 | cut -d' ' -f2-)
		[[ -n $g ]] && on_screen "$HOST" $g && return 0
		sleep 0.1
	done
	return 1
}
guest_far() {
	local id g
	for _ in $(seq 30); do
		id=$(env DISPLAY=$GUEST xdotool search --name '^far$' | head -1)
		g=$(env DISPLAY=$GUEST xwininfo -id "$id" |
			awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF}
			     /^ *Width/{w=$NF} /^ *Height/{h=$NF} END{print x, y, w, h}')
		[[ -n $id ]] && on_screen "$GUEST" $g && return 0
		sleep 0.1
	done
	return 1
}
check "the window left beyond the edge is brought back on the host's screen" \
	bash -c "$(declare -f on_screen host_far); HOST=$HOST XP=$XP; host_far"
check "... and the guest is told: its window is on the guest's screen too" \
	bash -c "$(declare -f on_screen guest_far); GUEST=$GUEST; guest_far"
check "the daemon logged the change once per layout" bash -c "
	grep -c 'screen: the host screen is now 1500x800' '$IT_TMP/daemon.log' | grep -qx 1"
it_done
