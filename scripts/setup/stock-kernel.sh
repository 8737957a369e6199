#!/bin/bash
# Print "VMLINUZ KDIR" of the newest Debian 6.1 amd64 kernel that has both
# an image in /boot and headers: the stock kernel the VM runs use.
set -euo pipefail
for img in $(ls -1 /boot/vmlinuz-6.1.*-amd64 2>/dev/null | sort -rV); do
	ver=${img#/boot/vmlinuz-}
	kdir=/usr/src/linux-headers-$ver
	if [ -r "$img" ] && [ -f "$kdir/Makefile" ]; then
		echo "$img $kdir"
		exit 0
	fi
done
echo "stock-kernel: no /boot/vmlinuz-6.1.*-amd64 with matching linux-headers (scripts/setup/deps.sh)" >&2
exit 1
