#!/bin/sh
# The Xen lab's test, run in dom0 by /init once xenstored and xl answer. It starts a domU running
# seam-gui-agent, a host Xvfb with seam-gui-daemon, and checks across the domain boundary.
# Every result is one line on the serial console: "SEAM-XEN: ok NAME" or "SEAM-XEN: FAIL NAME:
# reason"; the last is "SEAM-XEN: done N passed, M failed". tests/xen/lab.sh reads them.
. /lab/lib.sh
LABEL=blue
COLOR=0x3465a4
MAXSHM=8

# ---- The domU and the host X server ----------------------------------------------------------------
cat >/lab/domU.cfg <<CFG
name = "seam-guest"
type = "pv"
kernel = "/lab/vmlinux"
ramdisk = "/lab/domU.cpio.gz"
extra = "console=hvc0 quiet"
memory = 256
vcpus = 1
on_crash = "preserve"
CFG
# -displayfd: Xvfb writes its display number once it accepts clients.
Xvfb :0 -displayfd 3 -screen 0 640x480x24 -nolisten tcp -noreset -extension GLX \
	-fp /usr/share/fonts/X11/misc 3>/tmp/xvfb.ready >/tmp/xvfb.log 2>&1 &
if xl create /lab/domU.cfg >/tmp/xl-create.log 2>&1; then
	ok "domU created at $(now) s"
else
	bad "domU created: $(tail -n 5 /tmp/xl-create.log | tr '\n' ' ')"
	finish
fi
DOMID=$(xl domid seam-guest)
DP=/local/domain/$DOMID
retry 60 test -s /tmp/xvfb.ready || bad "host Xvfb did not start: $(tail -n 3 /tmp/xvfb.log)"
: >/tmp/daemon.log
LOGMARK=0
seam-gui-daemon --name $NAME --label $LABEL --channel "vchan:$DOMID:$PORT" --max-shm $MAXSHM -v \
	>>/tmp/daemon.log 2>&1 &
DPID=$!
info "domU is domain $DOMID; seam-gui-daemon --name $NAME --label $LABEL --channel vchan:$DOMID:$PORT --max-shm $MAXSHM"
check "the domU is up and answers over xenstore" retry 120 sh -c "xenstore-read $DP/data/seam-ready >/dev/null 2>&1"
[ "$FAIL" -gt 0 ] && finish
info "domU ready at $(now) s"

# ---- End to end ------------------------------------------------------------------------------------
check "the agent offers a vchan and the daemon connects to it" daemon_says "agent connected" 60
check "the agent negotiated grant buffers" gwait 20 /tmp/agent.log \
	"seam-gui-agent: info: ready: Qubes protocol with grant buffers, sending 0 windows"
check "the agent and the daemon agree on Seam's features over vchan (keyboard, icons, DPI, monitors)" \
	daemon_says "the agent is Seam \(features 0x1e\)" 20
VCHAN_MAPS=$(gnt_maps)
check "with no window, the daemon maps only the vchan's pages ($VCHAN_MAPS gntdev mappings)" \
	test "$VCHAN_MAPS" -ge 1 -a "$VCHAN_MAPS" -le 3
start_client hello 200x150 20,20 /tmp/client.log
check "a guest window appears on the host with the [$NAME] title" find_win hello 60
[ -z "$ID" ] && finish # nothing else can pass without the window
info "host window $ID at $X,$Y size ${W}x$H ($(now) s)"
check "its frame is ${B}px of the label color $COLOR" retry 10 seam-xprobe frame "$ID" $B $COLOR
check "its size is the guest's plus the frame" test "$W" -eq $((200 + 2 * B)) -a "$H" -eq $((150 + 2 * B))
check "its pixels equal the guest's (pattern), carried by grant pages" retry 20 seam-xprobe pattern "$ID" $B
check "its buffer is mapped from the domU's grant refs (gntdev mappings: $(gnt_maps))" \
	test "$(gnt_maps)" -gt "$VCHAN_MAPS"

click() {
	xdotool mousemove $((X + B + 50)) $((Y + B + 40)) click 1
	gwait 20 /tmp/client.log "button press 1 50 40" "button release 1 50 40"
}
check "a click on the host reaches the guest client at the same point" click
typed() {
	xdotool mousemove $((X + B + 20)) $((Y + B + 20))
	xdotool type --delay 40 "seam1"
	gwait 20 /tmp/client.log "text s" "text e" "text a" "text m" "text 1"
}
check "text typed on the host reaches the guest client" typed
redraw() {
	g 'kill -USR1 $(pidof seam-testclient)' || return 1
	seam-xprobe solid "$ID" $B 0xff0000 20
}
check "a redraw in the guest arrives (solid red)" redraw
resized() {
	g 'xdotool search --name "^hello$" windowsize 320 240' || return 1
	i=0
	while [ $i -lt 80 ]; do
		find_win hello 1 && [ "$W" -eq $((320 + 2 * B)) ] && [ "$H" -eq $((240 + 2 * B)) ] && break
		i=$((i + 1))
		usleep 250000
	done
	[ "$W" -eq $((320 + 2 * B)) ] && [ "$H" -eq $((240 + 2 * B)) ] || { echo "size ${W}x$H"; return 1; }
	g 'kill -USR1 $(pidof seam-testclient)' || return 1 # green over the whole new size
	seam-xprobe solid "$ID" $B 0x00ff00 20
}
check "a resize arrives, with a new grant buffer (solid green at 320x240)" resized
host_move() {
	xdotool windowmove "$ID" 200 150 || return 1
	gwait 20 /tmp/client.log "configure 203 153 320 240"
}
check "a move on the host reaches the guest window" host_move
destroyed() {
	g 'kill $(pidof seam-testclient)' || return 1
	seam-xprobe gone "[$NAME] hello" 20 || return 1
	maps_are "$VCHAN_MAPS"
}
check "destroying the window releases its grant mappings (back to the vchan's $VCHAN_MAPS)" destroyed
check "the daemon keeps running" daemon_alive

start_client again 160x120 60,60 /tmp/client2.log
check "a second window appears" find_win again 40
agent_killed() {
	g 'kill -9 $(pidof seam-gui-agent)' || return 1
	seam-xprobe gone "[$NAME] again" 20 || return 1
	maps_are 0
}
check "killing the agent removes its windows and releases every gntdev mapping" agent_killed
check "the daemon keeps running after the agent died" daemon_alive
start_agent
reconnected() { find_win again 60 && retry 20 seam-xprobe pattern "$ID" $B; }
check "a new agent reconnects and the window comes back with its pixels" reconnected

# ---- gntalloc's limit ------------------------------------------------------------------------------
# With the limit below what a 160x120 window needs (19 pages), the agent says what to change; once
# the limit is raised, the window gets its buffer without anyone touching it.
low_limit() {
	g "kill \$(pidof seam-gui-agent); kill \$(pidof seam-testclient)" >/dev/null
	seam-xprobe gone "[$NAME] again" 20 || return 1
	g "echo 8 >/sys/module/xen_gntalloc/parameters/limit" || return 1
	start_agent
	start_client limit 160x120 60,60 /tmp/client3.log
	gwait -s 40 /tmp/agent.log \
		"limit is 8 pages, less than one 640x480 window needs (300 pages)" \
		"error: cannot grant a 160x120 window buffer (19 pages)" \
		"raise it, e.g. echo 65536 > /sys/module/xen_gntalloc/parameters/limit"
}
check "a low gntalloc limit is reported at connection, and a buffer past it names the parameter" low_limit
raised() {
	g "echo 65536 >/sys/module/xen_gntalloc/parameters/limit" || return 1
	find_win limit 30 && retry 20 seam-xprobe pattern "$ID" $B
}
check "raising the limit brings the window's pixels without a restart" raised

# ---- Hostile grants --------------------------------------------------------------------------------
g "kill \$(pidof seam-gui-agent); kill \$(pidof seam-testclient)" >/dev/null
seam-xprobe gone "[$NAME] limit" 20 >/dev/null
# rogue ATTACK EXPECT LOGREGEX: run the rogue domU agent, which must end saying EXPECT (alive:
# still served; closed: the daemon ended the connection); the daemon's log must show LOGREGEX, the
# daemon must live, and no mapping may be left.
rogue() {
	attack=$1 expect=$2 re=$3
	mark_log
	GTIMEOUT=90 g "seam-rogue-grants --channel vchan:0:$PORT --attack $attack 2>&1" >/dev/null
	res=$(echo "$GOUT" | tail -n 1)
	daemon_says "$re"
	said=$?
	info "rogue $attack: $res; daemon: $(tail -n +$((LOGMARK + 1)) /tmp/daemon.log | grep -E -- "$re" | head -n 1)"
	[ "$res" = "$expect" ] || { echo "rogue said: $GOUT"; return 1; }
	[ $said -eq 0 ] || return 1
	daemon_alive || { echo "the daemon died"; return 1; }
	maps_are 0 20
}
check "hostile: refs the domU never granted are refused and logged; the daemon serves on" \
	rogue foreign-refs alive "cannot map the guest's grants"
check "hostile: refs of pages unshared before the dump are refused and logged; served on" \
	rogue unshared-refs alive "cannot map the guest's grants"
check "hostile: pages unshared while dom0 maps them: the daemon survives and releases them" \
	rogue unshare-after-map alive "agent went away"
check "hostile: a ref count that does not match the size is refused and logged" \
	rogue count-mismatch closed "WINDOW_DUMP.refs: 4 refs for 100x80"
check "hostile: a ref count past the protocol's limit is refused and logged" \
	rogue count-past-limit closed "WINDOW_DUMP.untrusted_len"
check "hostile: the per-guest memory cap (--max-shm $MAXSHM) holds against real grants" \
	rogue over-cap alive "guest memory cap"
start_agent
start_client after 160x120 60,60 /tmp/client4.log
served() { find_win after 60 && retry 20 seam-xprobe pattern "$ID" $B; }
check "after every attack the daemon still serves an honest agent" served

# ---- Latency ---------------------------------------------------------------------------------------
# The round trip a user feels: a key pressed on the host, the guest's repaint, its pixels back.
# Grants (the domU's window) against memfd (a guest X server in dom0 itself, over unix:), in the
# same emulated machine: only their ratio means something.
# lat_probe DOMAIN VAR PATH: the probe on "[DOMAIN] lat", its median (ms) in VAR, reported as over
# PATH. lat_ratio A B LABEL: report the ratio of two medians, when both were measured.
lat_probe() {
	out=$(seam-xen-latency probe "[$1] lat" 40) || { echo "$out"; return 1; }
	median=$(echo "$out" | sed -n 's/.*median \([0-9.]*\) ms.*/\1/p')
	eval "$2=\$median"
	info "latency over $3: ${out#latency: }"
}
lat_ratio() {
	[ -n "$1" ] && [ -n "$2" ] || return 0
	info "latency: $3 median ratio $(awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}') (software emulation: only the ratio is meaningful)"
}
g "kill \$(pidof seam-testclient); seam-xen-latency app lat >/dev/null 2>&1 &" >/dev/null
check "latency probe across the domain boundary (grants)" lat_probe "$NAME" LG grants
g "kill \$(pidof seam-xen-latency)" >/dev/null
lat_memfd() {
	Xvfb :1 -displayfd 4 -screen 0 640x480x24 -nolisten tcp -noreset -extension GLX \
		-fp /usr/share/fonts/X11/misc 4>/tmp/xvfb1.ready >/tmp/xvfb1.log 2>&1 &
	retry 60 test -s /tmp/xvfb1.ready || return 1
	seam-gui-daemon --name local --label green --channel unix:/tmp/local.sock >/tmp/local-daemon.log 2>&1 &
	DISPLAY=:1 seam-gui-agent --channel unix:/tmp/local.sock >/tmp/local-agent.log 2>&1 &
	DISPLAY=:1 seam-xen-latency app lat >/dev/null 2>&1 &
	lat_probe local LM "memfd (both ends in dom0)" || {
		tail -n 5 /tmp/local-daemon.log /tmp/local-agent.log
		return 1
	}
}
check "the same probe on the local memfd path, in dom0" lat_memfd
lat_ratio "$LG" "$LM" grants/memfd

# ---- The guest driver on grant pages ---------------------------------------------------------------
# The domU's second X server is Xorg with Seam's driver seam_drv (SeamGrantDomain 0): its window
# pixmaps are pages granted to dom0, so its agent sends their refs and copies nothing (no
# ShmGetImage, no grant mirror). A daemon of its own here, on the next port.
g "kill \$(pidof seam-xen-latency)" >/dev/null
if g "test -x /usr/bin/seam-lab-xorg" >/dev/null; then
	DNAME=drv
	DPORT=$((PORT + 2))
	seam-gui-daemon --name $DNAME --label green --channel "vchan:$DOMID:$DPORT" -v \
		>/tmp/daemon-drv.log 2>&1 &
	xorg_drv() {
		GTIMEOUT=90 g "seam-lab-xorg :2 /tmp/drv.sock 0" &&
			gwait -s 5 /tmp/xorg-drv.log "window pixmaps in grant pages; agent socket /tmp/drv.sock"
	}
	check "Xorg with seam_drv starts in the domU, its pixmaps granted to dom0" xorg_drv
	g "DISPLAY=:2 seam-gui-agent --channel vchan:0:$DPORT --driver-socket /tmp/drv.sock -v >/tmp/agent-drv.log 2>&1 & echo \$! >/tmp/agent-drv.pid" >/dev/null
	check "its agent takes the driver's path over vchan" gwait -s 30 /tmp/agent-drv.log "capture: guest driver"
	g "DISPLAY=:2 seam-testclient --pattern --title drvwin --size 200x150 --pos 20,20 --log /tmp/client-drv.log >/dev/null 2>&1 &" >/dev/null
	drv_win() {
		out=$(seam-xprobe find "[$DNAME] drvwin" 60) || return 1
		set -- $out
		ID=$1
	}
	check "its window appears on the host" drv_win
	check "its pixels equal the guest's, read from the driver's own grant pages" retry 20 seam-xprobe pattern "$ID" $B
	drv_redraw() {
		g 'kill -USR1 $(pidof seam-testclient)' || return 1
		seam-xprobe solid "$ID" $B 0xff0000 20
	}
	check "a redraw in the guest arrives (solid red)" drv_redraw
	g "DISPLAY=:2 seam-testclient --pattern --title bigwin --size 2400x1600 --pos 0,0 --log /tmp/client-big.log >/dev/null 2>&1 & echo \$! >/tmp/client-big.pid" >/dev/null
	big_win() {
		out=$(seam-xprobe find "[$DNAME] bigwin" 60) || return 1
		set -- $out
		[ "$4" -eq $((2400 + 2 * B)) ] && [ "$5" -eq $((1600 + 2 * B)) ] || { echo "size $4x$5"; return 1; }
		! g "grep -q 'ShmGetImage from now on' /tmp/agent-drv.log" >/dev/null
	}
	check "a 2400x1600 window's 3750 grant refs reach the host" big_win
	# A client that does not read for 3 s, its socket's send buffer 8 KiB (set while it connects,
	# the window found first; 15 KiB of refs): the driver keeps the rest of the refs and sends it as the socket drains.
	slow_client() {
		g "w=\$(DISPLAY=:2 xdotool search --name '^bigwin\$' | head -n 1); cat /proc/sys/net/core/wmem_default >/tmp/wmem; echo 8192 >/proc/sys/net/core/wmem_default || exit 1; seam-drv-client /tmp/drv.sock \$w 3000 >/tmp/drv-client.out 2>&1 & sleep 1; cat /tmp/wmem >/proc/sys/net/core/wmem_default; wait; cat /tmp/drv-client.out" || return 1
		echo "$GOUT" | grep -qx "grants 3750 domain 0" || return 1
		gwait -s 5 /tmp/xorg-drv.log "bytes of a reply wait for the socket"
	}
	check "a reply too large for the socket waits in the driver and arrives whole" slow_client
	g 'kill $(cat /tmp/client-big.pid)' >/dev/null
	g "kill \$(pidof seam-testclient); DISPLAY=:2 seam-xen-latency app lat >/dev/null 2>&1 &" >/dev/null
	check "latency probe across the domain boundary (the driver's grant pages)" \
		lat_probe "$DNAME" LD "the driver's grant pages"
	no_shmgetimage() {
		g 'kill $(pidof seam-xen-latency) $(cat /tmp/agent-drv.pid)' >/dev/null
		gwait -s 20 /tmp/agent-drv.log "capture: 0 ShmGetImage requests"
	}
	check "the driver's agent made no ShmGetImage request" no_shmgetimage
	lat_ratio "$LD" "$LM" "driver grants/memfd"
else
	info "the guest driver on grants: skipped: seam_drv is not built (xserver-xorg-dev), so the domU has no Xorg with it"
fi
finish
