#!/usr/bin/env bash
# A seam-run domain follows the host's screen end to end: the host is Xorg with the dummy driver
# (whose screen xrandr resizes) and openbox; a domain runs a window; the host's screen grows and
# shrinks and the domain's own X server (Xorg with the dummy driver, seam-run's default where it
# is installed) takes each size, asked from inside the domain (a joined xdpyinfo).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
RUN=$BIN/seam-run
XP=$TBIN/seam-xprobe
it_setup sandbox-resize "$RUN" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$XP"
for t in bwrap Xorg xrandr xdpyinfo xlogo openbox; do
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
NAME=rs$$

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

echo "sandbox-resize: a domain's screen follows the host's"
seamrun owner -v --domain "$NAME" -- xlogo
check "the domain's window appears on the host" xp find "[$NAME] xlogo" 30
check "the domain's X server is Xorg (dummy driver)" grep -q "Xorg (dummy driver) on" "$IT_TMP/owner.log"
check "the domain's screen has the host's size at the start (1600x900)" domain_size 1600x900
xrandr --fb 2400x1200
check "the host's screen grows (2400x1200): the domain's follows" domain_size 2400x1200
xrandr --fb 1280x720
check "the host's screen shrinks (1280x720): the domain's follows" domain_size 1280x720
check "the domain's window is still on the host" xp find "[$NAME] xlogo" 5
PIDNS=$(info "$NAME" pidns)
check "--kill ends the domain" "$RUN" --kill "$NAME"
check "seam-run of the domain ends" wait_exit "$SR" 10
check "nothing of the domain is left" no_process_left "$PIDNS"

it_done
