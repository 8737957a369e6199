#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# iobus-stress:kvm.sh: `iobus-stress kvm --tap`, the real kvm_io_bus through
# /dev/kvm (no module): registration timing, guest exits (0 stale, 0
# unexpected) and the regression's diagnosis as KTAP; a skip without a
# usable /dev/kvm.  Extra flags: KSELFTEST_KVM_SH_ARGS.
cd "$(dirname "$0")" || exit 1
. ./ksft_driver.sh
driver kvm "$@"
