#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Self-test of scripts/vm/host-load.py: CPU burnt by other processes during
# a "run" must make the verdict "loaded", naming the foreign CPU.  (The
# idle verdict is printed, not asserted: this host may be noisy.)
set -u
hl=$(dirname "$0")/../vm/host-load.py
st=$(mktemp)
trap 'rm -f "$st"; kill $(jobs -p) 2>/dev/null' EXIT
"$hl" begin "$st" || exit 1
sleep 2
echo "quiet: $("$hl" end "$st" 0)"
"$hl" begin "$st" || exit 1
for _ in $(seq "$(nproc)"); do timeout 4 sh -c 'while :; do :; done' & done
wait
v=$("$hl" end "$st" 0)
echo "burning every CPU: $v"
case $v in
host_load=loaded*foreign_cpu=*reason=other_processes*) echo "ok: a loaded host is detected" ;;
*) echo "FAIL: burning every CPU was not reported as foreign load"; exit 1 ;;
esac
