#!/bin/bash
# run.sh [iobus-stress run flags]: the main job.  Build the module for
# Debian's stock 6.1 kernel and the static driver, boot the kernel in QEMU
# (TCG, 2 vCPUs) and run `iobus-stress run FLAGS` there, console shown live.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
S=scripts
"$S/setup/deps.sh"
read -r img kdir kdirpkg < <("$S/setup/stock-kernel.sh")
ko=$("$S/setup/build-module.sh" "$kdir" build/stock)
make -s -C userspace iobus-stress
mkdir -p build
echo "$*" > build/run.args
exec "$S/vm/run-vm.sh" --kernel "$img" --test "$S/checks/guest/driver-run.sh" --name run \
	--timeout "${RUN_TIMEOUT:-600}" -- "$ko" userspace/iobus-stress \
	"$S/checks/guest/lib.sh" build/run.args
