#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench-abtest.sh [--runs N] [--safety-runs M] [--pairs P]: how far make
# abtest's verdicts can be trusted (`make bench-abtest`; docs/abtest.md).
#   * false positives: the comment-only patch (scripts/abtest/patches/
#     no-change-comment.patch) judged N times (default 10), each a whole
#     timing run with its own interleaved A boots (no --reuse-a, no safety
#     run): every verdict other than no-change is a false positive.  The
#     rate is given with its 95% upper bound (Clopper-Pearson; with 0 of N
#     that is 1 - 0.025^(1/N)).
#   * catch rate: the patch that frees the old bus without a grace period
#     (breaks-free-without-gp.patch), M KASAN safety runs (default 10) in
#     one abtest run: how many caught it, and how soon (the splat's time).
# Writes build/abtest/bench/bench.md; exit 0 when every no-change run said
# no-change and every safety run caught the breaking patch, 1 otherwise,
# 2 usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
R=$(cd "$here/../.." && pwd)
log() { echo "bench-abtest: $*" >&2; }
runs=10 safety_runs=10 pairs=8
num() {
	[[ ${2:-} =~ ^[0-9]+$ ]] && [ "$2" -ge 1 ] && [ "$2" -le 1000 ] ||
		{ log "$1 ${2:-}: a decimal number 1..1000"; exit 2; }
}
while [ $# -gt 0 ]; do
	case $1 in
	--runs) num --runs "${2:-}"; runs=$2; shift 2 ;;
	--safety-runs) num --safety-runs "${2:-}"; safety_runs=$2; shift 2 ;;
	--pairs) num --pairs "${2:-}"; pairs=$2; shift 2 ;;
	*) log "usage: bench-abtest.sh [--runs N] [--safety-runs M] [--pairs P]"; exit 2 ;;
	esac
done
out=$R/build/abtest/bench
mkdir -p "$out" || exit 1
P=$here/patches
md=$out/bench.md
t0=$(date +%s)
fp=0
: >"$out/no-change.txt"
for i in $(seq 1 "$runs"); do
	"$here/abtest.sh" --name "bench-no-change-$i" --no-safety --pairs "$pairs" \
		--patch "$P/no-change-comment.patch" >"$out/no-change-$i.out" 2>&1
	rc=$?
	line=$(grep -m1 "^abtest: bench-no-change-$i: " "$out/no-change-$i.out" | sed "s/^abtest: bench-no-change-$i: //")
	case $rc in
	12) ;;
	10|11|13|14|17) fp=$((fp + 1)) ;;
	*) log "run $i: abtest.sh exited $rc (not a verdict): $(tail -n1 "$out/no-change-$i.out")"; exit 1 ;;
	esac
	echo "$i $rc $line" >>"$out/no-change.txt"
	log "[no-change $i/$runs] exit $rc: $line ($(( $(date +%s) - t0 )) s so far)"
done
"$here/abtest.sh" --name bench-breaks --safety-runs "$safety_runs" \
	--patch "$P/breaks-free-without-gp.patch" >"$out/breaks.out" 2>&1
brc=$?
caught=$(awk '$2 == "caught"' "$R/build/abtest/bench-breaks/safety/runs" 2>/dev/null | wc -l)
ran=$(wc -l <"$R/build/abtest/bench-breaks/safety/runs" 2>/dev/null || echo 0)
# how soon: the first KASAN report's console time in each caught run
soon=$(for f in "$R"/build/abtest/bench-breaks/logs/safety-*.log; do
	tr -d '\r' <"$f" | grep -m1 'BUG: KASAN' | sed -n 's/^\[ *\([0-9.]*\)\].*/\1/p'
done | sort -n | tr '\n' ' ')
ub=$(python3 -c "
from math import comb
n, k = $runs, $fp
# Clopper-Pearson 95% upper bound of k/n, by bisection on the binomial cdf
def cdf(p): return sum(comb(n, i) * p**i * (1 - p)**(n - i) for i in range(k + 1))
lo, hi = k / n, 1.0
for _ in range(60):
    mid = (lo + hi) / 2
    if cdf(mid) > 0.025: lo = mid
    else: hi = mid
print('%.0f%%' % (100 * hi))")
{
	echo "# make bench-abtest ($(date -u +%Y-%m-%d), $(uname -r) host, $(nproc) CPUs)"
	echo
	echo "| what | result |"
	echo "|---|---|"
	echo "| false positives: comment-only patch, $pairs pairs a run | $fp of $runs runs not no-change (95% upper bound $ub) |"
	echo "| catch rate: free without a grace period, KASAN + churn | $caught of $ran safety runs caught it (abtest exit $brc) |"
	echo "| first KASAN report, console seconds after boot | ${soon:-none} |"
	echo "| wall time | $(( $(date +%s) - t0 )) s |"
	echo
	echo "no-change runs (run, exit code, verdict line):"
	echo
	sed 's/^/    /' "$out/no-change.txt"
} >"$md" || { log "cannot write $md"; exit 1; }
cat "$md"
[ "$fp" = 0 ] && [ "$caught" = "$ran" ] && [ "$ran" = "$safety_runs" ]
