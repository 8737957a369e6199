#!/bin/bash
# Unit test of check-console.sh on canned console logs.
set -u
c=$(dirname "$0")/../vm/check-console.sh
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
bad=0
ok() { if "$c" "$@" >/dev/null; then echo "ok: accepts $*"; else echo "FAIL: rejects $*"; bad=1; fi; }
ko() { if "$c" "$@" >/dev/null; then echo "FAIL: accepts $*"; bad=1; else echo "ok: rejects $*"; fi; }
end='iobus-harness: end of test: pass'
cs='iobus-harness: kernel 6.1 cpus 2 clocksource=hpet'
printf '%s\nhello\n%s\n' "$cs" "$end" > "$d/clean"
printf '%s\n' "$cs" > "$d/nosentinel"
printf '%s\n[ 1.0] WARNING: CPU: 0 PID: 1 at foo.c:1 bar\n%s\n' "$cs" "$end" > "$d/warn"
printf '%s\n[ 1.0] BUG: KASAN: slab-use-after-free in x\n%s\n' "$cs" "$end" > "$d/kasan"
printf '%s\n[ 1.0] =============================\n[ 1.0] WARNING: suspicious RCU usage\n%s\n' "$cs" "$end" > "$d/rcu"
printf 'iobus-harness: clocksource=refined-jiffies\n%s\n' "$end" > "$d/jiffies"
printf '%s\n[ 1.0] INFO: task rmmod:12 blocked for more than 120 seconds.\n%s\n' "$cs" "$end" > "$d/hung"
printf '%s\niobus_stress: End of test: FAILURE\n%s\n' "$cs" "$end" > "$d/failure"
: > "$d/empty"
ok "$d/clean"
ko "$d/nosentinel"
ko "$d/warn"
ko "$d/kasan"
ko "$d/rcu"
ko "$d/jiffies"
ko "$d/hung"
ko "$d/failure"
ko "$d/empty"
ok "$d/kasan" --expect 'BUG: KASAN: (slab-)?use-after-free'
ko "$d/clean" --expect 'BUG: KASAN'
ko "$d/nosentinel" --expect 'clocksource'
exit $bad
