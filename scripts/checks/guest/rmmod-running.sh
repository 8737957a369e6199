# SPDX-License-Identifier: GPL-2.0
# rmmod in the middle of a run, for every strategy with deferred work.
. /lib.sh
for rc in call-srcu poll expedited-worker hybrid sync-expedited; do
	insmod /iobus_stress.ko
	echo "defaults reclaim=$rc readers=2 writers=2 instances=2 probe_us=1000 pattern=cached" > $D/config
	echo start > $D/control
	sleep 1
	rmmod iobus_stress
	echo "ok: rmmod during $rc run"
done
# ... and during the boot model, and with async unregister pending.
insmod /iobus_stress.ko
echo "defaults workload=boot reclaim=call-srcu devices=500 readers=2" > $D/config
echo start > $D/control
rmmod iobus_stress
insmod /iobus_stress.ko
echo "defaults unregister=async readers=2" > $D/config
echo start > $D/control
sleep 1
rmmod iobus_stress
