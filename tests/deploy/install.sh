#!/usr/bin/env bash
# make install into staging trees, checked file by file: the programs, seam-guest-session, the
# units (with systemd-analyze verify where it exists), the man pages (rendered, and found by man),
# the example configurations (valid, also with every commented setting turned on), and make
# uninstall removing all of it but a configuration the user wrote.
# SEAM_MAKEFILE: the makefile to use (default: Makefile).
set -uo pipefail
cd "$(dirname "$0")/../.."
. tests/integration/lib.sh
it_setup install "$BIN/seam-gui-daemon" "$BIN/seam-gui-agent"

MK=(make -s --no-print-directory -f "${SEAM_MAKEFILE:-Makefile}")
STAGE=$IT_TMP/stage # DESTDIR=$STAGE PREFIX=/usr, as debian/rules does
LOCAL=$IT_TMP/local # PREFIX=$LOCAL with no DESTDIR: the units name programs that exist here
PROGS=$("${MK[@]}" --eval 'seam-print-programs: ; @echo $(notdir $(PROGRAMS))' seam-print-programs)
PROGS="$PROGS seam-guest-session"
SYSTEM_UNITS="seam-gui-daemon@.service seam-audio-daemon@.service seam-guest-session@.service
	seam-gui-agent@.service"
USER_UNITS="seam-gui-daemon@.service seam-audio-daemon@.service seam-gui-agent.service
	seam-audio-agent.service"

check "make install DESTDIR=... PREFIX=/usr succeeds" \
	"${MK[@]}" install DESTDIR="$STAGE" PREFIX=/usr
check "make install PREFIX=... succeeds" \
	"${MK[@]}" install PREFIX="$LOCAL" SYSCONFDIR="$LOCAL/etc"

# GIO lists an application for a type only through the directory's mimeinfo.cache: make install
# writes it, and the entry names no common type (it would become that type's default).
gio_cache() {
	local cache=$LOCAL/share/applications/mimeinfo.cache
	grep -q '^application/octet-stream=.*seam-open-disposable.desktop' "$cache" &&
		! grep -q '^text/plain=.*seam-open-disposable' "$cache" || { cat "$cache"; return 1; }
}
check "the file managers' entry is in GIO's cache, for files of unknown type only" gio_cache

programs() {
	local p
	for p in $PROGS; do
		[[ -f $STAGE/usr/bin/$p && -x $STAGE/usr/bin/$p ]] || { echo "missing: /usr/bin/$p"; return 1; }
	done
	echo "installed: $PROGS"
}
check "every program is in /usr/bin, executable" programs
check "the installed seam-guest-session runs" "$STAGE/usr/bin/seam-guest-session" --help
if pkg-config --exists xorg-server; then
	# Where Debian's Xorg looks with PREFIX=/usr; beside BINDIR otherwise, where the launchers look.
	drv_installed() {
		local f
		for f in "$STAGE/usr/lib/xorg/modules/drivers/seam_drv.so" "$LOCAL/lib/xorg/modules/drivers/seam_drv.so"; do
			[[ -f $f ]] && nm -D --defined-only "$f" | grep -qw seamModuleData || { echo "missing or not a driver: $f"; return 1; }
		done
	}
	check "the guest Xorg driver seam_drv.so is installed in the module tree" drv_installed
else
	echo "install: seam_drv: skipped: xserver-xorg-dev is not installed, so it is not built"
fi

units() {
	local u f
	for u in $SYSTEM_UNITS; do
		f=$STAGE/usr/lib/systemd/system/$u
		[[ -f $f ]] || { echo "missing: $f"; return 1; }
	done
	for u in $USER_UNITS; do
		f=$STAGE/usr/lib/systemd/user/$u
		[[ -f $f ]] || { echo "missing: $f"; return 1; }
	done
	for f in "$STAGE"/usr/lib/systemd/*/*.service; do
		[[ $(stat -c %a "$f") == 644 ]] || { echo "mode of $f: $(stat -c %a "$f")"; return 1; }
		grep -q '@BINDIR@' "$f" && { echo "@BINDIR@ left in $f"; return 1; }
		grep -Eq '^ExecStart=/usr/bin/seam-[a-z-]+' "$f" || { echo "no ExecStart=/usr/bin/seam-* in $f"; return 1; }
	done
	return 0
}
check "the system and user units are installed, naming /usr/bin" units
hardened() {
	local f=$STAGE/usr/lib/systemd/system/seam-gui-daemon@.service k
	for k in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes RuntimeDirectory=seam/%i \
		Restart=on-failure RestartPreventExitStatus=2 CapabilityBoundingSet=; do
		grep -qx "$k" "$f" || { echo "no $k in $f"; return 1; }
	done
}
check "the host daemon's unit is hardened and restarts on failure" hardened

# Least privilege in the host's units (docs/deploy.md): dom0 has no network, so unix sockets only;
# no devices but Xen's; the X socket reachable through PrivateTmp. Each directive once, as written.
least_privilege() {
	local u f k n
	for u in seam-gui-daemon@.service seam-audio-daemon@.service; do
		f=$STAGE/usr/lib/systemd/system/$u
		for k in RestrictAddressFamilies=AF_UNIX NoNewPrivileges=yes ProtectSystem=strict \
			ProtectHome=read-only PrivateTmp=yes SystemCallArchitectures=native \
			CapabilityBoundingSet= RestrictNamespaces=yes RestrictRealtime=yes \
			ProtectProc=invisible DevicePolicy=closed "DeviceAllow=/dev/xen/gntdev rw" \
			"DeviceAllow=/dev/xen/evtchn rw" MemoryDenyWriteExecute=yes LockPersonality=yes; do
			grep -qxF "$k" "$f" || { echo "no $k in $f"; return 1; }
		done
		n=$(grep -c '^RestrictAddressFamilies=' "$f")
		((n == 1)) || { echo "$n RestrictAddressFamilies= lines in $f"; return 1; }
	done
	f=$STAGE/usr/lib/systemd/system/seam-gui-daemon@.service
	grep -qx 'BindReadOnlyPaths=-/tmp/.X11-unix' "$f" || { echo "no X socket in $f's /tmp"; return 1; }
	for u in seam-gui-daemon@.service seam-audio-daemon@.service; do
		f=$STAGE/usr/lib/systemd/user/$u
		grep -qx RestrictAddressFamilies=AF_UNIX "$f" || { echo "no AF_UNIX-only in $f"; return 1; }
	done
}
check "the host units allow unix sockets only, no devices but Xen's, and the usual hardening" \
	least_privilege

manpages() {
	local p page sec warn
	for p in $PROGS; do
		page=
		for sec in 1 8; do
			[[ -f $STAGE/usr/share/man/man$sec/$p.$sec ]] && page=$STAGE/usr/share/man/man$sec/$p.$sec
		done
		[[ -n $page ]] || { echo "no man page for $p"; return 1; }
		warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" 2>&1 >/dev/null)
		[[ -z $warn ]] || { echo "$page: $warn"; return 1; }
		MANPATH=$STAGE/usr/share/man man -w "$p" >/dev/null || { echo "man -w $p finds nothing"; return 1; }
	done
	echo "pages: $(cd "$STAGE/usr/share/man" && echo man*/*)"
}
if command -v man >/dev/null; then
	check "every program has a man page that renders without warnings and man finds" manpages
else
	echo "  skip  man pages (man is not installed: apt install man-db)"
fi

# The example files, as shipped and with every commented "#key = value" line turned on.
conf_examples() {
	local g=$STAGE/etc/seam/guests/work.conf.example c=$STAGE/etc/seam/guest.conf.example
	[[ -f $g && -f $c && -f $STAGE/usr/share/doc/seam/examples/host-user.conf.example ]] || return 1
	"$BIN/seam-gui-daemon" --name work --config "$g" --check-config || return 1
	sed -E 's/^#([a-z_]+ = )/\1/' "$g" >"$IT_TMP/all.conf"
	grep -q '^no_mit_shm = ' "$IT_TMP/all.conf" || { echo "no commented settings found"; return 1; }
	"$BIN/seam-gui-daemon" --name work --config "$IT_TMP/all.conf" --check-config || return 1
	"$STAGE/usr/bin/seam-guest-session" --config "$c" --check-config || return 1
	sed -E 's/^#(SEAM_[A-Z_]+=)/\1/' "$c" >"$IT_TMP/guest.conf"
	"$STAGE/usr/bin/seam-guest-session" --config "$IT_TMP/guest.conf" --check-config
}
check "the example configurations are valid, also with every setting on" conf_examples

# systemd-analyze verify needs the programs and man pages where the units say: the PREFIX tree.
# Template units are verified through an instance.
verify() { # verify system|user DIR
	local scope=$1 dir=$2 u f prog list=() skipped=()
	mkdir -p "$IT_TMP/verify-$scope"
	for f in "$dir"/*.service; do
		u=${f##*/}
		prog=$(sed -nE 's|^ExecStart=[^ ]*/(seam-[a-z-]+).*|\1|p' "$f")
		if [[ ! -x $LOCAL/bin/$prog ]]; then
			skipped+=("$u ($prog is not built by this Makefile)")
			continue
		fi
		cp "$f" "$IT_TMP/verify-$scope/"
		if [[ $u == *@.service ]]; then
			ln -sf "$u" "$IT_TMP/verify-$scope/${u%@.service}@test.service"
			list+=("$IT_TMP/verify-$scope/${u%@.service}@test.service")
		else
			list+=("$IT_TMP/verify-$scope/$u")
		fi
	done
	local s
	for s in "${skipped[@]}"; do echo "not verified: $s" >>"$IT_TMP/notes"; done
	local args=()
	[[ $scope == user ]] && args=(--user)
	mkdir -p -m 0700 "$IT_TMP/xdg"
	XDG_RUNTIME_DIR=$IT_TMP/xdg MANPATH=$LOCAL/share/man SYSTEMD_LOG_LEVEL=notice \
		systemd-analyze "${args[@]}" verify "${list[@]}" 2>&1 | tee "$IT_TMP/verify-$scope.out"
	[[ ${PIPESTATUS[0]} -eq 0 && ! -s $IT_TMP/verify-$scope.out ]]
}
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify: the system units" verify system "$LOCAL/lib/systemd/system"
	check "systemd-analyze verify: the user units" verify user "$LOCAL/lib/systemd/user"
	[[ -s $IT_TMP/notes ]] && sed 's/^/  note  /' "$IT_TMP/notes"
	# systemd's own rating of the host units (0 best, 10 worst; 3.9 before the least-privilege
	# work). Offline, User= is unset, which it counts as root: the drop-in names the user.
	exposure() {
		local u out rc=0
		for u in seam-gui-daemon seam-audio-daemon; do
			out=$(systemd-analyze security --offline=true --threshold=25 \
				"$IT_TMP/verify-system/$u@test.service" 2>&1) || rc=1
			grep 'Overall exposure' <<<"$out"
		done
		return $rc
	}
	if systemd-analyze security --help 2>/dev/null | grep -q -- --offline; then
		check "systemd-analyze security: the host units' exposure is 2.5 or less" exposure
	fi
else
	echo "  skip  systemd-analyze verify (systemd-analyze is not installed: apt install systemd)"
fi

# The Debian packages' file lists (debian/*.install) against what make install puts in debian/tmp
# with debian/rules' arguments: every file in exactly one package, every listed file installed
# (programs this Makefile does not build are noted). dpkg-buildpackage itself: make deb.
DEB=$IT_TMP/deb
debian_lists() {
	"${MK[@]}" install DESTDIR="$DEB" PREFIX=/usr SYSTEMD_UNITDIR=/lib/systemd/system \
		SYSTEMD_USERUNITDIR=/usr/lib/systemd/user || return 1
	local f n rc=0
	(cd "$DEB" && find . -type f | sed 's|^\./||' | sort) >"$IT_TMP/deb.files"
	awk '!/^#/ && NF {print $1}' debian/*.install | sort >"$IT_TMP/deb.listed"
	while read -r f; do
		n=$(grep -cxF "$f" "$IT_TMP/deb.listed")
		# Documentation may go to several packages' doc directories.
		((n == 1)) || [[ $f == usr/share/doc/* && $n -ge 1 ]] ||
			{ echo "$f is in $n packages' .install files"; rc=1; }
	done <"$IT_TMP/deb.files"
	while read -r f; do
		[[ -e $DEB/$f ]] && continue
		if [[ $f == usr/bin/* && " $PROGS " != *" ${f#usr/bin/} "* ]]; then
			echo "not built by this Makefile: $f" >>"$IT_TMP/notes2"
		else
			echo "listed but not installed: $f"
			rc=1
		fi
	done <"$IT_TMP/deb.listed"
	return $rc
}
check "debian/*.install: each installed file in one package, each listed file installed" debian_lists
[[ -s $IT_TMP/notes2 ]] && sed 's/^/  note  /' "$IT_TMP/notes2"

uninstall() {
	mkdir -p "$STAGE/etc/seam/guests" && echo 'label = red' >"$STAGE/etc/seam/guests/mine.conf"
	"${MK[@]}" uninstall DESTDIR="$STAGE" PREFIX=/usr || return 1
	"${MK[@]}" uninstall PREFIX="$LOCAL" SYSCONFDIR="$LOCAL/etc" || return 1
	local left
	"${MK[@]}" uninstall DESTDIR="$DEB" PREFIX=/usr SYSTEMD_UNITDIR=/lib/systemd/system \
		SYSTEMD_USERUNITDIR=/usr/lib/systemd/user || return 1
	left=$(find "$STAGE" "$LOCAL" "$DEB" -type f -o -type l | grep -v '/etc/seam/guests/mine.conf$')
	[[ -z $left ]] || { echo "left behind:" && echo "$left"; return 1; }
	[[ -f $STAGE/etc/seam/guests/mine.conf ]] || { echo "the user's configuration was removed"; return 1; }
}
check "make uninstall removes every installed file, and keeps the user's configuration" uninstall

it_done
