#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench.sh [--short] [--kernels "7.3 6.12 6.1"] [--no-debug] [--logdir DIR]
# `make bench`: iobus-stress beside rcutorture, refscale and rcuscale.
# Boots the 7.3 KASAN debug kernel once (the anchors are modules there)
# and runs scripts/checks/guest/bench.sh: each anchor next to the matching
# iobus-stress measurement; then the same guest script on each stock
# kernel, where only the iobus-stress side runs.  Writes DIR/bench.md and
# DIR/bench.json (scripts/bench/table.py) and prints the table.
#   --short       the short version (make check's)
#   --kernels L   stock kernels (default "7.3 6.12 6.1"; "" for none)
#   --no-debug    skip the debug kernel (no anchors)
#   --debug-ko KO the debug kernel's module, already built (make check's)
#   --logdir DIR  default build/logs (per-run files in DIR/bench/)
#   --profile     also profile the reader on the debug kernel (kprof.c):
#                 DIR/bench-profile.txt, the top kernel functions on its CPU
# Exit: 0 every run passed, 1 a run failed (the table shows what ran),
# 2 bad usage.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
S=scripts
short=0 kernels="7.3 6.12 6.1" debug=1 logs=build/logs dko= profile=0
while [ $# -gt 0 ]; do
	case "$1" in
	--short) short=1; shift ;;
	--kernels) kernels=$2; shift 2 ;;
	--no-debug) debug=0; shift ;;
	--logdir) logs=$2; shift 2 ;;
	--debug-ko) dko=$2; shift 2 ;;
	--profile) profile=1; shift ;;
	*) echo "bench: unknown option $1" >&2; exit 2 ;;
	esac
done
out=$logs/bench
mkdir -p "$out"
rm -f "$out"/*.txt
rc=0
# run NAME KERNEL KO [run-vm options] -- [anchor modules]
# log_buf_len=4M: the guest script finds each anchor's lines by counting
# console lines, which stops working once the 128 KB buffer wraps.
run() {
	local name=$1 kernel=$2 ko=$3 vrc=0
	shift 3
	"$S/vm/run-vm.sh" --quiet --kernel "$kernel" --test "$S/checks/guest/bench.sh" \
		--name "$name" --logdir "$logs" --append "BENCH_SHORT=$short log_buf_len=4M" "$@" \
		"$ko" "$S/checks/guest/lib.sh" || vrc=1
	# A failed run's numbers still go into the table (marked failed).
	sed -n '/^----- BEGIN FILE bench.txt/,/^----- END FILE bench.txt/p' "$logs/$name.log" |
		sed '1d;$d' | tr -d '\r' > "$out/$name.txt"
	[ -s "$out/$name.txt" ] || { echo "bench: no bench.txt in $logs/$name.log"; rm -f "$out/$name.txt"; return 1; }
	echo "host=$(cat "$logs/$name.host")" >> "$out/$name.txt"
	[ "$vrc" = 0 ] || echo "vm=FAIL (see $logs/$name.log)" >> "$out/$name.txt"
	return $vrc
}
if [ "$debug" = 1 ]; then
	dbg=$("$S/abtest/build.sh" --variant kasan) || exit 1	# make check's KASAN kernel
	if [ -n "$dko" ]; then
		ko=$dko
	else
		ko=$("$S/setup/build-module.sh" "$dbg" build/debug W=1 C=1) || exit 1
	fi
	anchors=()
	for m in kernel/torture.ko kernel/rcu/rcutorture.ko kernel/rcu/refscale.ko \
		kernel/rcu/rcuscale.ko; do
		[ -r "$dbg/$m" ] || { echo "bench: $dbg/$m missing (CONFIG_RCU_*_TEST=m?)"; exit 1; }
		anchors+=("$dbg/$m")
	done
	# rcutorture's busted flavour is caught by its own WARN_ON_ONCE(i > 1)
	# ("Too-short grace period") in rcu_torture_stats_print(): expected.
	if [ "$profile" = 1 ]; then
		gcc -static -O2 -Wall -Wextra -Werror -o build/kprof "$S/bench/kprof.c" || exit 1
		anchors+=(build/kprof)
	fi
	run bench-debug "$dbg/arch/x86/boot/bzImage" "$ko" --timeout 900 --mem 1536 \
		--expect 'WARNING: .*rcu_torture_stats_print' -- "${anchors[@]}" || rc=1
	if [ "$profile" = 1 ]; then
		sed -n '/^----- BEGIN FILE profile.txt/,/^----- END FILE profile.txt/p' \
			"$logs/bench-debug.log" | sed '1d;$d' | tr -d '\r' > "$logs/bench-profile.txt"
		cat "$logs/bench-profile.txt"
	fi
fi
for k in $kernels; do
	read -r img kdir _ < <("$S/setup/stock-kernel.sh" "$k") || { rc=1; continue; }
	ko=$("$S/setup/build-module.sh" "$kdir" "build/stock-$k" W=1 C=1) || { rc=1; continue; }
	run "bench-$k" "$img" "$ko" --timeout 600 -- || rc=1
done
set -- "$out"/*.txt
[ -e "$1" ] || { echo "bench: no run produced numbers"; exit 1; }
"$S/bench/table.py" --md "$logs/bench.md" --json "$logs/bench.json" "$@" || rc=1
cat "$logs/bench.md"
# Issue 13's bounds (check.py's defaults) against this table, for the
# reader; make check asserts looser ones (see scripts/make-check.sh).
if grep -q '"anchor_table": {' "$logs/bench.json"; then
	echo
	echo "against issue 13's bounds (10x sooner, <= 2x refscale, +-20% of rcuscale):"
	"$S/bench/check.py" "$logs/bench.json" | sed -e 's/^FAIL:/not met:/' -e 's/^ok:/met:/' -e 's/^/  /'
fi
exit $rc
