# SPDX-License-Identifier: GPL-2.0
# debugfs and CLI bad input: clear errors, never a splat.
. /lib.sh
insmod /iobus_stress.ko
w() { echo "$2" > $D/$1; }
expect_rc 1 w config "nosuchkey=1"
dmesg | grep -q "unknown key 'nosuchkey'" || fail "no pr_warn for unknown key"
expect_rc 1 w config "reclaim=bogus"
dmesg | grep -q "bad value 'bogus' for reclaim" || fail "no pr_warn for bad value"
expect_rc 1 w config "readers=65"
expect_rc 1 w config "readers=-1"
expect_rc 1 w config "readers"
expect_rc 1 w config "seed=18446744073709551616"
expect_rc 1 w config "readers=3 reclaim=bogus"
grep -q '^readers=2$' $D/config || fail "a rejected write changed the config"
expect_rc 1 w config "$(head -c 2000 /dev/zero | tr '\0' 'x')"
dmesg | grep -q "too long" || fail "no pr_warn for overlong write"
expect_rc 1 w control "bogus"
# A NUL byte inside a write is refused whole (-EINVAL), not cut short there.
nul() { echo -ne "$2" > $D/$1 2>/tmp/err; rc=$?; cat /tmp/err; return $rc; }
expect_rc 1 nul config 'readers=3\0garbage'
grep -q "Invalid argument" /tmp/err || fail "NUL write: not EINVAL: $(cat /tmp/err)"
grep -q '^readers=2$' $D/config || fail "a write with a NUL byte changed the config"
dmesg | grep -q "config: write contains a NUL byte" || fail "no pr_warn for NUL byte"
expect_rc 1 nul control 'start\0'
grep -q '^idle ' $D/control || fail "a control write with a NUL byte acted"
# reclaim=expedite-current needs srcu_expedite_current(): -EOPNOTSUPP and a
# pr_warn naming it where the module's headers lacked it (its load line
# says which; the host checks that line against the headers).
if dmesg | grep -q "iobus_stress: compat: .*srcu_expedite_current=no"; then
	expect_rc 1 nul config 'reclaim=expedite-current'
	grep -q "Operation not supported" /tmp/err ||
		fail "expedite-current: not EOPNOTSUPP: $(cat /tmp/err)"
	dmesg | grep -q "needs srcu_expedite_current()" ||
		fail "no pr_warn naming srcu_expedite_current()"
	grep -q '^reclaim=call-srcu$' $D/config || fail "refused reclaim applied"
	grep -q 'srcu_expedite_current=no' $D/compat || fail "debugfs compat: $(cat $D/compat)"
	# The driver's boot model skips it here, saying so, and runs the others.
	/iobus-stress boot --repeat 1 --devices 8 --json /tmp/boot.json \
		> /tmp/boot.out 2>&1 || { cat /tmp/boot.out; fail "iobus-stress boot failed"; }
	grep -q "skipping expedite-current: this module does not offer it" /tmp/boot.out ||
		{ cat /tmp/boot.out; fail "boot did not say it skipped expedite-current"; }
	! grep -q '"name": "expedite-current"' /tmp/boot.json || fail "boot ran expedite-current"
	grep -q '"name": "call-srcu"' /tmp/boot.json || fail "boot did not run call-srcu"
	echo reset > $D/control
	echo defaults > $D/config
	no_ec=1
else
	dmesg | grep -q "iobus_stress: compat: .*srcu_expedite_current=yes" ||
		fail "no compat line at load"
	expect_rc 0 nul config 'reclaim=expedite-current'
	echo defaults > $D/config
fi
echo "duration_ms=0" > $D/config
echo start > $D/control
expect_rc 1 w config "readers=1"
dmesg | grep -q "run is in progress" || fail "no pr_warn for busy"
expect_rc 1 w control start
expect_rc 1 w control reset
expect_rc 7 /iobus-stress run --duration 1
echo stop > $D/control
echo stop > $D/control
echo reset > $D/control
grep -q '^state: idle' $D/stats || fail "reset did not return to idle"
# The driver validates before touching the kernel.
expect_rc 2 /iobus-stress run --reclaim bogus
expect_rc 2 /iobus-stress run --readers 99
expect_rc 2 /iobus-stress run --nosuch 1
expect_rc 2 /iobus-stress run --duration -3
expect_rc 2 /iobus-stress frobnicate
expect_rc 0 /iobus-stress --version
expect_rc 0 /iobus-stress help matrix
# --tap skips with exit 4 when the module cannot be found.
rmmod iobus_stress
mv /iobus_stress.ko /tmp/
expect_rc 6 /iobus-stress run --duration 1
expect_rc 4 /iobus-stress matrix --tap
mv /tmp/iobus_stress.ko /
# Module parameters: bad ones refuse the load, good ones autostart.
if insmod /iobus_stress.ko reclaim=bogus2; then fail "insmod accepted reclaim=bogus2"; fi
dmesg | grep -q "bad value 'bogus2' for reclaim" || fail "no pr_warn for bad parameter"
if [ -n "${no_ec:-}" ] && insmod /iobus_stress.ko reclaim=expedite-current; then
	fail "insmod accepted reclaim=expedite-current without srcu_expedite_current()"
fi
# UINT_MAX is no "unset" marker: like any out-of-range value it refuses the load.
if insmod /iobus_stress.ko duration_ms=4294967295; then
	fail "insmod accepted duration_ms=4294967295"
fi
dmesg | grep -q "bad value '4294967295' for duration_ms" || fail "no pr_warn for duration_ms=UINT_MAX"
insmod /iobus_stress.ko autostart=1 duration_ms=1500 reclaim=poll pattern=block
sleep 3
dmesg | grep -q "iobus_stress: End of test: SUCCESS" || fail "autostart run did not end"
rmmod iobus_stress
