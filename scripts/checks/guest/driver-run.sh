# SPDX-License-Identifier: GPL-2.0
# The main job: one stress run through the driver, then unload.
. /lib.sh
insmod /iobus_stress.ko
/iobus-stress run $(cat /run.args)
rmmod iobus_stress
