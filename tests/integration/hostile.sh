#!/usr/bin/env bash
# A hostile guest against a real daemon on an Xvfb host. After every attack: the daemon runs, the
# host display answers, and a well-behaved guest's window (another daemon on the same host) is
# intact, pixel for pixel. Attacks that are protocol violations must cost the attacker its
# connection; the others are dropped and logged while the connection stays.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup hostile "$BIN/seam-gui-daemon" "$TBIN/seam-fake-agent" "$TBIN/seam-hostile-agent" \
	"$TBIN/seam-xprobe"

B=3
XP=$TBIN/seam-xprobe
HA=$TBIN/seam-hostile-agent
it_xvfb HOST 1024x768 || exit 1
host() { env DISPLAY=$HOST "$@"; }

it_bg GOODD good-daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name good --label green \
	--channel "unix:$IT_TMP/good.sock"
it_bg GOODA good-agent "$TBIN/seam-fake-agent" --channel "unix:$IT_TMP/good.sock" --title intact \
	--size 200x150 --pos 700,500 --hold 600
it_bg EVILD evil-daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name evil --label red \
	--channel "unix:$IT_TMP/evil.sock" -v
host "$XP" find "[good] intact" 10 >/dev/null || { it_log "the good guest did not show up"; exit 1; }

good_intact() {
	local id
	id=$(host "$XP" find "[good] intact" 2 | cut -d' ' -f1) &&
		host "$XP" frame "$id" $B 0x73d216 >/dev/null && host "$XP" pattern "$id" $B >/dev/null
}

# attack NAME EXPECTED [HOLD_MS CHECK...]: run one attack; with HOLD_MS, CHECK runs while it holds.
attack() {
	local name=$1 want=$2 hold=${3:-}
	shift 3 2>/dev/null || shift $#
	local out=$IT_TMP/attack-$name.out
	if [[ -n $hold ]]; then
		SEAM_HOSTILE_HOLD_MS=$hold "$HA" --channel "unix:$IT_TMP/evil.sock" --attack "$name" >"$out" 2>&1 &
		local pid=$!
		sleep 0.5
		check "$name: the attack is contained while it lasts" "$@"
		wait "$pid"
	else
		timeout 60 "$HA" --channel "unix:$IT_TMP/evil.sock" --attack "$name" >"$out" 2>&1
	fi
	check "$name: the daemon answers '$want'" grep -qx "$want" "$out"
	check "$name: the daemon keeps running" kill -0 "$EVILD"
	check "$name: the host display keeps working" host timeout 5 xdpyinfo
	check "$name: the other guest is unaffected" good_intact
}

evil_title_clean() {
	local id t
	id=$(host "$XP" find "[evil] [dom0] evil" 5 | cut -d' ' -f1) || return 1
	t=$(host "$XP" title "$id")
	[[ $t == "[evil] [dom0] evil [31m "* ]] || { echo "title: $t"; return 1; }
	! printf '%s' "$t" | grep -q $'\xe2\x80\xae' && ! printf '%s' "$t" | grep -q $'[\x01-\x1f]'
}
cover_managed() {
	local id
	id=$(host "$XP" find "[evil] cover" 5 | cut -d' ' -f1) &&
		host xwininfo -id "$id" | grep -q 'Override Redirect State: no'
}
victim_clipped() {
	local id x y w h
	read -r id x y w h < <(host "$XP" find "[evil] victim" 5) || return 1
	host "$XP" solid "$id" $B 0xff00ff >/dev/null || return 1
	# one pixel right of and below the frame: the root's black, not the victim's magenta
	host "$XP" count "[evil]" >/dev/null
	[[ $(host bash -c "import -window root -crop 1x1+$((x + w))+$((y + h / 2)) txt:- | tail -n1") != *FF00FF* ]] &&
		[[ $(host bash -c "import -window root -crop 1x1+$((x + w / 2))+$((y + h)) txt:- | tail -n1") != *FF00FF* ]]
}
flood_capped() {
	local n
	n=$(host "$XP" count "[evil]")
	echo "evil windows: $n"
	((n <= 1024)) && host timeout 2 xdpyinfo >/dev/null
}
no_focus_steal() {
	local id
	id=$(host "$XP" find "[evil] victim" 5 | cut -d' ' -f1) || return 1
	host xprop -id "$id" WM_HINTS | grep -qi urgen &&
		[[ $(host xdotool getwindowfocus) != "$((id))" ]] &&
		! host xwininfo -id "$id" | grep -q 'Width: 1024'
}

attack oversized-window alive
attack zero-size-window alive
attack unknown-window-id alive
attack reused-window-id closed
attack other-guest-window-id alive
attack wrong-version closed
attack old-version closed
attack message-before-handshake closed
attack truncated-then-disconnect closed
attack body-past-limit closed
attack huge-clipboard-length closed
attack unknown-type closed
attack hostile-titles alive 1500 evil_title_clean
attack fullscreen-override-redirect alive 1500 cover_managed
attack flood alive 1500 flood_capped
attack damage-outside-window alive 1500 victim_clipped
attack unsealed-memfd alive
attack truncated-memfd alive
attack too-small-memfd alive
attack pipe-instead-of-memfd alive
attack many-fds closed
attack fd-on-create closed
attack clipboard-past-limit closed
attack clipboard-invalid-utf8 alive
attack focus-steal alive 1500 no_focus_steal
check "the attacker's windows are all gone once it left" host "$XP" gone "[evil]" 5
check "the daemon logged each refusal" bash -c "grep -c 'closing the guest' $IT_TMP/evil-daemon.log | awk '\$1 >= 8 {ok=1} END {exit !ok}'"

it_done
