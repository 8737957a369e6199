# SPDX-License-Identifier: GPL-2.0
# The VM boot model per strategy, with its SVG; then the regression's
# negative control: with no early registrations call_srcu() has no grace
# period running when the first vCPU is created.
. /lib.sh
/iobus-stress boot --repeat ${BOOT_REPEAT:-5} --svg /tmp/boot.svg --json /tmp/boot.json
dump boot.svg /tmp/boot.svg
dump boot.json /tmp/boot.json
/iobus-stress boot --reclaim sync-expedited,call-srcu --early 0 \
	--repeat ${BOOT_REPEAT:-5} --json /tmp/boot-early0.json
dump boot-early0.json /tmp/boot-early0.json
rmmod iobus_stress
