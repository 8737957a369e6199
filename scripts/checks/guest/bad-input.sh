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
insmod /iobus_stress.ko autostart=1 duration_ms=1500 reclaim=poll pattern=block
sleep 3
dmesg | grep -q "iobus_stress: End of test: SUCCESS" || fail "autostart run did not end"
rmmod iobus_stress
