#!/usr/bin/env bash
# Tray icons with a real application under openbox: a GTK 3 status icon (XEMBED) in the guest
# appears in the host's system tray (trayer), its pixels the tint of the guest's in the label
# color; a click and the wheel on it reach the application; with no tray on the host the daemon
# says so once and shows nothing, and a tray started later gets the icon; when that tray goes the
# icon is hidden, and the next tray gets it again.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup tray "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-xprobe"
for t in openbox trayer xdotool xwininfo; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
it_need_gtk3
XP=$TBIN/seam-xprobe
BLUE=0x3465a4
APPLOG=$IT_TMP/app-events
DLOG=$IT_TMP/daemon.log
it_xvfb HOST 1280x1024 || exit 1
it_xvfb GUEST 1024x768 || exit 1
host() { env DISPLAY=$HOST "$@"; }
guest() { env DISPLAY=$GUEST "$@"; }
it_bg WM openbox env DISPLAY=$HOST openbox
sleep 0.5
it_bg D daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name work --label blue \
	--channel "unix:$IT_TMP/a.sock" -v
it_bg A agent env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/a.sock" -v
it_wait_log "$IT_TMP/agent.log" 'managing' 10
it_bg APP gtktray env DISPLAY=$GUEST /usr/bin/python3 tests/integration/gtktray.py --log "$APPLOG"

# The host's tray: trayer, at the top right of the screen, 24 pixels high.
start_tray() {
	it_bg TRAY trayer env DISPLAY=$HOST trayer --edge top --align right --widthtype request \
		--height 24 --SetDockType true --SetPartialStrut false
}
# The window the host's tray embedded for the guest's icon: "ID" of the daemon's window (its
# title starts with the domain's name) that is not a child of the root.
docked_window() {
	local id
	for _ in $(seq 100); do
		id=$(host xwininfo -root -tree | grep -F '"[work]' | awk '{print $1}' | head -n1)
		if [[ -n $id ]] && host xwininfo -id "$id" -children | grep -q '^  Parent window id: ' &&
			! host xwininfo -id "$id" -children | grep -q 'Parent window id: .*(the root window)' &&
			host xwininfo -id "$id" | grep -q 'IsViewable'; then
			echo "$id"
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# The guest's embedder of the icon (the agent's window holding the application's).
guest_embedder() {
	local id
	for id in $(guest xdotool search --name '^seam-tray-test$'); do
		guest xwininfo -id "$id" -children | sed -n 's/^ *Parent window id: \(0x[0-9a-f]*\) .*/\1/p' |
			grep -v "^$(guest xwininfo -root | sed -n 's/.*Window id: \(0x[0-9a-f]*\).*/\1/p')\$"
	done | head -n1
}
# The host's pixels are the tint of the guest's, pixel for pixel (once the sizes agree).
tinted_pixels() {
	local h g ge
	ge=$(guest_embedder)
	for _ in $(seq 50); do
		h=$(host "$XP" pixels "$HOSTWIN" 2>/dev/null)
		g=$(guest "$XP" pixels "$ge" tint $BLUE 2>/dev/null)
		[[ -n $h && $h == "$g" ]] && break
		sleep 0.1
	done
	echo "host ${h:0:60}... guest ${g:0:60}..."
	[[ -n $h && $h == "$g" ]]
}
not_the_guests_colors() {
	[[ $(host "$XP" pixels "$HOSTWIN") != "$(guest "$XP" pixels "$(guest_embedder)")" ]]
}
# Click (buttons 1 to 3) and wheel (4 up, 5 down) at the icon's centre on the host.
click_reaches() {
	local button=$1 want=$2 geo cx cy
	geo=$(host xwininfo -id "$HOSTWIN")
	cx=$(($(sed -n 's/.*Absolute upper-left X: *//p' <<<"$geo") + 5))
	cy=$(($(sed -n 's/.*Absolute upper-left Y: *//p' <<<"$geo") + 5))
	host xdotool mousemove "$cx" "$cy" sleep 0.3 click "$button"
	it_wait_log "$APPLOG" "^$want\$" 5
}

check "the application's icon is embedded in the agent's tray" it_wait_log "$APPLOG" '^embedded 1$' 10
check "with no tray on the host, the daemon says so" \
	it_wait_log "$DLOG" 'tray icon, and the host has no system tray' 10
docked_window_now() {
	local id
	id=$(host xwininfo -root -tree | grep -F '"[work]' | awk '{print $1}' | head -n1)
	[[ -n $id ]] && host xwininfo -id "$id" | grep -q IsViewable
}
check "... and shows nothing" bash -c "sleep 1; ! DISPLAY=$HOST xwininfo -root -tree | grep -F '\"[work]' | \
	while read -r id _; do DISPLAY=$HOST xwininfo -id \$id | grep -q IsViewable && echo \$id; done | grep -q ."
start_tray
HOSTWIN=$(docked_window)
check "a tray started later embeds the daemon's window for the icon" test -n "$HOSTWIN"
host_name() {
	for _ in $(seq 30); do
		host xwininfo -id "$HOSTWIN" | grep -qF "xwininfo: Window id: $HOSTWIN \"[work] seam-tray-test\"" &&
			return 0
		sleep 0.1
	done
	host xwininfo -id "$HOSTWIN" | head -n2
	return 1
}
check "its name on the host is the domain's and the icon's: [work] seam-tray-test" host_name
check "its pixels are the tint of the guest's, in the label color" tinted_pixels
check "... not the guest's own colors" not_the_guests_colors
check "a click on it reaches the application" click_reaches 1 'click 1'
check "the wheel up" click_reaches 4 'scroll up'
check "and down" click_reaches 5 'scroll down'
check "the daemon said once that the host had no tray" \
	test "$(grep -c 'has no system tray' "$DLOG")" -eq 1

kill "$TRAY"
hidden_after_tray_went() {
	for _ in $(seq 50); do
		docked_window_now || return 0
		sleep 0.1
	done
	return 1
}
check "when the host's tray goes, the icon is hidden" hidden_after_tray_went
check "... and the daemon says why" it_wait_log "$DLOG" 'left the host.s tray' 5
start_tray
HOSTWIN=$(docked_window)
check "the next tray gets the icon again" test -n "$HOSTWIN"
check "... tinted" tinted_pixels
check "... and a click still reaches the application" click_reaches 2 'click 2'

# The icon's menu (a right click) is one of the guest's popups: framed in the label color, on top.
menu_framed() {
	local id
	id=$(host "$XP" find "[work]" 5 | cut -d' ' -f1) || return 1
	host xwininfo -id "$id" | grep -q 'Override Redirect State: yes' &&
		host "$XP" frame "$id" 3 $BLUE
}
check "the icon's menu shows as a framed popup of the guest" bash -c "
	$(declare -f host click_reaches menu_framed it_wait_log it_log); HOST=$HOST HOSTWIN=$HOSTWIN \
	APPLOG=$APPLOG XP=$XP BLUE=$BLUE; click_reaches 3 'click 3' && menu_framed"
it_done
