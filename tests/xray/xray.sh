#!/usr/bin/env bash
# seam-xray, the trusted path, end to end: two guests (real seam-gui-daemon + seam-gui-agent, each
# showing a seam-testclient window) and a host xlogo on a host Xvfb, bare and then under openbox.
# While the secure-attention key is held (xdotool keydown), a screenshot must show each guest's
# window covered by its label color and the host window by the host marking, with nothing of the
# guests' pixels left, also for a guest window mapped while the key is held; the key must never
# reach the focused guest; on release the overlays must be gone and the pixels back. A second
# seam-xray for a grabbed key must fail clearly.
# XRAY: the seam-xray to test (default build/bin/seam-xray; e.g. build/asan/bin/seam-xray).
# XRAY_SHOTS: a directory to keep the screenshots in.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
XRAY=${XRAY:-$BIN/seam-xray}
it_setup xray "$XRAY" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-testclient" \
	"$TBIN/seam-xprobe"
command -v import >/dev/null && command -v convert >/dev/null ||
	{ it_log "ImageMagick (import, convert) is missing"; exit 1; }

WORK_RGB=cc0000 # red
BANK_RGB=73d216 # green
HOST_INSIDE=2b2b2b
XP=$TBIN/seam-xprobe
SHOTS=${XRAY_SHOTS:-$IT_TMP}
mkdir -p "$SHOTS"

it_xvfb HOST 1024x768 || exit 1
host() { env DISPLAY=$HOST "$@"; }

# start_guest NAME LABEL TITLE X,Y: a guest X server, its agent, a daemon on the host, and a test
# client logging its keys to $IT_TMP/NAME-client.log.
start_guest() {
	local name=$1 label=$2 title=$3 pos=$4 gdisplay pid
	it_xvfb gdisplay 1024x768 || return 1
	it_bg pid "$name-daemon" env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name "$name" \
		--label "$label" --channel "unix:$IT_TMP/$name.sock" -v
	it_bg pid "$name-agent" env DISPLAY=$gdisplay "$BIN/seam-gui-agent" \
		--channel "unix:$IT_TMP/$name.sock" -v
	it_bg pid "$name-client" env DISPLAY=$gdisplay "$TBIN/seam-testclient" --pattern \
		--title "$title" --size 300x200 --pos "$pos" --log "$IT_TMP/$name-client.log"
	printf -v "GUEST_${name^^}" '%s' "$gdisplay"
}
start_guest work red secret 80,80 || exit 1
start_guest bank green ledger 560,80 || exit 1
it_bg HOSTAPP xlogo env DISPLAY=$HOST xlogo -geometry 300x200+320+420
WLOG=$IT_TMP/work-client.log

# area_of TITLE VAR: "X Y W H" of the host window whose title contains TITLE (the daemon's frame
# for a guest window, the client for a host one).
area_of() {
	local out
	out=$(host "$XP" find "$1" 10) || return 1
	read -r _ x y w h <<<"$out"
	printf -v "$2" '%s %s %s %s' "$x" "$y" "$w" "$h"
}

# count FILE "X Y W H" RRGGBB: how many pixels of the area have that color.
count() {
	local x y w h
	read -r x y w h <<<"$2"
	convert "$1" -crop "${w}x${h}+${x}+${y}" +repage -fill black +opaque "#$3" \
		-fill white -opaque "#$3" -format '%[fx:round(mean*w*h)]' info:
}
# others FILE "X Y W H" RRGGBB...: how many pixels of the area have none of these colors.
others() {
	local f=$1 area=$2 x y w h img
	shift 2
	read -r x y w h <<<"$area"
	img=(convert "$f" -crop "${w}x${h}+${x}+${y}" +repage)
	for c in "$@"; do img+=(-fill white -opaque "#$c"); done
	"${img[@]}" -fill black +opaque white -format '%[fx:round((1-mean)*w*h)]' info:
}

# covered FILE AREA RGB MIN_PERCENT OTHER_RGB...: at least MIN_PERCENT of the area is RGB and
# every other pixel is one of OTHER_RGB.
covered() {
	local f=$1 area=$2 rgb=$3 min=$4 n left w h
	shift 4
	read -r _ _ w h <<<"$area"
	n=$(count "$f" "$area" "$rgb")
	left=$(others "$f" "$area" "$rgb" "$@")
	echo "area $area: $n px of #$rgb (at least $((w * h * min / 100)) wanted), $left px of other colors"
	((n >= w * h * min / 100 && left == 0))
}

keys_in() { grep -c '^key ' "$1" 2>/dev/null || true; }
overlays() { host xwininfo -root -tree | grep -c '"seam-xray"' || true; }
# typed MARK CHAR: the work client logged typing CHAR after its first MARK lines (the log is only
# read: the client keeps writing to the file it opened).
typed() {
	local i
	for i in $(seq 40); do
		tail -n +$(($1 + 1)) "$WLOG" | grep -qx "text $2" && return 0
		sleep 0.05
	done
	echo "no 'text $2' in $WLOG after line $1"
	return 1
}

# focus_guest: click into the work window until a typed key reaches its client (a window manager
# may take the first click for itself), so that the checks of keys not reaching it can fail.
focus_guest() {
	local x y mark
	area_of "[work] secret" WORK
	read -r x y _ _ <<<"$WORK"
	for _ in 1 2 3; do
		host xdotool mousemove $((x + 100)) $((y + 100)) click 1
		sleep 0.3
		mark=$(wc -l <"$WLOG")
		host xdotool key y
		typed "$mark" y && return 0
	done
	return 1
}

check "the guests' windows and the host's are shown" bash -c \
	"DISPLAY=$HOST $XP find '[work] secret' 15 && DISPLAY=$HOST $XP find '[bank] ledger' 15 && DISPLAY=$HOST xwininfo -name xlogo"

# The control: without seam-xray, the key does reach the guest, so the check below can fail.
without() {
	local before=$(keys_in "$WLOG")
	host xdotool key Pause
	for _ in $(seq 50); do (($(keys_in "$WLOG") > before)) && return 0; sleep 0.1; done
	echo "no key line in $WLOG"
	return 1
}
check "the work window has the focus: typing reaches it" focus_guest
check "without seam-xray, Pause reaches the focused guest" without

check "--key refuses a plain letter (exit 2)" bash -c "$XRAY --key x 2>&1; test \$? -eq 2"
check "--key refuses an unknown key (exit 2)" bash -c "$XRAY --key Ctrl-Nope 2>&1; test \$? -eq 2"

list() {
	local out
	out=$(host "$XRAY" --list) || return 1
	echo "$out"
	grep -Eq " work 0x$WORK_RGB\$" <<<"$out" && grep -Eq " bank 0x$BANK_RGB\$" <<<"$out" &&
		grep -q ' dom0/host$' <<<"$out"
}
check "--list names each window's owner: work, bank, dom0/host" list

XLOG=$IT_TMP/xray.log
it_bg XRAYPID xray env DISPLAY=$HOST "$XRAY" -v -v
check "seam-xray grabs its key and waits" it_wait_log "$XLOG" 'hold Pause to see' 10

grab_taken() {
	local out rc
	out=$(host "$XRAY" 2>&1)
	rc=$?
	echo "exit $rc: $out"
	((rc == 1)) && grep -q 'Pause is already grabbed by another client' <<<"$out"
}
check "a second seam-xray for the same key says the key is taken and exits 1" grab_taken

# hold PHASE: press the key, wait, take a screenshot to $SHOTS/PHASE-held.png.
hold() {
	host xdotool keydown Pause
	sleep 0.8
	host import -window root "$SHOTS/$1-held.png"
}
release() {
	host xdotool keyup Pause
	for _ in $(seq 50); do (($(overlays) == 0)) && break; sleep 0.1; done
	sleep 0.3
	host import -window root "$SHOTS/$1-released.png"
}

# phase NAME: the checks of one hold and release (bare or under a window manager).
phase() {
	local p=$1 keys shot=$SHOTS/$1-held.png bank host_area popup
	area_of "[work] secret" WORK
	area_of "[bank] ledger" bank
	host_area=$(host xwininfo -name xlogo | awk '/Absolute upper-left X/{x=$NF} /Absolute upper-left Y/{y=$NF}
		/Width:/{w=$NF} /Height:/{h=$NF} END{print x, y, w, h}')
	check "$p: the work window has the focus: typing reaches it" focus_guest
	keys=$(keys_in "$WLOG")
	hold "$p"
	check "$p: held, the work window is covered by red and black only" \
		covered "$shot" "$WORK" $WORK_RGB 10 000000
	check "$p: held, the bank window is covered by green and black only" \
		covered "$shot" "$bank" $BANK_RGB 10 000000
	check "$p: held, the host window is marked dom0/host in gray, no label color" \
		covered "$shot" "$host_area" $HOST_INSIDE 50 9a9a9a d0d0d0
	check "$p: held, the key never reached the focused guest" test "$(keys_in "$WLOG")" -eq "$keys"
	host xdotool type --delay 30 abc
	check "$p: held, other keys do not reach the guest either" test "$(keys_in "$WLOG")" -eq "$keys"

	# A guest maps a window (override-redirect, so that no window manager holds it back) while
	# the key is held: it is covered too, and none of its green shows.
	it_bg popup "$p-popup" env DISPLAY=$GUEST_WORK "$TBIN/seam-testclient" --override-redirect \
		--title popup --size 200x150 --pos 420,300 --color 0x00ff00
	host "$XP" find "[work] popup" 10 >/dev/null
	sleep 0.8
	host import -window root "$SHOTS/$p-popup.png"
	check "$p: a guest window mapped while held is covered at once" \
		covered "$SHOTS/$p-popup.png" "$(area_of "[work] popup" a && echo "$a")" $WORK_RGB 10 000000
	check "$p: nothing of the new guest window shows anywhere" \
		test "$(count "$SHOTS/$p-popup.png" "0 0 1024 768" 00ff00)" -eq 0
	kill "$popup"
	host "$XP" gone "[work] popup" 5 >/dev/null

	release "$p"
	check "$p: released, no seam-xray window is left" test "$(overlays)" -eq 0
	check "$p: released, the guest's own pixels are back" host "$XP" pattern \
		"$(host "$XP" find '[work] secret' 1 | cut -d' ' -f1)" 3
	check "$p: released, the host window has no marking" \
		test "$(count "$SHOTS/$p-released.png" "$host_area" $HOST_INSIDE)" -eq 0
	check "$p: the key's release did not reach the guest" test "$(keys_in "$WLOG")" -eq "$keys"
	local mark=$(wc -l <"$WLOG")
	host xdotool key x
	check "$p: released, typing reaches the guest again" typed "$mark" x
}

echo "xray: a bare host (no window manager)"
phase bare

echo "xray: under openbox"
it_bg WM openbox env DISPLAY=$HOST openbox --sm-disable
sleep 1.5
reparented() { host xwininfo -id "$(host "$XP" find '[work] secret' 5 | cut -d' ' -f1)" -tree |
	grep 'Parent window id' | grep -vq 'the root window'; }
check "openbox reparented the guest's window" reparented
phase openbox

check "seam-xray is still running, and exits cleanly on SIGTERM" bash -c \
	"kill -0 $XRAYPID && kill $XRAYPID && for i in \$(seq 50); do kill -0 $XRAYPID 2>/dev/null || exit 0; sleep 0.1; done; exit 1"
check "seam-xray logged no error" bash -c "! grep -E 'error|runtime error|AddressSanitizer' '$XLOG'"
it_done
