# Helpers for guest test scripts (sourced; busybox sh).
D=/sys/kernel/debug/iobus_stress
fail() { echo "TEST FAILED: $*"; exit 1; }
# expect_rc WANT CMD...: run CMD, fail unless its exit status is WANT.
expect_rc() {
	want=$1; shift
	set +e; "$@"; rc=$?; set -e
	[ "$rc" = "$want" ] || fail "'$*' exited $rc, expected $want"
	echo "ok: '$*' exited $rc"
}
# ibs_stat KEY: one value of the module's stats.
ibs_stat() { grep "^$1: " $D/stats | cut -d' ' -f2-; }
# dump NAME FILE: copy a file to the host through the console.
dump() { echo "----- BEGIN FILE $1"; cat "$2"; echo "----- END FILE $1"; }
# ibs_run_cfg KEY=VALUE...: one run of the module with defaults plus these
# keys, straight through debugfs; returns when it is done.
ibs_run_cfg() {
	echo "defaults $*" > $D/config || fail "config rejected: $*"
	echo start > $D/control || fail "start: $*"
	while [ "$(cut -d' ' -f1 $D/control)" != done ]; do sleep 0.5; done
}
