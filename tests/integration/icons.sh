#!/usr/bin/env bash
# Window icons with a real application under openbox: a GTK 3 window's own icon shows on its host
# frame as the tint of the guest's, image for image (the label's color, never the guest's), and a
# window with no icon of its own shows the plain icon of the label.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup icons "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-xprobe"
GTKWIN=tests/integration/gtkwin.py
for t in openbox xdotool xprop; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
it_need_gtk3
XP=$TBIN/seam-xprobe
BLUE=0x3465a4
it_xvfb HOST 1280x1024 || exit 1
it_xvfb GUEST 1280x1024 || exit 1
host() { env DISPLAY=$HOST "$@"; }
it_bg WM openbox env DISPLAY=$HOST openbox
sleep 0.5
it_bg D daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name work --label blue \
	--channel "unix:$IT_TMP/a.sock" -v
it_bg A agent env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/a.sock"

it_bg APP gtk-icon env DISPLAY=$GUEST /usr/bin/python3 $GTKWIN --title painted --size 300x200 --icon
it_bg APP2 gtk-plain env DISPLAY=$GUEST /usr/bin/python3 $GTKWIN --title bare --size 300x200
FRAME=$(host "$XP" find "[work] painted" 15 | cut -d' ' -f1)
BARE=$(host "$XP" find "[work] bare" 15 | cut -d' ' -f1)
GWIN=$(env DISPLAY=$GUEST xdotool search --sync --name '^painted$' | head -n1)
GBARE=$(env DISPLAY=$GUEST xdotool search --sync --name '^bare$' | head -n1)

# Every image on the host is the tint of one of the guest's, and the 48x48 one is there.
tinted_icon() {
	local hostf=$IT_TMP/host-icon guestf=$IT_TMP/guest-icon
	env DISPLAY=$GUEST "$XP" icon "$GWIN" tint $BLUE >"$guestf" || return 1
	for _ in $(seq 50); do
		host "$XP" icon "$FRAME" >"$hostf" 2>/dev/null && ! host "$XP" icon "$FRAME" plain $BLUE \
			2>/dev/null && break
		sleep 0.1
	done
	echo "host: $(cut -d' ' -f1,2 "$hostf" | tr '\n' ' '), guest: $(cut -d' ' -f1,2 "$guestf" | tr '\n' ' ')"
	grep -q '^48 48 ' "$hostf" && [[ $(grep -c . "$hostf") -ge 1 ]] &&
		! grep -vxFf "$guestf" "$hostf" | grep -q .
}
# ... and not the guest's own colors: the gradient's red-to-green hues are gone.
not_the_guests_colors() {
	! cmp -s <(env DISPLAY=$GUEST "$XP" icon "$GWIN" | sort) <(host "$XP" icon "$FRAME" | sort)
}
guest_has_no_icon() { ! env DISPLAY=$GUEST "$XP" icon "$GBARE" 2>/dev/null; }

check "the GTK window sets its own icon in the guest" env DISPLAY=$GUEST "$XP" icon "$GWIN"
check "its host frame's icon is the tint of the guest's, image for image" tinted_icon
check "the host frame does not show the guest's own colors" not_the_guests_colors
check "a window without an icon: none in the guest" guest_has_no_icon
check "... and the plain blue icon on its host frame" host "$XP" icon "$BARE" plain $BLUE
check "xprop, reading the frame as a task bar does, sees its 48x48 icon" \
	bash -c "DISPLAY=$HOST xprop -id $FRAME _NET_WM_ICON | grep -q 'Icon (48 x 48)'"
it_done
