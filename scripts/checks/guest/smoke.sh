# Load, a short run with defaults through the driver, unload.
. /lib.sh
insmod /iobus_stress.ko
/iobus-stress run --duration 2 --probe_us 2000
[ "$(ibs_stat state)" = done ] || fail "state is not done"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
/iobus-stress stats | grep -q '^verdict: pass' || fail "stats verdict"
rmmod iobus_stress
