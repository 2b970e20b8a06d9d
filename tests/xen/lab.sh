#!/usr/bin/env bash
# The Xen lab: boots Xen 4.17 with a PV dom0 and a PV domU under QEMU's software emulation (TCG)
# and runs Seam's end-to-end and hostile-grant tests across the domain boundary (dom0-test.sh).
#
#   bash tests/xen/lab.sh            (make xen-check builds the programs first)
#   bash tests/xen/lab.sh --shell    the same boot with a shell on the serial console instead of
#                                    the test: run `sh /lab/test.sh`, or `. /lab/lib.sh` and look
#                                    around (Ctrl-a x leaves QEMU)
#
# Steps: fetch and unpack the Debian packages (cached in build/xen-cache), build the initramfs
# images (build/xen), boot. Each boot has a hard timeout; a boot that never reaches the test's
# start marker is retried once; a test failure is never retried. The verdict comes from the
# "SEAM-XEN:" markers on the serial console; the whole console is kept in build/xen/serial.log.
# Without QEMU the lab skips (exit 0) with the reason, except in CI (CI set), where it fails.
# Environment: XEN_BOOT_TIMEOUT (s until the start marker, default 90), XEN_RUN_TIMEOUT (s for a
# whole boot, default 360), XEN_CPU (QEMU's CPU model, default qemu64: with AVX, as in -cpu max,
# the domU's programs crash now and then; see docs/xen.md).
set -uo pipefail
cd "$(dirname "$0")/../.."
START=$(date +%s)
OUT=${OUT:-build/xen}
BOOT_TIMEOUT=${XEN_BOOT_TIMEOUT:-90}
RUN_TIMEOUT=${XEN_RUN_TIMEOUT:-360}
SHELL_MODE=0
case ${1:-} in
--shell) SHELL_MODE=1 ;;
"") ;;
*)
	echo "usage: tests/xen/lab.sh [--shell]" >&2
	exit 2
	;;
esac
QEMU=${QEMU:-qemu-system-x86_64}

elapsed() { echo $(($(date +%s) - START)); }
step() { printf 'xen: %-58s %s (%ss)\n' "$1" "$2" "$(elapsed)"; }
skip_or_fail() {
	if [[ -n ${CI:-} ]]; then
		echo "xen: FAIL: $1 (CI: make deps should have installed it)"
		exit 1
	fi
	echo "xen: SKIP: $1"
	exit 0
}

command -v "$QEMU" >/dev/null 2>&1 || skip_or_fail "$QEMU is not installed (make deps installs qemu-system-x86)"
"$QEMU" -accel help 2>/dev/null | grep -qx tcg || skip_or_fail "$QEMU cannot run: no TCG accelerator"
for t in busybox cpio xz apt-get dpkg; do
	command -v $t >/dev/null 2>&1 || skip_or_fail "$t is not installed (make deps installs it)"
done
[[ -x /bin/busybox ]] || skip_or_fail "/bin/busybox is missing (make deps installs busybox-static)"
file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' ||
	ldd /bin/busybox 2>&1 | grep -q 'not a dynamic' || skip_or_fail "/bin/busybox is not static (install busybox-static)"

if ! log=$(bash tests/xen/fetch.sh 2>&1); then
	echo "$log" | tail -n 5
	step "fetch Xen 4.17 and the kernel (apt-get download)" FAIL
	exit 1
fi
step "packages in build/xen-cache ($(echo "$log" | tail -n 1))" ok
if ! log=$(OUT=$OUT bash tests/xen/mkimages.sh 2>&1); then
	echo "$log" | tail -n 10
	step "build the initramfs images" FAIL
	exit 1
fi
step "images built (${log##*mkimages: })" ok

QEMU_ARGS=(-accel tcg,thread=multi -cpu "${XEN_CPU:-qemu64}" -m 1024 -smp 2 -nographic -no-reboot
	-kernel "$OUT/xen"
	-append "console=com1 com1=115200,8n1 dom0_mem=512M,max:512M dom0_max_vcpus=2 noreboot=false")
DOM0_CMDLINE="console=hvc0 earlyprintk=xen quiet loglevel=3"
if ((SHELL_MODE)); then
	step "booting with a shell on this console (Ctrl-a x quits QEMU)" ""
	exec "$QEMU" "${QEMU_ARGS[@]}" -initrd "$OUT/vmlinuz $DOM0_CMDLINE seam.shell,$OUT/dom0.cpio.gz" \
		-serial mon:stdio -monitor none -display none
fi

# boot N: one QEMU run, console in $OUT/serial-N.log, markers echoed as they come.
# Returns 0 on a verdict line, 2 when the test never started (boot hang), 1 otherwise.
boot() {
	local n=$1 console=$OUT/serial-$1.log
	: >"$console"
	"$QEMU" "${QEMU_ARGS[@]}" -initrd "$OUT/vmlinuz $DOM0_CMDLINE,$OUT/dom0.cpio.gz" \
		-serial "file:$console" -monitor none -display none </dev/null >/dev/null 2>"$OUT/qemu-$n.err" &
	local qpid=$! t0 started=0 seen=0 now line
	t0=$(date +%s)
	while kill -0 $qpid 2>/dev/null; do
		sleep 1
		now=$(($(date +%s) - t0))
		# Echo new markers.
		local lines
		lines=$(grep -a 'SEAM-XEN:' "$console" | tail -n +$((seen + 1)))
		if [[ -n $lines ]]; then
			while IFS= read -r line; do
				line=${line%$'\r'}
				echo "  ${line#*SEAM-XEN: }"
				seen=$((seen + 1))
			done <<<"$lines"
		fi
		grep -aq 'SEAM-XEN: start' "$console" && started=1
		grep -aq 'SEAM-XEN: done' "$console" && { sleep 1; kill $qpid 2>/dev/null; break; }
		if ((!started && now >= BOOT_TIMEOUT)) || ((now >= RUN_TIMEOUT)); then
			kill $qpid 2>/dev/null
			sleep 1
			kill -9 $qpid 2>/dev/null
			break
		fi
	done
	wait $qpid 2>/dev/null
	lines=$(grep -a 'SEAM-XEN:' "$console" | tail -n +$((seen + 1)))
	[[ -n $lines ]] && while IFS= read -r line; do echo "  ${line#*SEAM-XEN: }"; done <<<"$lines"
	grep -aq 'SEAM-XEN: done' "$console" && return 0
	((started)) && return 1
	return 2
}

verdict=""
for attempt in 1 2; do
	step "boot $attempt: Xen 4.17 + PV dom0 + PV domU under QEMU TCG" started
	boot $attempt
	rc=$?
	cp "$OUT/serial-$attempt.log" "$OUT/serial.log"
	if ((rc == 0)); then
		verdict=$(grep -a 'SEAM-XEN: done' "$OUT/serial.log" | tail -n 1 | tr -d '\r')
		break
	fi
	if ((rc == 1)); then
		step "boot $attempt: the test started but did not finish within ${RUN_TIMEOUT}s" FAIL
		break
	fi
	step "boot $attempt: no start marker within ${BOOT_TIMEOUT}s (boot hang)" "$( ((attempt == 1)) && echo 'retrying' || echo FAIL)"
	tail -n 15 "$OUT/serial.log" | sed 's/^/    | /'
	[[ -s $OUT/qemu-$attempt.err ]] && sed 's/^/    qemu: /' "$OUT/qemu-$attempt.err"
done

if [[ $verdict =~ done\ ([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
	p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
else
	p=0 f=1
	echo "xen: no verdict; the console is in $OUT/serial.log"
	tail -n 30 "$OUT/serial.log" | sed 's/^/    | /'
fi
echo "xen: total time $(elapsed) s (serial console: $OUT/serial.log)"
echo "xen: $p passed, $f failed"
((f == 0 && p > 0))
