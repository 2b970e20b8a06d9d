#!/usr/bin/env bash
# The daemon alone, driven by a scripted agent (seam-fake-agent) on a host Xvfb: the window, its
# frame and pixels, identity properties, input, close requests, the user's moves, and a guest that
# comes and goes.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup daemon "$BIN/seam-gui-daemon" "$TBIN/seam-fake-agent" "$TBIN/seam-xprobe"

NAME=work
B=3
XP=$TBIN/seam-xprobe
it_xvfb HOST 1024x768 || exit 1
SOCK=$IT_TMP/gui.sock
host() { env DISPLAY=$HOST "$@"; }
find_win() {
	local out
	out=$(host "$XP" find "[$NAME] $1" "${2:-10}") || return 1
	read -r ID X Y W H <<<"$out"
}

it_bg DAEMON daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name $NAME --label purple -v -v \
	--channel "unix:$SOCK" -v
it_bg AGENT fake "$TBIN/seam-fake-agent" --channel "unix:$SOCK" --title hello --size 160x120 \
	--pos 100,80 --hold 60
ALOG=$IT_TMP/fake.log

check "the daemon has no new privileges and restricted its writes (Landlock)" bash -c "for i in \$(seq 50); do grep -q 'writes restricted' $IT_TMP/daemon.log && break; sleep 0.1; done; grep -q 'NoNewPrivs:.*1' /proc/$DAEMON/status && grep -q 'writes restricted' $IT_TMP/daemon.log"
check "the socket is private (mode 0600)" bash -c "for i in \$(seq 50); do [[ -S $SOCK ]] && break; sleep 0.1; done; [[ \$(stat -c %a $SOCK) == 600 ]]"
check "the window appears titled [$NAME] hello" find_win hello
check "size and place are the guest's plus the frame" test "$W" -eq 166 -a "$H" -eq 126 -a "$X" -eq 97 -a "$Y" -eq 77
check "the frame is purple on every side" host "$XP" frame "$ID" $B 0x75507b
check "the content is the guest's buffer" host "$XP" pattern "$ID" $B
check "_QUBES_LABEL is purple's index (7)" bash -c "DISPLAY=$HOST xprop -id $ID _QUBES_LABEL | grep -q '= 7$'"
check "WM_CLASS is NAME:class" bash -c "DISPLAY=$HOST xprop -id $ID WM_CLASS | grep -q '\"$NAME:fake-agent\", \"$NAME:FakeAgent\"'"
check "a dump is acknowledged" it_wait_log "$ALOG" '^WINDOW_DUMP_ACK 0x200001$' 5
cursor_shape() {
	local inside outside
	inside=$(host "$XP" cursor $((X + B + 20)) $((Y + B + 20))) &&
		outside=$(host "$XP" cursor 900 700) || return 1
	echo "inside: $inside, outside: $outside"
	[[ $inside != "$outside" ]]
}
check "the guest's cursor shape (the host theme's cursor for its glyph) shows over its window" cursor_shape
click() {
	host xdotool mousemove $((X + B + 10)) $((Y + B + 20)) click 3
	it_wait_log "$ALOG" '^button press 3 10 20$' 5 && it_wait_log "$ALOG" '^button release 3 10 20$' 5
}
check "a click reaches the guest with window-relative coordinates" click
keys() {
	host xdotool mousemove $((X + B + 5)) $((Y + B + 5)) key a
	it_wait_log "$ALOG" '^key press 38$' 5 && it_wait_log "$ALOG" '^key release 38$' 5
}
check "a key reaches the guest by keycode" keys
close_req() {
	host "$XP" close "$ID"
	it_wait_log "$ALOG" '^CLOSE 0x200001$' 5
}
check "closing the host window asks the guest to close it" close_req
move() {
	host xdotool windowmove "$ID" 300 200
	it_wait_log "$ALOG" "^configure $((300 + B)) $((200 + B)) 160 120\$" 5
}
check "a move on the host is sent to the guest as CONFIGURE" move

kill "$AGENT"
check "the agent leaving removes its windows" host "$XP" gone "[$NAME] hello" 5
check "the daemon keeps running" kill -0 "$DAEMON"
it_bg AGENT fake2 "$TBIN/seam-fake-agent" --channel "unix:$SOCK" --title again --hold 60
check "the next agent is served" find_win again 10
check "its pixels are right" host "$XP" pattern "$ID" $B

# Override-redirect: a menu keeps it; a window that would cover the screen loses it.
or_state() { host xwininfo -id "$ID" | grep -q "Override Redirect State: $1"; }
it_bg OR1 fake3 "$TBIN/seam-fake-agent" --channel "unix:$IT_TMP/or.sock" --title menu --pos 400,300 \
	--size 100x80 --override-redirect --hold 60
it_bg D2 daemon2 env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name menus --label green \
	--channel "unix:$IT_TMP/or.sock"
find_menu() { ID=$(host "$XP" find "[menus] menu" 10 | cut -d' ' -f1); [[ -n $ID ]]; }
check "a small override-redirect window stays override-redirect" bash -c "$(declare -f host find_menu or_state); XP=$XP HOST=$HOST; find_menu && or_state yes"
check "...and is framed in its own label color" bash -c "DISPLAY=$HOST $XP frame \$(DISPLAY=$HOST $XP find '[menus] menu' 5 | cut -d' ' -f1) $B 0x73d216"
check "two guests' windows are on the host at once, each framed in its own color" bash -c "DISPLAY=$HOST $XP frame \$(DISPLAY=$HOST $XP find '[work] again' 5 | cut -d' ' -f1) $B 0x75507b && DISPLAY=$HOST $XP frame \$(DISPLAY=$HOST $XP find '[menus] menu' 5 | cut -d' ' -f1) $B 0x73d216"
it_bg OR2 fake4 "$TBIN/seam-fake-agent" --channel "unix:$IT_TMP/big.sock" --title cover \
	--size 1020x760 --pos 0,0 --override-redirect --hold 60
it_bg D3 daemon3 env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name cover --label red \
	--channel "unix:$IT_TMP/big.sock"
check "a screen-covering override-redirect window is shown managed" bash -c "ID=\$(DISPLAY=$HOST $XP find '[cover] cover' 10 | cut -d' ' -f1) && DISPLAY=$HOST xwininfo -id \$ID | grep -q 'Override Redirect State: no'"

# Configuration: a guest file, errors naming file, line and key, the command line winning.
printf '# the work guest\nlabel = orange\nchannel = unix:%s/cfg.sock\nclipboard_limit = 4096\n' \
	"$IT_TMP" >"$IT_TMP/cfg.conf"
printf 'label = orange\nmax_windows = 0\n' >"$IT_TMP/bad.conf"
check "--check-config accepts a valid guest file" bash -c "'$BIN/seam-gui-daemon' --name cfg --config $IT_TMP/cfg.conf --check-config | grep -q 'valid (label orange'"
check "--check-config names the file, line and key of an error" bash -c "! '$BIN/seam-gui-daemon' --name cfg --config $IT_TMP/bad.conf --check-config 2>$IT_TMP/bad.err; grep -q \"bad.conf:2: key 'max_windows'\" $IT_TMP/bad.err"
check "the command line overrides the file" bash -c "'$BIN/seam-gui-daemon' --name cfg --config $IT_TMP/cfg.conf --label gray --check-config | grep -q 'valid (label gray'"
it_bg D5 daemon5 env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name cfg --config "$IT_TMP/cfg.conf"
it_bg A5 fake6 "$TBIN/seam-fake-agent" --channel "unix:$IT_TMP/cfg.sock" --title fromfile \
	--size 100x60 --pos 600,600 --hold 60
check "a daemon configured by its file frames in the file's color" bash -c "DISPLAY=$HOST $XP frame \$(DISPLAY=$HOST $XP find '[cfg] fromfile' 10 | cut -d' ' -f1) $B 0xf57900"

# A host display without MIT-SHM (e.g. forwarded over ssh): pixels go through the X socket.
it_bg D4 daemon4 env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name plain --label yellow --no-mit-shm \
	--channel "unix:$IT_TMP/plain.sock" -v
it_bg A4 fake5 "$TBIN/seam-fake-agent" --channel "unix:$IT_TMP/plain.sock" --title noshm \
	--size 300x200 --pos 600,60 --hold 60
noshm() {
	local id
	id=$(host "$XP" find "[plain] noshm" 10 | cut -d' ' -f1) && host "$XP" pattern "$id" $B
}
check "without MIT-SHM, the pixels still equal the guest's (put_image)" noshm

it_done
