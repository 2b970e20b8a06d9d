#!/usr/bin/env bash
# The daemon's desktop notifications (docs/security.md, "notify-send"): /usr/bin/notify-send by
# absolute path, with a clean environment, under the daemon's seccomp filter, reaching the user's
# session bus, named by DBUS_SESSION_BUS_ADDRESS or found as $XDG_RUNTIME_DIR/bus. A paste with an
# empty clipboard makes a notice. Each private bus has no notification server, so notify-send asks
# the bus to start one (dbus-monitor sees it) and then reports, on the daemon's stderr, that its
# Notify call found none: it ran to the end under the filter.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup notify "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-testclient" \
	"$TBIN/seam-xprobe"
for p in dbus-daemon dbus-monitor xdotool /usr/bin/notify-send; do
	command -v "$p" >/dev/null || { it_log "$p is missing (make deps installs it)"; exit 1; }
done

B=3
XP=$TBIN/seam-xprobe
it_xvfb HOST 1024x768 || exit 1
it_xvfb GUEST 800x600 || exit 1
host() { env DISPLAY=$HOST "$@"; }
it_bg CLIENT client env DISPLAY=$GUEST "$TBIN/seam-testclient" --title note --size 200x150 \
	--pos 50,50

# A fake notify-send earlier on PATH, which does nothing: were it run instead of /usr/bin's, no
# request would reach the bus.
mkdir -p "$IT_TMP/path"
printf '#!/bin/sh\nexit 0\n' >"$IT_TMP/path/notify-send"
chmod +x "$IT_TMP/path/notify-send"

# bus N ADDRESS: a private session bus at ADDRESS and a monitor of what is asked of it (logs busN,
# monitorN).
bus() {
	it_bg BUSPID bus$1 dbus-daemon --session --nofork --address="$2" --print-address
	it_wait_log "$IT_TMP/bus$1.log" '^unix:' 5 || return 1
	it_bg MONPID monitor$1 dbus-monitor --address "$2" "type='method_call'"
	sleep 0.5
}

# run N ENV...: a daemon with only ENV (and G_DBUS_DEBUG, which notify-send must not get) and an
# agent; paste in its window.
run() {
	local n=$1 out
	shift
	[[ -n ${AGENT:-} ]] && kill "$AGENT" "$DAEMON" 2>/dev/null && sleep 0.5 # the previous run's
	it_bg DAEMON daemon$n env -i PATH="$IT_TMP/path:/usr/bin:/bin" DISPLAY=$HOST \
		G_DBUS_DEBUG=message "$@" \
		"$BIN/seam-gui-daemon" --name note$n --label blue --channel "unix:$IT_TMP/$n.sock" \
		--runtime-dir "$IT_TMP/run$n" -v
	it_bg AGENT agent$n env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/$n.sock"
	out=$(host "$XP" find "[note$n] note" 15) || return 1
	read -r _ x y _ _ <<<"$out"
	host xdotool mousemove $((x + B + 50)) $((y + B + 50)) key --clearmodifiers ctrl+shift+v
	it_wait_log "$IT_TMP/daemon$n.log" 'org.freedesktop.Notifications was not provided' 10
}
notified() { # notified N: notify-send asked bus N for the notification service, after the notice
	grep -q 'clipboard: nothing to paste: the inter-domain clipboard is empty' \
		"$IT_TMP/daemon$1.log" &&
		grep -A1 'member=StartServiceByName' "$IT_TMP/monitor$1.log" |
		grep -q 'string "org.freedesktop.Notifications"'
}
clean_env() { # clean_env N: notify-send did not get the daemon's G_DBUS_DEBUG
	! grep -q 'GDBus-debug' "$IT_TMP/daemon$1.log"
}
alive() { kill -0 "$DAEMON" && grep -qx $'Seccomp:\t2' "/proc/$DAEMON/status"; }

# The check above can fail: the same notify-send given G_DBUS_DEBUG prints GDBus-debug lines.
bus 0 "unix:path=$IT_TMP/bus0" || exit 1
check "control: notify-send with G_DBUS_DEBUG=message prints GDBus-debug lines" bash -c \
	"DBUS_SESSION_BUS_ADDRESS=unix:path=$IT_TMP/bus0 G_DBUS_DEBUG=message /usr/bin/notify-send x y 2>&1 | grep -q GDBus-debug"

bus 1 "unix:path=$IT_TMP/bus1" || exit 1
check "DBUS_SESSION_BUS_ADDRESS: /usr/bin/notify-send (not PATH's) runs to its Notify call" \
	run 1 DBUS_SESSION_BUS_ADDRESS="unix:path=$IT_TMP/bus1"
check "the daemon logged the notice and notify-send asked that bus" notified 1
check "notify-send ran without the daemon's environment" clean_env 1
check "the daemon runs on under its seccomp filter" alive

mkdir -p -m 0700 "$IT_TMP/xdg"
bus 2 "unix:path=$IT_TMP/xdg/bus" || exit 1
check "no address, \$XDG_RUNTIME_DIR/bus: /usr/bin/notify-send runs to its Notify call" \
	run 2 XDG_RUNTIME_DIR="$IT_TMP/xdg"
check "the daemon logged the notice and notify-send asked that bus" notified 2
check "notify-send ran without the daemon's environment" clean_env 2
check "the daemon runs on under its seccomp filter" alive

it_done
