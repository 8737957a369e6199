#!/bin/bash
# run.sh [iobus-stress run flags]: the main job.  Build the module for
# Debian's stock 6.1 kernel and the static driver, boot the kernel in QEMU
# (TCG, 2 vCPUs) and run `iobus-stress run FLAGS` there, console shown live.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
S=scripts
"$S/deps.sh"
read -r img kdir < <("$S/stock-kernel.sh")
ko=$("$S/build-module.sh" "$kdir" build/stock)
make -s -C userspace iobus-stress
mkdir -p build
echo "$*" > build/run.args
exec "$S/run-vm.sh" --kernel "$img" --test "$S/tests/run.sh" --name run \
	--timeout "${RUN_TIMEOUT:-600}" -- "$ko" userspace/iobus-stress \
	"$S/tests/lib.sh" build/run.args
