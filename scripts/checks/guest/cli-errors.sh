# SPDX-License-Identifier: GPL-2.0
# Driver errors on the real module: each a distinct exit code and one line.
. /lib.sh
insmod /iobus_stress.ko
# An unrelated earlier pr_warn must not be given as this run's reason.
echo "reclaim=bogus" > $D/config 2>/dev/null || true
set +e
/iobus-stress run --duration 1 --instances 64 --writers 16 >/tmp/o 2>&1; rc=$?
set -e
cat /tmp/o
[ "$rc" = 8 ] || fail "a config the module rejects exited $rc, expected 8"
grep -q "rejected the config.*too large" /tmp/o || fail "not the module's own reason"
grep -q "bogus" /tmp/o && fail "an older pr_warn given as the reason"
echo "ok: the module's EINVAL is exit 8 with this run's pr_warn"
# Outputs: a full disk is an error naming the path, before or after the run.
expect_rc 9 /iobus-stress run --duration 0.5 --json /dev/full
set +e; /iobus-stress run --duration 0.5 --tap >/dev/full 2>/tmp/o; rc=$?; set -e
cat /tmp/o
[ "$rc" = 9 ] && grep -q "KTAP output stdout" /tmp/o || fail "--tap >/dev/full exited $rc"
expect_rc 9 /iobus-stress stats --json /nonexistent/x
expect_rc 2 /iobus-stress run --duration 0.0004
expect_rc 2 /iobus-stress stop --json -
expect_rc 2 /iobus-stress help bogus
rmmod iobus_stress
# stop, stats and reset never load the module.
expect_rc 6 /iobus-stress stop
expect_rc 6 /iobus-stress stats
[ ! -d $D ] || fail "stats loaded the module"
# A module that exists but does not load is a failure under --tap, not a skip.
cp /iobus-stress /tmp/iobus_stress.ko
expect_rc 10 /iobus-stress matrix --tap --module /tmp/iobus_stress.ko
