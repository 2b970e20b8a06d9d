#!/bin/sh
# The domU's /init in the Xen lab: a guest X server and seam-gui-agent over vchan to dom0 (dom0
# starts the test clients). Then it runs what dom0 asks through xenstore:
#   dom0 writes  data/seam-cmd = "SEQ SHELL-COMMAND"
#   we answer    data/seam-out = the command's last output bytes, then data/seam-rc = "SEQ STATUS"
# (a command that starts a program in the background must redirect its output, or the answer
# waits for it).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
echo "seam-domU: init at $(cut -d' ' -f1 /proc/uptime) s"
insmod /lib/modules/xen-evtchn.ko
insmod /lib/modules/xen-privcmd.ko
insmod /lib/modules/xenfs.ko
# gntalloc's default limit is 1024 pages (4 MiB) for the whole guest: less than one 1920x1080
# window. Seam's guests need it raised.
insmod /lib/modules/xen-gntalloc.ko limit=65536
insmod /lib/modules/xen-gntdev.ko
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen
# The command channel's nodes, created by us so that we own them (dom0 then only writes values).
xenstore-write data/seam-out "" data/seam-rc "0 0" data/seam-cmd "0 true"

export DISPLAY=:0
# -displayfd: Xvfb writes its display number once it accepts clients, so waiting costs no exec.
Xvfb :0 -displayfd 3 -screen 0 640x480x24 -nolisten tcp -noreset -extension GLX \
	-fp /usr/share/fonts/X11/misc 3>/tmp/xvfb.ready >/tmp/xvfb.log 2>&1 &
i=0
while [ ! -s /tmp/xvfb.ready ]; do
	i=$((i + 1))
	[ $i -gt 1200 ] && { echo "seam-domU: Xvfb did not start in 120 s"; cat /tmp/xvfb.log; break; }
	usleep 100000
done
echo "seam-domU: Xvfb up at $(cut -d' ' -f1 /proc/uptime) s"
seam-gui-agent --channel vchan:0:6000 -v >/tmp/agent.log 2>&1 &
# Should the next step hang, say where every process waits (on the console dom0 dumps).
(
	sleep 30
	[ -e /tmp/ready.done ] && exit 0
	echo "seam-domU: not ready after 30 s; processes:"
	for p in /proc/[0-9]*; do
		[ -s "$p/cmdline" ] || continue
		echo "  ${p#/proc/} $(tr '\0' ' ' <"$p/cmdline" | cut -c1-60) [$(sed -n 's/^State:\t//p' "$p/status")] $(cat "$p/wchan")"
		sed 's/^/      /' "$p/stack" | head -n 6
	done
) &
xenstore-write data/seam-ready 1
: >/tmp/ready.done
echo "seam-domU: ready at $(cut -d' ' -f1 /proc/uptime) s"

# run_cmd: if dom0 wrote a new command, run it and answer. The last number run is kept in a file:
# the watch loop below runs in a subshell.
echo 0 >/tmp/cmd.last
run_cmd() {
	c=$(xenstore-read data/seam-cmd 2>/dev/null)
	seq=${c%% *}
	[ -z "$c" ] || [ "$seq" = "$(cat /tmp/cmd.last)" ] && return
	echo "$seq" >/tmp/cmd.last
	sh -c "${c#* }" </dev/null >/tmp/cmd.out 2>&1
	rc=$?
	# xenstored refuses a domU's values past 2048 bytes; "--": the output may start with "-".
	xenstore-write -- data/seam-out "$(tail -c 2000 /tmp/cmd.out)"
	xenstore-write data/seam-rc "$seq $rc"
}
# xenstore-watch prints the path once at once and again on every write: no polling while idle.
# Each event re-reads the node, so writes that arrive together are never lost.
xenstore-watch data/seam-cmd 2>/tmp/watch.err | while read -r _; do run_cmd; done
echo "seam-domU: xenstore-watch ended ($(cat /tmp/watch.err)); polling instead"
while :; do
	run_cmd
	usleep 200000
done
