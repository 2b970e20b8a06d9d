#!/bin/sh
# seam-lab-xorg DISPLAY SOCKET DOMID: in the lab's domU, Xorg with Seam's driver seam_drv on
# DISPLAY, its window pixmaps in pages granted to domain DOMID (SeamGrantDomain) and its agent
# socket at SOCKET; returns once the server accepts clients (its log: /tmp/xorg-drv.log).
d=$1 sock=$2 domid=$3
cat >/tmp/xorg-drv.conf <<CONF
Section "ServerFlags"
	Option "AutoAddDevices" "false"
	Option "AutoEnableDevices" "false"
	Option "DontVTSwitch" "true"
EndSection
Section "Module"
	Disable "glx"
EndSection
Section "Device"
	Identifier "seam"
	Driver "seam"
	Option "SeamSocket" "$sock"
	Option "SeamGrantDomain" "$domid"
EndSection
Section "Screen"
	Identifier "seam"
	Device "seam"
	DefaultDepth 24
	SubSection "Display"
		Depth 24
		Virtual 640 480
	EndSubSection
EndSection
CONF
mkdir -p /tmp/xorg-drv.conf.d
Xorg "$d" -config /tmp/xorg-drv.conf -configdir /tmp/xorg-drv.conf.d -logfile /tmp/xorg-drv.log \
	-modulepath /usr/lib/xorg/modules -nolisten tcp -noreset -fp /usr/share/fonts/X11/misc \
	-displayfd 3 3>/tmp/xorg-drv.ready >/tmp/xorg-drv.out 2>&1 &
i=0
while [ ! -s /tmp/xorg-drv.ready ]; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 $! 2>/dev/null; then
		echo "Xorg did not start:"
		grep -E '\((EE|WW)\)' /tmp/xorg-drv.log | tail -n 8
		tail -n 5 /tmp/xorg-drv.out
		exit 1
	fi
	usleep 100000
done
echo "Xorg with seam_drv on $d"
