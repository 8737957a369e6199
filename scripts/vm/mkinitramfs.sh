#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# mkinitramfs.sh OUT.cpio.gz TEST_SCRIPT NAME FILE...
# Pack busybox-static, scripts/guest/init, the vm-exit helper, TEST_SCRIPT
# (run as /test.sh) and each FILE (placed in /, e.g. iobus_stress.ko and the
# static iobus-stress driver) into a gzip'd newc initramfs.
# KVM_MODULES=DIR (a lib/modules/<kver> tree with decompressed .ko files)
# adds kvm.ko, kvm-amd.ko and their dependencies (modinfo's "depends", so the
# order follows each kernel's own modules) under /kvm/, their load order in
# /kvm/order, and /bin/load-kvm, which insmods them in that order.
# VM_ARCH=arm64: an arm64 guest's: bookworm's arm64 busybox-static (from
# scripts/setup/arm64-sysroot.sh's private arm64 apt state) and vm-exit
# cross-built with aarch64-linux-gnu-gcc (its semihosting exit); the FILEs
# must be arm64 builds (make -C userspace ARCH=arm64).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 test=$2 name=$3
shift 3
vm_arch=${VM_ARCH:-x86_64}
case $vm_arch in
x86_64)
	busybox=/bin/busybox
	file "$busybox" 2>/dev/null | grep -q static || busybox=/usr/bin/busybox
	vmexit=${VM_EXIT_BIN:-$here/guest/vm-exit}
	vm_cc=gcc ;;
arm64)
	sysroot=$("$here/../setup/arm64-sysroot.sh" busybox-static) ||
		{ echo "mkinitramfs: no arm64 busybox-static (scripts/setup/arm64-sysroot.sh)" >&2; exit 2; }
	busybox=$sysroot/bin/busybox
	vmexit=${VM_EXIT_BIN:-$here/guest/vm-exit-arm64}
	vm_cc=aarch64-linux-gnu-gcc ;;
*)
	echo "mkinitramfs: VM_ARCH=$vm_arch: x86_64 or arm64" >&2; exit 2 ;;
esac
[ -x "$busybox" ] || { echo "mkinitramfs: busybox-static missing" >&2; exit 2; }
# kvm_modules DIR OUT: copy kvm-amd.ko and what it depends on, dependencies
# first (depth-first over modinfo's "depends"), and write OUT/order.
kvm_modules() {
	local dir=$1 out=$2 seen=" "
	mkdir -p "$out"
	: > "$out/order"
	add() {	# add NAME
		local name=$1 path dep
		case "$seen" in *" $name "*) return 0 ;; esac
		seen="$seen$name "
		path=$(find "$dir/kernel" -name "$name.ko" -print -quit)
		[ -n "$path" ] || path=$(find "$dir/kernel" -name "${name//_/-}.ko" -print -quit)
		[ -n "$path" ] || { echo "mkinitramfs: $name.ko not in $dir (decompressed?)" >&2; exit 2; }
		for dep in $(/sbin/modinfo -F depends "$path" | tr , ' '); do
			add "$dep"
		done
		cp "$path" "$out/"
		basename "$path" >> "$out/order"
	}
	add kvm_amd
}
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc}
cp "$busybox" "$root/bin/busybox"
cp "$here/guest/init" "$root/init"
cp "$test" "$root/test.sh"
echo "$name" > "$root/test.name"
[ -x "$vmexit" ] || "$vm_cc" -static -O2 -Wall -Werror -o "$vmexit" "$here/guest/vm-exit.c"
cp "$vmexit" "$root/bin/vm-exit"
if [ -n "${KVM_MODULES:-}" ]; then
	kvm_modules "$KVM_MODULES" "$root/kvm"
	cp "$here/guest/load-kvm" "$root/bin/load-kvm"
fi
for f in "$@"; do
	cp "$f" "$root/"
done
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
