#!/usr/bin/env bash
# Guest cursors end to end: over a real guest application the host shows its own cursor theme's
# cursor for the shape the application asked for (the theme the host names in RESOURCE_MANAGER,
# loaded by libxcb-cursor), never the old X cursor font's glyph while a theme has the shape; and
# the font's glyph on a host without cursor themes. Cursors are compared by their pixels, hot spot
# and size (XFixes), against what libxcb-cursor loads on the host for the same name.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup cursor "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-xprobe"
GTKF=tests/integration/gtkfields.py
for t in xterm openbox xrdb; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
it_need_gtk3
for t in Adwaita DMZ-Black; do
	[[ -e /usr/share/icons/$t/cursors/xterm ]] ||
		{ it_log "the $t cursor theme is missing (make deps installs it)"; exit 1; }
done

NAME=work
B=3
XP=$TBIN/seam-xprobe
SOCK=$IT_TMP/gui.sock
it_xvfb HOST 1024x768 || exit 1
it_xvfb GUEST 1024x768 || exit 1
host() { env DISPLAY=$HOST "$@"; }
# Guest applications name their cursors from the guest's theme (the name is what travels).
guest() { env DISPLAY=$GUEST XCURSOR_THEME=Adwaita NO_AT_BRIDGE=1 "$@"; }
find_win() {
	local out
	out=$(host "$XP" find "[$NAME] $1" "${2:-10}") || return 1
	read -r ID X Y W H <<<"$out"
}
# cursor_is X Y WANT: the host pointer at X,Y (root) shows WANT ("WxH+XHOT+YHOT SUM"). Retried:
# moving the pointer moves the guest's, whose new cursor then travels to the host.
cursor_is() {
	local got=
	for _ in $(seq 40); do
		got=$(host "$XP" cursor "$1" "$2") && [[ $got == "$3" ]] && return 0
		sleep 0.1
	done
	echo "at $1,$2 the cursor is $got, not $3"
	return 1
}

# The host: a window manager (whose connection also keeps Xvfb from resetting, which would drop
# the resources), and a cursor theme chosen the way desktops do, in RESOURCE_MANAGER: DMZ-Black,
# not the "default" theme (Adwaita), so that the daemon is seen to follow the host's choice.
it_bg WM openbox env DISPLAY=$HOST openbox --sm-disable
sleep 0.5
theme() { printf 'Xcursor.theme: %s\n' "$1" | host xrdb -nocpp -merge; }
REFX=1000 REFY=740 # a spot no guest window covers
theme Adwaita
DEFAULT_TEXT=$(host "$XP" cursor-ref $REFX $REFY xterm)
theme DMZ-Black
TEXT=$(host "$XP" cursor-ref $REFX $REFY xterm)
HAND=$(host "$XP" cursor-ref $REFX $REFY hand2)
FONT_TEXT=$(host "$XP" cursor-ref $REFX $REFY font:152)
it_log "text cursors: host theme $TEXT, default theme $DEFAULT_TEXT, cursor font $FONT_TEXT"
distinct() {
	[[ -n $TEXT && -n $DEFAULT_TEXT && -n $FONT_TEXT && -n $HAND ]] &&
		[[ $TEXT != "$DEFAULT_TEXT" && $TEXT != "$FONT_TEXT" && $DEFAULT_TEXT != "$FONT_TEXT" ]]
}
check "the host theme's text cursor differs from the default theme's and the font's" distinct

start_daemon() { it_bg DAEMON daemon env DISPLAY=$HOST "$@" "$BIN/seam-gui-daemon" --name $NAME \
	--label blue --channel "unix:$SOCK" -v -v; }
start_daemon
it_bg AGENT agent env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$SOCK" -v
it_bg XTERM xterm guest xterm -title edit -geometry 40x8+40+40
GLOG=$IT_TMP/gtk.log
it_bg GTK gtk guest /usr/bin/python3 $GTKF --title fields
it_wait_log "$GLOG" '^ready' 15 || true

echo "cursor: a host with a cursor theme"
over_xterm() { find_win edit && cursor_is $((X + B + 40)) $((Y + B + 30)) "$1"; }
check "over a guest xterm the cursor is the host theme's text cursor" over_xterm "$TEXT"
over_entry() { find_win fields && cursor_is $((X + B + 60)) $((Y + B + 25)) "$TEXT"; }
check "over a GTK 3 text field the cursor is the host theme's text cursor" over_entry
over_link() { find_win fields && cursor_is $((X + B + 40)) $((Y + B + 95)) "$HAND"; }
check "over a GTK 3 link the cursor is the host theme's hand" over_link
check "the daemon asked the theme for them by their X names" it_wait_log "$IT_TMP/daemon.log" \
	"cursor glyph 152: 'xterm' from the host's cursor theme" 1
check "the daemon kept running (its system-call filter lets it read themes)" kill -0 "$DAEMON"

echo "cursor: a host without cursor themes"
kill "$DAEMON"
host "$XP" gone "[$NAME] edit" 5 >/dev/null
start_daemon XCURSOR_PATH="$IT_TMP/no-icons"
check "over a guest xterm the cursor is the X cursor font's I-beam" over_xterm "$FONT_TEXT"

it_done
