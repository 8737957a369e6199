#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# iobus-stress:run.sh: one `iobus-stress run --tap` of the module's default
# config for 5 s, judged against the expected-outcome table; a skip
# without the module (ksft_driver.sh).  Extra flags: KSELFTEST_RUN_SH_ARGS.
cd "$(dirname "$0")" || exit 1
. ./ksft_driver.sh
with_module run --duration 5 "$@"
