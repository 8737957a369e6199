#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make-run.sh [iobus-stress run flags]: the main job (`make run`).  Fetch
# Debian's stock kernel $KERNEL (6.1, 6.12 or 7.3; default 7.3, the first
# with the call_srcu() change), build the module with that kernel's own
# headers and compiler and the static driver, boot the kernel in QEMU (TCG,
# 2 vCPUs) and run `iobus-stress run FLAGS` there, console shown live.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
S=scripts
kernel=${KERNEL:-7.3}
case $kernel in
6.1|6.12|7.3) ;;
*) echo "make run: KERNEL=$kernel: choose 6.1, 6.12 or 7.3" >&2; exit 2 ;;
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
