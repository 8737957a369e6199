# SPDX-License-Identifier: GPL-2.0
# Injected -ENOMEM: counted, the run goes on, nothing leaks.
. /lib.sh
insmod /iobus_stress.ko
/iobus-stress run --duration 2 --fail_alloc_every 5 --writers 2
[ "$(ibs_stat enomem)" -gt 0 ] || fail "no -ENOMEM counted"
[ "$(ibs_stat registers)" -gt 0 ] || fail "no registrations"
[ "$(ibs_stat leaked)" = 0 ] || fail "leaked after -ENOMEM"
rmmod iobus_stress
