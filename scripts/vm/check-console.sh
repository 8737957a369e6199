#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# check-console.sh LOG [--expect REGEX]...
# Decide whether a guest console log shows a clean run, in the manner of
# rcutorture's console-badness.sh.  Without --expect, any badness line fails
# the run.  With --expect (a negative control), each REGEX must match, and
# badness is tolerated only inside the splat an expected line starts (up to
# its "---[ end trace" or "=====" line): any other splat still fails.
# Always required: the end-of-test sentinel, a non-jiffies clocksource (at
# boot and after it), and an untainted kernel (the guest's
# "iobus-harness: tainted=N" line; out-of-tree/unsigned module taints are
# ignored, and with --expect the W/B taints a WARN or KASAN splat sets).
# Prints one reason per line on failure; exit 0 clean, 1 bad, 2 usage.
set -u
log=${1:-}
[ $# -gt 0 ] && shift
expects=()
while [ $# -gt 0 ]; do
	case "$1" in
	--expect) [ $# -ge 2 ] || { echo "check-console: --expect needs a REGEX" >&2; exit 2; }
		expects+=("$2"); shift 2 ;;
	*) echo "check-console: unknown argument $1" >&2; exit 2 ;;
	esac
done
[ -n "$log" ] || { echo "usage: check-console.sh LOG [--expect REGEX]..." >&2; exit 2; }

# Badness: TAG<tab>ERE, one per line; the first match names the line.  Each
# one is needed: check-console-test.sh deletes each in turn and requires a
# test case to notice.
badness_table() {
	cat <<'EOF'
kernel-bug	kernel BUG at
kasan	BUG: KASAN:|KASAN: [a-z-]+ in range
kcsan	BUG: KCSAN:
bug	(^|[^A-Za-z_])BUG:
lockdep-circular	possible circular locking
lockdep-recursive	possible recursive locking
rcu-suspicious	suspicious RCU usage
warning	WARNING:
oops	Oops[: ]
panic	Kernel panic
gpf	general protection fault
lockdep-warn	DEBUG_LOCKS_WARN_ON
hung-task	INFO: task .* blocked for more than
rcu-stall	detected stalls? on CPU|self-detected stall
rcu-exp-stall	detected expedited stalls
call-trace	Call Trace:
ubsan	UBSAN:
odebug	ODEBUG:
kmemleak	kmemleak: [0-9]+ new suspected memory leaks|unreferenced object 0x
module-failure	iobus_stress: End of test: FAILURE
EOF
}

rc=0
if [ ! -s "$log" ]; then
	echo "console log $log is empty"
	exit 1
fi
if ! grep -q 'iobus-harness: end of test' "$log"; then
	echo "missing end-of-test sentinel (guest hung, crashed or timed out)"
	rc=1
fi
if grep -q 'iobus-harness: .*clocksource=.*jiffies' "$log"; then
	echo "guest runs on a jiffies clocksource: every latency would be fiction"
	rc=1
fi
# A switch to jiffies once the test started (the clocksource watchdog
# gave up on the real one).
if sed -n '/iobus-harness: kernel /,$p' "$log" |
	grep -q 'Switched to clocksource .*jiffies'; then
	echo "clocksource switched to jiffies during the test"
	rc=1
fi
taint=$(sed -n 's/.*iobus-harness: tainted=\([0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$taint" ]; then
	if grep -q 'iobus-harness: end of test' "$log"; then
		echo "no taint report (iobus-harness: tainted=N) before the end of test"
		rc=1
	fi
else
	# O (12) out-of-tree, E (13) unsigned module; W (9), B (5) with --expect;
	# N (18, TAINT_TEST) when a KUnit suite ran (the module's, on the debug
	# kernel; its results are judged by the debug-kunit test).
	allowed=$(( (1 << 12) | (1 << 13) ))
	grep -q 'KTAP version' "$log" && allowed=$(( allowed | (1 << 18) ))
	[ ${#expects[@]} -gt 0 ] && allowed=$(( allowed | (1 << 9) | (1 << 5) ))
	if [ $(( taint & ~allowed )) -ne 0 ]; then
		echo "kernel tainted: $taint (unexpected bits $(( taint & ~allowed )))"
		rc=1
	fi
fi
for e in ${expects[@]+"${expects[@]}"}; do
	if ! grep -Eq -- "$e" "$log"; then
		echo "expected splat /$e/ is absent"
		rc=1
	fi
done
# Every badness line outside an expected splat, tagged by its pattern.
i=0
for e in ${expects[@]+"${expects[@]}"}; do
	i=$((i + 1))
	export "CC_EXPECT_$i=$e"
done
bad=$(awk -F'\t' -v nexp=${#expects[@]} '
	FNR == NR { tag[++n] = $1; re[n] = $2; next }
	FNR == 1 { for (i = 1; i <= nexp; i++) ex[i] = ENVIRON["CC_EXPECT_" i] }
	{
		for (i = 1; i <= nexp; i++)
			if ($0 ~ ex[i]) { insplat = 1; next }
		if (insplat) {
			if ($0 ~ /---\[ end trace|====================/)
				insplat = 0
			next
		}
		for (i = 1; i <= n; i++)
			if ($0 ~ re[i]) { print "  [" tag[i] "] " $0; break }
	}' <(badness_table) "$log")
if [ -n "$bad" ]; then
	echo "console badness${expects[*]+ outside the expected splat}:"
	echo "$bad" | head -n 5
	# The splat itself (RIP, Comm, the call trace) so that a failure in CI,
	# whose console log is gone afterwards, can still be diagnosed.
	first=$(echo "$bad" | head -n 1 | sed 's/^  \[[a-z-]*\] //')
	echo "first splat, as the console printed it:"
	grep -F -n -x -m 1 -- "$first" "$log" | cut -d: -f1 | {
		read -r at && sed -n "$at,$((at + 29))p" "$log" | sed 's/^/    /'
	}
	rc=1
fi
exit $rc
