# SPDX-License-Identifier: GPL-2.0
# The bus limit, as kvm_io_bus_register_dev(): at most 1000 ranges that
# are not ioeventfds.  1100 MMIO devices must hit -ENOSPC; 1100 devices of
# which half are ioeventfds (excluded from the limit) must not.  Also the
# dispatch: an access aimed at an MMIO range always finds a device that
# accepts it (every overlapping range is tried, dispatch_misses=0), an
# ioeventfd declines a value other than its datamatch (declines>0) and the
# dispatch goes on to a range that accepts (hits_past_decline>0), and
# ioeventfds of len 0 match their exact address (zero_len_hits>0).  Not
# misses>0: every access to the bus while it is still empty is a miss.
. /lib.sh
insmod /iobus_stress.ko
ibs_run_cfg devices=1100 ioeventfd_pct=0 reclaim=call-srcu duration_ms=4000
e=$(ibs_stat enospc) r=$(ibs_stat registers)
echo "1100 MMIO devices: registers=$r enospc=$e"
[ "$e" -gt 0 ] || fail "1100 MMIO devices never got -ENOSPC"
[ "$r" -ge 1000 ] || fail "only $r registers before -ENOSPC"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
ibs_run_cfg devices=1100 ioeventfd_pct=50 reclaim=call-srcu duration_ms=4000
e=$(ibs_stat enospc) r=$(ibs_stat registers) dm=$(ibs_stat dispatch_misses)
zl=$(ibs_stat zero_len_hits) h=$(ibs_stat hits) m=$(ibs_stat misses)
dc=$(ibs_stat declines) hd=$(ibs_stat hits_past_decline)
echo "1100 devices, half ioeventfds: registers=$r enospc=$e hits=$h misses=$m dispatch_misses=$dm zero_len_hits=$zl declines=$dc hits_past_decline=$hd"
[ "$r" -ge 1100 ] || fail "the bus never reached 1100 devices ($r registers)"
[ "$e" = 0 ] || fail "ioeventfds counted toward the limit: enospc=$e"
[ "$dm" = 0 ] || fail "$dm accesses aimed at an MMIO device found none"
[ "$zl" -gt 0 ] || fail "no hit on a len 0 ioeventfd"
[ "$dc" -gt 0 ] || fail "no ioeventfd ever declined (datamatch)"
[ "$hd" -gt 0 ] || fail "no dispatch went past a declining ioeventfd to a range that accepted"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
echo "ok: -ENOSPC past 1000 MMIO ranges, none with ioeventfds; dispatch tries every range"
rmmod iobus_stress
