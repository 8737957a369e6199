#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-module.sh [--src DIR] KDIR OUTDIR [make args...]
# Build iobus_stress.ko (or, with --src, the out-of-tree module in DIR, e.g.
# the harness's WARN module) against KDIR in a copy of the sources under OUTDIR
# (so builds for different kernels do not clobber each other or the work
# tree), with the compiler KDIR's kernel was built with
# (CONFIG_CC_VERSION_TEXT): on the host when the host has that compiler,
# otherwise in a cached Debian build root of the release that ships it
# (buildroot.sh; Debian 7.3 needs trixie's gcc-14 and glibc), with KDIR's
# kernel cache and OUTDIR bind-mounted at their own paths and /proc mounted
# (objtool reads it).  Prints the path of the .ko; fails on any compiler or
# sparse warning.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=${IBS_TOP:-$(cd "$here/../.." && pwd)}	# IBS_TOP: build another checkout
. "$here/cache.sh"
srcdir=
[ "${1:-}" = --src ] && { srcdir=$(cd "$2" && pwd); shift 2; }
kdir=$(cd "$1" && pwd) out=$2
shift 2
log() { echo "build-module: $*" >&2; }
mkdir -p "$out"
out=$(cd "$out" && pwd)
if [ -n "$srcdir" ]; then
	rsync -a --delete --exclude='*.o' --exclude='*.ko' "$srcdir/" "$out/"
else
	rsync -a --delete --exclude='*.o' --exclude='*.ko' "$top/Kbuild" "$top/VERSION" "$top/module" "$out/"
fi
blog=$out/build.log

cc_text=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$kdir/include/config/auto.conf" 2>/dev/null || true)
cc_bin=${cc_text%% *}
root=
if [ -n "$cc_bin" ] && command -v "$cc_bin" >/dev/null &&
   [ "$("$cc_bin" --version | head -n1)" = "$cc_text" ]; then
	:	# the host has the kernel's own compiler
elif [ -n "$cc_text" ]; then
	case $cc_text in
	*"gcc-12 (Debian 12."*) suite=bookworm ;;
	*"gcc-14 (Debian 14."*) suite=trixie ;;
	*) log "KDIR was built with '$cc_text': no host compiler or known build root matches"; exit 1 ;;
	esac
	root=$("$here/buildroot.sh" "$suite") || exit 1
	log "building in the $suite build root ($cc_text)"
fi

build() {
	ibs_timeout 900 make -C "$kdir" M="$out" "$@" modules >"$blog" 2>&1
}
if [ -z "$root" ]; then
	build "$@" || { cat "$blog" >&2; log "build against $kdir failed"; exit 1; }
else
	# KDIR's symlinks and Makefile point into the kernel cache by absolute
	# path: mount it, OUTDIR and /proc at the same paths inside.
	ibs_lock "buildroot-mount"
	mounts=()
	cleanup() {
		local m
		for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m"; done
	}
	trap cleanup EXIT
	for d in "$IBS_CACHE/kernels" "$out"; do
		mkdir -p "$root$d"
		mount --bind "$d" "$root$d"
		mounts=("$root$d" "${mounts[@]}")
	done
	mount -t proc proc "$root/proc"
	mounts=("$root/proc" "${mounts[@]}")
	if ! ibs_timeout 900 chroot "$root" make -C "$kdir" M="$out" "$@" modules >"$blog" 2>&1; then
		cat "$blog" >&2
		log "build against $kdir in $root failed"
		exit 1
	fi
fi
if grep -E "warning:|error:|^$out.*: " "$blog" | grep -v "Skipping BTF" >&2; then
	log "warnings building against $kdir (log $blog)"
	exit 1
fi
# Kbuild drops C=1 with a make-level line, not a warning (7.3's
# scripts/checker-valid.sh refuses sparse 0.6.4: __typeof_unqual__): say so.
if grep -q "specified, but .* is not available or not up to date" "$blog"; then
	log "C=1: sparse did not run against $kdir: Kbuild's scripts/checker-valid.sh refused the build's sparse"
fi
if [ -n "$srcdir" ]; then
	find "$out" -name '*.ko'
else
	echo "$out/module/iobus_stress.ko"
fi
