#!/bin/sh
# The domU's /init in the Xen lab: a guest X server, a test client with a known picture, and
# seam-gui-agent over vchan to dom0. Then it runs what dom0 asks through xenstore:
#   dom0 writes  data/seam-cmd = "SEQ SHELL-COMMAND"
#   we answer    data/seam-out = the command's last output bytes, then data/seam-rc = "SEQ STATUS"
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
Xvfb :0 -screen 0 640x480x24 -nolisten tcp -noreset -extension GLX -fp /usr/share/fonts/X11/misc \
	>/tmp/xvfb.log 2>&1 &
i=0
while ! seam-xprobe count nothing >/dev/null 2>&1; do
	i=$((i + 1))
	[ $i -gt 300 ] && { echo "seam-domU: Xvfb did not start"; cat /tmp/xvfb.log; break; }
	usleep 100000
done
echo "seam-domU: Xvfb up at $(cut -d' ' -f1 /proc/uptime) s"
seam-testclient --pattern --title hello --size 200x150 --pos 20,20 --log /tmp/client.log \
	>/tmp/client.out 2>&1 &
seam-gui-agent --channel vchan:0:6000 -v >/tmp/agent.log 2>&1 &
xenstore-write data/seam-ready 1

last=0
while :; do
	c=$(xenstore-read data/seam-cmd 2>/dev/null)
	seq=${c%% *}
	if [ -n "$c" ] && [ "$seq" != "$last" ]; then
		last=$seq
		sh -c "${c#* }" >/tmp/cmd.out 2>&1
		rc=$?
		xenstore-write data/seam-out "$(tail -c 3000 /tmp/cmd.out)"
		xenstore-write data/seam-rc "$seq $rc"
	fi
	usleep 50000
done
