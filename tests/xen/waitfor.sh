#!/bin/sh
# seam-waitfor [-s] SECONDS FILE LINE...: wait until FILE holds every LINE (whole lines, or with
# -s substrings of lines; fixed strings), polling 5 times a second; exit 1 with the file's tail
# after SECONDS. Used by the Xen lab, where one exec costs tens of milliseconds under emulation.
how=-qxF
[ "$1" = -s ] && { how=-qF; shift; }
t=$1 f=$2
shift 2
end=$(($(cut -d. -f1 /proc/uptime) + t))
for line in "$@"; do
	while ! grep $how -- "$line" "$f" 2>/dev/null; do
		if [ "$(cut -d. -f1 /proc/uptime)" -ge "$end" ]; then
			echo "no line '$line' in $f after ${t}s; it ends with:"
			tail -n 4 "$f" 2>/dev/null
			exit 1
		fi
		usleep 200000
	done
done
