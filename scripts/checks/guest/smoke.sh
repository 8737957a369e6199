# SPDX-License-Identifier: GPL-2.0
# Load, a short run with defaults through the driver, then the three
# detectors alive, unload.  The defaults must see nothing; but a default
# run also passes with every detector emptied, so each detector is then
# shown firing where it must, by the counts themselves (not by the
# module's verdict, which takes its expectations from the same module):
#   reclaim=unsafe: kfree() without a grace period under cached readers
#     -> gp_violations (a reader held a bus that was freed);
#   reclaim=call-srcu, cached: a section holds its bus across registrations
#     -> stale_observations (the guest saw a newer generation);
#   unregister=async: the device freed without a grace period
#     -> device_violations.
# The unsafe and async runs are negative controls (docs/controls.md): the
# writer waits for a reader holding what it frees, so they fire in every
# run; a cached section spans many registrations (stale in the first ms).
. /lib.sh
insmod /iobus_stress.ko
/iobus-stress run --duration 2 --probe_us 2000
[ "$(ibs_stat state)" = done ] || fail "state is not done"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
/iobus-stress stats | grep -q '^verdict: pass' || fail "stats verdict"
for d in stale_observations gp_violations device_violations; do
	[ "$(ibs_stat $d)" = 0 ] || fail "defaults: $d=$(ibs_stat $d)"
done
alive() {	# DETECTOR CONFIG...
	local d=$1
	shift
	ibs_run_cfg "$@" duration_ms=2000
	[ "$(ibs_stat "$d")" -gt 0 ] || fail "$*: $d=0: the detector never fired"
	echo "ok: $*: $d=$(ibs_stat "$d")"
}
alive gp_violations reclaim=unsafe pattern=cached
alive stale_observations reclaim=call-srcu pattern=cached
alive device_violations reclaim=call-srcu unregister=async pattern=cached
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
rmmod iobus_stress
