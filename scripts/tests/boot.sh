# The VM boot model per strategy, with its SVG.
. /lib.sh
/iobus-stress boot --repeat ${BOOT_REPEAT:-3} --svg /tmp/boot.svg --json /tmp/boot.json
dump boot.svg /tmp/boot.svg
dump boot.json /tmp/boot.json
rmmod iobus_stress
