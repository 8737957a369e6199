#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# run-local.sh [--kernel SERIES] [--outdir DIR] [--job JOB.yaml] [--no-check]:
# run a LAVA job here, with Debian's lava-dispatcher (`lava-run`, as
# root, no LAVA server): build the ramdisk (scripts/vm/mkinitramfs.sh:
# the driver, iobus_stress.ko for SERIES' Debian kernel, its kvm modules,
# guest/shell.sh as the test, guest/ktap-lava.sh), render jobs/qemu.yaml
# with file:// URLs and the test definition inline (render-job.py), run
# it on the device kept in devices/qemu-iobus-01.yaml, then check what
# LAVA recorded against the KTAP the driver printed (check-results.py).
# Before it, lava-run --validate checks the real-host job (jobs/x86-host.yaml).
#   --kernel SERIES  Debian kernel (scripts/setup/stock-kernel.sh; 7.3)
#   --outdir DIR     job.yaml, lava.log (lava-run's log), lava/ (its
#                    output dir); default build/lava
#   --job FILE       another job template with the same placeholders
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
series=7.3 outdir=$top/build/lava job=$here/jobs/qemu.yaml check=1
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) series=$2; shift 2 ;;
	--outdir) outdir=$2; shift 2 ;;
	--job) job=$2; shift 2 ;;
	--no-check) check=0; shift ;;
	*) echo "run-local: unknown option $1" >&2; exit 2 ;;
	esac
done
[ "$(id -u)" = 0 ] || { echo "run-local: lava-run must run as root" >&2; exit 2; }
command -v lava-run >/dev/null ||
	{ echo "run-local: no lava-run (apt-get install lava-dispatcher)" >&2; exit 2; }
mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
read -r img kdir kpkg < <("$top/scripts/setup/stock-kernel.sh" "$series") ||
	{ echo "run-local: cannot fetch Debian's $series kernel" >&2; exit 1; }
drv=$top/userspace/iobus-stress
ko=$top/build/stock-$series/module/iobus_stress.ko
make -s -C "$top/userspace" iobus-stress || exit 1
[ -r "$ko" ] || "$top/scripts/setup/build-module.sh" "$kdir" "$top/build/stock-$series" >/dev/null || exit 1
ramdisk=$outdir/ramdisk.cpio.gz
KVM_MODULES=$kpkg/modules "$top/scripts/vm/mkinitramfs.sh" "$ramdisk" "$here/guest/shell.sh" lava \
	"$drv" "$ko" "$here/guest/ktap-lava.sh" "$top/scripts/checks/guest/lib.sh" || exit 1
"$here/render-job.py" "$job" --inline "$here/iobus-stress.yaml" \
	"KERNEL_URL=file://$img" "RAMDISK_URL=file://$ramdisk" "KERNEL=$(cat "$kpkg/kver")" \
	>"$outdir/job.yaml" || exit 1
# The real-host job is not run here (no lab): lava-run --validate must
# accept it on its device (an example address; nothing is contacted).
"$here/render-job.py" "$here/jobs/x86-host.yaml" "REPO=file://$top" HOST=x86-kvm-host-01 \
	>"$outdir/x86-host-job.yaml" || exit 1
if lava-run --validate --job-id "validate-$$" --output-dir "$outdir/validate" \
	--device "$here/devices/x86-kvm-host-01.yaml" "$outdir/x86-host-job.yaml" \
	>"$outdir/x86-host-validate.log" 2>&1; then
	echo "ok: lava-run --validate accepts jobs/x86-host.yaml on devices/x86-kvm-host-01.yaml"
else
	echo "FAIL: lava-run --validate rejects jobs/x86-host.yaml: $(grep -o '"error_msg": "[^"]*"' "$outdir/x86-host-validate.log" | tail -n 1)"
	exit 1
fi
# lava-run keeps its downloads under /var/lib/lava/dispatcher/tmp/JOB_ID
# (removed at the end): a fresh id per run, so two runs never share one.
id=$(date +%s)$$
rm -rf "$outdir/lava"
echo "run-local: lava-run --job-id $id (Debian $(dpkg-query -W -f='${Version}' lava-dispatcher)), log $outdir/lava.log"
start=$SECONDS
lava-run --job-id "$id" --output-dir "$outdir/lava" \
	--device "$here/devices/qemu-iobus-01.yaml" "$outdir/job.yaml" >"$outdir/lava.log" 2>&1
rc=$?
secs=$((SECONDS - start)) n=$(grep -c '"lvl": "results"' "$outdir/lava.log")
if [ "$rc" = 0 ]; then
	echo "ok: lava-run completed the job in $secs s ($n results logged)"
else
	echo "FAIL: lava-run exited $rc after $secs s ($n results logged; log $outdir/lava.log)"
	grep '"error_msg"' "$outdir/lava.log" | tail -n 3
fi
[ "$check" = 1 ] || exit $rc
"$here/check-results.py" "$outdir/lava.log" "$outdir/lava/result.yaml"
