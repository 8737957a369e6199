# `make bench` in one guest: each anchor (rcutorture, refscale, rcuscale,
# when their modules are in /) next to the matching iobus-stress number.
# Writes key=value lines to /tmp/bench.txt and dumps it as bench.txt;
# scripts/bench/table.py makes the table.  BENCH_SHORT=1: the short
# version make check runs.  Every time is in ns.
. /lib.sh
out=/tmp/bench.txt
: > $out
put() { echo "$1=$2" >> $out; echo "bench: $1=$2"; }
short=${BENCH_SHORT:-0}
if [ "$short" = 1 ]; then
	det_ms=2000 cost_ms=1000 cost_runs=3 probe_ms=1500 ref_runs=5
else
	det_ms=3000 cost_ms=2000 cost_runs=5 probe_ms=3000 ref_runs=15
fi
put kernel "$(uname -r)"
put short "$short"
anchors=0
[ -r /rcutorture.ko ] && [ -r /refscale.ko ] && [ -r /rcuscale.ko ] && anchors=1
put anchors $anchors

# ktime of the first console line matching ERE $1 after line number $2,
# in ns, from dmesg's "[   12.345678]" prefix; empty if none.
kmsg_ns() {
	dmesg | awk -v re="$1" -v after="${2:-0}" '
		NR > after && $0 ~ re {
			t = substr($0, index($0, "[") + 1)
			t = substr(t, 1, index(t, "]") - 1)
			split(t, p, ".")
			printf "%d%06d000\n", p[1], p[2]
			exit
		}'
}
# wait_kmsg ERE SECONDS [AFTER]: until a console line matches (0) or not (1).
wait_kmsg() {
	n=0
	while ! dmesg | tail -n +$((${3:-0} + 1)) | grep -Eq "$1"; do
		n=$((n + 1))
		[ $n -le $(($2 * 5)) ] || return 1
		sleep 0.2
	done
}
kmsg_lines() { dmesg | wc -l; }
# median of the numbers on stdin (integers)
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
mean() { awk '{ s += $1 } END { if (NR) printf "%d\n", s / NR }'; }

insmod /iobus_stress.ko
[ -r /torture.ko ] && insmod /torture.ko
# probe_mode and timed_loops are validated: an unknown mode, back-to-back
# with a period, more exits per timed loop than 10000 (about 25 ms with
# interrupts off here), timed loops of a pattern other than exit.
if grep -q '^timed_loops=' $D/config; then
	for bad in "probe_mode=sideways" "probe_mode=back-to-back probe_us=1000" \
		"timed_loops=10001" "timed_loops=100 pattern=block"; do
		if echo "defaults $bad" > $D/config 2>/dev/null; then
			fail "config accepted '$bad'"
		fi
	done
	echo "ok: config refuses probe_mode=sideways, back-to-back with probe_us, timed_loops=10001, timed loops of pattern=block"
fi

# ---- detection -------------------------------------------------------
if [ $anchors = 1 ]; then
	# rcutorture's "busted" flavour frees at once; it reports at its
	# stats interval, so from "Start of test" to the first "!!!" line.
	# stutter=0: by default the writer pauses (stutter=5) right after the
	# start, the readers see nothing for seconds and the stall dump it
	# prints is a call trace the console checker refuses.
	base=$(kmsg_lines)
	insmod /rcutorture.ko torture_type=busted stat_interval=1 nreaders=2 stutter=0
	wait_kmsg 'busted-torture.*!!!' 30 $base || fail "rcutorture busted: no !!! in 30 s"
	rmmod rcutorture
	t0=$(kmsg_ns 'busted-torture:--- Start of test' $base)
	t1=$(kmsg_ns 'busted-torture.*!!!' $base)
	[ -n "$t0" ] && [ -n "$t1" ] || fail "rcutorture busted: no timestamps"
	put rcutorture_busted_first_ns $((t1 - t0))
fi
# first_ns of a negative control: run, check the detector fired.
control() {	# NAME STAT KEY=VALUE...
	name=$1 stat=$2
	shift 2
	ibs_run_cfg "$@" duration_ms=$det_ms
	c=$(ibs_stat $stat)
	put ibs_${name}_count "$c"
	put ibs_${name}_first_ns "$(ibs_stat ${stat}_first_ns)"
	put ibs_${name}_args "$*"
}
control unsafe gp_violations reclaim=unsafe pattern=exit readers=2
# pattern=cached: a freed device is found only by a reader that still holds
# the bus it was on; a cached section holds one bus for 64 accesses, an
# exit or block access for one.
control async device_violations unregister=async pattern=cached readers=2
control cached stale_observations reclaim=call-srcu pattern=cached readers=2

# ---- reader cost -----------------------------------------------------
if [ $anchors = 1 ]; then
	# ns per srcu_read_lock()+srcu_read_unlock() loop, 1 reader on CPU 0
	# (refscale binds reader 0 there), per experiment; the median.
	base=$(kmsg_lines)
	insmod /refscale.ko scale_type=srcu nreaders=1 loops=100000 \
		nruns=$ref_runs holdoff=0 shutdown_secs=0
	wait_kmsg 'srcu-ref-scale: *END OF TEST' 120 $base || fail "refscale: no END OF TEST"
	sleep 1
	rmmod refscale
	dmesg | tail -n +$((base + 1)) | awk '
		/Runs\tTime\(ns\)/ { on = 1; next }
		on && /\] [0-9]+\t[0-9.]+$/ { sub(/.*\t/, ""); print int($0 + 0.5) }' > /tmp/ref.ns
	[ -s /tmp/ref.ns ] || fail "refscale: no results"
	put refscale_srcu_ns_per_loop "$(median < /tmp/ref.ns)"
	put refscale_srcu_ns_per_loop_runs "$(tr '\n' ' ' < /tmp/ref.ns)"
fi
# The writer registers one device and sleeps write_delay_us (10 s, cut
# short at stop): idle.  One reader on CPU 0, pattern=exit; the median of
# cost_runs runs, as refscale's is of its runs.  Timed as refscale times
# its loop (timed_loops: 10000 exits with interrupts off between two
# clock reads), and, for the record, by the run's wall clock, interrupts
# on (every tick, softirq and cond_resched() in the time).
cost() {	# FILE KEY=VALUE...
	f=$1
	shift
	: > $f
	i=0
	while [ $i -lt $cost_runs ]; do
		ibs_run_cfg readers=1 bind_readers=1 write_delay_us=10000000 \
			duration_ms=$cost_ms "$@"
		ibs_stat ns_per_exit >> $f
		[ "$(ibs_stat registers)" = 1 ] || fail "the writer was not idle: $(ibs_stat registers) registers"
		i=$((i + 1))
	done
}
if grep -q '^timed_loops=' $D/config; then
	cost /tmp/cost.ns timed_loops=10000
	put ibs_ns_per_exit "$(median < /tmp/cost.ns)"
	put ibs_ns_per_exit_runs "$(tr '\n' ' ' < /tmp/cost.ns)"
	cost /tmp/cost-wall.ns
	put ibs_ns_per_exit_wall "$(median < /tmp/cost-wall.ns)"
	put ibs_ns_per_exit_wall_runs "$(tr '\n' ' ' < /tmp/cost-wall.ns)"
else
	cost /tmp/cost.ns	# a module without timed_loops: wall clock only
	put ibs_ns_per_exit "$(median < /tmp/cost.ns)"
	put ibs_ns_per_exit_runs "$(tr '\n' ' ' < /tmp/cost.ns)"
fi
# --profile: where the reader's CPU (0) spends its time, by kernel
# function (scripts/bench/kprof.c; samples every 100 us of cpu-clock).
if [ -x /kprof ]; then
	echo "defaults readers=1 bind_readers=1 write_delay_us=10000000 duration_ms=8000" > $D/config
	echo start > $D/control
	sleep 1
	/kprof c0 5 40 > /tmp/profile.txt || fail "kprof failed"
	while [ "$(cut -d' ' -f1 $D/control)" != done ]; do sleep 0.5; done
	echo "ns_per_exit during the profile: $(ibs_stat ns_per_exit)" >> /tmp/profile.txt
	dump profile.txt /tmp/profile.txt
fi

# ---- expedited grace period ------------------------------------------
if [ $anchors = 1 ]; then
	# One writer, back-to-back synchronize_srcu_expedited() on an
	# init_srcu_struct() domain; ~101 timed GPs, printed at rmmod.
	base=$(kmsg_lines)
	insmod /rcuscale.ko scale_type=srcud gp_exp=1 nwriters=1 nreaders=0 \
		holdoff=1 shutdown_secs=0
	wait_kmsg 'srcud-scale: Test complete' 120 $base || fail "rcuscale: no Test complete"
	rmmod rcuscale
	dmesg | tail -n +$((base + 1)) |
		sed -n 's/.*srcud-scale: *0 writer-duration: *[0-9]* \([0-9]*\)$/\1/p' > /tmp/gp.ns
	[ -s /tmp/gp.ns ] || fail "rcuscale: no writer durations"
	put rcuscale_srcud_exp_p50_ns "$(median < /tmp/gp.ns)"
	put rcuscale_srcud_exp_mean_ns "$(mean < /tmp/gp.ns)"
	put rcuscale_srcud_exp_count "$(wc -l < /tmp/gp.ns)"
fi
probe() {	# NAME KEY=VALUE...
	name=$1
	shift
	ibs_run_cfg readers=0 write_delay_us=10000000 reclaim=sync-expedited \
		duration_ms=$probe_ms "$@"
	put ibs_probe_${name}_p50_ns "$(ibs_stat probe_ns_p50)"
	put ibs_probe_${name}_mean_ns "$(ibs_stat probe_ns_mean)"
	put ibs_probe_${name}_count "$(ibs_stat probe_count)"
}
if grep -q '^probe_mode=' $D/config; then
	probe b2b probe_mode=back-to-back
fi
probe periodic probe_us=1000
rmmod iobus_stress
dump bench.txt $out
