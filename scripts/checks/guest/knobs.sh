# SPDX-License-Identifier: GPL-2.0
# max_pending bounds the call_srcu() backlog; bind_readers pins readers.
# Each knob is checked against a control run without it.
. /lib.sh
insmod /iobus_stress.ko
cpus=$(grep -c '^processor' /proc/cpuinfo)
[ "$cpus" -ge 2 ] || fail "needs 2 CPUs, has $cpus"

# --- max_pending: call-srcu defers every old bus to a normal grace period,
# so an unbounded writer piles them up; a bound of 4 makes writers wait.
# Writers check the bound before they publish, so with W writers the peak
# may pass it by W - 1; and a synchronous unregister counts its old bus as
# pending while it waits for the grace period (one at a time: it holds
# slots_lock), so by W in all.  Seen in CI: 6 with max_pending=4 and W=2
# (both registers past the check at 3, then an unregister); unbounded: 33.
args="--duration 2 --reclaim call-srcu --pattern exit --writers 2 --readers 2"
/iobus-stress run $args
peak0=$(ibs_stat pending_peak) waits0=$(ibs_stat pending_waits)
echo "unbounded: pending_peak=$peak0 pending_waits=$waits0"
[ "$waits0" = 0 ] || fail "writers waited without max_pending"
/iobus-stress run $args --max_pending 4
peak=$(ibs_stat pending_peak) waits=$(ibs_stat pending_waits)
echo "max_pending=4: pending_peak=$peak pending_waits=$waits"
[ "$waits" -gt 0 ] || fail "max_pending=4 never made a writer wait"
[ "$peak" -le 6 ] || fail "pending_peak $peak above max_pending 4 + 2 writers"
[ "$peak0" -gt 5 ] || fail "control: unbounded backlog $peak0 never passed the bound"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
echo "ok: max_pending bounds the backlog ($peak0 -> $peak)"

# --- bind_readers: reader i runs only on the i-th online CPU.
# affinity NAME: the Cpus_allowed_list of the kthread called NAME.
affinity() {
	for p in /proc/[0-9]*; do
		[ "$(cat $p/comm 2>/dev/null)" = "$1" ] || continue
		grep '^Cpus_allowed_list' $p/status | cut -f2
		return
	done
	echo none
}
# The readers spin on both CPUs and starve this shell (on the debug kernel
# one pass over /proc takes seconds), so the run is long and is ended by
# `iobus-stress stop` once the affinities are read.
for bind in 0 1; do
	/iobus-stress run --duration 120 --readers 2 --bind_readers $bind \
		>/tmp/bind.out 2>&1 &
	pid=$!
	while [ "$(cut -d' ' -f1 $D/control)" != running ]; do
		kill -0 $pid 2>/dev/null ||
			{ cat /tmp/bind.out; fail "the driver exited before its run started"; }
		sleep 0.2
	done
	a0=$(affinity ibs_r0/0) a1=$(affinity ibs_r0/1)
	/iobus-stress stop
	wait $pid || { cat /tmp/bind.out; fail "run with bind_readers=$bind"; }
	echo "bind_readers=$bind: ibs_r0/0 on CPUs $a0, ibs_r0/1 on CPUs $a1"
	if [ $bind = 1 ]; then
		[ "$a0" = 0 ] && [ "$a1" = 1 ] || fail "readers not bound to CPUs 0 and 1"
	else
		[ "$a0" = "0-$((cpus - 1))" ] && [ "$a1" = "$a0" ] ||
			fail "control: unbound readers not allowed on every CPU"
	fi
done
echo "ok: bind_readers pins reader i to CPU i"
rmmod iobus_stress
