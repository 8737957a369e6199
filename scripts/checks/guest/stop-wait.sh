# SPDX-License-Identifier: GPL-2.0
# A stop or rmmod does not wait out a long probe_us/write_delay_us sleep.
. /lib.sh
now_cs() { tr -d . < /proc/uptime | cut -d' ' -f1; }	# centiseconds
timed() { t0=$(now_cs); "$@"; dt=$(($(now_cs) - t0)); echo "'$*' took ${dt}0 ms"; }
insmod /iobus_stress.ko
echo "defaults probe_us=10000000 write_delay_us=10000000 readers=1" > $D/config
echo start > $D/control
sleep 1
timed sh -c "echo stop > $D/control"
[ "$dt" -le 300 ] || fail "stop took ${dt}0 ms with 10 s sleeps (limit 3 s)"
[ "$(ibs_stat state)" = done ] || fail "state after stop is not done"
echo start > $D/control
sleep 1
timed rmmod iobus_stress
[ "$dt" -le 300 ] || fail "rmmod took ${dt}0 ms with 10 s sleeps (limit 3 s)"
