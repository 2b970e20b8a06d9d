#!/usr/bin/env bash
# The guest's text is as large as the host's: the host sets Xft.dpi with xrdb (as a desktop does
# on a 4K screen), and in the guest xrdb -query shows it, at the connection and after a change
# while the guest runs; a real GTK 3 application in the guest follows the change live through the
# agent's XSETTINGS (gtk-xft-dpi). Then a host XSETTINGS manager (xsettingsd) starts: its Xft/DPI
# wins over the resource.
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup dpi "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent"
for t in xrdb xprop openbox xsettingsd; do
	command -v $t >/dev/null || { it_log "$t is missing (make deps installs it)"; exit 1; }
done
it_need_gtk3
it_xvfb HOST 1024x768 || exit 1
it_xvfb GUEST 1024x768 || exit 1
it_bg WM openbox env DISPLAY=$HOST openbox
# Root properties last only while a client is connected (the server resets after the last one):
# the resource is set once the window manager runs, as a desktop session does.
for _ in $(seq 50); do
	env DISPLAY=$HOST xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q window && break
	sleep 0.1
done
env DISPLAY=$HOST xrdb -merge <<<'Xft.dpi: 144'
it_bg D daemon env DISPLAY=$HOST "$BIN/seam-gui-daemon" --name hidpi --label blue \
	--channel "unix:$IT_TMP/dpi.sock" -v
it_bg A agent env DISPLAY=$GUEST "$BIN/seam-gui-agent" --channel "unix:$IT_TMP/dpi.sock" -v

# guest_dpi VALUE: wait until the guest's resources say Xft.dpi: VALUE.
guest_dpi() {
	for _ in $(seq 50); do
		env DISPLAY=$GUEST xrdb -query | grep -qx "Xft.dpi:	$1" && return 0
		sleep 0.1
	done
	env DISPLAY=$GUEST xrdb -query
	return 1
}

check "the host's Xft.dpi reaches the guest at the connection (xrdb -query)" bash -c "
	$(declare -f guest_dpi); GUEST=$GUEST; guest_dpi 144"
GTKLOG=$IT_TMP/gtk.log
it_bg G gtk env DISPLAY=$GUEST /usr/bin/python3 tests/integration/gtkdpi.py "$GTKLOG" 60
check "a GTK 3 application in the guest starts at the host's DPI" \
	it_wait_log "$GTKLOG" "^gtk-xft-dpi $((144 * 1024))$" 10
env DISPLAY=$HOST xrdb -merge <<<'Xft.dpi: 192'
check "the host's change reaches the guest's resources" bash -c "
	$(declare -f guest_dpi); GUEST=$GUEST; guest_dpi 192"
check "the running GTK application follows it (Xft/DPI through the agent's XSETTINGS)" \
	it_wait_log "$GTKLOG" "^gtk-xft-dpi $((192 * 1024))$" 10
check "the guest's resources hold one Xft.dpi" bash -c "
	env DISPLAY=$GUEST xrdb -query | grep -c '^Xft.dpi:' | grep -qx 1"

# A host settings manager (as a desktop's): its Xft/DPI wins over the resource, live.
printf 'Xft/DPI %d\n' $((120 * 1024)) >"$IT_TMP/xsettingsd.conf"
it_bg XS xsettingsd env DISPLAY=$HOST xsettingsd -c "$IT_TMP/xsettingsd.conf"
check "the host's XSETTINGS Xft/DPI reaches the guest's resources" bash -c "
	$(declare -f guest_dpi); GUEST=$GUEST; guest_dpi 120"
check "and the running GTK application" \
	it_wait_log "$GTKLOG" "^gtk-xft-dpi $((120 * 1024))$" 10
check "the daemon logged what it sent" \
	it_wait_log "$IT_TMP/daemon.log" "dpi: 120.000 dpi, scale 0 sent" 5
it_done
