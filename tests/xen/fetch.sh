#!/usr/bin/env bash
# Fetch Xen 4.17 (hypervisor, tools, xenstore-utils) and the newest Debian 6.1 kernel with
# `apt-get download`, and unpack them with dpkg -x under $CACHE (default build/xen-cache). Nothing
# is installed into the host's boot setup. A second run finds $CACHE/root/.complete and fetches
# nothing. Prints the chosen kernel version on its last line ("kernel: 6.1.0-N-amd64").
set -euo pipefail
CACHE=${CACHE:-build/xen-cache}
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)
STAMP=$CACHE/root/.complete

if [[ -f $STAMP ]]; then
	echo "kernel: $(cat "$STAMP")"
	exit 0
fi

# The newest 6.1 kernel apt offers (a version apt can fetch: it has a candidate).
newest_kernel() {
	local pkg cand
	for pkg in $(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-amd64$' |
		awk '{print $1}' | sort -V -r); do
		cand=$(apt-cache policy "$pkg" | sed -n 's/^ *Candidate: *//p')
		if [[ $cand =~ ^[0-9] ]]; then
			echo "$pkg"
			return
		fi
	done
}
kernel=$(newest_kernel)
if [[ -z $kernel ]] && ((EUID == 0)); then
	# A machine whose package lists were never fetched (or were cleaned) offers nothing.
	echo "fetch: no kernel in apt's lists; running apt-get update"
	apt-get update -qq
	kernel=$(newest_kernel)
fi
if [[ -z $kernel ]]; then
	echo "fetch: apt offers no linux-image-6.1.0-*-amd64 (run apt-get update?)" >&2
	exit 1
fi
kver=${kernel#linux-image-}

PKGS=(xen-hypervisor-4.17-amd64 xen-utils-4.17 xenstore-utils libxenmisc4.17 libxenstore4
	libxengnttab1 libxenevtchn1 libxencall1 libxenforeignmemory1 libxendevicemodel1
	libxentoolcore1 libxentoollog1 libxenhypfs1 libyajl2 "$kernel")
mkdir -p "$CACHE/debs"
echo "fetch: apt-get download ${PKGS[*]}"
# apt's _apt user must be able to write there, or apt warns; the download works either way.
(cd "$CACHE/debs" && apt-get download -q "${PKGS[@]}" 2>&1 | grep -v '^W: Download is performed unsandboxed' || true)
for p in "${PKGS[@]}"; do
	ls "$CACHE/debs/${p}"_*.deb >/dev/null 2>&1 || { echo "fetch: could not download $p" >&2; exit 1; }
done
rm -rf "$CACHE/root"
mkdir -p "$CACHE/root"
for d in "$CACHE"/debs/*.deb; do dpkg -x "$d" "$CACHE/root"; done
# The lab needs none of the packages' *.d directories (postinst.d, runtime.d...), and the top
# Makefile reads every "*.d" under build/ as a dependency file: remove them.
find "$CACHE/root" -name '*.d' -prune -exec rm -rf {} +
echo "$kver" >"$STAMP"
echo "kernel: $kver"
