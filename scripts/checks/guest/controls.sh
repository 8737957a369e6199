# SPDX-License-Identifier: GPL-2.0
# The negative controls must fire (issue 24): reclaim=unsafe must give
# gp_violations > 0 and unregister=async device_violations > 0.  Runs
# CTL_RUNS (default 6) back-to-back short runs (CTL_MS, default 2000 ms) of
# each cell of CTL_CELLS (kind/pattern, comma-separated) in this one VM and prints one "run ..." line each.
#
# Each run is judged: "miss" (the module's verdict is fail), "inconclusive"
# (the condition for firing never happened: exposures=0), "fire".  With
# CTL_STRICT=1 (make check) the test fails on any miss or inconclusive run,
# on a pass without a violation, on an inconclusive run whose exposures are
# not 0, and on a run with fewer violations than exposures: each exposure
# is caught by the reader that held the object (module/reader.c,
# "Exposures": store-buffering, each side with smp_mb()), so violations >=
# exposures always.  CTL_PARAMS are module parameters (e.g.
# hold_wait_us=0, the control without the wait; one word: commas become
# blanks).
. /lib.sh
# shellcheck disable=SC2086
params=$(echo "${CTL_PARAMS:-}" | tr , ' ')
# shellcheck disable=SC2086
insmod /iobus_stress.ko $params || fail "insmod $params"
runs=${CTL_RUNS:-6} ms=${CTL_MS:-2000} strict=${CTL_STRICT:-0}
# CTL_CELLS: comma-separated (a kernel command line word)
cells=$(echo "${CTL_CELLS:-unsafe/exit,unsafe/block,unsafe/cached,async/exit,async/block,async/cached}" | tr , ' ')
bad=0
for cell in $cells; do
	kind=${cell%/*} pat=${cell#*/}
	# The matrix's configurations of its control cells (userspace/commands.c:
	# probe_us=2000; unsafe devices=1000; async devices=8 block_len=1024).
	case $kind in
	unsafe) cfg="reclaim=unsafe probe_us=2000 devices=1000 ${CTL_UNSAFE_CFG:-}"
		det=gp_violations exp=gp_exposures frees=registers ;;
	async) cfg="reclaim=sync-expedited unregister=async probe_us=2000 devices=8 block_len=1024 ${CTL_ASYNC_CFG:-}"
		det=device_violations exp=device_exposures frees=unregisters ;;
	# No false positive: a correct reclaim beside an async unregister
	# (the readers track their buses, gp must stay 0), and alone.
	clean-async) cfg="reclaim=${CTL_CLEAN:-sync-expedited} unregister=async probe_us=2000 devices=8 block_len=1024"
		det=gp_violations exp=gp_exposures frees=registers ;;
	clean) cfg="reclaim=${CTL_CLEAN:-sync-expedited} probe_us=2000"
		det=gp_violations exp=gp_exposures frees=registers ;;
	*) fail "unknown cell $cell" ;;
	esac
	i=1 fire=0 miss=0 inc=0 sum_x=0 sum_f=0
	while [ "$i" -le "$runs" ]; do
		ibs_run_cfg $cfg pattern=$pat duration_ms=$ms seed=$i
		v=$(ibs_stat verdict) n=$(ibs_stat $det) x=$(ibs_stat $exp) f=$(ibs_stat $frees)
		[ -n "$x" ] || x=-
		case $v in
		pass) res=fire; case $kind in clean*) res=clean ;; esac ;;
		inconclusive*) res=inconclusive ;;
		*) res=miss ;;
		esac
		echo "run cell=$cell i=$i result=$res $det=$n $exp=$x $frees=$f stale=$(ibs_stat stale_observations) hold_timeouts=$(ibs_stat hold_timeouts) verdict=$v"
		case $res in
		fire) fire=$((fire + 1)) ;;
		clean) fire=$((fire + 1)) ;;
		inconclusive) inc=$((inc + 1)) ;;
		*) miss=$((miss + 1)) ;;
		esac
		if [ "$strict" = 1 ]; then
			[ "$res" = miss ] && { echo "FAIL: $cell run $i: $v"; bad=1; }
			[ "$res" = inconclusive ] &&
				{ echo "FAIL: $cell run $i inconclusive ($exp=$x): the writer's wait did not expose a single free"; bad=1; }
			[ "$res" = fire ] && [ "$n" = 0 ] && { echo "FAIL: $cell run $i passed with $det=0"; bad=1; }
			[ "$res" = inconclusive ] && [ "$x" != 0 ] &&
				{ echo "FAIL: $cell run $i inconclusive with $exp=$x"; bad=1; }
			case $kind in clean*) ;; *)
				[ "$x" != - ] && [ "$n" -ge "$x" ] ||
					{ echo "FAIL: $cell run $i: $det=$n < $exp=$x (an exposure was not caught)"; bad=1; } ;;
			esac
		fi
		[ "$x" = - ] || sum_x=$((sum_x + x))
		sum_f=$((sum_f + f))
		i=$((i + 1))
	done
	echo "cell $cell runs=$runs fire=$fire miss=$miss inconclusive=$inc $exp=$sum_x $frees=$sum_f"
done
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
rmmod iobus_stress
[ "$bad" = 0 ] || fail "a negative control did not fire deterministically"
echo "ok: every control run judged"
