# SPDX-License-Identifier: GPL-2.0
# Booted with debugfs=off: the module still loads (one pr_warn), and a
# run through module parameters works and ends with its verdict.
. /lib.sh
[ ! -e $D ] || fail "debugfs is on: boot with debugfs=off"
insmod /iobus_stress.ko autostart=1 duration_ms=1000 reclaim=sync
dmesg | grep -q "iobus_stress: debugfs unavailable" || fail "no pr_warn for missing debugfs"
sleep 3
dmesg | grep -q "iobus_stress: End of test: SUCCESS" || fail "autostart run did not end with SUCCESS"
rmmod iobus_stress
