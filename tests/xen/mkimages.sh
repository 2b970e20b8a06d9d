#!/usr/bin/env bash
# Build the lab's boot files under $OUT (default build/xen) from the unpacked packages in $CACHE
# (tests/xen/fetch.sh) and Seam's freshly built programs:
#   xen            the hypervisor (decompressed from the package's xen-4.17-amd64.gz)
#   vmlinuz        dom0's kernel (the package's bzImage)
#   dom0.cpio.gz   dom0's initramfs: busybox, Xen's tools, Xvfb, the daemon (and an agent for the
#                  latency baseline), seam-xprobe, xdotool,
#                  and under /lab the domU's kernel (vmlinux), its initramfs and its xl config
#   domU.cpio.gz   the domU's initramfs: busybox, Xvfb, the agent, seam-testclient, the rogue agent,
#                  and where Seam's guest driver is built, Xorg with seam_drv (seam-lab-xorg)
# Binaries are the host's (Debian 12, same glibc) with every library ldd names.
set -euo pipefail
CACHE=${CACHE:-build/xen-cache}
OUT=${OUT:-build/xen}
BIN=${BIN:-build/bin}
TBIN=${TBIN:-build/tests}
HERE=$(cd "$(dirname "$0")" && pwd)
R=$(cd "$CACHE/root" && pwd)
KVER=$(cat "$R/.complete")
XENLIB=$R/usr/lib/x86_64-linux-gnu
MODDIR=$R/lib/modules/$KVER/kernel/drivers/xen
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

# copy_file ROOT FILE [DEST]: FILE (symlinks followed) into ROOT at DEST (default: the same path).
copy_file() {
	local root=$1 f=$2 dest=${3:-$2}
	mkdir -p "$root$(dirname "$dest")"
	cp -L "$f" "$root$dest"
}

# add_bin ROOT FILE...: programs with every library ldd names (Xen's from the unpacked packages).
add_bin() {
	local root=$1 f lib
	shift
	for f in "$@"; do
		[[ -x $f ]] || { echo "mkimages: missing $f" >&2; return 1; }
		copy_file "$root" "$f" "/usr/bin/$(basename "$f")"
		for lib in $(LD_LIBRARY_PATH=$XENLIB ldd "$f" | awk '/=> \//{print $3} /^\t\/lib/{print $1}'); do
			case $lib in
			"$XENLIB"/*) dest=/usr/lib/x86_64-linux-gnu/${lib##*/} ;;
			*) dest=$lib ;;
			esac
			[[ -e $root$dest ]] || copy_file "$root" "$lib" "$dest"
		done
	done
}

# base ROOT: busybox, the directory layout, Xvfb with its keymaps and two fonts, kernel modules.
base() {
	local root=$1
	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/lib/x86_64-linux-gnu,lib64,proc,sys,dev,tmp,run,etc,var/lib/xkb,var/run,var/log,root}
	ln -s usr/lib "$root/lib"
	cp /bin/busybox "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	add_bin "$root" /usr/bin/Xvfb /usr/bin/xkbcomp /usr/bin/xdotool
	cp -a /usr/share/X11/xkb "$root/usr/share/X11/" 2>/dev/null || { mkdir -p "$root/usr/share/X11"; cp -a /usr/share/X11/xkb "$root/usr/share/X11/"; }
	local fonts=/usr/share/fonts/X11/misc
	mkdir -p "$root$fonts"
	cp "$fonts"/fonts.dir "$fonts"/fonts.alias "$fonts"/cursor.pcf.gz "$fonts"/6x13*.pcf.gz "$root$fonts/"
	# Xlib's locale database: without it xdotool cannot decode a window name and finds nothing.
	mkdir -p "$root/usr/share/X11/locale"
	cp -a /usr/share/X11/locale/C /usr/share/X11/locale/locale.alias /usr/share/X11/locale/locale.dir \
		/usr/share/X11/locale/compose.dir "$root/usr/share/X11/locale/"
	mkdir -p "$root/lib/modules"
	cp "$MODDIR"/xen-evtchn.ko "$MODDIR"/xen-gntalloc.ko "$MODDIR"/xen-gntdev.ko \
		"$MODDIR"/xen-privcmd.ko "$MODDIR"/xenfs/xenfs.ko "$root/lib/modules/"
	add_bin "$root" "$R/usr/bin/xenstore"
	for t in read write exists rm chmod ls list watch; do ln -sf xenstore "$root/usr/bin/xenstore-$t"; done
	echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
	echo "root:x:0:" >"$root/etc/group"
}

pack() { (cd "$1" && find . | cpio -o -H newc --quiet) | gzip -1 >"$2"; }

# The domU.
U=$OUT/domU-root
base "$U"
add_bin "$U" "$BIN/seam-gui-agent" "$TBIN/seam-testclient" "$TBIN/seam-xprobe" \
	"$TBIN/seam-rogue-grants" $(ls "$TBIN/seam-xen-latency" 2>/dev/null)
# Xorg with Seam's driver (the driver's grant pages): its server, the driver, the start script.
DRV=build/lib/xorg/modules/drivers/seam_drv.so
if [[ -e $DRV && -x /usr/lib/xorg/Xorg ]]; then
	add_bin "$U" /usr/lib/xorg/Xorg
	copy_file "$U" "$DRV" /usr/lib/xorg/modules/drivers/seam_drv.so
	install -m 0755 "$HERE/domu-xorg.sh" "$U/usr/bin/seam-lab-xorg"
	add_bin "$U" "$TBIN/seam-drv-client"
fi
install -m 0755 "$HERE/domu-init.sh" "$U/init"
install -m 0755 "$HERE/waitfor.sh" "$U/usr/bin/seam-waitfor"
pack "$U" "$OUT/domU.cpio.gz"

# The domU kernel: the bzImage's xz payload, decompressed and stripped (xl create loads it in ~3 s
# under TCG instead of ~14 s for the bzImage).
VMLINUZ=$R/boot/vmlinuz-$KVER
if [[ ! -f $OUT/vmlinux-$KVER ]]; then
	off=$(LC_ALL=C grep -obUaP '\xfd7zXZ\x00' "$VMLINUZ" | head -n1 | cut -d: -f1)
	tail -c +$((off + 1)) "$VMLINUZ" | xz -dc 2>/dev/null >"$OUT/vmlinux.tmp" || true
	strip -s "$OUT/vmlinux.tmp" -o "$OUT/vmlinux-$KVER"
	rm -f "$OUT/vmlinux.tmp"
fi

# dom0.
D=$OUT/dom0-root
base "$D"
XB=/usr/lib/xen-4.17/bin
for t in xl xenstored xen-init-dom0 xenconsoled; do
	add_bin "$D" "$R$XB/$t"
done
# xl loads libgcc_s at run time (pthread_cancel), so ldd does not list it.
copy_file "$D" /lib/x86_64-linux-gnu/libgcc_s.so.1 /usr/lib/x86_64-linux-gnu/libgcc_s.so.1
add_bin "$D" "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent" "$TBIN/seam-xprobe" $(ls "$TBIN/seam-xen-latency" 2>/dev/null)
mkdir -p "$D/etc/xen" "$D/var/lib/xen" "$D/var/run/xen" "$D/var/log/xen/console" "$D/lab"
: >"$D/etc/xen/xl.conf"
cp "$OUT/domU.cpio.gz" "$D/lab/domU.cpio.gz"
cp "$OUT/vmlinux-$KVER" "$D/lab/vmlinux"
install -m 0755 "$HERE/dom0-init.sh" "$D/init"
install -m 0755 "$HERE/dom0-test.sh" "$D/lab/test.sh"
install -m 0644 "$HERE/dom0-lib.sh" "$D/lab/lib.sh"
install -m 0755 "$HERE/waitfor.sh" "$D/usr/bin/seam-waitfor"
pack "$D" "$OUT/dom0.cpio.gz"

zcat "$R/boot/xen-4.17-amd64.gz" >"$OUT/xen"
cp "$VMLINUZ" "$OUT/vmlinuz"
# The trees stay in $OUT for inspection (chroot $OUT/dom0-root /bin/sh).
echo "mkimages: $(du -h "$OUT/dom0.cpio.gz" | cut -f1) dom0 image, $(du -h "$OUT/domU.cpio.gz" | cut -f1) domU image, kernel $KVER"
