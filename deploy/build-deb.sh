#!/usr/bin/env bash
# make deb: builds the seam-host, seam-guest and seam-tools packages with dpkg-buildpackage, in a
# copy of the source tree (so that neither build/ nor the parent directory of the repository is
# touched), and leaves the .deb files in build/deb/ (or $1). Runs lintian on them where installed.
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-build/deb}")
for t in dpkg-buildpackage dh dpkg-parsechangelog; do
	command -v "$t" >/dev/null || { echo "deb: $t is missing: apt install dpkg-dev debhelper" >&2; exit 1; }
done
version=$(dpkg-parsechangelog -S Version)
work=$(mktemp -d /tmp/seam-deb-XXXXXX)
trap 'rm -rf "$work"' EXIT
src=$work/seam-$version
mkdir -p "$src"
tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
echo "deb: building seam $version in $src"
start=$SECONDS
(cd "$src" && dpkg-buildpackage -us -uc -b)
echo "deb: dpkg-buildpackage took $((SECONDS - start)) s"
mkdir -p "$out"
find "$work" -maxdepth 1 -type f \( -name '*.deb' -o -name '*.ddeb' -o -name '*.buildinfo' \
	-o -name '*.changes' \) -exec mv -t "$out" {} +
ls -l "$out"
if command -v lintian >/dev/null; then
	lintian --info "$out"/seam_"${version}"_*.changes || echo "deb: lintian reported problems (above)"
fi
