# SPDX-License-Identifier: GPL-2.0
# vCPU creation as on x86: only the first KVM_CREATE_VCPU swaps memslots
# (the APIC access page) with synchronize_srcu_expedited(); the others do no
# SRCU sync.  With vcpu_sync=first (default) the creations after the first
# cost microseconds; vcpu_sync=all makes each one sync.
. /lib.sh
insmod /iobus_stress.ko
for vs in first all; do
	ibs_run_cfg workload=boot readers=8 devices=20 vcpu_sync=$vs
	c=$(ibs_stat vcpu_create_count) p=$(ibs_stat vcpu_create_ns_p50)
	v1=$(ibs_stat boot_vcpu1_ns) mx=$(ibs_stat vcpu_create_ns_max)
	echo "vcpu_sync=$vs: vcpu_create_count=$c p50=${p}ns first=${v1}ns max=${mx}ns verdict=$(ibs_stat verdict)"
	[ "$c" = 8 ] || fail "vcpu_sync=$vs: $c vCPU creations, expected 8"
	[ "$(ibs_stat verdict)" = pass ] || fail "verdict $(ibs_stat verdict)"
	eval p_$vs=$p v1_$vs=$v1
done
# An expedited SRCU grace period takes tens of microseconds at least here
# (TCG); a creation without one, a wake_up_process().
[ "$p_first" -lt 20000 ] || fail "vcpu_sync=first: p50 ${p_first}ns, most creations synced"
[ "$p_all" -gt $((4 * p_first)) ] || fail "vcpu_sync=all: p50 ${p_all}ns not above first's ${p_first}ns"
[ "$v1_first" -gt "$p_first" ] || fail "vcpu_sync=first: the first creation (${v1_first}ns) did not sync"
echo "ok: only the first vCPU creation syncs (p50 ${p_first}ns vs ${p_all}ns with vcpu_sync=all)"
rmmod iobus_stress
