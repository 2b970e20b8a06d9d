#!/bin/sh
# dom0's /init in the Xen lab: bring up the Xen control stack (modules, xenfs, xenstored,
# xenconsoled), run /lab/test.sh, print the verdict markers, reboot (QEMU then exits).
/bin/busybox --install -s /bin
export PATH=/bin:/sbin:/usr/bin:/usr/lib/xen-4.17/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /dev/shm
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
echo "SEAM-XEN: dom0 init at $(cut -d' ' -f1 /proc/uptime) s"
for m in xen-evtchn xen-privcmd xenfs xen-gntdev xen-gntalloc; do
	insmod /lib/modules/$m.ko || echo "SEAM-XEN: FAIL boot insmod $m"
done
mkdir -p /proc/xen
mount -t xenfs xenfs /proc/xen
mkdir -p /var/run/xenstored /var/lib/xenstored
xenstored --pid-file /var/run/xenstored.pid
xen-init-dom0 >/tmp/xen-init-dom0.log 2>&1
xenconsoled --log=guest --log-dir=/var/log/xen/console
if xl info >/tmp/xl-info.log 2>&1; then
	echo "SEAM-XEN: start (xenstored and xl ready at $(cut -d' ' -f1 /proc/uptime) s)"
	if grep -q 'seam\.shell' /proc/cmdline; then
		# By hand (tests/xen/lab.sh --shell): a shell on the console; /lab/test.sh runs the test,
		# and the domU runs what `g COMMAND` (defined in /lab/test.sh) sends it.
		echo "SEAM-XEN: shell (run: sh /lab/test.sh; poweroff with: reboot -f)"
		setsid sh -c 'exec sh </dev/hvc0 >/dev/hvc0 2>&1'
	else
		sh /lab/test.sh
	fi
else
	cat /tmp/xl-info.log
	echo "SEAM-XEN: FAIL boot xl info does not answer"
	echo "SEAM-XEN: done 0 passed, 1 failed"
fi
sync
reboot -f
