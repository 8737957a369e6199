#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make-run.sh [iobus-stress run flags]: the main job (`make run`).  Fetch
# Debian's stock kernel $KERNEL (6.1, 6.12 or 7.3; default 7.3, the first
# with the call_srcu() change), build the module with that kernel's own
# headers and compiler and the static driver, boot the kernel in QEMU (TCG,
# 2 vCPUs) and run `iobus-stress run FLAGS` there, console shown live.
# ARCH=arm64 (docs/arm64.md): Debian's stock arm64 kernel $KERNEL in
# qemu-system-aarch64 (virtualization=on, so the guest has a /dev/kvm) and
# first, on 7.3, the module's stress run `iobus-stress run FLAGS` (the
# module cross-built by build-module-arm64.sh; not built yet for 6.1 and
# 6.12, where FLAGS are not used), then `iobus-stress kvm` there, the
# driver cross-built static.  KVM_REPEAT=N timing VMs
# (default 20: with the driver's 5, a busy 2-core host left 6.1's diagnosis
# inconclusive, too noisy).  The run's JSON goes to
# build/logs/run-arm64-$KERNEL.kvm.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
S=scripts
kernel=${KERNEL:-7.3}
case $kernel in
6.1|6.12|7.3) ;;
*) echo "make run: KERNEL=$kernel: choose 6.1, 6.12 or 7.3" >&2; exit 2 ;;
esac
case ${ARCH:-} in
""|x86|x86_64|amd64) ;;
arm64)
	"$S/setup/deps.sh" --arm64
	kpkg=$("$S/setup/fetch-kernel.sh" --arch arm64 "$kernel")
	echo "make run: Debian $(cat "$kpkg/kver") ($(cat "$kpkg/pkgversion"))" >&2
	files=()
	if [ "$kernel" = 7.3 ]; then
		files=("$("$S/setup/build-module-arm64.sh" "$kernel" "build/arm64-$kernel")" build/run.args)
		mkdir -p build
		echo "$*" > build/run.args
	else
		echo "make run ARCH=arm64: the module is not built for arm64 $kernel yet (7.3 only); running the real-KVM part, iobus-stress kvm, in an arm64 guest${*:+ (FLAGS $* unused)}"
	fi
	make -s -C userspace ARCH=arm64
	name=run-arm64-$kernel
	start=$(date +%s)
	rc=0
	"$S/vm/run-vm.sh" --arch arm64 --mem 2048 --kernel "$kpkg/vmlinuz" \
		--test "$S/checks/guest/kvm-run.sh" --name "$name" \
		--append "KVM_REPEAT=${KVM_REPEAT:-20}" \
		--timeout "${RUN_TIMEOUT:-600}" -- userspace/arm64/iobus-stress \
		"$S/checks/guest/lib.sh" "${files[@]}" || rc=$?
	sed -n '/^----- BEGIN FILE kvm.json/,/^----- END FILE kvm.json/p' "build/logs/$name.log" |
		sed '1d;$d' | tr -d '\r' >"build/logs/$name.kvm.json"
	if [ -s "build/logs/$name.kvm.json" ]; then
		echo "make run: build/logs/$name.kvm.json ($(( $(date +%s) - start )) s boot and run)"
	else
		rm -f "build/logs/$name.kvm.json"
		echo "make run: no kvm.json in build/logs/$name.log" >&2
		[ "$rc" -ne 0 ] || rc=1
	fi
	exit "$rc" ;;
*) echo "make run: ARCH=$ARCH: x86_64 (the default) or arm64" >&2; exit 2 ;;
esac
"$S/setup/deps.sh"
read -r img kdir kpkg < <("$S/setup/stock-kernel.sh" "$kernel")
[ -n "$kpkg" ] || exit 1
echo "make run: Debian $(cat "$kpkg/kver") ($(cat "$kpkg/pkgversion"))" >&2
ko=$("$S/setup/build-module.sh" "$kdir" "build/stock-$kernel")
make -s -C userspace iobus-stress
mkdir -p build
echo "$*" > build/run.args
exec "$S/vm/run-vm.sh" --kernel "$img" --test "$S/checks/guest/driver-run.sh" \
	--name "run-$kernel" --timeout "${RUN_TIMEOUT:-600}" -- "$ko" \
	userspace/iobus-stress "$S/checks/guest/lib.sh" build/run.args
