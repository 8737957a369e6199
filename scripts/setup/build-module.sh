#!/bin/bash
# build-module.sh KDIR OUTDIR [make args...]
# Build iobus_stress.ko against KDIR in a copy of the sources under OUTDIR
# (so stock and debug builds do not clobber each other or the work tree).
# Prints the path of the .ko; fails on any compiler or sparse warning.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
kdir=$1 out=$2
shift 2
mkdir -p "$out"
rsync -a --delete --exclude='*.o' --exclude='*.ko' "$top/Kbuild" "$top/module" "$out/"
log=$out/build.log
if ! make -C "$kdir" M="$(cd "$out" && pwd)" "$@" modules >"$log" 2>&1; then
	cat "$log" >&2
	echo "build-module: build against $kdir failed" >&2
	exit 1
fi
if grep -E "warning:|error:|^$out.*: " "$log" | grep -v "Skipping BTF" >&2; then
	echo "build-module: warnings building against $kdir (log $log)" >&2
	exit 1
fi
echo "$out/module/iobus_stress.ko"
