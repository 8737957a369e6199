#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timing-load.sh [--runs N] [--load none|busy] [--kernels "7.3 6.12 6.1"]
#                [--arm64 | --arm64-only] [--out DIR]
# make check's timing steps, N times, as the host is (--load none: nothing
# added; run it on an idle host, or beside a kernel build) or with every
# host CPU kept busy beside them (--load busy: one busy loop per CPU, at
# the same priority as QEMU, for the whole run), to measure how often a timing
# check still skips or fails and what its ratios are under that load
# (issue 24; docs/testing.md "Timing under load").  Each run is
#   CHECK_ONLY=<the timing steps> CHECK_KERNELS=... scripts/make-check.sh
# after which its result lines, each timing check's ratio lines and the
# JSONs are kept in DIR/run-I/.  Ends with a table: per check, how many
# runs passed, failed and skipped; the ratios behind each check per run
# and their ranges (timing-load-summary.py); the host-load verdicts seen.
# Needs the modules built (make check's phase 1, or a CHECK_ONLY run of
# module-build-K).  --arm64 adds the arm64 timing steps (arm64-K-kvm and
# its diagnosis, docs/arm64.md); --arm64-only runs those alone.
# Exit: 0 when no timing check failed or skipped, 1 otherwise, 2 on bad
# usage.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 1
runs=10 load=none kernels="7.3 6.12 6.1" out= arm64=""
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	--runs) [[ ${2:-} =~ ^[1-9][0-9]*$ ]] || { echo "timing-load: --runs ${2:-}: a number >= 1" >&2; exit 2; }
		runs=$2; shift 2 ;;
	--load) case ${2:-} in none|busy) load=$2 ;; *) echo "timing-load: --load ${2:-}: none or busy" >&2; exit 2 ;; esac
		shift 2 ;;
	--kernels) kernels=${2:?}; shift 2 ;;
	--out) out=${2:?}; shift 2 ;;
	--arm64) arm64=with; shift ;;
	--arm64-only) arm64=only; shift ;;
	-h|--help) usage ;;
	*) echo "timing-load: unknown argument '$1'" >&2; exit 2 ;;
	esac
done
out=${out:-build/timing-load/$load-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$out" || exit 1
ks=$(tr ' ' '|' <<<"$kernels")
x86="stock-($ks)-(boot|regression|kvm|kvm-diagnosis)|kvm-regression|compare-gate-(kvm|boot)"
a64="arm64-driver-build|arm64-($ks)-(kvm|kvm-diagnosis)"
case $arm64 in
"") only="^($x86)\$" ;;
with) only="^($x86|$a64)\$" ;;
only) only="^($a64)\$" ;;
esac
spin=()
stop_spin() { [ ${#spin[@]} -eq 0 ] || kill "${spin[@]}" 2>/dev/null; wait "${spin[@]}" 2>/dev/null; spin=(); }
trap 'stop_spin; exit 130' INT TERM
trap stop_spin EXIT
for i in $(seq 1 "$runs"); do
	d=$out/run-$i
	mkdir -p "$d"
	if [ "$load" = busy ]; then
		for _ in $(seq 1 "$(nproc)"); do
			bash -c 'while :; do :; done' &
			spin+=($!)
		done
	fi
	s0=$SECONDS
	CHECK_ONLY=$only CHECK_KERNELS=$kernels "$top/scripts/make-check.sh" >"$d/make-check.out" 2>&1
	stop_spin
	for k in $kernels; do
		if [ "$arm64" != only ]; then
			mkdir -p "$d/$k"
			cp build/logs/"$k"/{boot,boot-early0,kvm,kvm-early0}.json "$d/$k/" 2>/dev/null
			cat build/logs/stock-"$k"-{boot,kvm}.host 2>/dev/null | sed "s/^/$k /" >>"$d/hosts"
		fi
		if [ -n "$arm64" ]; then
			mkdir -p "$d/arm64-$k"
			cp build/logs/arm64-"$k"/{kvm,kvm-early0}.json "$d/arm64-$k/" 2>/dev/null
			sed "s/^/arm64-$k /" build/logs/arm64-"$k"-kvm.host >>"$d/hosts" 2>/dev/null
		fi
	done
	grep -E '^(ok|not ok|skip) ' "$d/make-check.out" | sed 's/ ([0-9]*s)//; s/^\(skip [^:]*\):.*/\1/' >"$d/results"
	files=()
	[ "$arm64" = only ] || files+=(build/logs/stock-*-regression.out build/logs/stock-*-kvm-diagnosis.out
				       build/logs/kvm-regression.out build/logs/compare-gate-*.out)
	[ -z "$arm64" ] || files+=(build/logs/arm64-*-kvm-diagnosis.out)
	for f in "${files[@]}"; do
		[ -f "$f" ] || continue
		grep -E 'ratio|regression reproduces|did not delay|not asserted|^host during|^FAIL|^ok:|x\)' "$f" |
			sed "s|^|$(basename "$f" .out): |" >>"$d/ratios"
	done
	echo "run $i/$runs ($load, $((SECONDS - s0)) s): $(tail -n1 "$d/make-check.out")"
	sed 's/^/  /' "$d/results"
done
echo
echo "timing checks over $runs runs, load $load (kernels $kernels; $out):"
printf '%-28s %6s %6s %6s\n' check passed failed skipped
cat "$out"/run-*/results | awk '
	/^ok / { p[$2]++; n[$2] = 1 } /^not ok / { f[$3]++; n[$3] = 1 } /^skip / { s[$2]++; n[$2] = 1 }
	END { for (t in n) printf "%-28s %6d %6d %6d\n", t, p[t], f[t], s[t] }' | sort
echo "the ratios behind them (scripts/checks/timing-load-summary.py):"
"$top/scripts/checks/timing-load-summary.py" "$out"/run-* | sed 's/^/  /'
echo "host-load verdicts of the VM runs:"
cat "$out"/run-*/hosts | awk '{ print $2 }' | sort | uniq -c | sed 's/^/  /'
! grep -qE '^(not ok|skip) ' "$out"/run-*/results
