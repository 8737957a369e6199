#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# buildroot.sh SUITE [PKG,...]: make (or reuse) a minimal Debian SUITE build
# root with debootstrap, for kernels whose kbuild binaries and compiler the
# host cannot run (Debian 7.3 is built with trixie's gcc-14 and glibc); PKG,...
# are installed besides (build-module-arm64.sh: the arm64 cross compiler and
# what modules_prepare builds with).  Prints its path.  Cache:
# $IBS_CACHE/buildroot-SUITE-<key>, the key hashing the package list and
# RECIPE; made under a lock, published by atomic rename.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"
suite=${1:?usage: buildroot.sh SUITE [PKG,...]}
extra=${2:-}
RECIPE=1
# objtool and modpost link libelf, sign-file libssl; pahole makes BTF;
# sparse for C=1.
include=gcc,make,libc6-dev,xz-utils,libelf1t64,libssl3t64,zlib1g,libzstd1,dwarves,kmod,sparse
[ -z "$extra" ] || include=$include,$extra
key=$(echo "$suite $include $RECIPE" | sha256sum | cut -c1-12)
root=$IBS_CACHE/buildroot-$suite-$key
log() { echo "buildroot: $*" >&2; }
if [ -f "$root/.done" ]; then
	echo "$root"
	exit 0
fi
command -v debootstrap >/dev/null || { log "debootstrap missing (scripts/setup/deps.sh)"; exit 1; }
ibs_lock "buildroot-$suite-$key"
if [ ! -f "$root/.done" ]; then
	start=$(date +%s)
	rm -rf "$root.tmp"
	log "debootstrap --variant=minbase $suite into $root.tmp"
	if ! ibs_timeout 1200 debootstrap --variant=minbase --include="$include" \
		"$suite" "$root.tmp" http://deb.debian.org/debian >"$root.log" 2>&1; then
		tail -n 20 "$root.log" >&2
		log "FAILED (log $root.log)"
		exit 1
	fi
	chroot "$root.tmp" gcc --version | head -n1 >"$root.tmp/.compiler"
	touch "$root.tmp/.done"
	rm -rf "$root"
	mv "$root.tmp" "$root"
	log "made in $(( $(date +%s) - start )) s: $(cat "$root/.compiler")"
fi
ibs_unlock
echo "$root"
