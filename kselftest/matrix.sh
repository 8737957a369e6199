#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# iobus-stress:matrix.sh: `iobus-stress matrix --tap`, every reclaim
# strategy x pattern cell and the unregister=async control, 2 s each with
# 2 readers (as make check's matrix.sh), each judged against the
# expected-outcome table; a skip without the module (ksft_driver.sh).
# Extra flags: KSELFTEST_MATRIX_SH_ARGS.
cd "$(dirname "$0")" || exit 1
. ./ksft_driver.sh
with_module matrix --duration 2 --readers 2 "$@"
