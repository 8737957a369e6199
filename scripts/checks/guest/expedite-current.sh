# SPDX-License-Identifier: GPL-2.0
# reclaim=expedite-current (call_srcu() + srcu_expedite_current()) on a
# kernel that has the API: boot model and churn runs end with verdict pass
# (its expectations are call-srcu's), and the numbers beside call-srcu and
# sync-expedited: register p50, first vCPU creation, probe p50.
. /lib.sh
insmod /iobus_stress.ko
dmesg | grep -q "iobus_stress: compat: .*srcu_expedite_current=yes" ||
	fail "module built without srcu_expedite_current()"
REP=${REP:-5}
run() {	# run CONFIG: one run to its end; prints "key=value" of interest
	echo "defaults $1" > $D/config
	echo start > $D/control
	while ! grep -q '^done' $D/control; do sleep 0.2; done
	v=$(ibs_stat verdict)
	[ "$v" = pass ] || fail "'$1': verdict $v"
}
for rc in sync-expedited call-srcu expedite-current; do
	i=0
	while [ $i -lt $REP ]; do
		run "workload=boot reclaim=$rc devices=40 early_devices=6 readers=2 seed=$((i + 1))"
		echo "boot reclaim=$rc rep=$i register_p50_ns=$(ibs_stat register_ns_p50) vcpu1_ns=$(ibs_stat boot_vcpu1_ns) vcpu_create_p50_ns=$(ibs_stat vcpu_create_ns_p50) boot_ns=$(ibs_stat boot_ns)"
		i=$((i + 1))
	done
done
for rc in sync-expedited call-srcu expedite-current; do
	for pat in exit cached; do
		run "reclaim=$rc pattern=$pat probe_us=2000 duration_ms=2000"
		echo "churn reclaim=$rc pattern=$pat registers=$(ibs_stat registers) register_p50_ns=$(ibs_stat register_ns_p50) reclaim_p50_ns=$(ibs_stat reclaim_ns_p50) probe_p50_ns=$(ibs_stat probe_ns_p50) stale=$(ibs_stat stale_observations) pending_peak=$(ibs_stat pending_peak) ns_per_exit=$(ibs_stat ns_per_exit)"
	done
done
# The driver's boot model includes it where the module has the API.
grep -q 'srcu_expedite_current=yes' $D/compat || fail "debugfs compat: $(cat $D/compat)"
/iobus-stress boot --repeat 1 --devices 8 > /tmp/boot.out 2>&1 ||
	{ cat /tmp/boot.out; fail "iobus-stress boot failed"; }
cat /tmp/boot.out
grep -q expedite-current /tmp/boot.out || fail "boot left out expedite-current"
rmmod iobus_stress
