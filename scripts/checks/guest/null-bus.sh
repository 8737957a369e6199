# SPDX-License-Identifier: GPL-2.0
# Unregister -ENOMEM as Linux 6.1 and 7.3 do it: the copy fails, a NULL bus
# is published, synchronized, and every device is destroyed; readers that
# find NULL return -ENOMEM (7.3's kvm_io_bus_write()).  With every 7th
# allocation failing, NULL must be published and seen, the run must go on
# (the next register installs a fresh bus), nothing may oops or leak.
. /lib.sh
insmod /iobus_stress.ko
ibs_run_cfg fail_alloc_every=7 writers=2 readers=2 devices=8 write_delay_us=2000 \
	duration_ms=3000
n=$(ibs_stat null_publishes) z=$(ibs_stat null_bus_accesses)
echo "fail_alloc_every=7: registers=$(ibs_stat registers) unregisters=$(ibs_stat unregisters) enomem=$(ibs_stat enomem) null_publishes=$n null_bus_accesses=$z hits=$(ibs_stat hits) verdict=$(ibs_stat verdict)"
[ "$n" -gt 0 ] || fail "an unregister -ENOMEM never published NULL"
[ "$z" -gt 0 ] || fail "no reader saw the NULL bus"
[ "$(ibs_stat registers)" -gt "$n" ] || fail "the run did not go on after NULL"
[ "$(ibs_stat hits)" -gt 0 ] || fail "no access hit a device"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked objects"
[ "$(ibs_stat verdict)" = pass ] || fail "verdict $(ibs_stat verdict)"
echo "ok: unregister -ENOMEM publishes NULL; readers cope"
rmmod iobus_stress
