# SPDX-License-Identifier: GPL-2.0
# Quarantine by grace period: reclaim=unsafe frees every replaced bus at
# once; readers hold one bus across a 100000-access cached section, long
# enough for far more than 4096 frees (the old count-based FIFO).  Every
# such bus must still read "freed" to the end of the section: gp_violations
# counts them, `recycled` (a bus seen freed that reads live again) must stay
# 0, and nothing may oops (the console checker).  unregister=async frees
# the devices at once too, so no writer waits for a grace period.
. /lib.sh
# ibs_run_cfg KEY=VALUE...: one run through debugfs (duration_ms among the keys).
insmod /iobus_stress.ko
# One reader and three writers on the two vCPUs: the reader's sections get
# about half a CPU and outlast 7257-7787 frees each (stock 7.3, two runs);
# two of each gave 3911-4837, too close to 4096 once the reader got faster.
ibs_run_cfg reclaim=unsafe unregister=async pattern=cached block_len=100000 \
	devices=4 writers=${QGP_WRITERS:-3} readers=${QGP_READERS:-1} duration_ms=4000
frees=$(ibs_stat buses_allocated) gp=$(ibs_stat gp_violations)
rec=$(ibs_stat recycled) sections=$(ibs_stat sections)
echo "unsafe cached block_len=100000: sections=$sections buses=$frees gp_violations=$gp recycled=$rec"
[ "$sections" -gt 0 ] || fail "no section completed"
# QGP_MIN (default 4096, the old FIFO): frees per section required.  The
# debug kernel reaches ~1000-1600 under KASAN; there the run checks the
# same path under KASAN and lockdep, the stock run checks the overflow.
min=${QGP_MIN:-4096}
[ "$frees" -gt $((min * (sections + 2))) ] ||
	fail "only $frees buses for $sections sections: fewer than $min frees per section"
[ "$gp" -gt 0 ] || fail "unsafe reclaim gave no gp_violations"
[ "$rec" = 0 ] || fail "$rec freed buses were reused under a reader"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
echo "ok: a section outliving $frees frees keeps seeing the poison"
rmmod iobus_stress
