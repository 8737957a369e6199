# SPDX-License-Identifier: GPL-2.0
# SIGINT to a running `run` and `matrix` on the real module: the module is
# stopped, the partial report is written, the exit code is 130.
. /lib.sh
insmod /iobus_stress.ko
# wait_running PID: until the module runs (fail if the driver died first).
wait_running() {
	while [ "$(cut -d' ' -f1 $D/control)" != running ]; do
		kill -0 $1 2>/dev/null || fail "the driver exited before its run started"
		sleep 0.2
	done
}

/iobus-stress run --duration 120 --readers 2 --json /tmp/run.json >/tmp/run.out 2>&1 &
pid=$!
wait_running $pid
sleep 1
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
cat /tmp/run.out
[ "$rc" = 130 ] || fail "run after SIGINT exited $rc, expected 130"
st=$(cut -d' ' -f1 $D/control)
[ "$st" = done ] || fail "module state after SIGINT: $st (not stopped)"
grep -q '"outcome": "interrupted"' /tmp/run.json || fail "no interrupted run in run.json"
grep -q 'interrupted by signal 2' /tmp/run.out || fail "no interrupted line"
echo "ok: SIGINT during run: exit 130, module $st, report written"

# matrix: 3 cells of 3 s, interrupted in the second one.
/iobus-stress matrix --duration 3 --readers 2 --reclaim sync,poll,hybrid --pattern exit \
	--tap --json /tmp/m.json >/tmp/m.tap 2>/tmp/m.err &
pid=$!
wait_running $pid
sleep 4.5
kill -INT $pid
set +e; wait $pid; rc=$?; set -e
cat /tmp/m.tap /tmp/m.err
[ "$rc" = 130 ] || fail "matrix after SIGINT exited $rc, expected 130"
st=$(cut -d' ' -f1 $D/control)
[ "$st" = done ] || fail "module state after SIGINT: $st (not stopped)"
plan=$(sed -n 's/^1\.\.\([0-9]*\)$/\1/p' /tmp/m.tap)
lines=$(grep -Ec '^(not )?ok [0-9]+ ' /tmp/m.tap)
runs=$(grep -c '"name": ' /tmp/m.json)
[ -n "$plan" ] && [ "$plan" -ge 1 ] && [ "$plan" -lt 3 ] ||
	fail "KTAP plan '$plan' after an interrupted matrix of 3 cells"
[ "$plan" = "$lines" ] || fail "KTAP plan $plan but $lines results"
[ "$plan" = "$runs" ] || fail "KTAP plan $plan but $runs runs in m.json"
grep -q '# SKIP interrupted' /tmp/m.tap || fail "no interrupted cell in KTAP"
echo "ok: SIGINT during matrix: exit 130, module $st, $plan of 3 cells reported"
rmmod iobus_stress
