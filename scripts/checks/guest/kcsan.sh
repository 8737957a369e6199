# SPDX-License-Identifier: GPL-2.0
# The module under KCSAN (the kcsan debug kernel: kernel-build.sh kcsan).
# The host's console checker fails a run on any "BUG: KCSAN:" line, so
# these runs pass only without a KCSAN report, unless the host expects one
# (run-vm.sh --expect, the negative controls).
#
# Default: every correct cell of the matrix (every reclaim strategy but
# unsafe, with exit, block and cached; not the unregister=async control)
# and the boot model, and kcsan_break's validation.
# KCSAN_BREAK=NAME[,NAME...] (kernel command line): per NAME, the module
# loaded with kcsan_break=NAME (module/params.c) and one churn run that
# exercises the ordering NAME removes, until KCSAN reports a data race or
# KCSAN_DURATION seconds (default 30) passed; whether KCSAN reported it is
# the host's to judge.
# KCSAN_ABSENT=1, on a kernel without KCSAN: every kcsan_break but none
# must refuse the load, saying why.
. /lib.sh
K=/sys/kernel/debug/kcsan
if [ "${KCSAN_ABSENT:-0}" = 1 ]; then
	[ ! -e $K ] || fail "this kernel has KCSAN"
	for b in publish gen gen-wmb block-rmb deref; do
		expect_rc 95 insmod /iobus_stress.ko kcsan_break=$b	# EOPNOTSUPP
		dmesg | grep -q "kcsan_break=$b needs a CONFIG_KCSAN kernel" ||
			fail "no 'needs a CONFIG_KCSAN kernel' message for kcsan_break=$b"
	done
	insmod /iobus_stress.ko kcsan_break=none
	rmmod iobus_stress
	echo "ok: without KCSAN only kcsan_break=none loads"
	exit 0
fi
[ -r $K ] || fail "no $K: not a KCSAN kernel"
# kcsan_counters WHEN: KCSAN's own counters (watchpoints set up, races).
kcsan_counters() {
	echo "kcsan counters after $1: $(sed -n 's/^\([a-z_]*\): \([0-9]*\)$/\1=\2/p' $K | tr '\n' ' ')"
}
kcsan_counters boot
# KCSAN is off until the module is loaded and the filter below is set: a
# load runs the module's KUnit suite, and the shell's own work would be
# watched at the dense sampling too.
echo off > $K || fail "cannot turn KCSAN off"
# KCSAN watches one access in skip_watch (4000 by default), and only plain
# ones: the writer's plain store of kcsan_break=publish, made ~50 times a
# second here, would be watched about once a minute.  KCSAN_SKIP_WATCH
# (default 100) samples 40 times more densely, for every run here.
echo ${KCSAN_SKIP_WATCH:-100} > /sys/module/kcsan/parameters/skip_watch ||
	fail "cannot set kcsan skip_watch"
echo "kcsan skip_watch=$(cat /sys/module/kcsan/parameters/skip_watch)"
# kcsan_module_only: after each insmod, KCSAN reports only races whose two
# accesses both have a function of the module as their top frame (its
# whitelist filter; addresses, so again after every load); then KCSAN on.  At this density
# the core kernel shows races of its own (measured: ktime_get /
# timekeeping_update_from_shadow, memalloc_restore_scope / to_kthread) that
# would fail every run; the price is that a race between the module and
# core-kernel code is not reported either.  KCSAN's data_races counter
# still counts every race, filtered or not.
kcsan_module_only() {
	n=0
	for f in $(sed -n 's/^[0-9a-f]* [tT] \([^ 	]*\)	\[iobus_stress\]$/\1/p' /proc/kallsyms); do
		echo "!$f" > $K 2>/dev/null && n=$((n + 1))
	done
	[ $n -gt 20 ] || fail "only $n functions of the module in KCSAN's report filter"
	echo whitelist > $K || fail "cannot set KCSAN's whitelist"
	echo on > $K || fail "cannot turn KCSAN on"
	echo "kcsan: reports limited to races between the module's $n functions"
}
# kcsan_reports: the KCSAN reports printed so far.
kcsan_reports() { dmesg | grep -c 'BUG: KCSAN:' || true; }

if [ -n "${KCSAN_BREAK:-}" ]; then
	# One reader leaves the writer a CPU of its own.
	max=${KCSAN_DURATION:-30}
	for b in $(echo "$KCSAN_BREAK" | tr , ' '); do
		insmod /iobus_stress.ko kcsan_break=$b || fail "insmod kcsan_break=$b"
		kcsan_module_only
		case $b in
		block-rmb) p=block ;;
		*) p=exit ;;
		esac
		# Until KCSAN reports a data race, at most $max seconds.
		races0=$(kcsan_reports)
		echo "defaults pattern=$p readers=1 writers=1" > $D/config ||
			fail "config rejected"
		echo start > $D/control || fail "start"
		# By the clock: the busy threads starve this shell.
		t0=$(date +%s)
		while [ $(($(date +%s) - t0)) -lt $max ] &&
			[ "$(kcsan_reports)" = "$races0" ]; do
			sleep 1
		done
		t=$(($(date +%s) - t0))
		echo stop > $D/control || fail "stop"
		echo "kcsan_break=$b pattern=$p: ran ${t}s (at most ${max}s): registers=$(ibs_stat registers) exits=$(ibs_stat exits) stale_observations=$(ibs_stat stale_observations) verdict=$(ibs_stat verdict)"
		echo off > $K
		rmmod iobus_stress
		kcsan_counters "kcsan_break=$b"
	done
	exit 0
fi

# kcsan_break: unknown names refuse the load, none is the normal module.
expect_rc 22 insmod /iobus_stress.ko kcsan_break=bogus	# EINVAL
dmesg | grep -q "kcsan_break: bad value 'bogus'" ||
	fail "no 'bad value' message for kcsan_break=bogus"
insmod /iobus_stress.ko kcsan_break=none
kcsan_module_only
grep -qx none /sys/module/iobus_stress/parameters/kcsan_break ||
	fail "kcsan_break does not read back none"
grep -q 'srcu_expedite_current=yes' $D/compat && ec=,expedite-current || ec=
rc=0
/iobus-stress matrix --duration 2 --readers 2 --tap \
	--reclaim sync-expedited,sync,call-srcu,expedited-worker,poll,hybrid$ec ||
	rc=$?
[ "$rc" = 0 ] || fail "iobus-stress matrix exited $rc"
kcsan_counters matrix
/iobus-stress boot --repeat 1 || fail "iobus-stress boot exited $?"
kcsan_counters boot-model
rmmod iobus_stress
