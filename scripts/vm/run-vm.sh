#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-vm.sh [options] -- FILE...
# Boot KERNEL in QEMU (TCG) with an initramfs holding TEST and FILEs, log the
# console, and decide pass/fail from the guest's exit code (vm-exit: 33
# pass, 35 fail) and the console (scripts/check-console.sh).  Prints
# "PASS name" or "FAIL name: reasons".
#   --kernel PATH   bzImage/vmlinuz (required)
#   --test PATH     guest script run as /test.sh (required)
#   --name NAME     test name (for the log file and the verdict line)
#   --logdir DIR    where NAME.log goes (default: build/logs)
#   --smp N --mem MB --timeout SECONDS --append "kernel args" (repeatable)
#   --expect REGEX  a splat that must appear (negative control); repeatable
#   --quiet         do not copy the console to the terminal
#   --cpu MODEL     QEMU -cpu MODEL (default: QEMU's, qemu64); "max" emulates
#                   AMD SVM with nested paging, for a guest /dev/kvm
#   --kvm-modules DIR  put DIR's kvm modules (DIR = a lib/modules/<kver>
#                   tree, e.g. stock-kernel.sh's DIR/modules) in the
#                   initramfs; the guest loads them with /bin/load-kvm
#   --arch arm64    qemu-system-aarch64 -M virt,virtualization=on -cpu max
#                   (the guest kernel at EL2, so KVM works in it), console
#                   ttyAMA0, the exit code by semihosting (vm-exit.c); the
#                   FILEs and KERNEL must be arm64's.  Default: x86_64,
#                   qemu-system-x86_64 with isa-debug-exit.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
kernel= test= name=vm logdir=build/logs smp=2 mem=1024 timeout=300 append= quiet=0 arch=x86_64 cpu= kvm_modules=
expects=()
while [ $# -gt 0 ]; do
	case "$1" in
	--kernel) kernel=$2; shift 2 ;;
	--test) test=$2; shift 2 ;;
	--name) name=$2; shift 2 ;;
	--logdir) logdir=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--append) append="$append $2"; shift 2 ;;	# repeatable
	--expect) expects+=(--expect "$2"); shift 2 ;;
	--quiet) quiet=1; shift ;;
	--cpu) cpu=$2; shift 2 ;;
	--kvm-modules) kvm_modules=$2; shift 2 ;;
	--arch) arch=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "run-vm: unknown option $1" >&2; exit 2 ;;
	esac
done
# children_cpu: set CPU to the user+sys seconds of every child this shell
# has reaped (QEMU under timeout, whose rusage includes QEMU's).  `times`
# must run in this shell, not in a pipeline or $(): a subshell's are its own.
children_cpu() {
	local f
	f=$(mktemp)
	times >"$f"
	CPU=$(tail -n1 "$f" | awk '{ t = 0
		for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] }
		print t }')
	rm -f "$f"
}
[ -r "$kernel" ] || { echo "run-vm: --kernel $kernel not readable" >&2; exit 2; }
[ -r "$test" ] || { echo "run-vm: --test $test not readable" >&2; exit 2; }
case $arch in x86_64|arm64) ;; *) echo "run-vm: --arch $arch: x86_64 or arm64" >&2; exit 2 ;; esac
mkdir -p "$logdir"
log=$logdir/$name.log
initrd=$(mktemp --suffix=.cpio.gz)
VM_ARCH=$arch KVM_MODULES=$kvm_modules "$here/mkinitramfs.sh" "$initrd" "$test" "$name" "$@" || exit 2
start=$(date +%s)
# Host load around the run: timings taken on a busy host are marked loaded.
hstate=$(mktemp)
trap 'rm -f "$initrd" "$hstate"' EXIT
"$here/host-load.py" begin "$hstate"
children_cpu
cpu_before=$CPU
# tsc=unstable: under TCG the vCPUs are host threads that get descheduled,
# so the guest's clocksource watchdog may declare the TSC unstable at any
# moment and switch clocksource in the middle of a measurement (Debian
# 6.12 booted on tsc-early).  Ruling the TSC out at boot makes every kernel
# measure with hpet from its first to its last sample; the cost, an
# emulated MMIO read per ktime_get_ns(), is the same on every kernel.
# shellcheck disable=SC2054 # the commas are inside QEMU's option values
if [ "$arch" = arm64 ]; then
	# The architected counter (arch_sys_counter) is the clocksource:
	# no TSC-like watchdog switch to rule out.  Semihosting carries
	# vm-exit's status; userspace=on lets the guest's PID 1 tree use it
	# (the guest is this initramfs; semihosting also opens host files).
	qemu=(qemu-system-aarch64 -M virt,virtualization=on -cpu "${cpu:-max}"
	      -accel tcg,thread=multi -smp "$smp" -m "$mem"
	      -nographic -no-reboot -kernel "$kernel" -initrd "$initrd"
	      -semihosting-config enable=on,target=native,userspace=on
	      -append "console=ttyAMA0 panic=-1 oops=panic loglevel=7 $append")
else
	qemu=(qemu-system-x86_64 -accel tcg,thread=multi -smp "$smp" -m "$mem"
	      -nographic -no-reboot -kernel "$kernel" -initrd "$initrd"
	      -device isa-debug-exit,iobase=0xf4,iosize=0x01
	      -append "console=ttyS0 panic=-1 oops=panic loglevel=7 tsc=unstable $append")
	[ -n "$cpu" ] && qemu+=(-cpu "$cpu")
fi
if [ "$quiet" = 1 ]; then
	timeout --kill-after=10 "$timeout" "${qemu[@]}" </dev/null >"$log" 2>&1
	status=$?
else
	timeout --kill-after=10 "$timeout" "${qemu[@]}" </dev/null 2>&1 | tee "$log"
	status=${PIPESTATUS[0]}
fi
secs=$(( $(date +%s) - start ))
children_cpu
host=$("$here/host-load.py" end "$hstate" "$(awk -v a="$CPU" -v b="$cpu_before" 'BEGIN {print a - b}')")
echo "$host" >"$logdir/$name.host"
reasons=$("$here/check-console.sh" "$log" "${expects[@]}")
crc=$?
case $status in
33) ;;
35) reasons="guest test script failed${reasons:+$'\n'}$reasons"; crc=1 ;;
124|137) reasons="timeout after ${timeout}s${reasons:+$'\n'}$reasons"; crc=1 ;;
0) reasons="guest ended without a pass code (panic or poweroff)${reasons:+$'\n'}$reasons"; crc=1 ;;
*) reasons="qemu exit status $status${reasons:+$'\n'}$reasons"; crc=1 ;;
esac
# The clocksource the run measured with: the same at both ends, never a
# jiffies one (every latency would be quantised to a jiffy).
cs=$(grep -o 'clocksource=[^ ]*' "$log" | head -n1 | tr -d '\r')
cs_end=$(grep -o 'clocksource at end=[^ ]*' "$log" | head -n1 | tr -d '\r')
cs_end=${cs_end#clocksource at end=}
if grep -q 'iobus-harness: end of test' "$log"; then
	if [ "${cs#clocksource=}" != "$cs_end" ]; then
		reasons="clocksource changed during the run: ${cs#clocksource=} -> ${cs_end:-?}${reasons:+$'\n'}$reasons"
		crc=1
	elif echo "$cs_end" | grep -q jiffies; then
		reasons="the run measured on a jiffies clocksource${reasons:+$'\n'}$reasons"
		crc=1
	fi
fi
if [ "$crc" -eq 0 ]; then
	echo "PASS $name (${secs}s, ${cs:-clocksource=?}, $host, log $log)"
	exit 0
fi
echo "FAIL $name (${secs}s, ${cs:-clocksource=?}, $host, log $log):"
echo "$reasons" | sed 's/^/  /'
exit 1
