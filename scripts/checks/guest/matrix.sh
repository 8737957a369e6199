# The expected-outcome table, every cell asserted (KTAP on the console).
. /lib.sh
/iobus-stress matrix --duration 2 --readers 2 --tap --json /tmp/matrix.json \
	--svg /tmp/matrix.svg
dump matrix.json /tmp/matrix.json
dump matrix.svg /tmp/matrix.svg
rmmod iobus_stress
