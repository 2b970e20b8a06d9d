#!/usr/bin/env bash
# A seam-run domain follows the host's screen end to end: the host is Xorg with the dummy driver
# (whose screen xrandr resizes) and openbox; a domain runs a window; the host's screen grows and
# shrinks and the domain's own X server takes each size, asked from inside the domain (a joined
# xdpyinfo). Twice: the domain's Xorg with Seam's driver seam_drv (seam-run's default where it is
# built or installed: no ShmGetImage in the domain) and with Xorg's dummy driver
# (SEAM_XORG_DRIVER=dummy, the fallback).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
RUN=$BIN/seam-run
XP=$TBIN/seam-xprobe
it_setup sandbox-resize "$RUN" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$XP"
for t in bwrap Xorg xrandr xdpyinfo xlogo xwd import compare openbox; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
[[ -x /usr/lib/xorg/Xorg && -e /usr/lib/xorg/modules/drivers/dummy_drv.so ]] ||
	{ it_log "Xorg's dummy driver is missing (make deps installs xserver-xorg-video-dummy)"; exit 1; }

IT_DISPLAY_BASE=80
it_xorg HOST 1024x768 || exit 1
export DISPLAY=$HOST
# The host's output off (its mode would pin the screen's least size), its screen 1600x900.
xrandr --output DUMMY0 --off --fb 1600x900
it_bg WM openbox openbox
export HOME=$IT_TMP/home XDG_RUNTIME_DIR=$IT_TMP/xdg XDG_CONFIG_HOME=$IT_TMP/config
unset XDG_DATA_HOME DBUS_SESSION_BUS_ADDRESS
mkdir -p -m 0700 "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
. tests/sandbox/helpers.sh

# domain_size WxH: wait until the domain's X server, asked from inside, is WxH.
domain_size() {
	local got=
	for _ in $(seq 40); do
		got=$("$RUN" --domain "$NAME" -- xdpyinfo 2>/dev/null | sed -n 's/.*dimensions: *\([0-9x]*\) pixels.*/\1/p')
		[[ $got == "$1" ]] && return 0
		sleep 0.25
	done
	echo "the domain's screen is '$got', expected $1"
	return 1
}

# xlogo_shown: the host window's inside (a 3-pixel frame) equals the domain's xlogo, read in the
# domain with xwd.
xlogo_shown() {
	local id x y w h
	for _ in $(seq 20); do
		read -r id x y w h < <(xp find "[$NAME] xlogo" 5) || return 1
		"$RUN" --domain "$NAME" -- xwd -name xlogo -silent >"$IT_TMP/guest.xwd" 2>/dev/null &&
			convert "xwd:$IT_TMP/guest.xwd" "$IT_TMP/guest.png" &&
			import -window "$id" -crop "$((w - 6))x$((h - 6))+3+3" +repage "$IT_TMP/host.png" &&
			compare -metric AE "$IT_TMP/guest.png" "$IT_TMP/host.png" null: 2>/dev/null && return 0
		sleep 0.25
	done
	compare -metric AE "$IT_TMP/guest.png" "$IT_TMP/host.png" null:
	return 1
}

# domain DRIVER: a domain on Xorg with DRIVER follows the host's screen growing and shrinking.
domain() {
	local drv=$1
	NAME=rs$drv$$
	echo "sandbox-resize: a domain's screen follows the host's (Xorg, $drv driver)"
	xrandr --fb 1600x900
	SEAM_XORG_DRIVER=$drv seamrun "owner-$drv" -v -v --domain "$NAME" -- xlogo
	check "the domain's window appears on the host" xp find "[$NAME] xlogo" 30
	check "the domain's X server is Xorg ($drv driver)" grep -q "Xorg ($drv driver) on" "$IT_TMP/owner-$drv.log"
	if [[ $drv == seam ]]; then
		check "the domain's agent takes the guest driver's path" it_wait_log "$IT_TMP/owner-$drv.log" 'capture: guest driver$' 5
	else
		check "the domain's agent takes the ShmGetImage path" it_wait_log "$IT_TMP/owner-$drv.log" 'capture: ShmGetImage' 5
	fi
	check "the domain's screen has the host's size at the start (1600x900)" domain_size 1600x900
	xrandr --fb 2400x1200
	check "the host's screen grows (2400x1200): the domain's follows" domain_size 2400x1200
	xrandr --fb 1280x720
	check "the host's screen shrinks (1280x720): the domain's follows" domain_size 1280x720
	check "the domain's window is still on the host" xp find "[$NAME] xlogo" 5
	check "its pixels are the domain's (a full xlogo, frame and all)" xlogo_shown
	PIDNS=$(info "$NAME" pidns)
	check "--kill ends the domain" "$RUN" --kill "$NAME"
	check "seam-run of the domain ends" wait_exit "$SR" 10
	check "nothing of the domain is left" no_process_left "$PIDNS"
}

if [[ -e build/lib/xorg/modules/drivers/seam_drv.so || -e /usr/lib/xorg/modules/drivers/seam_drv.so ]]; then
	domain seam
else
	echo "sandbox-resize: seam_drv: skipped: not built (xserver-xorg-dev is not installed)"
fi
domain dummy
it_done
