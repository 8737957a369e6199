# SPDX-License-Identifier: GPL-2.0
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
# pairs: anchor and iobus-stress runs alternate that many times for the
# reader cost and the expedited GP, and the ratio is the median of the
# pairs' ratios: both tools' numbers drift within one VM (rcuscale's p50
# between about 200 and 350 us), and a pair sees the same drift.
if [ "$short" = 1 ]; then
	det_ms=2000 cost_ms=1000 pairs=3 probe_ms=1000 periodic_ms=1500 ref_runs=3
else
	det_ms=3000 cost_ms=2000 pairs=5 probe_ms=1000 periodic_ms=3000 ref_runs=5
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
# pattern=cached: a reader holds one bus for a 64-access section, so the
# first bus freed under a reader is reported; with pattern=exit it holds a
# bus for one access, and the first report came 2.8-290 ms after the start
# on the debug kernel (8 runs), against 1.9-3.9 ms cached (4 runs).
control unsafe gp_violations reclaim=unsafe pattern=cached readers=2
# Cached again: a freed device is found only by a reader that still holds
# the bus it was on.
control async device_violations unregister=async pattern=cached readers=2
control cached stale_observations reclaim=call-srcu pattern=cached readers=2

# ---- reader cost -----------------------------------------------------
# One refscale load (ns per srcu_read_lock()+srcu_read_unlock() loop, 1
# reader on CPU 0, where refscale binds reader 0; ref_runs experiments):
# appends their median to /tmp/ref.ns.
refscale_once() {
	base=$(kmsg_lines)
	insmod /refscale.ko scale_type=srcu nreaders=1 loops=100000 \
		nruns=$ref_runs holdoff=0 shutdown_secs=0
	wait_kmsg 'srcu-ref-scale: *END OF TEST' 120 $base || fail "refscale: no END OF TEST"
	sleep 1
	rmmod refscale
	dmesg | tail -n +$((base + 1)) | awk '
		/Runs\tTime\(ns\)/ { on = 1; next }
		on && /\] [0-9]+\t[0-9.]+$/ { sub(/.*\t/, ""); print int($0 + 0.5) }' > /tmp/ref1.ns
	[ -s /tmp/ref1.ns ] || fail "refscale: no results"
	median < /tmp/ref1.ns >> /tmp/ref.ns
}
# One iobus-stress run, its ns_per_exit appended to FILE.  The writer
# registers one device and sleeps write_delay_us (10 s, cut short at
# stop): idle.  One reader on CPU 0, pattern=exit.
cost_once() {	# FILE KEY=VALUE...
	f=$1
	shift
	ibs_run_cfg readers=1 bind_readers=1 write_delay_us=10000000 \
		duration_ms=$cost_ms "$@"
	[ "$(ibs_stat registers)" = 1 ] || fail "the writer was not idle: $(ibs_stat registers) registers"
	ibs_stat ns_per_exit >> $f
}
# paired NAME A_FILE I_FILE: NAME's median, A_FILE's and I_FILE's (the
# anchor's and ours, line i of each one pair), and the median of the
# pairs' ratios (ours / the anchor's).
paired() {
	put $1 "$(median < $3)"
	put $1_pairs "$(paste -d/ $3 $2 | tr '\n' ' ')"
	put $1_paired_ratio "$(paste $3 $2 | awk '{ printf "%.3f\n", $1 / $2 }' |
		sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')"
}
# Timed as refscale times its loop (timed_loops: 10000 exits with
# interrupts off between two clock reads), alternating with refscale;
# then, for the record, timed by the run's wall clock, interrupts on
# (every tick, softirq and cond_resched() in the time).
timed=
grep -q '^timed_loops=' $D/config && timed=timed_loops=10000
: > /tmp/ref.ns
: > /tmp/cost.ns
: > /tmp/cost-wall.ns
i=0
while [ $i -lt $pairs ]; do
	[ $anchors = 1 ] && refscale_once
	cost_once /tmp/cost.ns $timed
	i=$((i + 1))
done
if [ $anchors = 1 ]; then
	put refscale_srcu_ns_per_loop "$(median < /tmp/ref.ns)"
	put refscale_srcu_ns_per_loop_runs "$(tr '\n' ' ' < /tmp/ref.ns)"
	paired ibs_ns_per_exit /tmp/ref.ns /tmp/cost.ns
else
	put ibs_ns_per_exit "$(median < /tmp/cost.ns)"
	put ibs_ns_per_exit_runs "$(tr '\n' ' ' < /tmp/cost.ns)"
fi
if [ -n "$timed" ]; then	# a module without timed_loops: wall clock only
	i=0
	while [ $i -lt $pairs ]; do
		cost_once /tmp/cost-wall.ns
		i=$((i + 1))
	done
	put ibs_ns_per_exit_wall "$(median < /tmp/cost-wall.ns)"
	put ibs_ns_per_exit_wall_runs "$(tr '\n' ' ' < /tmp/cost-wall.ns)"
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
# One rcuscale load: one writer, back-to-back synchronize_srcu_expedited()
# on an init_srcu_struct() domain for minruntime=1 s (by default it stops
# after 101, the first right after its 1 s holdoff: in one slow VM those
# gave p50s of 593-858 us against the probe's 381 us); the durations
# are printed at rmmod.  Its p50 is appended to /tmp/gp.ns, every
# duration to /tmp/gp-all.ns, its p25 to /tmp/gp25.ns.
rcuscale_once() {
	base=$(kmsg_lines)
	insmod /rcuscale.ko scale_type=srcud gp_exp=1 nwriters=1 nreaders=0 \
		holdoff=1 minruntime=1 shutdown_secs=0
	wait_kmsg 'srcud-scale: Test complete' 120 $base || fail "rcuscale: no Test complete"
	rmmod rcuscale
	dmesg | tail -n +$((base + 1)) |
		sed -n 's/.*srcud-scale: *0 writer-duration: *[0-9]* \([0-9]*\)$/\1/p' > /tmp/gp1.ns
	[ -s /tmp/gp1.ns ] || fail "rcuscale: no writer durations"
	median < /tmp/gp1.ns >> /tmp/gp.ns
	sort -n /tmp/gp1.ns | awk '{ v[NR] = $1 } END { print v[int(NR / 4) + 1] }' >> /tmp/gp25.ns
	cat /tmp/gp1.ns >> /tmp/gp-all.ns
}
probe() {	# NAME MS KEY=VALUE...: one probe run, its p50 appended to
	# /tmp/NAME.ns, its p25 to /tmp/NAME25.ns
	name=$1 ms=$2
	shift 2
	ibs_run_cfg readers=0 write_delay_us=10000000 reclaim=sync-expedited \
		duration_ms=$ms "$@"
	ibs_stat probe_ns_p50 >> /tmp/$name.ns
	ibs_stat probe_ns_p25 >> /tmp/${name}25.ns
	put ibs_probe_${name}_count "$(ibs_stat probe_count)"
}
: > /tmp/gp.ns
: > /tmp/gp25.ns
: > /tmp/gp-all.ns
: > /tmp/b2b.ns
: > /tmp/b2b25.ns
: > /tmp/periodic.ns
: > /tmp/periodic25.ns
b2b=0
grep -q '^probe_mode=' $D/config && b2b=1
i=0
while [ $i -lt $pairs ]; do
	[ $anchors = 1 ] && rcuscale_once
	[ $b2b = 1 ] && probe b2b $probe_ms probe_mode=back-to-back
	i=$((i + 1))
done
if [ $anchors = 1 ]; then
	put rcuscale_srcud_exp_p50_ns "$(median < /tmp/gp.ns)"
	put rcuscale_srcud_exp_p50_runs "$(tr '\n' ' ' < /tmp/gp.ns)"
	put rcuscale_srcud_exp_mean_ns "$(mean < /tmp/gp-all.ns)"
	put rcuscale_srcud_exp_count "$(wc -l < /tmp/gp-all.ns)"
	put rcuscale_srcud_exp_p25_ns "$(median < /tmp/gp25.ns)"
	if [ $b2b = 1 ]; then
		paired ibs_probe_b2b_p50_ns /tmp/gp.ns /tmp/b2b.ns
		paired ibs_probe_b2b_p25_ns /tmp/gp25.ns /tmp/b2b25.ns
	fi
elif [ $b2b = 1 ]; then
	put ibs_probe_b2b_p50_ns "$(median < /tmp/b2b.ns)"
	put ibs_probe_b2b_p25_ns "$(median < /tmp/b2b25.ns)"
fi
probe periodic $periodic_ms probe_us=1000
put ibs_probe_periodic_p50_ns "$(median < /tmp/periodic.ns)"
rmmod iobus_stress
dump bench.txt $out
