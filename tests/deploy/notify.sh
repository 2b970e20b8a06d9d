#!/usr/bin/env bash
# The daemon's desktop notifications (docs/security.md, "Desktop notifications"): an
# org.freedesktop.Notifications.Notify call made by the daemon itself (sd-bus), under its seccomp
# filter (which lets it run no program), to the user's session bus, named by
# DBUS_SESSION_BUS_ADDRESS or found as $XDG_RUNTIME_DIR/bus. A paste with an empty clipboard makes
# a notice. The first private buses have no notification server: dbus-monitor shows the call with
# the notice's text. The last one has a stand-in server (notify_server.py) that records what the
# user reads: a copy names its source domain and size, an empty copy says the clipboard is now
# empty.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup notify "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-testclient" \
	"$TBIN/seam-xprobe"
for p in dbus-daemon dbus-monitor xdotool xclip /usr/bin/python3; do
	command -v "$p" >/dev/null || { it_log "$p is missing (make deps installs it)"; exit 1; }
done

B=3
XP=$TBIN/seam-xprobe
it_xvfb HOST 1024x768 || exit 1
it_xvfb GUEST 800x600 || exit 1
host() { env DISPLAY=$HOST "$@"; }
it_bg CLIENT client env DISPLAY=$GUEST "$TBIN/seam-testclient" --title note --size 200x150 \
	--pos 50,50

# A notify-send earlier on PATH that would leave a mark: the daemon must run no program for a
# notification (its filter would end it), this one or another.
mkdir -p "$IT_TMP/path"
printf '#!/bin/sh\ntouch %s/ran\n' "$IT_TMP" >"$IT_TMP/path/notify-send"
chmod +x "$IT_TMP/path/notify-send"

# bus N ADDRESS: a private session bus at ADDRESS and a monitor of what is asked of it (logs busN,
# monitorN).
bus() {
	it_bg BUSPID bus$1 dbus-daemon --session --nofork --address="$2" --print-address
	it_wait_log "$IT_TMP/bus$1.log" '^unix:' 5 || return 1
	it_bg MONPID monitor$1 dbus-monitor --address "$2" "type='method_call'"
	sleep 0.5
}

# start N ENV...: a daemon with only ENV and an agent; WX, WY: where the agent's window is on the
# host.
start() {
	local n=$1 out
	shift
	[[ -n ${AGENT:-} ]] && kill "$AGENT" "$DAEMON" 2>/dev/null && sleep 0.5 # the previous run's
	it_bg DAEMON daemon$n env -i PATH="$IT_TMP/path:/usr/bin:/bin" DISPLAY=$HOST "$@" \
		"$BIN/seam-gui-daemon" --name note$n --label blue --channel "unix:$IT_TMP/$n.sock" \
		--runtime-dir "$IT_TMP/run$n" -v
	it_bg AGENT agent$n env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/$n.sock"
	out=$(host "$XP" find "[note$n] note" 15) || return 1
	read -r _ WX WY _ _ <<<"$out"
}
press() { host xdotool mousemove $((WX + B + 50)) $((WY + B + 50)) key --clearmodifiers "$1"; }
# run N ENV...: start, then paste in the window; the Notify call shows on bus N's monitor.
run() {
	start "$@" || return 1
	press ctrl+shift+v
	it_wait_log "$IT_TMP/monitor$1.log" 'member=Notify' 10
}
notified() { # notified N: the daemon logged the notice and bus N carried it to the server's name
	grep -q 'clipboard: nothing to paste: the inter-domain clipboard is empty' \
		"$IT_TMP/daemon$1.log" &&
		grep -A12 'member=Notify' "$IT_TMP/monitor$1.log" |
		grep -q 'string "nothing to paste: the inter-domain clipboard is empty"' &&
		grep 'member=Notify' "$IT_TMP/monitor$1.log" | grep -q 'destination=org.freedesktop.Notifications'
}
no_program() { [[ ! -e $IT_TMP/ran ]]; }
alive() { kill -0 "$DAEMON" && grep -qx $'Seccomp:\t2' "/proc/$DAEMON/status"; }

bus 1 "unix:path=$IT_TMP/bus1" || exit 1
check "DBUS_SESSION_BUS_ADDRESS: the daemon's Notify call reaches that bus" \
	run 1 DBUS_SESSION_BUS_ADDRESS="unix:path=$IT_TMP/bus1"
check "the daemon logged the notice and the call carries it to org.freedesktop.Notifications" \
	notified 1
check "no program was run for it" no_program
check "the daemon runs on under its seccomp filter" alive

mkdir -p -m 0700 "$IT_TMP/xdg"
bus 2 "unix:path=$IT_TMP/xdg/bus" || exit 1
check "no address, \$XDG_RUNTIME_DIR/bus: the daemon's Notify call reaches that bus" \
	run 2 XDG_RUNTIME_DIR="$IT_TMP/xdg"
check "the daemon logged the notice and the call carries it to org.freedesktop.Notifications" \
	notified 2
check "no program was run for it" no_program
check "the daemon runs on under its seccomp filter" alive

bus 3 "unix:path=$IT_TMP/bus3" || exit 1
it_bg SERVER server3 /usr/bin/python3 tests/deploy/notify_server.py "unix:path=$IT_TMP/bus3" \
	"$IT_TMP/notes3"
it_wait_log "$IT_TMP/server3.log" '^ready' 10 || exit 1
start 3 DBUS_SESSION_BUS_ADDRESS="unix:path=$IT_TMP/bus3" || exit 1
printf 'copy me, 18 bytes.' >"$IT_TMP/text"
it_bg XCLIP xclip env DISPLAY=$GUEST xclip -quiet -selection clipboard -i "$IT_TMP/text"
sleep 0.3
press ctrl+shift+c
check "a copy's notification names the source domain and the size" it_wait_log "$IT_TMP/notes3" \
	$'^Seam\tSeam clipboard\tcopied 18 bytes from \'note3\'$' 10
kill "$XCLIP"
sleep 0.3
press ctrl+shift+c
check "an empty copy's notification says the clipboard is now empty" it_wait_log \
	"$IT_TMP/notes3" "nothing copied: 'note3' has no clipboard text; the inter-domain clipboard is now empty" 10
press ctrl+shift+v
check "so does a paste of nothing" it_wait_log "$IT_TMP/notes3" \
	'nothing to paste: the inter-domain clipboard is empty' 10
check "routine notices are logged at info level, not as warnings" bash -c \
	"grep -q 'info: clipboard: copied 18 bytes' $IT_TMP/daemon3.log && grep -q 'info: clipboard: nothing copied' $IT_TMP/daemon3.log && ! grep -q 'warning: clipboard' $IT_TMP/daemon3.log"

it_done
