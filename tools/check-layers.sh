#!/usr/bin/env bash
# Checks that a program's components depend on each other one way only.
#
# DIR/LAYERS names the components of DIR, one per line, lowest first ('#' starts a comment). A
# component NAME is its header DIR/NAME.h, its files DIR/NAME.c and DIR/NAME_*.c, and its private
# headers DIR/NAME_*.h (what its own files share). A file may include the header of its own
# component and of components listed before it, never of one listed after it, and a private
# header only of its own component; a .c or .h file of DIR that belongs to no listed component
# fails the check. Usage: tools/check-layers.sh DIR...
set -euo pipefail

fail=0
for dir in "$@"; do
	layers=$dir/LAYERS
	if [[ ! -f $layers ]]; then
		echo "check-layers: $layers is missing" >&2
		fail=1
		continue
	fi
	declare -A rank=()
	i=0
	while read -r line; do
		line=${line%%#*}
		for name in $line; do
			rank[$name]=$i
			i=$((i + 1))
		done
	done <"$layers"
	for f in "$dir"/*.c "$dir"/*.h; do
		[[ -e $f ]] || continue
		base=$(basename "$f")
		stem=${base%.*}
		own=
		if [[ -n ${rank[$stem]+x} ]]; then
			own=$stem
		elif [[ -n ${rank[${stem%%_*}]+x} ]]; then
			own=${stem%%_*}
		fi
		if [[ -z $own ]]; then
			echo "check-layers: $f belongs to no component of $layers" >&2
			fail=1
			continue
		fi
		while read -r inc; do
			name=$(basename "$inc" .h)
			[[ $inc == "$dir/"* || $inc != */* ]] || continue
			if [[ -z ${rank[$name]+x} && -n ${rank[${name%%_*}]+x} ]]; then
				if [[ ${name%%_*} != "$own" ]]; then
					echo "check-layers: $f ($own) includes $inc, private to ${name%%_*}" >&2
					fail=1
				fi
				continue
			fi
			[[ -n ${rank[$name]+x} ]] || continue
			if ((rank[$name] > rank[$own])); then
				echo "check-layers: $f ($own) includes $inc, a component above it" >&2
				fail=1
			fi
		done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
	done
	unset rank
done
if ((fail)); then
	exit 1
fi
echo "check-layers: $* depend one way only"
