#!/usr/bin/env bash
# seam-menu and seam-open end to end on a host Xvfb with seam-run: menu entries written and removed
# with the right names, Exec lines and tinted icons, an entry's Exec running its application in the
# domain (framed in its label), entries of a deleted domain forgotten; a file opened from a copy in
# a disposable (framed red) that leaves nothing behind, --save-back only after confirmation,
# hostile file names, a named domain's Incoming/host; each bad argument in one line.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
RUN=$BIN/seam-run
MENU=$BIN/seam-menu
OPEN=$BIN/seam-open
XP=$TBIN/seam-xprobe
OPEN_ABS=$PWD/$OPEN
it_setup launch "$RUN" "$MENU" "$OPEN" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$XP"
command -v bwrap >/dev/null || { it_log "bubblewrap is needed: run 'make deps'"; exit 1; }

IT_DISPLAY_BASE=95
it_xvfb HOST 1280x1024 || exit 1
export DISPLAY=$HOST
export HOME=$IT_TMP/home XDG_RUNTIME_DIR=$IT_TMP/xdg XDG_CONFIG_HOME=$IT_TMP/config \
	XDG_DATA_HOME=$IT_TMP/data
mkdir -p -m 0700 "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME" "$XDG_DATA_HOME"
TOKEN=seam-$RANDOM$RANDOM
B=3
RED=0xcc0000
. tests/sandbox/helpers.sh

# The domains' template: the host's /usr/share, and a test directory in front of it with an
# application (xlogo), a viewer for text files (xmessage) and an editor for .note files that
# changes its copy and opens no window; the domains see the programs, seam-menu and seam-open read
# the files on the host.
T=$IT_TMP/share
export SEAM_LAUNCH_DATA_DIRS=$T:/usr/share
mkdir -p "$T/applications" "$T/icons/hicolor/48x48/apps" "$T/icons/hicolor/16x16/apps" "$T/mime"
convert -size 48x48 xc:'#3080c0' -fill white -draw 'rectangle 8,8 23,23' \
	-fill 'rgba(0,160,0,0.5)' -draw 'rectangle 30,30 40,40' PNG32:"$T/icons/hicolor/48x48/apps/lt-logo.png"
convert -size 16x16 xc:'#c08030' PNG32:"$T/icons/hicolor/16x16/apps/lt-logo.png"
cat >"$T/applications/lt-logo.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Logo Demo
Name[de]=Logo
Exec=xlogo -geometry 150x150 %U
Icon=lt-logo
EOF
cat >"$T/applications/lt-view.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Viewer
Exec=xmessage -file %f
MimeType=text/plain;
EOF
cat >"$T/applications/lt-edit.desktop" <<'EOF'
[Desktop Entry]
Type=Application
Name=Editor
Exec=sh -c "printf 'edited in %%s at %%s\\n' \\"\\$SEAM_DOMAIN\\" \\"\\$0\\" >>\\"\\$0\\"" %f
EOF
printf '[Default Applications]\ntext/plain=lt-view.desktop\ntext/x-lt-note=lt-edit.desktop\n' \
	>"$T/applications/mimeapps.list"
printf '90:text/x-lt-note:*.note\n50:text/plain:*.txt\n' >"$T/mime/globs2"

# one_line PROG REGEX COMMAND...: fails, with one line on stderr starting "PROG: " and matching.
one_line() {
	local prog=$1 re=$2 out rc
	shift 2
	out=$("$@" 2>&1 >/dev/null)
	rc=$?
	echo "status $rc: $out"
	[[ $rc -ne 0 && $(wc -l <<<"$out") -eq 1 && $out =~ $re && $out == "$prog: "* ]]
}

echo "launch: arguments and errors"
check "seam-menu -h prints the usage" bash -c "'$MENU' -h | grep -q '^usage: seam-menu --domain NAME'"
check "seam-open -h prints the usage" bash -c "'$OPEN' -h | grep -q '^usage: seam-open --disposable'"
check "seam-menu without a domain" one_line seam-menu "--domain NAME or --list" "$MENU" lt-logo.desktop
check "seam-menu with a bad domain name" one_line seam-menu "--domain 'Bad_Name'" "$MENU" --domain Bad_Name x.desktop
check "seam-menu for a disposable" one_line seam-menu "not disp<N>" "$MENU" --domain disp3 x.desktop
check "seam-menu with a bad label" one_line seam-menu "--label 'pink'" "$MENU" --domain lt --label pink lt-logo.desktop
check "seam-menu with an application the domain lacks" one_line seam-menu "no application nosuch.desktop" \
	"$MENU" --domain lt nosuch.desktop
check "seam-menu --list with more" one_line seam-menu "--list takes nothing else" "$MENU" --list --domain lt
check "seam-menu --remove of what is not there" one_line seam-menu "not in the menu of domain lt" \
	"$MENU" --domain lt --remove nosuch
check "seam-open without a mode" one_line seam-open "one of --disposable" "$OPEN" /etc/hostname
check "seam-open with both modes" one_line seam-open "one of --disposable" "$OPEN" --disposable --domain lt /etc/hostname
check "seam-open of a directory" one_line seam-open "not a regular file" "$OPEN" --disposable /etc
check "seam-open of a missing file" one_line seam-open "No such file" "$OPEN" --disposable /nonexistent-$TOKEN
check "seam-open --save-back with a named domain" one_line seam-open "--save-back is for --disposable" \
	"$OPEN" --domain lt --save-back /etc/hostname

echo "launch: menu entries"
ENTRY=$XDG_DATA_HOME/applications/seam-lt-lt-logo.desktop
ICON48=$XDG_DATA_HOME/icons/hicolor/48x48/apps/seam-lt-lt-logo.png
ICON16=$XDG_DATA_HOME/icons/hicolor/16x16/apps/seam-lt-lt-logo.png
MENUFILE=$XDG_CONFIG_HOME/menus/applications-merged/seam-lt.menu
DIRFILE=$XDG_DATA_HOME/desktop-directories/seam-lt.directory
check "seam-menu adds an application" "$MENU" --domain lt --label red lt-logo.desktop
check "... and the domain's configuration gets its label, for its frames" \
	grep -qx 'label = red' "$XDG_CONFIG_HOME/seam/domains/lt.conf"
check "... as seam-lt-lt-logo.desktop named [lt] Logo Demo" grep -qx 'Name=\[lt\] Logo Demo' "$ENTRY"
check "... running seam-run --domain lt -- its Exec without field codes" \
	grep -qx "Exec=$PWD/$RUN --domain lt -- xlogo -geometry 150x150" "$ENTRY"
check "... in the domain's submenu (category X-Seam-lt)" grep -qx 'Categories=X-Seam-lt;' "$ENTRY"
check "... whose XDG menu file includes that category" \
	grep -q '<Include><Category>X-Seam-lt</Category></Include>' "$MENUFILE"
check "... with a directory entry" grep -qx 'Name=Domain: lt' "$DIRFILE"
check "... and its icon named seam-lt-lt-logo" grep -qx 'Icon=seam-lt-lt-logo' "$ENTRY"
# px FILE X Y: "r,g,b,a" of a pixel (alpha 0-255).
px() { convert "$1" -format "%[fx:int(255*p{$2,$3}.r)],%[fx:int(255*p{$2,$3}.g)],%[fx:int(255*p{$2,$3}.b)],%[fx:int(255*p{$2,$3}.a)]" info:; }
tinted() {
	local src=$T/icons/hicolor/48x48/apps/lt-logo.png s t x y
	[[ $(identify -format '%wx%h' "$ICON48") == 48x48 && $(identify -format '%wx%h' "$ICON16") == 16x16 ]] ||
		return 1
	for xy in "2 2" "12 12" "35 35" "45 3"; do
		read -r x y <<<"$xy"
		s=$(px "$src" "$x" "$y")
		t=$(px "$ICON48" "$x" "$y")
		echo "($x,$y) source $s tinted $t"
		IFS=, read -r sr sg sb sa <<<"$s"
		IFS=, read -r tr tg tb ta <<<"$t"
		# The alpha stays, the hue becomes the label's (red: green equals blue, below red) and the
		# lightness stays (white stays white).
		[[ $sa == "$ta" ]] || return 1
		if [[ $s == 255,255,255,* ]]; then
			[[ $t == 255,255,255,* ]] || return 1
		else
			[[ $tg == "$tb" && $tr -gt $tg && $s != "$t" ]] || return 1
		fi
	done
}
check "... tinted red from each size of the application's icon (pixels compared)" tinted

check "seam-menu --list names it" bash -c "'$MENU' --list | grep -qx 'lt lt-logo.desktop \[lt\] Logo Demo'"
# run_exec FILE: runs an entry's Exec as a desktop would (split by an independent parser).
run_exec() {
	python3 -c '
import os, shlex, sys
line = [l for l in open(sys.argv[1]) if l.startswith("Exec=")][0][5:].rstrip("\n")
argv = shlex.split(line.replace("\\\\", "\\"))
os.execvp(argv[0], argv)' "$1"
}
run_exec "$ENTRY" >"$IT_TMP/menu-exec.log" 2>&1 &
SR=$!
IT_PIDS+=("$SR")
from_menu() {
	xp find "[lt] xlogo" 10 >"$IT_TMP/win" || return 1
	read -r ID _ <"$IT_TMP/win"
	[[ $(vmname "$ID") == lt ]] && xp frame "$ID" $B $RED
}
check "the entry's Exec runs xlogo in domain lt: [lt] xlogo, framed red" from_menu
wait_info lt
NS=$(info lt pidns)
"$RUN" --kill lt >/dev/null 2>&1
wait_exit "$SR" 3
check "... and the domain ends with no process left" no_process_left "${NS:-0}"

mkdir -p "$XDG_CONFIG_HOME/seam/domains"
echo 'label = blue' >"$XDG_CONFIG_HOME/seam/domains/lt2.conf"
check "a --label unlike the domain's configuration is refused" one_line seam-menu \
	"--label red differs from domain lt2's label blue" "$MENU" --domain lt2 --label red lt-logo.desktop
check "... and without --label the configuration's label is used (blue)" \
	bash -c "'$MENU' --domain lt2 lt-logo.desktop && p=\$(convert '$XDG_DATA_HOME/icons/hicolor/48x48/apps/seam-lt2-lt-logo.png' -format '%[fx:int(255*p{2,2}.b)] %[fx:int(255*p{2,2}.r)]' info:) && read b r <<<\"\$p\" && [ \$b -gt \$r ]"

removed() {
	"$MENU" --domain lt --remove lt-logo || return 1
	local left
	left=$(find "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" -name 'seam-lt-*' -o -name 'seam-lt.*')
	echo "left: $left"
	[[ -z $left && ! -e $XDG_DATA_HOME/seam/domains/lt/menu ]]
}
check "--remove takes away the entry, its icons and (the last one) the submenu" removed
check "... and --list no longer names it" bash -c "! '$MENU' --list | grep -q '^lt '"

deleted() {
	"$MENU" --domain lt --label red lt-logo.desktop debian-xterm.desktop || return 1
	[[ -e $ENTRY && -e $MENUFILE ]] || return 1
	rm -rf "$XDG_DATA_HOME/seam/domains/lt" # how a domain is deleted
	# Its entries dangle at once, so no menu shows them; --list forgets them.
	[[ -L $ENTRY && ! -e $ENTRY ]] || return 1
	"$MENU" --list >/dev/null || return 1
	local left
	left=$(find "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" -name 'seam-lt-*' -o -name 'seam-lt.*')
	echo "left: $left"
	[[ -z $left ]]
}
check "a deleted domain's entries vanish (dangling, then removed by --list)" deleted
check "... and another domain's stay" test -e "$XDG_DATA_HOME/applications/seam-lt2-lt-logo.desktop"

echo "launch: seam-open in a disposable"
DOCDIR=$IT_TMP/docs
mkdir -p "$DOCDIR"
DOC=$DOCDIR/doc-$TOKEN.txt
printf 'a text for the viewer\n' >"$DOC"
SUM=$(sha256sum <"$DOC")
STARTED=$(date +%s%N)
"$OPEN" --disposable "$DOC" >"$IT_TMP/open.log" 2>&1 &
OP=$!
IT_PIDS+=("$OP")
DNAME=
FOUND=0
viewer() {
	xp find "] xmessage" 10 >"$IT_TMP/win" || return 1
	FOUND=$(date +%s%N)
	read -r ID _ <"$IT_TMP/win"
	DNAME=$(vmname "$ID")
	echo "domain $DNAME"
	[[ $DNAME == disp* ]] && xp frame "$ID" $B $RED
}
check "seam-open --disposable shows the viewer's window, framed red" viewer
it_log "seam-open --disposable to the viewer's window on the host: $(((FOUND - STARTED) / 1000000)) ms"
wait_info "$DNAME"
NS=$(info "$DNAME" pidns)
copy_inside() {
	"$RUN" --domain "$DNAME" -- sh -c 'ls -la "$HOME"; cat "$HOME/$1"' sh "doc-$TOKEN.txt" | tee /dev/stderr |
		grep -qx 'a text for the viewer'
}
check "... the disposable's home holds a copy" copy_inside
closed() {
	xp close "$ID" || return 1
	wait_exit "$OP" 5
	echo "status $RC (xmessage's, passed through)"
	cat "$IT_TMP/open.log"
	[[ $RC -ne 999 && ! -s $IT_TMP/open.log ]]
}
check "closing the viewer ends seam-open, quietly" closed
check "... the original is unchanged" bash -c "[ \"\$(sha256sum <'$DOC')\" = '$SUM' ] && [ \$(ls '$DOCDIR' | wc -l) -eq 1 ]"
check "... no process is left" no_process_left "${NS:-0}"
nothing_left() {
	local found
	found=$(find /tmp /var/tmp /run /dev/shm "$IT_TMP" -xdev -name "doc-$TOKEN.txt" \
		-not -path "$DOCDIR/*" 2>/dev/null)
	echo "found: $found"
	[[ -z $found ]]
}
check "... nothing of the copy remains" nothing_left

"$OPEN" --disposable "$DOC" >"$IT_TMP/open2.log" 2>&1 &
OP=$!
IT_PIDS+=("$OP")
killed() {
	xp find "] xmessage" 10 >"$IT_TMP/win" || return 1
	read -r ID _ <"$IT_TMP/win"
	DNAME=$(vmname "$ID")
	wait_info "$DNAME" && NS=$(info "$DNAME" pidns) || return 1
	kill -TERM "$OP"
	wait_exit "$OP" 2 || return 1
	xp gone "] xmessage" 3
}
check "SIGTERM to seam-open ends its disposable (the window goes)" killed
settled() {
	local i
	for ((i = 0; i < 20; i++)); do
		no_process_left "$NS" >/dev/null && return 0
		sleep 0.1
	done
	no_process_left "$NS"
}
check "... and no process is left" settled

NOTE=$DOCDIR/plan.note
printf 'plan\n' >"$NOTE"
check "--save-back, answered no: nothing is written" bash -c "SEAM_OPEN_CONFIRM=no '$OPEN' --disposable --save-back '$NOTE' 2>&1 | grep -q 'not saved' && [ \$(ls '$DOCDIR' | wc -l) -eq 2 ]"
saved() {
	SEAM_OPEN_CONFIRM=yes "$OPEN" --disposable --save-back "$NOTE" 2>&1 | tee "$IT_TMP/save.log"
	local new
	new=$(ls "$DOCDIR"/plan\ \(disp*\).note 2>/dev/null)
	echo "new: $new"
	[[ -n $new ]] && grep -qx plan "$NOTE" && [[ $(wc -l <"$NOTE") -eq 1 ]] &&
		grep -q "^edited in disp[0-9]* at $HOME/plan.note$" "$new"
}
check "--save-back, answered yes: the changed copy is saved beside it, the original kept" saved
unchanged() {
	printf 'plain\n' >"$DOCDIR/same-$TOKEN.txt"
	SEAM_OPEN_CONFIRM=yes timeout 20 "$OPEN" --disposable --save-back "$DOCDIR/same-$TOKEN.txt" &
	local p=$!
	xp find "] xmessage" 10 >"$IT_TMP/win" || return 1
	read -r ID _ <"$IT_TMP/win"
	xp close "$ID"
	wait "$p"
	ls "$DOCDIR"
	[[ -z $(ls "$DOCDIR" | grep "same-$TOKEN (") ]]
}
check "--save-back of an unchanged copy offers nothing" unchanged

echo "launch: hostile file names"
HOSTILE=$'-x "q\' $(touch pwned) ;`touch pwned2` \\\nline.note'
printf 'hostile\n' >"$DOCDIR/$HOSTILE"
hostile() {
	touch "$IT_TMP/mark"
	sleep 0.01
	(cd "$DOCDIR" && SEAM_OPEN_CONFIRM=yes "$OPEN_ABS" --disposable --save-back -- "$HOSTILE") ||
		return 1
	local new= first=${HOSTILE%%$'\n'*}
	IFS= read -r -d '' new < <(find "$DOCDIR" -newer "$IT_TMP/mark" -name '*(disp*).note' -print0)
	echo "new: $new"
	[[ -n $new && ! -e $DOCDIR/pwned && ! -e $DOCDIR/pwned2 ]] && grep -qx hostile "$DOCDIR/$HOSTILE" &&
		grep -qF "at $HOME/$first" "$new" && [[ $new == "$DOCDIR/${HOSTILE%.note} (disp"*").note" ]]
}
check "spaces, quotes, a leading dash, \$( ), backquotes and a newline: one argument, nothing run" hostile

echo "launch: seam-open in a named domain"
NOTE2=$DOCDIR/memo.note
printf 'memo\n' >"$NOTE2"
INCOMING=$XDG_DATA_HOME/seam/domains/ltn/home/Incoming/host
check "seam-open --domain copies into Incoming/host and opens it there" bash -c \
	"'$OPEN' --domain ltn '$NOTE2' && grep -qx memo '$INCOMING/memo.note' && grep -q '^edited in ltn at $HOME/Incoming/host/memo.note\$' '$INCOMING/memo.note'"
check "... a second copy never overwrites the first: memo (2).note" bash -c \
	"'$OPEN' --domain ltn '$NOTE2' && [ -f '$INCOMING/memo (2).note' ] && [ \$(grep -c edited '$INCOMING/memo.note') -eq 1 ]"
check "... and the original is unchanged" bash -c "[ \"\$(cat '$NOTE2')\" = memo ]"

check "nothing is left registered" bash -c "[ -z \"\$(ls '$XDG_RUNTIME_DIR/seam/domains' 2>/dev/null)\" ]"
it_done
