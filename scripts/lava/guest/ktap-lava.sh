#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# ktap-lava.sh LABEL DRIVER COMMAND [ARGS...]: run `DRIVER COMMAND ARGS
# --tap --json FILE` inside a LAVA test shell (POSIX sh, busybox is
# enough), print its KTAP on the console between "----- BEGIN KTAP LABEL"
# and "----- END KTAP LABEL rc=N" (scripts/lava/check-results.py compares
# what LAVA recorded with it), and report to LAVA:
#   each KTAP test point    lava-test-case NAME --result pass|fail|skip
#                           (NAME: the point's name with every character
#                           but [A-Za-z0-9._-] made "_"; the Nth point of
#                           one name, N >= 2, is NAME.N: boot's repeats)
#   a whole-run skip        lava-test-case COMMAND --result skip (1..0 # SKIP)
#   the driver's exit       lava-test-case COMMAND-exit: pass on 0 or 4
#                           (kselftest's skip), fail on any other code
#   each latency            lava-test-case M --result pass --measurement V
#                           --units ns: kvm: every summary *_ns_p50 (M its
#                           key); matrix, boot: every run's *_ns_p50 and
#                           boot_vcpu1_ns (M: the run's NAME, ".", the key);
#                           a 0 (no samples) is no latency and is left out
#   the regression ratio    --units ratio: kvm: regression_ratio (the
#                           diagnosis' ratio); boot: STRATEGY.boot_vcpu1_ratio,
#                           the median first-vCPU creation over the repeats
#                           against sync-expedited's
# Always exits 0: a failed cell is a LAVA result, not a broken test shell.
# LAVA_TEST_CASE=echo prints the calls instead (a dry run off LAVA).
label=$1 drv=$2 cmd=$3
shift 3
ltc=${LAVA_TEST_CASE:-lava-test-case}
dir=$(mktemp -d)
rc=0
"$drv" "$cmd" "$@" --tap --json "$dir/out.json" >"$dir/out.tap" 2>"$dir/out.err" || rc=$?
echo "----- BEGIN KTAP $label"
cat "$dir/out.tap"
echo "----- END KTAP $label rc=$rc"
[ "$rc" = 0 ] || tail -n 5 "$dir/out.err"

# The test points: "NAME RESULT" lines.
awk -v cmd="$cmd" '
	function lava(s) { gsub(/[^A-Za-z0-9._-]/, "_", s); return s }
	/^1\.\.0 # SKIP/ { print cmd, "skip"; next }
	/^(not )?ok [0-9]+ / {
		res = ($1 == "not") ? "fail" : "pass"
		s = $0
		sub(/^(not )?ok [0-9]+ /, "", s)
		if (match(s, / # /)) {
			d = substr(s, RSTART + 3)
			s = substr(s, 1, RSTART - 1)
			if (d ~ /^SKIP/ && res == "pass") res = "skip"
		}
		n = lava(s)
		if (++seen[n] > 1) n = n "." seen[n]
		print n, res
	}' "$dir/out.tap" >"$dir/cases"
while read -r name res; do
	$ltc "$name" --result "$res"
done <"$dir/cases"
case $rc in 0|4) $ltc "$cmd-exit" --result pass ;; *) $ltc "$cmd-exit" --result fail ;; esac

# The measurements: "NAME VALUE UNITS" lines, from the JSON (one key a line).
[ -s "$dir/out.json" ] && awk '
	function lava(s) { gsub(/[^A-Za-z0-9._-]/, "_", s); return s }
	function num(s) { sub(/^[^:]*: */, "", s); sub(/,$/, "", s); return s }
	function key(s) { sub(/^ *"/, "", s); sub(/".*/, "", s); return s }
	/^  "[a-z0-9_]+_ns_p50": [0-9.]+,?$/ { if (num($0) + 0 > 0) print key($0), num($0), "ns"; next }
	/^  "diagnosis_ratio": [0-9.]+,?$/ { print "regression_ratio", num($0), "ratio"; next }
	/^   "name": "/ {
		s = $0; sub(/^   "name": "/, "", s); sub(/",?$/, "", s)
		strat = s; run = lava(s)
		if (++seen[run] > 1) run = run "." seen[run]
		next
	}
	/^    "([a-z0-9_]+_ns_p50|boot_vcpu1_ns)": [0-9.]+,?$/ {
		if (num($0) + 0 > 0) print run "." key($0), num($0), "ns"
		if (key($0) == "boot_vcpu1_ns") {
			nv[strat]++; v[strat, nv[strat]] = num($0) + 0
			if (!(strat in ord)) { ord[strat] = ++ns; sname[ns] = strat }
		}
	}
	function median(k,   i, j, t, n, a) {
		n = nv[k]
		for (i = 1; i <= n; i++) a[i] = v[k, i]
		for (i = 2; i <= n; i++)
			for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
		return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
	}
	END {
		if (!("sync-expedited" in nv)) exit
		base = median("sync-expedited")
		if (base <= 0) exit
		for (i = 1; i <= ns; i++)
			if (sname[i] != "sync-expedited")
				printf "%s.boot_vcpu1_ratio %.3f ratio\n", lava(sname[i]), median(sname[i]) / base
	}' "$dir/out.json" >"$dir/measurements"
[ -s "$dir/measurements" ] && while read -r name val units; do
	$ltc "$name" --result pass --measurement "$val" --units "$units"
done <"$dir/measurements"
rm -rf "$dir"
exit 0
