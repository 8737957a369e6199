# SPDX-License-Identifier: GPL-2.0
# The module's KUnit suite (needs a kernel with CONFIG_KUNIT=y): every case
# "ok" on a plain load; with kunit_break=1 the corrupted case and the suite
# are "not ok" while the others stay "ok".  KTAP goes to the host between
# file markers (kunit.ktap, kunit-break.ktap).
. /lib.sh
ktap() {	# the KTAP lines of the console since the last dmesg -c
	dmesg -c | sed -n 's/^\[[^]]*\] //p' |
		grep -E '^ *(KTAP version|1\.\.[0-9]|# |(not )?ok [0-9])'
}
dmesg -c >/dev/null
insmod /iobus_stress.ko
ktap > /tmp/ok.ktap
rmmod iobus_stress
dump kunit.ktap /tmp/ok.ktap
grep -q '^ *# Subtest: iobus_stress' /tmp/ok.ktap || fail "no KUnit suite iobus_stress ran"
n=$(grep -cE '^ +ok [0-9]+ ' /tmp/ok.ktap)
[ "$n" = 6 ] || fail "$n cases ok, expected 6"
! grep -q 'not ok' /tmp/ok.ktap || fail "a KUnit case failed"
grep -qE '^ok [0-9]+ iobus_stress$' /tmp/ok.ktap || fail "suite not ok"
insmod /iobus_stress.ko kunit_break=1
ktap > /tmp/break.ktap
rmmod iobus_stress
dump kunit-break.ktap /tmp/break.ktap
grep -qE '^ +not ok [0-9]+ bus_insert_lookup$' /tmp/break.ktap ||
	fail "kunit_break=1: bus_insert_lookup not reported 'not ok'"
grep -qE '^not ok [0-9]+ iobus_stress$' /tmp/break.ktap ||
	fail "kunit_break=1: suite not reported 'not ok'"
n=$(grep -cE '^ +ok [0-9]+ ' /tmp/break.ktap)
[ "$n" = 5 ] || fail "kunit_break=1: $n cases ok, expected 5"
