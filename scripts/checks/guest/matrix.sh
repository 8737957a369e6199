# SPDX-License-Identifier: GPL-2.0
# The expected-outcome table, every cell asserted (KTAP on the console).
# The JSON and SVG are dumped even when a cell failed, so that the host's
# own table (check-outcomes.py) can judge the cells that ran.
. /lib.sh
rc=0
/iobus-stress matrix --duration 2 --readers 2 --tap --json /tmp/matrix.json \
	--svg /tmp/matrix.svg || rc=$?
dump matrix.json /tmp/matrix.json
dump matrix.svg /tmp/matrix.svg
rmmod iobus_stress
[ "$rc" = 0 ] || fail "iobus-stress matrix exited $rc"
