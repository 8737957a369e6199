# SPDX-License-Identifier: GPL-2.0
# Negative control: reclaim=unsafe quarantine=0 frees a bus readers still
# use; KASAN must report the use after free (the host expects the splat).
. /lib.sh
insmod /iobus_stress.ko
echo "defaults reclaim=unsafe quarantine=0 pattern=cached readers=2 duration_ms=3000" > $D/config
echo start > $D/control
sleep 4
echo stop > $D/control
rmmod iobus_stress
