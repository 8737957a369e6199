#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Unit test of check-console.sh on canned console logs, then its mutation
# test: for each badness pattern, a copy of the checker without it must
# fail at least one case here (no pattern is untested).
set -u
real=$(cd "$(dirname "$0")/../vm" && pwd)/check-console.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
end='iobus-harness: end of test: pass'
cs='iobus-harness: kernel 6.1 cpus 2 clocksource=hpet'
taint0='iobus-harness: tainted=12288'

# log NAME LINE...: a console log of a finished run with LINEs in its middle.
log() {
	local n=$1
	shift
	{ echo "$cs"; printf '%s\n' "$@"; echo "$taint0"; echo "$end"; } >"$d/$n"
}
log clean 'hello' '[ 1.0] DEBUG: a harmless debug line' \
	'[ 1.0] iobus_stress: End of test: SUCCESS'
printf '%s\n' "$cs" >"$d/nosentinel"
: >"$d/empty"
log warn '[ 1.0] WARNING: CPU: 0 PID: 1 at foo.c:1 bar'
log kasan '[ 1.0] ==================================================================' \
	'[ 1.0] BUG: KASAN: slab-use-after-free in x' \
	'[ 1.0] Call Trace:' \
	'[ 1.0] ==================================================================' \
	'[ 1.0] Disabling lock debugging due to kernel taint'
log kasan-gpf '[ 1.0] KASAN: null-ptr-deref in range [0x0-0x7]'
log kcsan '[ 1.0] BUG: KCSAN: data-race in foo / bar'
log bug '[ 1.0] BUG: scheduling while atomic: x/1/0x2'
log kernel-bug '[ 1.0] kernel BUG at mm/slub.c:123!'
log oops '[ 1.0] Oops: 0000 [#1] PREEMPT SMP'
log panic '[ 1.0] Kernel panic - not syncing: x'
log gpf '[ 1.0] general protection fault, probably for non-canonical address'
log circular '[ 1.0] WARNING: possible circular locking dependency detected'
log recursive '[ 1.0] WARNING: possible recursive locking detected'
log locks-warn '[ 1.0] DEBUG_LOCKS_WARN_ON(1)'
log rcu '[ 1.0] =============================' '[ 1.0] WARNING: suspicious RCU usage'
log hung '[ 1.0] INFO: task rmmod:12 blocked for more than 120 seconds.'
log stall '[ 1.0] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:'
log self-stall '[ 1.0] rcu: INFO: rcu_preempt self-detected stall on CPU'
log exp-stall '[ 1.0] rcu: INFO: rcu_preempt detected expedited stalls on CPUs/tasks: { 1-... }'
log trace '[ 1.0] Call Trace:'
log ubsan '[ 1.0] UBSAN: shift-out-of-bounds in x.c:1:2'
log odebug '[ 1.0] ODEBUG: free active (active state 1) object type: rcu_head'
log kmemleak '[ 1.0] kmemleak: 2 new suspected memory leaks (see /sys/kernel/debug/kmemleak)'
log kmemleak-obj '[ 1.0] unreferenced object 0xffff888003a1b000 (size 64):'
log failure 'iobus_stress: End of test: FAILURE'
printf 'iobus-harness: clocksource=refined-jiffies\n%s\n%s\n' "$taint0" "$end" >"$d/jiffies"
log jiffies-later '[ 9.0] clocksource: Switched to clocksource refined-jiffies'
printf '[ 0.5] clocksource: Switched to clocksource jiffies\n' >"$d/jiffies-early"
cat "$d/clean" >>"$d/jiffies-early"
log tainted '[ 1.0] x'
sed -i 's/tainted=12288/tainted=12800/' "$d/tainted"	# + W
log kasan-then-warn \
	'[ 1.0] BUG: KASAN: slab-use-after-free in x' \
	'[ 1.0] ==================================================================' \
	'[ 2.0] WARNING: CPU: 0 PID: 1 at foo.c:1 bar'
sed '/tainted=/d' "$d/clean" >"$d/no-taint"
# TAINT_TEST (N, 1 << 18) is expected only where a KUnit suite ran.
log kunit-taint '[ 1.0] x'
sed -i 's/tainted=12288/tainted=274432/' "$d/kunit-taint"
sed 's/^\[ 1.0\] x$/    KTAP version 1/' "$d/kunit-taint" >"$d/kunit-ran"

# Each case: the verdict, and for a rejection the reason it must name.
cases() {
	ok clean
	ko nosentinel 'missing end-of-test sentinel'
	ko empty 'is empty'
	ko warn '[warning]'
	ko kasan '[kasan]'
	ko kasan-gpf '[kasan]'
	ko kcsan '[kcsan]'
	ko bug '[bug]'
	ko kernel-bug '[kernel-bug]'
	ko oops '[oops]'
	ko panic '[panic]'
	ko gpf '[gpf]'
	ko circular '[lockdep-circular]'
	ko recursive '[lockdep-recursive]'
	ko locks-warn '[lockdep-warn]'
	ko rcu '[rcu-suspicious]'
	ko hung '[hung-task]'
	ko stall '[rcu-stall]'
	ko self-stall '[rcu-stall]'
	ko exp-stall '[rcu-exp-stall]'
	ko trace '[call-trace]'
	ko ubsan '[ubsan]'
	ko odebug '[odebug]'
	ko kmemleak '[kmemleak]'
	ko kmemleak-obj '[kmemleak]'
	ko failure '[module-failure]'
	ko jiffies 'jiffies clocksource'
	ko jiffies-later 'switched to jiffies during the test'
	ok jiffies-early
	ko tainted 'kernel tainted: 12800'
	ko kunit-taint 'kernel tainted: 274432'
	ok kunit-ran
	ko no-taint 'no taint report'
	ok kasan --expect 'BUG: KASAN: (slab-)?use-after-free'
	ko kasan-then-warn '[warning]' --expect 'BUG: KASAN: (slab-)?use-after-free'
	ko clean 'expected splat /BUG: KASAN/ is absent' --expect 'BUG: KASAN'
	ko nosentinel 'missing end-of-test sentinel' --expect 'clocksource'
}

# run_cases CHECKER: 0 when every case gives the right verdict and reason.
run_cases() {
	local c=$1 bad=0
	# Quiet (a mutant): one case noticing is enough; skip the rest.
	ok() {
		local n=$1 out
		shift
		[ "$quiet" ] && [ "$bad" = 1 ] && return 0
		if out=$("$c" "$d/$n" "$@"); then
			[ "$quiet" ] || echo "ok: accepts $n $*"
		else
			[ "$quiet" ] || echo "FAIL: rejects $n $*: $out"
			bad=1
		fi
	}
	ko() {
		local n=$1 why=$2 out
		shift 2
		[ "$quiet" ] && [ "$bad" = 1 ] && return 0
		if out=$("$c" "$d/$n" "$@"); then
			[ "$quiet" ] || echo "FAIL: accepts $n $*"
			bad=1
		elif ! grep -qF -- "$why" <<<"$out"; then
			[ "$quiet" ] || echo "FAIL: rejects $n $* without '$why': $out"
			bad=1
		else
			[ "$quiet" ] || echo "ok: rejects $n $* ($why)"
		fi
	}
	cases
	return $bad
}

quiet=
run_cases "$real" || { echo "FAIL: the checker fails its cases"; exit 1; }

# The mutation test: each badness pattern deleted in turn.
quiet=1 bad=0 n=0
tags=$(sed -n '/^badness_table()/,/^EOF/p' "$real" | grep -P '^[a-z-]+\t' | cut -f1)
[ -n "$tags" ] || { echo "FAIL: no badness table found in $real"; exit 1; }
for tag in $tags; do
	n=$((n + 1))
	m=$d/mutant-$tag.sh
	awk -v t="$tag" '!(index($0, t "\t") == 1)' "$real" >"$m"
	chmod +x "$m"
	cmp -s "$m" "$real" && { echo "FAIL: could not delete pattern $tag"; bad=1; continue; }
	if run_cases "$m"; then
		echo "FAIL: deleting badness pattern [$tag] goes unnoticed"
		bad=1
	else
		echo "ok: deleting badness pattern [$tag] fails a case"
	fi
done
echo "mutation test: $n patterns deleted one at a time"
exit $bad
