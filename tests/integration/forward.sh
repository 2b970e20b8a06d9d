#!/usr/bin/env bash
# Window forwarding end to end: a guest Xvfb with the agent and test clients, a host Xvfb with the
# daemon (bare, then under openbox), and checks made on the host: titles, pixels, frames, input,
# moves, resizes, map/unmap, close, menus, and both sides restarting.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup forward "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-testclient" "$TBIN/seam-xprobe"

NAME=work
LABEL=blue
COLOR=0x3465a4
B=3
XP=$TBIN/seam-xprobe

it_xvfb HOST 1280x1024 || exit 1
it_xvfb GUEST 1280x1024 || exit 1
SOCK=$IT_TMP/gui.sock

start_daemon() { it_bg DAEMON daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name $NAME --label $LABEL --channel "unix:$SOCK" -v; }
start_agent() { it_bg AGENT agent env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$SOCK" -v; }
host() { env DISPLAY=$HOST "$@"; }
guest() { env DISPLAY=$GUEST "$@"; }

# find TITLE: set ID X Y W H of the host frame showing it.
find_win() {
	local out
	out=$(host "$XP" find "[$NAME] $1" "${2:-10}") || return 1
	read -r ID X Y W H <<<"$out"
}

start_daemon
start_agent
CLOG=$IT_TMP/client.log
it_bg CLIENT client env DISPLAY=$GUEST "$TBIN/seam-testclient" --pattern --title hello --size 200x150 --pos 100,80 \
	--log "$CLOG"
it_wait_log "$CLOG" '^ready' 10 || true

echo "forward: a bare host (no window manager)"
check "window appears with the [$NAME] title prefix" find_win hello 15
check "its frame is ${B}px of the label color on every side" host "$XP" frame "$ID" $B $COLOR
check "its pixels equal the guest's" host "$XP" pattern "$ID" $B
check "size is the guest's plus the frame" test "$W" -eq $((200 + 2 * B)) -a "$H" -eq $((150 + 2 * B))
check "placed where the guest asked" test "$X" -eq $((100 - B)) -a "$Y" -eq $((80 - B))
check "WM_CLASS is prefixed" bash -c "DISPLAY=$HOST xprop -id $ID WM_CLASS | grep -q '\"$NAME:seam-testclient\", \"$NAME:SeamTestClient\"'"
check "_QUBES_VMNAME and _QUBES_LABEL_COLOR are set" bash -c "DISPLAY=$HOST xprop -id $ID _QUBES_VMNAME _QUBES_LABEL_COLOR | tr -d ' ' | grep -q '_QUBES_VMNAME(STRING)=\"$NAME\"' && DISPLAY=$HOST xprop -id $ID _QUBES_LABEL_COLOR | grep -qi '$COLOR\|$((COLOR))'"

# Input: a click at a window-relative point, then typed text.
click_at() {
	host xdotool mousemove $((X + B + $1)) $((Y + B + $2)) click 1
	it_wait_log "$CLOG" "^button press 1 $1 $2\$" 5
}
check "a click lands at the same window-relative point" click_at 50 40
type_text() {
	host xdotool mousemove $((X + B + 20)) $((Y + B + 20))
	host xdotool type --delay 20 "seam1"
	for c in s e a m 1; do it_wait_log "$CLOG" "^text $c\$" 5 || return 1; done
}
check "typed text arrives" type_text

# A redraw in the guest reaches the host.
repaint() {
	kill -USR1 "$CLIENT"
	it_wait_log "$CLOG" '^repaint 0xff0000' 5 && host "$XP" solid "$ID" $B 0xff0000 5
}
check "a redraw arrives" repaint

# Title change, move and resize made in the guest.
GW=$(guest xdotool search --name '^hello$' | head -n1)
check "a title change propagates" bash -c "DISPLAY=$GUEST xdotool set_window --name renamed $GW && DISPLAY=$HOST $XP find '[$NAME] renamed' 5"
guest xdotool windowmove "$GW" 300 200
moved() { find_win renamed && test "$X" -eq $((300 - B)) -a "$Y" -eq $((200 - B)); }
check "a move propagates" bash -c "for i in \$(seq 50); do DISPLAY=$HOST $XP find '[$NAME] renamed' 1 | grep -q ' $((300 - B)) $((200 - B)) ' && exit 0; sleep 0.1; done; exit 1"
guest xdotool windowsize "$GW" 320 240
resized() {
	for _ in $(seq 50); do
		find_win renamed 1 && [[ $W -eq $((320 + 2 * B)) && $H -eq $((240 + 2 * B)) ]] && break
		sleep 0.1
	done
	[[ $W -eq $((320 + 2 * B)) && $H -eq $((240 + 2 * B)) ]] || return 1
	kill -USR1 "$CLIENT" # green over the whole new size
	host "$XP" solid "$ID" $B 0x00ff00 5
}
check "a resize propagates with a new buffer" resized
check "unmap hides the host window" bash -c "DISPLAY=$GUEST xdotool windowunmap $GW && DISPLAY=$HOST $XP hidden '[$NAME] renamed' 5"
check "map shows it again" bash -c "DISPLAY=$GUEST xdotool windowmap $GW && DISPLAY=$HOST $XP find '[$NAME] renamed' 5"

# Menus: an override-redirect window is framed too.
it_bg MENU menu env DISPLAY=$GUEST "$TBIN/seam-testclient" --override-redirect --title menu --size 120x90 --pos 40,40 \
	--color 0x00ff00 --log "$IT_TMP/menu.log"
menu_framed() { find_win menu && host "$XP" frame "$ID" $B $COLOR && host "$XP" solid "$ID" $B 0x00ff00; }
check "an override-redirect window (menu) appears framed" menu_framed
kill "$MENU"
check "a closed menu goes away" host "$XP" gone "[$NAME] menu" 5

# Closing the host window closes the guest application.
close_it() {
	find_win renamed || return 1
	host "$XP" close "$ID"
	it_wait_log "$CLOG" '^close requested' 5 && host "$XP" gone "[$NAME] renamed" 5
}
check "closing the host window closes the guest application" close_it

# The agent crashes: its windows go; a new agent brings them back.
it_bg C2 client2 env DISPLAY=$GUEST "$TBIN/seam-testclient" --pattern --title survivor --size 150x100 --pos 500,400 \
	--log "$IT_TMP/client2.log"
check "second window appears" find_win survivor 10
kill -9 "$AGENT"
check "an agent crash removes the host windows" host "$XP" gone "[$NAME] survivor" 5
start_agent
check "a restarted agent brings them back" bash -c "DISPLAY=$HOST $XP find '[$NAME] survivor' 10 >/dev/null && DISPLAY=$HOST $XP pattern \$(DISPLAY=$HOST $XP find '[$NAME] survivor' 1 | cut -d' ' -f1) $B"

# The daemon restarts: the agent reconnects and re-sends every window.
kill "$DAEMON"
check "a stopped daemon's windows are gone" host "$XP" gone "[$NAME] survivor" 5
start_daemon
check "a restarted daemon gets them back" bash -c "DISPLAY=$HOST $XP find '[$NAME] survivor' 10 >/dev/null"

echo "forward: under openbox (a reparenting window manager)"
it_bg WM openbox env DISPLAY=$HOST openbox --sm-disable
sleep 1
it_bg C3 client3 env DISPLAY=$GUEST "$TBIN/seam-testclient" --pattern --title managed --size 180x120 \
	--log "$IT_TMP/client3.log"
check "the window appears, managed" find_win managed 10
check "openbox reparented it" bash -c "DISPLAY=$HOST xwininfo -id $ID -tree | grep -q 'Parent window id: 0x' && ! DISPLAY=$HOST xwininfo -id $ID -tree | grep -q 'Parent window id: 0x[0-9a-f]* (the root window)'"
check "its frame is the label color on every side" host "$XP" frame "$ID" $B $COLOR
check "its pixels equal the guest's" host "$XP" pattern "$ID" $B
click_managed() {
	find_win managed || return 1
	host xdotool mousemove $((X + B + 30)) $((Y + B + 25)) click 1
	it_wait_log "$IT_TMP/client3.log" '^button press 1 30 25$' 5
}
check "a click lands at the same point" click_managed

it_done
