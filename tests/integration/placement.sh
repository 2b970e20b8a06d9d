#!/usr/bin/env bash
# Where guest windows appear, and full screen, with real applications under openbox: new windows
# are placed by the host's window manager (not piled at one spot), a position the application
# asked for is kept, a dialog opens over its parent, and a full-screen request ends with the
# window at screen size, the domain's frame still around it (unless the guest's configuration
# allows frameless full screen), and the application told the state it really has.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup placement "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-xprobe"
GTKWIN=tests/integration/gtkwin.py
for t in xterm openbox xprop xdotool; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
it_need_gtk3
B=3
SW=1280 SH=1024
XP=$TBIN/seam-xprobe
it_xvfb HOST ${SW}x${SH} || exit 1
it_xvfb GA ${SW}x${SH} || exit 1
it_xvfb GB ${SW}x${SH} || exit 1
host() { env DISPLAY=$HOST "$@"; }
it_bg WM openbox env DISPLAY=$HOST openbox
sleep 0.5
it_bg DA daemon-a env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name work --label blue \
	--channel "unix:$IT_TMP/a.sock" -v
it_bg AA agent-a env DISPLAY=$GA "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/a.sock"
it_bg DB daemon-b env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name films --label green \
	--channel "unix:$IT_TMP/b.sock" --allow-fullscreen -v
it_bg AB agent-b env DISPLAY=$GB "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/b.sock"

# geom TITLE: "X Y W H" of the host frame titled TITLE (root coordinates).
geom() {
	local out
	out=$(host "$XP" find "$1" 10) || return 1
	cut -d' ' -f2- <<<"$out"
}
# guest_geom DISPLAY NAME: "X Y W H" of the guest's window of that name.
guest_geom() {
	local id
	id=$(env DISPLAY=$1 xdotool search --name "^$2\$" | head -1) || return 1
	env DISPLAY=$1 xwininfo -id "$id" |
		awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF}
		     /^ *Width/{w=$NF} /^ *Height/{h=$NF} END{print x, y, w, h}'
}

echo "placement: new windows"
it_bg X1 xterm1 env DISPLAY=$GA xterm -title first
sleep 1.5
it_bg X2 xterm2 env DISPLAY=$GA xterm -title second
sleep 1.5
G1=$(geom "[work] first")
G2=$(geom "[work] second")
it_log "first at $G1, second at $G2"
check "two new windows do not open at the same place" bash -c "[[ -n '$G1' && -n '$G2' && '${G1% * *}' != '${G2% * *}' ]]"
same_in_guest() { # same_in_guest DISPLAY NAME HOSTTITLE: the guest window is where the host's is
	local h g
	h=$(geom "$3") && g=$(guest_geom "$1" "$2") || return 1
	read -r hx hy hw hh <<<"$h"
	echo "host frame $h, guest $g"
	[[ $g == "$((hx + B)) $((hy + B)) $((hw - 2 * B)) $((hh - 2 * B))" ]]
}
check "the guest is told where the host put the window" same_in_guest "$GA" second "[work] second"
it_bg X3 xterm3 env DISPLAY=$GA xterm -title placed -geometry 60x10+400+300
sleep 1.5
check "a position the application asked for is kept (xterm -geometry +400+300)" \
	bash -c "[[ \$(DISPLAY=$HOST $XP find '[work] placed' 5 | cut -d' ' -f2,3) == '$((400 - B)) $((300 - B))' ]]"

echo "placement: a dialog"
it_bg GD gtk-dialog env DISPLAY=$GA /usr/bin/python3 $GTKWIN --title parentwin --size 700x500 \
	--dialog childdialog
over_parent() {
	local p d
	p=$(geom "[work] parentwin") && d=$(geom "[work] childdialog") || return 1
	echo "parent $p, dialog $d"
	read -r px py pw ph <<<"$p"
	read -r dx dy dw dh <<<"$d"
	local cx=$((dx + dw / 2)) cy=$((dy + dh / 2))
	# Its middle within the parent's middle third.
	((cx > px + pw / 3 && cx < px + 2 * pw / 3 && cy > py + ph / 3 && cy < py + 2 * ph / 3))
}
check "a GTK dialog opens over its parent" over_parent

echo "placement: full screen"
# click TITLE: the user clicks into the host window of that title (and so gives it the focus).
click() {
	local out x y
	out=$(host "$XP" find "$1" 10) || return 1
	read -r _ x y _ _ <<<"$out"
	host xdotool mousemove $((x + 60)) $((y + 60)) click 1
}
# poll SECONDS COMMAND...: until the command succeeds.
poll() {
	local t=$1 i
	shift
	for ((i = 0; i < t * 10; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	POLL_LAST=1 "$@"
}
state_is() { # state_is NAME 0|1: the application's last word on its full-screen state
	[[ $(tail -1 "$IT_TMP/$1.state" 2>/dev/null) == "fullscreen $2" ]] && return 0
	[[ -n ${POLL_LAST:-} ]] && echo "$1: $(tr '\n' ' ' <"$IT_TMP/$1.state" 2>/dev/null)"
	return 1
}
host_size_is() { # host_size_is TITLE WxH-or-!WxH
	local s
	s=$(host "$XP" find "$1" 5 | cut -d' ' -f4,5)
	if [[ $2 == !* ]]; then [[ $s != "${2#!}" ]]; else [[ $s == "$2" ]]; fi && return 0
	[[ -n ${POLL_LAST:-} ]] && echo "$1 is $s"
	return 1
}
guest_state() { # guest_state DISPLAY NAME: the guest window's _NET_WM_STATE
	env DISPLAY=$1 xprop -id "$(env DISPLAY=$1 xdotool search --name "^$2\$" | head -1)" _NET_WM_STATE
}
# gtk VAR DISPLAY TITLE: a GTK window whose full-screen requests the test triggers (F$TITLE.on,
# F$TITLE.off) and whose state it logs ($TITLE.state).
gtk() {
	it_bg "$1" "gtk-$3" env DISPLAY=$2 /usr/bin/python3 $GTKWIN --title "$3" \
		--fullscreen-when "$IT_TMP/F$3.on" --leave-when "$IT_TMP/F$3.off" --log "$IT_TMP/$3.state"
	host "$XP" find "$3" 10 >/dev/null
}
export -f poll state_is host_size_is guest_state host
export IT_TMP XP HOST

# A window the user is not working in asks for full screen: refused, and the application knows.
gtk GN "$GA" background
touch "$IT_TMP/Fbackground.on"
sleep 1.5
check "a full-screen request while the user works elsewhere is refused, and the guest told" bash -c "
	host_size_is '[work] background' '!$SW $SH' && ! grep -q 'fullscreen 1' '$IT_TMP/background.state' &&
	! guest_state $GA background | grep -q FULLSCREEN"
gtk GF "$GA" fullwin
click "[work] fullwin"
sleep 0.5
touch "$IT_TMP/Ffullwin.on"
check "a full-screen request ends with the window at screen size" \
	poll 5 host_size_is "[work] fullwin" "$SW $SH"
FULL=$(host "$XP" find "[work] fullwin" 5)
it_log "full screen: $FULL"
check "... at the screen's corner, its frame still drawn around it" bash -c "
	[[ '$(cut -d' ' -f2,3 <<<"$FULL")' == '0 0' ]] && host '$XP' frame '${FULL%% *}' $B 0x3465a4"
check "... and the guest has it full screen at the host's size" bash -c "
	poll 5 state_is fullwin 1 &&
	[[ \"\$($(declare -f guest_geom); guest_geom $GA fullwin)\" == '$B $B $((SW - 2 * B)) $((SH - 2 * B))' ]]"
touch "$IT_TMP/Ffullwin.off"
check "leaving full screen from the application works" bash -c "
	poll 5 state_is fullwin 0 && poll 5 host_size_is '[work] fullwin' '!$SW $SH'"
gtk GH "$GA" hostfull
click "[work] hostfull"
sleep 0.5
touch "$IT_TMP/Fhostfull.on"
poll 5 state_is hostfull 1
HF=$(host "$XP" find "[work] hostfull" 5 | cut -d' ' -f1)
host "$XP" fullscreen "$HF" off
check "leaving full screen from the host tells the application" bash -c "
	poll 5 state_is hostfull 0 && poll 5 host_size_is '[work] hostfull' '!$SW $SH'"
host "$XP" fullscreen "$HF" on
check "... and entering it from the host too" poll 5 state_is hostfull 1
host "$XP" fullscreen "$HF" off # out of the way of the next window
sleep 0.5
gtk GB2 "$GB" bare
click "[films] bare"
sleep 0.5
touch "$IT_TMP/Fbare.on"
poll 5 state_is bare 1
frameless() {
	local g
	g=$(guest_geom "$GB" bare) || return 1
	echo "guest: $g; state: $(tail -1 "$IT_TMP/bare.state")"
	[[ $g == "0 0 $SW $SH" && $(tail -1 "$IT_TMP/bare.state") == 'fullscreen 1' ]] || return 1
	# No green on the screen's edge: the content covers the frame.
	! host "$XP" frame "$(host "$XP" find "[films] bare" 5 | cut -d' ' -f1)" $B 0x73d216
}
check "with allow_fullscreen the window covers the whole screen, frame too" frameless
it_done
