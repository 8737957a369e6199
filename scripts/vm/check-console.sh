#!/bin/bash
# check-console.sh LOG [--expect REGEX]...
# Decide whether a guest console log shows a clean run, in the manner of
# rcutorture's console-badness.sh.  Without --expect, any badness line fails
# the run.  With --expect, each REGEX must match somewhere (an expected splat
# of a negative control); badness is then tolerated, but a missing
# expectation fails.  The end-of-test sentinel is always required.
# Prints one reason per line on failure; exit 0 clean, 1 bad.
set -u
log=$1
shift
expects=()
while [ $# -gt 0 ]; do
	case "$1" in
	--expect) expects+=("$2"); shift 2 ;;
	*) echo "check-console: unknown argument $1" >&2; exit 2 ;;
	esac
done
badness='BUG:|WARNING:|Oops|Kernel panic|general protection fault|KASAN|'\
'possible circular locking|possible recursive locking|suspicious RCU usage|'\
'INFO: task .* blocked|detected stall|Call Trace:|UBSAN:|'\
'DEBUG_LOCKS_WARN_ON|ODEBUG:|iobus_stress: End of test: FAILURE'
rc=0
if [ ! -s "$log" ]; then
	echo "console log $log is empty"
	exit 1
fi
if ! grep -q 'iobus-harness: end of test' "$log"; then
	echo "missing end-of-test sentinel (guest hung, crashed or timed out)"
	rc=1
fi
if grep -q 'clocksource=.*jiffies' "$log"; then
	echo "guest runs on a jiffies clocksource: every latency would be fiction"
	rc=1
fi
if [ ${#expects[@]} -eq 0 ]; then
	if grep -Eq "$badness" "$log"; then
		echo "console badness:"
		grep -E "$badness" "$log" | head -n 5 | sed 's/^/  /'
		rc=1
	fi
else
	for e in "${expects[@]}"; do
		if ! grep -Eq "$e" "$log"; then
			echo "expected splat /$e/ is absent"
			rc=1
		fi
	done
fi
exit $rc
