# SPDX-License-Identifier: GPL-2.0
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

# kvm_hold: one VM with a vCPU held for the rest of the script (iobus-stress
# kvm --hold), so that KVM's kvm_has_noapic_vcpu static key flips once,
# here, and not at every later first/last vCPU (scripts/checks/guest/kvm.sh
# says why).
kvm_hold() {
	local n=0
	/iobus-stress kvm --hold 2>/tmp/hold.log &
	until grep -q holding /tmp/hold.log; do
		n=$((n + 1))
		[ $n -lt 30 ] || fail "iobus-stress kvm --hold did not start in 30 s: $(cat /tmp/hold.log)"
		sleep 1
	done
}
