#!/usr/bin/env bash
# Seam with Qubes' own GUI peers, as Qubes' code behaves (docs/protocol.md, "Talking to Qubes"):
# Seam's real agent against a daemon that acts as qubes-guid does, and Seam's real daemon against an
# agent that acts as qubes-gui-agent does, for protocol 1.7 and 1.8. The peers are
# tests/qubes/qdaemon.c and qagent.c.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup qubes "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-qubes-daemon" \
	"$TBIN/seam-qubes-agent" "$TBIN/seam-xprobe"
for t in xclip xlogo openbox xprop xwininfo; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
XP=$TBIN/seam-xprobe

# ---- Seam's agent, a Qubes daemon ---------------------------------------------------------------
it_xvfb GUEST 1024x768 || exit 1
it_bg XL xlogo env DISPLAY=$GUEST xlogo -geometry 200x150+40+40
# A 70000-byte copy in the guest, served by xclip (whose own window is 1x1 and never mapped).
head -c 70000 /dev/zero | tr '\0' 'q' >"$IT_TMP/big"
it_bg XC xclip env DISPLAY=$GUEST bash -c 'exec xclip -quiet -selection clipboard -i <"$0"' \
	"$IT_TMP/big"
sleep 0.5

for v in 1.7 1.8; do
	sock=$IT_TMP/qd$v.sock qd=$IT_TMP/qd$v.log ag=$IT_TMP/agent$v.log
	# A host screen Qubes' agent ignores and a strict agent would refuse: 30-bit, 20000 wide.
	it_bg QD qd$v "$TBIN/seam-qubes-daemon" --socket "$sock" --version "$v" \
		--screen 20000x1080x30 --hold 10
	it_wait_log "$qd" '^listening' 5
	it_bg AG agent$v env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$sock" -v
	check "$v: the agent takes a 30-bit, 20000-wide host screen" \
		bash -c ". tests/integration/lib.sh; it_wait_log '$qd' '^handshake .*negotiated=0x1000${v#1.}' 5 &&
			sleep 1 && ! grep '^fatal' '$qd'"
	check "$v: xlogo's window appears though the daemon has said nothing" \
		it_wait_log "$qd" '^wmname 0x[0-9a-f]+ xlogo' 8
	check "$v: and it is mapped" grep -q '^map ' "$qd"
	kill -USR1 "$QD"
	if [[ $v == 1.7 ]]; then
		# 1.7 has no "too large" signal and Qubes 4.2's daemon exits past 65000 bytes: the
		# copy is not sent (an empty one is), never truncated, and the guest's log says so.
		check "1.7: a 70000-byte copy is refused whole, with a notice" bash -c "
			. tests/integration/lib.sh; it_wait_log '$qd' '^clipboard [0-9]+ bytes' 8 &&
			grep -q '^clipboard 0 bytes' '$qd' && grep -q 'protocol 1.7 carries: not sent' '$ag'"
	else
		check "1.8: a 70000-byte copy reaches the daemon whole" bash -c "
			. tests/integration/lib.sh; it_wait_log '$qd' '^clipboard [0-9]+ bytes' 8 &&
			grep -q '^clipboard 70000 bytes' '$qd'"
	fi
	check "$v: the Qubes daemon is alive after the copy" bash -c "sleep 0.5; kill -0 $QD"
	check "$v: no never-mapped 1x1 window (xclip's) was announced" \
		bash -c "grep -q '^create' '$qd' && ! grep -E '^create 0x[0-9a-f]+ -?[0-9]+ -?[0-9]+ 1 1 ' '$qd'"
	check "$v: the daemon's own MAP draws no warning from the agent" \
		bash -c "grep -q '^map ' '$qd' && ! grep -E 'warning|error' '$ag' | grep -qw MAP"
	check "$v: the agent says why windows have no pixels" grep -q 'without pixels' "$ag"
	kill "$AG" 2>/dev/null
	wait "$QD" 2>/dev/null
done

# ---- Seam's daemon, a Qubes agent ---------------------------------------------------------------
it_xvfb HOST 1280x1024 || exit 1
host() { env DISPLAY=$HOST "$@"; }
it_bg WM openbox env DISPLAY=$HOST openbox
sleep 0.5

for v in 1.7 1.8; do
	sock=$IT_TMP/d$v.sock qa=$IT_TMP/qa$v.log
	it_bg D daemon$v env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name qtest --label green \
		--channel "unix:$sock" -v
	it_bg QA qa$v "$TBIN/seam-qubes-agent" --socket "$sock" --version "$v" --hold 5
	it_wait_log "$qa" '^sent' 10
	big=$(host "$XP" find '[qtest] big' 5 | cut -d' ' -f1)
	check "$v: a window past the protocol's size is shown, clamped" bash -c "
		[[ -n '$big' ]] && read -r _ _ _ w h <<<\"\$(DISPLAY=$HOST $XP find '[qtest] big' 1)\" &&
		echo \"\${w}x\$h\" && ((w > 0 && w <= 16390 && h > 0 && h <= 6150))"
	check "$v: DEMANDS_ATTENTION set with MINIMIZE unset in one message is applied" bash -c "
		for i in \$(seq 40); do DISPLAY=$HOST xprop -id '$big' WM_HINTS | grep -qi urgen &&
			exit 0; sleep 0.1; done; exit 1"
	check "$v: the window manager's state is acknowledged to the agent" \
		it_wait_log "$qa" '^recv WINDOW_FLAGS 0x1001 set=0x2' 5
	popup=$(host "$XP" find '[qtest] popup' 5 | cut -d' ' -f1)
	check "$v: a window mapped override-redirect after a managed CREATE is override-redirect" \
		bash -c "[[ -n '$popup' ]] && DISPLAY=$HOST xwininfo -id '$popup' |
			grep -q 'Override Redirect State: yes'"
	qt=$(host "$XP" find '[qtest] qt' 5 | cut -d' ' -f1)
	check "$v: Qt's hints keep their minimum though the maximum is 32767" bash -c "
		[[ -n '$qt' ]] && DISPLAY=$HOST xprop -id '$qt' WM_NORMAL_HINTS |
			grep -q 'minimum size: 10[0-9] by 8[0-9]'"
	check "$v: a docked window with no tray on the host stays hidden, and the log says so" \
		grep -qiE 'no (system )?tray' "$IT_TMP/daemon$v.log"
	check "$v: the daemon acknowledges DESTROY" it_wait_log "$qa" '^recv DESTROY 0x1001' 10
	check "$v: the Qubes agent kept its connection to the end" it_wait_log "$qa" '^alive' 10
	check "$v: the daemon is alive" kill -0 "$D"
	kill "$D" 2>/dev/null
	wait "$QA" 2>/dev/null
done

it_done
