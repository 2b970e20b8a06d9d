#!/usr/bin/env bash
# A seam-run domain's desktop notifications (docs/sandbox.md, "Notifications"): applications in the
# domain call org.freedesktop.Notifications on the domain's own session bus, where the agent serves
# it; the host daemon shows them on the user's notification server (a stand-in on the test's host
# session bus, tests/deploy/notify_server.py, which records what the user reads) titled
# "[NAME] ...", with markup, controls and bidirectional overrides removed and the body bounded; a
# flood is rate-limited with a count in the log; --no-notifications leaves the domain without a
# server.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
RUN=$BIN/seam-run
it_setup sandbox-notify "$RUN" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent"
for p in bwrap dbus-daemon gdbus /usr/bin/notify-send /usr/bin/python3; do
	command -v "$p" >/dev/null || { it_log "$p is missing (make deps installs it)"; exit 1; }
done

IT_DISPLAY_BASE=90
it_xvfb HOST 1024x768 || exit 1
export DISPLAY=$HOST
export HOME=$IT_TMP/home XDG_RUNTIME_DIR=$IT_TMP/xdg XDG_CONFIG_HOME=$IT_TMP/config
unset XDG_DATA_HOME
mkdir -p -m 0700 "$HOME" "$XDG_RUNTIME_DIR" "$XDG_CONFIG_HOME"
# The user's session bus and its notification server.
HOSTBUS=unix:path=$XDG_RUNTIME_DIR/bus
it_bg BUSPID hostbus dbus-daemon --session --nofork --nopidfile --address="$HOSTBUS" --print-address
it_wait_log "$IT_TMP/hostbus.log" '^unix:' 5 || exit 1
export DBUS_SESSION_BUS_ADDRESS=$HOSTBUS
NOTES=$IT_TMP/notes
it_bg SERVER server /usr/bin/python3 tests/deploy/notify_server.py "$HOSTBUS" "$NOTES"
it_wait_log "$IT_TMP/server.log" '^ready' 10 || exit 1
touch "$NOTES"

# What runs in the domains, shared read-only.
mkdir -p "$IT_TMP/share"
cat >"$IT_TMP/share/notify.sh" <<'EOF'
#!/bin/sh
# notify.sh CALL ARGS...: one raw Notify through gdbus (texts in GVariant's text form).
call() {
	gdbus call --session --dest org.freedesktop.Notifications \
		--object-path /org/freedesktop/Notifications \
		--method org.freedesktop.Notifications.Notify "$1" 0 "''" "$2" "$3" '[]' '{}' 5000
}
case $1 in
texts)
	notify-send -a mail "Hello from the domain" "plain body"
	echo "notify-send: $?"
	long=$(printf 'X%.0s' $(seq 3000))
	call "'raw'" "'<b>Alert</b>\u0007 now'" \
		"'<i>line1</i>\nline2 &amp; more\u001b[31m\u202eexe.txt<a href=x>link</a> $long'"
	echo "gdbus: $?"
	;;
flood)
	for i in $(seq 100); do call "'flood'" "'flood $i'" "'body'" >/dev/null; done
	echo "flood sent"
	;;
off)
	notify-send -a mail "should not arrive" "body"
	echo "notify-send: $?"
	;;
esac
sleep "${2:-1}"
EOF
chmod +x "$IT_TMP/share/notify.sh"
SHARE=(--share "$IT_TMP/share:ro")

# domain LOG ARGS...: seam-run to its end (at most 60 s); its output in LOG.log.
domain() {
	local log=$1
	shift
	timeout 60 "$RUN" "$@" >"$IT_TMP/$log.log" 2>&1
}
arrived() { grep -c "^\[$1\]" "$NOTES"; }

echo "sandbox-notify: texts"
domain texts --domain nta "${SHARE[@]}" -- "$IT_TMP/share/notify.sh" texts
check "notify-send in the domain succeeds (the agent serves the name)" \
	grep -qx 'notify-send: 0' "$IT_TMP/texts.log"
check "it reaches the host titled [nta], from [nta] APP" \
	grep -qFx $'[nta] mail\t[nta] Hello from the domain\tplain body' "$NOTES"
check "a raw Notify (gdbus) succeeds" grep -qx 'gdbus: 0' "$IT_TMP/texts.log"
raw() { grep "^\[nta\] raw" "$NOTES"; }
check "its summary loses markup and the bell" grep -qF $'[nta] raw\t[nta] Alert now\t' "$NOTES"
body_cleaned() {
	raw | cut -f3 | grep -qF $'line1\\nline2 & more[31mexe.txtlink XXX'
}
check "its body: markup stripped, &amp; decoded, ESC and U+202E removed, newline kept" body_cleaned
body_bounded() {
	local body
	body=$(raw | cut -f3)
	echo "body: ${#body} characters"
	[[ -n $body && ${#body} -le 1024 && $body != *'<'* && $body != *'>'* &&
		$body != *$'\e'* && ${body: -1} == X ]]
}
check "its body is bounded (1024 bytes) and holds no '<', '>' or ESC" body_bounded

echo "sandbox-notify: a flood"
domain flood --domain ntb "${SHARE[@]}" -- "$IT_TMP/share/notify.sh" flood 4
check "the flood was sent" grep -qx 'flood sent' "$IT_TMP/flood.log"
flood_bounded() {
	local n s
	n=$(arrived ntb)
	s=$(sed -n "s/.*notify: \([0-9]*\) notifications from 'ntb' suppressed.*/\1/p" \
		"$IT_TMP/flood.log" | awk '{ s += $1 } END { print s + 0 }')
	echo "arrived $n, suppressed $s"
	grep 'notify:' "$IT_TMP/flood.log"
	((n >= 5 && n <= 10 && s + n == 100))
}
check "at most a few of 100 arrive; the log counts the others as suppressed" flood_bounded

echo "sandbox-notify: --no-notifications"
domain off --domain ntc --no-notifications "${SHARE[@]}" -- "$IT_TMP/share/notify.sh" off
check "notify-send in the domain finds no server" bash -c \
	"grep -q 'notify-send: [1-9]' '$IT_TMP/off.log' && grep -q 'org.freedesktop.Notifications' '$IT_TMP/off.log'"
check "nothing arrives from it" test "$(arrived ntc)" -eq 0
mkdir -p "$XDG_CONFIG_HOME/seam/domains"
printf 'notifications = no\n' >"$XDG_CONFIG_HOME/seam/domains/ntd.conf"
domain offconf --domain ntd "${SHARE[@]}" -- "$IT_TMP/share/notify.sh" off
check "the config key notifications = no does the same" bash -c \
	"grep -q 'notify-send: [1-9]' '$IT_TMP/offconf.log' && test \$(grep -c '^\[ntd\]' '$NOTES') -eq 0"

it_done
