#!/usr/bin/env bash
# Two guests on one host, each with its own daemon and label: their windows in the right frames,
# and text moving between them only by the copy and paste keys, validated, bounded and consumed.
# A paste sets both CLIPBOARD and PRIMARY in the target guest: a real xterm there pastes it with a
# middle click and with Shift+Insert.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup clipboard "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-testclient" \
	"$TBIN/seam-xprobe"
for p in xclip xterm xdotool; do
	command -v "$p" >/dev/null || { it_log "$p is missing (make deps installs it)"; exit 1; }
done

B=3
XP=$TBIN/seam-xprobe
RUN=$IT_TMP/run
it_xvfb HOST 1280x1024 || exit 1
it_xvfb GA 1024x768 || exit 1
it_xvfb GB 1024x768 || exit 1
host() { env DISPLAY=$HOST "$@"; }

it_bg DA daemon-a env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name work --label blue \
	--channel "unix:$IT_TMP/a.sock" --runtime-dir "$RUN" --clipboard-limit 100000 -v
it_bg DB daemon-b env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name personal --label green \
	--channel "unix:$IT_TMP/b.sock" --runtime-dir "$RUN" -v
it_bg AA agent-a env DISPLAY=$GA "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/a.sock"
it_bg AB agent-b env DISPLAY=$GB "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/b.sock"
it_bg CA client-a env DISPLAY=$GA "$TBIN/seam-testclient" --title clipA --size 200x150 \
	--pos 100,100 --color 0x202020 --log "$IT_TMP/a.keys"
it_bg CB client-b env DISPLAY=$GB "$TBIN/seam-testclient" --title clipB --size 200x150 \
	--pos 500,100 --color 0x808080 --log "$IT_TMP/b.keys"

# set_clip DISPLAY FILE: make FILE's bytes the CLIPBOARD of that display (xclip serves it).
set_clip() {
	it_bg XC xclip env DISPLAY=$1 bash -c 'exec xclip -quiet -selection clipboard -i <"$0"' "$2"
	sleep 0.3
}
# keys TITLE KEYS: press a key sequence over a host window.
keys() {
	local out
	out=$(host "$XP" find "$1" 10) || return 1
	read -r _ x y _ _ <<<"$out"
	host xdotool mousemove $((x + B + 50)) $((y + B + 50)) key --clearmodifiers "$2"
	sleep 0.5
}
guest_clip() { env DISPLAY=$1 timeout 5 xclip -o -selection "${2:-clipboard}" 2>/dev/null; }

check "guest A's window has A's frame (blue)" bash -c "DISPLAY=$HOST $XP frame \$(DISPLAY=$HOST $XP find '[work] clipA' 10 | cut -d' ' -f1) $B 0x3465a4"
check "guest B's window has B's frame (green)" bash -c "DISPLAY=$HOST $XP frame \$(DISPLAY=$HOST $XP find '[personal] clipB' 10 | cut -d' ' -f1) $B 0x73d216"

printf 'secret from work\n\tsecond line' >"$IT_TMP/text"
set_clip "$GA" "$IT_TMP/text"
keys "[work] clipA" ctrl+shift+c
stored() {
	[[ -f $RUN/clipboard && $(stat -c %a "$RUN/clipboard") == 600 && $(stat -c %a "$RUN") == 700 ]] &&
		head -n 3 "$RUN/clipboard" | grep -qx 'source work' &&
		tail -c "$(stat -c %s "$IT_TMP/text")" "$RUN/clipboard" | cmp -s - "$IT_TMP/text"
}
check "Ctrl+Shift+C in A stores A's clipboard with its source (mode 0600)" stored
check "the copy keystroke never reached guest A" bash -c "! grep -q '^key press 54 ' $IT_TMP/a.keys"
keys "[personal] clipB" ctrl+shift+v
check "Ctrl+Shift+V in B gives B the text" bash -c "[[ \"\$(DISPLAY=$GB timeout 5 xclip -o -selection clipboard)\" == \"\$(cat $IT_TMP/text)\" ]]"
check "the paste keystroke never reached guest B" bash -c "! grep -q '^key press 55 ' $IT_TMP/b.keys"
check "the inter-domain clipboard is empty after the paste" test ! -e "$RUN/clipboard"
check "the daemons logged the copy and the paste" bash -c "grep -q 'copied 29 bytes' $IT_TMP/daemon-a.log && grep -q \"pasted 29 bytes copied in 'work'\" $IT_TMP/daemon-b.log"
check "Ctrl+Shift+V in B sets B's PRIMARY too" bash -c "[[ \"\$(DISPLAY=$GB timeout 5 xclip -o -selection primary)\" == \"\$(cat $IT_TMP/text)\" ]]"
check "the copy and the paste are logged at info level, not as warnings" bash -c "grep -q \"info: clipboard: copied 29 bytes from 'work'\" $IT_TMP/daemon-a.log && grep -q 'info: clipboard: pasted 29 bytes' $IT_TMP/daemon-b.log && ! grep -q 'warning: clipboard: \(copied\|pasted\)' $IT_TMP/daemon-[ab].log"

# Every paste gesture of a real application: an xterm in B pastes PRIMARY on a middle click and
# on Shift+Insert, into a raw terminal whose input goes to a file.
it_bg XT xterm env DISPLAY=$GB xterm -T pasteterm -geometry 60x10+300+300 -e sh -c \
	'stty raw -echo; exec cat >"$0"' "$IT_TMP/xterm.in"
pasted() { # pasted N: the xterm got the text N times (it pastes a newline as a carriage return)
	local want i
	want=$(for ((i = 0; i < $1; i++)); do cat "$IT_TMP/text"; done | tr '\n' '\r')
	for ((i = 0; i < 25; i++)); do
		[[ $(cat "$IT_TMP/xterm.in" 2>/dev/null) == "$want" ]] && return 0
		sleep 0.2
	done
	od -c "$IT_TMP/xterm.in"
	return 1
}
if out=$(host "$XP" find "[personal] pasteterm" 15); then
	read -r _ x y _ _ <<<"$out"
	sleep 0.5
	host xdotool mousemove $((x + B + 60)) $((y + B + 40)) click 2
	check "a middle click in B's xterm pastes the text" pasted 1
	host xdotool key --clearmodifiers shift+Insert
	check "Shift+Insert in B's xterm pastes it again" pasted 2
	kill "$XT"
else
	check "B's xterm came up on the host" false
fi

# No other way: the host's own selections and an empty clipboard give a guest nothing.
printf 'host secret' >"$IT_TMP/host"
set_clip "$HOST" "$IT_TMP/host"
it_bg XP2 xclip-primary env DISPLAY=$HOST bash -c "exec xclip -quiet -selection primary -i <'$IT_TMP/host'"
keys "[personal] clipB" ctrl+shift+v
check "a paste with nothing copied changes nothing in B" bash -c "[[ \"\$(DISPLAY=$GB timeout 5 xclip -o -selection clipboard)\" == \"\$(cat $IT_TMP/text)\" ]]"
check "the host's CLIPBOARD and PRIMARY never reach a guest" bash -c "! DISPLAY=$GB timeout 5 xclip -o -selection clipboard | grep -q 'host secret' && ! DISPLAY=$GB timeout 5 xclip -o -selection primary 2>/dev/null | grep -q 'host secret'"
check "the user was told there was nothing to paste" grep -q 'nothing to paste' "$IT_TMP/daemon-b.log"

# Limits and validation: refused with a notice, never truncated, never stored.
head -c 150000 /dev/zero | tr '\0' x >"$IT_TMP/big"
set_clip "$GA" "$IT_TMP/big"
keys "[work] clipA" ctrl+shift+c
check "a copy past the limit is refused and not stored" bash -c "test ! -e $RUN/clipboard && grep -q 'refused: 150000 bytes, more than the limit of 100000' $IT_TMP/daemon-a.log"
head -c 300000 /dev/zero | tr '\0' y >"$IT_TMP/huge"
set_clip "$GA" "$IT_TMP/huge"
keys "[work] clipA" ctrl+shift+c
check "a copy past the protocol's 256000 bytes is refused too" bash -c "test ! -e $RUN/clipboard && grep -q 'refused: more than 256000 bytes' $IT_TMP/daemon-a.log"
printf 'bad \xff\xfe bytes' >"$IT_TMP/bad"
set_clip "$GA" "$IT_TMP/bad"
keys "[work] clipA" ctrl+shift+c
check "a copy that is not UTF-8 is refused" bash -c "test ! -e $RUN/clipboard && grep -q 'not UTF-8 text' $IT_TMP/daemon-a.log"
printf 'a\033[31mb\r\nc\td' >"$IT_TMP/ctl"
set_clip "$GA" "$IT_TMP/ctl"
keys "[work] clipA" ctrl+shift+c
keys "[personal] clipB" ctrl+shift+v
check "control characters other than tab and newline are removed" bash -c "[[ \"\$(DISPLAY=$GB timeout 5 xclip -o -selection clipboard | od -An -c | tr -s ' ')\" == ' a [ 3 1 m b \\n c \\t d' ]]"

# A forged clipboard file is not trusted: it must hold exactly what a daemon writes.
printf 'SEAM-CLIPBOARD 1\nsource evil\nsize 3\n\nabcdef' >"$RUN/clipboard"
keys "[personal] clipB" ctrl+shift+v
check "a clipboard file whose size does not match is refused" bash -c "grep -q 'not a valid clipboard file' $IT_TMP/daemon-b.log && ! DISPLAY=$GB timeout 5 xclip -o -selection clipboard | grep -q abc"

it_done
