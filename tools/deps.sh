#!/usr/bin/env bash
# Installs, with apt, every Debian package Seam's build and tests use. Idempotent: installs only what
# is missing, and runs `apt-get update` only when something is. Run as root on Debian 12.
set -euo pipefail

packages=(
	# build
	build-essential pkg-config git
	libxcb1-dev libxcb-shm0-dev libxcb-composite0-dev libxcb-damage0-dev libxcb-xfixes0-dev
	libxcb-xtest0-dev libxcb-icccm4-dev libxcb-ewmh-dev libxcb-image0-dev libxcb-randr0-dev
	libxcb-xkb-dev x11-xkb-utils
	libpixman-1-dev libpulse-dev libxen-dev
	libseccomp-dev
	libpng-dev # seam-menu writes tinted menu icons
	libxcb-render0-dev # seam-xray scales its labels with RENDER
	libxcb-cursor-dev # the daemon shows the host cursor theme
	libsystemd-dev # sd-bus: the agent serves the guest's notifications on its session bus
	xserver-xorg-dev # guest-driver/: seam_drv.so, the guest Xorg's video driver
	# tests: Check, libFuzzer and the sanitizers' runtime
	check clang libclang-rt-14-dev
	# integration tests: X servers, clients and tools
	xvfb xdotool x11-utils x11-apps xterm openbox imagemagick xclip libnotify-bin dbus
	# make install's update-desktop-database (tests/deploy/install.sh)
	desktop-file-utils
	# a host whose keymap setxkbmap can change (tests/integration/keyboard.sh)
	xserver-xorg-core xserver-xorg-video-dummy
	# a real GTK 3 application for the placement and full-screen tests, and the stand-in
	# notification server of tests/deploy/notify.sh
	python3-gi gir1.2-gtk-3.0
	# cursor themes for tests/integration/cursor.sh: the default (Adwaita) and one a host picks
	adwaita-icon-theme dmz-cursor-theme
	# a second window manager for the hostile suite's focus attacks, run in a D-Bus session
	xfwm4 dbus-daemon
	xsettingsd # a host XSETTINGS manager for tests/integration/dpi.sh
	trayer # a host system tray (XEMBED) for tests/integration/tray.sh and the hostile suite
	pulseaudio pulseaudio-utils
	# sandboxes (seam-run) and their tests
	bubblewrap passt python3
	zenity # a GTK application in a domain, on the domain's own session bus
	# the benchmark's peers (xpra needs python3-gi-cairo and python3-pil to paint) and its plot
	xpra python3-gi-cairo python3-pil nxagent gnuplot-nox
	# deployment: unit checks, man pages, the guest session's X cookie, Debian packages
	systemd man-db xauth debhelper dpkg-dev lintian
	# the Xen lab (tests/xen): QEMU and the initramfs tools; Xen and the kernel are fetched with
	# apt-get download into build/, never installed
	qemu-system-x86 busybox-static cpio xz-utils
)

missing=()
for p in "${packages[@]}"; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ $status == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]} == 0)); then
	echo "deps: all ${#packages[@]} packages are installed"
	exit 0
fi
if ((EUID != 0)); then
	echo "deps: missing ${missing[*]}; run 'make deps' as root (or with sudo)" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}"
