#!/bin/bash
# mkinitramfs.sh OUT.cpio.gz TEST_SCRIPT NAME FILE...
# Pack busybox-static, scripts/guest/init, the vm-exit helper, TEST_SCRIPT
# (run as /test.sh) and each FILE (placed in /, e.g. iobus_stress.ko and the
# static iobus-stress driver) into a gzip'd newc initramfs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$1 test=$2 name=$3
shift 3
busybox=/bin/busybox
file "$busybox" 2>/dev/null | grep -q static || busybox=/usr/bin/busybox
[ -x "$busybox" ] || { echo "mkinitramfs: busybox-static missing" >&2; exit 2; }
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc}
cp "$busybox" "$root/bin/busybox"
cp "$here/guest/init" "$root/init"
cp "$test" "$root/test.sh"
echo "$name" > "$root/test.name"
vmexit=${VM_EXIT_BIN:-$here/guest/vm-exit}
[ -x "$vmexit" ] || gcc -static -O2 -Wall -Werror -o "$vmexit" "$here/guest/vm-exit.c"
cp "$vmexit" "$root/bin/vm-exit"
for f in "$@"; do
	cp "$f" "$root/"
done
(cd "$root" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out"
