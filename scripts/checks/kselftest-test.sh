#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kselftest-test.sh [KERNEL_SRC [KDIR]]: `make kselftest-install` into a scratch
# directory (the driver only, KDIR=/nonexistent), its layout, and its
# run_kselftest.sh run in a private mount namespace made like a host with
# no /dev/kvm, no debugfs and no module to load (docs/kselftest.md): every
# test must be a kselftest skip (exit 4, "1..0 # SKIP reason") that the
# runner reports "ok N ... # SKIP reason", with -l, -t, -S, -s.  A stand-in
# driver shows a failure (exit 1), a bad flag (exit 2) and hangs (one
# ignoring TERM) reported "not ok", also under busybox sh when installed;
# a ^C ends the run at once.  The checks are then run on runners broken on purpose (skips
# not mapped, reasons dropped, failures reported ok) and must fail, for
# that reason.  With KERNEL_SRC (make check passes the 7.3 tree): the
# kernel's own run_kselftest.sh and kselftest/ runner, copied into a
# scratch kselftest tree, run the collection installed into that tree.
# With KDIR (headers): the install from a copy of the tree puts an
# iobus_stress.ko for KDIR's release, with VERSION's version, beside the
# driver (not run: it is for KDIR's kernel, not this one).
# shellcheck disable=SC2015 # "A && B || fail ...": fail exits
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
ksrc=${1:-}
kdir=${2:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
[ "$(id -u)" = 0 ] || { echo "skip: needs root (a mount namespace without /dev/kvm)"; exit 77; }
command -v unshare >/dev/null || { echo "skip: no unshare (util-linux)"; exit 77; }
tests=(kvm.sh run.sh matrix.sh)
D=$T/ksft

# bare CMD...: CMD where there is no /dev/kvm (a tmpfs over /dev holding
# only null and the fd links), no debugfs, nothing for modprobe (a tmpfs
# over /lib/modules): what a host without KVM and the module has.
# with_debugfs=1 bare CMD...: debugfs mounted instead.
# shellcheck disable=SC2016 # the inner shell expands them
bare() {
	unshare -m --propagation private env with_debugfs="${with_debugfs:-}" sh -c '
		mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 &&
		ln -s /proc/self/fd /dev/fd && ln -s /proc/self/fd/0 /dev/stdin &&
		ln -s /proc/self/fd/1 /dev/stdout && ln -s /proc/self/fd/2 /dev/stderr &&
		if [ -n "$with_debugfs" ]; then
			grep -q " /sys/kernel/debug debugfs " /proc/mounts ||
				mount -t debugfs none /sys/kernel/debug
		else
			! grep -q " /sys/kernel/debug " /proc/mounts || umount -l /sys/kernel/debug
		fi &&
		{ [ ! -d /lib/modules ] || mount -t tmpfs none /lib/modules; } &&
		exec "$@"' sh "$@"
}

# 1. The install, and its layout.
make -s -C "$top" kselftest-install DESTDIR="$D" KDIR=/nonexistent >"$T/install.log" 2>&1 ||
	{ cat "$T/install.log"; fail "make kselftest-install failed"; }
grep -q "no kernel headers at /nonexistent: no iobus_stress.ko" "$T/install.log" ||
	{ cat "$T/install.log"; fail "make kselftest-install without headers did not say so"; }
C=$D/iobus-stress
[ -x "$D/run_kselftest.sh" ] || fail "no executable run_kselftest.sh"
sh -n "$D/run_kselftest.sh" || fail "run_kselftest.sh: sh -n"
want=$(printf 'iobus-stress:%s\n' "${tests[@]}")
[ "$(cat "$D/kselftest-list.txt")" = "$want" ] ||
	fail "kselftest-list.txt is '$(cat "$D/kselftest-list.txt")', want '$want'"
for t in "${tests[@]}" iobus-stress; do
	[ -f "$C/$t" ] && [ -x "$C/$t" ] || fail "no executable iobus-stress/$t"
done
[ -f "$C/ksft_driver.sh" ] || fail "no iobus-stress/ksft_driver.sh"
[ ! -e "$C/iobus_stress.ko" ] || fail "an iobus_stress.ko without headers"
secs=$(sed -n 's/^timeout=\([0-9][0-9]*\)$/\1/p' "$C/settings")
[ -n "$secs" ] && [ "$secs" -gt 45 ] || fail "settings: no timeout=N over the default 45 s"
for c in KVM KVM_INTEL KVM_AMD EVENTFD DEBUG_FS MODULES MODULE_UNLOAD; do
	grep -qx "CONFIG_$c=y" "$C/config" || fail "config: no CONFIG_$c=y"
done
if grep -v '^CONFIG_[A-Z0-9_]*=[ym]$' "$C/config"; then fail "config: lines above are no CONFIG_X=y|m"; fi
v=$("$C/iobus-stress" --version) && [ "$v" != "${v#iobus-stress "$(cat "$top/VERSION")"}" ] ||
	fail "the installed driver says '$v', VERSION says $(cat "$top/VERSION")"
ok "layout: run_kselftest.sh, kselftest-list.txt (${tests[*]}), iobus-stress/ with the driver ($v), settings timeout=$secs, config $(grep -c . "$C/config") options"

# 2. Each test alone: kselftest's skip, exit 4 and a reason.
for t in "${tests[@]}"; do
	out=$(bare "$C/$t" 2>&1)
	rc=$?
	r=$(grep -m1 '^1\.\.0 # SKIP .' <<<"$out")
	[ "$rc" = 4 ] && [ -n "$r" ] || fail "$t: exit $rc (want 4, kselftest's skip), output: $out"
	ok "$t alone: exit 4, $r"
done
grep -q "no usable /dev/kvm" <<<"$(bare "$C/kvm.sh" 2>&1)" || fail "kvm.sh: its skip does not name /dev/kvm"
# An iobus_stress.ko beside the driver, debugfs mounted, on a kernel
# without module support: a skip naming CONFIG_MODULES (the driver alone
# exits 10 there, "this kernel has no module support": a failure).
if [ ! -e /proc/modules ]; then
	: >"$C/iobus_stress.ko"
	out=$(with_debugfs=1 bare "$C/run.sh" 2>&1)
	rc=$?
	rm "$C/iobus_stress.ko"
	[ "$rc" = 4 ] && grep -q '^1\.\.0 # SKIP .*no module support (CONFIG_MODULES=n' <<<"$out" ||
		fail "run.sh, a .ko beside it, no module support: exit $rc, $out"
	ok "run.sh with a .ko beside it on this kernel without module support: exit 4, $(grep '^1\.\.0' <<<"$out")"
fi

# check_all_skipped OUT RC [N]: the runner's KTAP when every test skipped.
# Prints why not and returns 1.
check_all_skipped() {
	local out=$1 rc=$2 n=${3:-${#tests[@]}} i=0 t line
	[ "$(head -n 1 <<<"$out")" = "TAP version 13" ] || { echo "no 'TAP version 13' first"; return 1; }
	grep -qx "1\.\.$n" <<<"$out" || { echo "no plan 1..$n"; return 1; }
	for t in "${tests[@]:0:$n}"; do
		i=$((i + 1))
		line=$(grep -E "^(not )?ok $i " <<<"$out")
		grep -Eq "^ok $i selftests: iobus-stress: $t # SKIP [^ ]" <<<"$line" ||
			{ echo "$t not reported as 'ok $i selftests: iobus-stress: $t # SKIP reason': '$line'"; return 1; }
	done
	[ "$(grep -c '^# 1\.\.0 # SKIP ' <<<"$out")" = "$n" ] ||
		{ echo "not $n tests' own '1..0 # SKIP' lines in the output"; return 1; }
	grep -qx "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:$n error:0" <<<"$out" ||
		{ echo "totals are not skip:$n: $(grep '^# Totals' <<<"$out")"; return 1; }
	[ "$rc" = 0 ] || { echo "exit $rc with every test skipped (want 0)"; return 1; }
}
# check_failed OUT RC DIRECTIVE: one test (kvm.sh) reported failed.
check_failed() {
	grep -qxF "not ok 1 selftests: iobus-stress: kvm.sh # $3" <<<"$1" ||
		{ echo "not 'not ok 1 selftests: iobus-stress: kvm.sh # $3': $(grep -E '^(not )?ok 1' <<<"$1")"; return 1; }
	grep -qx "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:0 error:0" <<<"$1" ||
		{ echo "totals are not fail:1: $(grep '^# Totals' <<<"$1")"; return 1; }
	[ "$2" = 1 ] || { echo "runner exit $2 with a failed test (want 1)"; return 1; }
}

# 3. The runner: every test skipped, with -l, -t, -S, -s.
out=$(bare "$D/run_kselftest.sh" 2>&1)
rc=$?
why=$(check_all_skipped "$out" "$rc") || { echo "$out"; fail "run_kselftest.sh: $why"; }
grep -E '^ok [0-9]' <<<"$out" | sed 's/^/  /'
ok "run_kselftest.sh: 1..${#tests[@]}, each 'ok N ... # SKIP reason', totals skip:${#tests[@]}, exit 0"
[ "$("$D/run_kselftest.sh" -l)" = "$want" ] || fail "-l does not list kselftest-list.txt"
out=$(bare "$D/run_kselftest.sh" -t iobus-stress:kvm.sh 2>&1)
why=$(check_all_skipped "$out" $? 1) || { echo "$out"; fail "-t iobus-stress:kvm.sh: $why"; }
[ "$(grep -c '^ok ' <<<"$out")" = 1 ] || fail "-t iobus-stress:kvm.sh ran $(grep -c '^ok ' <<<"$out") tests"
out=$("$D/run_kselftest.sh" -t iobus-stress:nosuch.sh 2>&1) && fail "-t of a test not in the list: exit 0"
grep -q "No such test 'iobus-stress:nosuch.sh'" <<<"$out" || fail "-t nosuch: '$out'"
out=$(bare "$D/run_kselftest.sh" -S iobus-stress:matrix.sh 2>&1)
why=$(check_all_skipped "$out" $? 2) || { echo "$out"; fail "-S iobus-stress:matrix.sh: $why"; }
out=$(bare "$D/run_kselftest.sh" -s 2>&1)
rc=$?
[ "$rc" = 0 ] && [ "$(grep -c '^ok [0-9] .* # SKIP .' <<<"$out")" = "${#tests[@]}" ] &&
	! grep -q '1\.\.0 # SKIP' <<<"$out" && [ "$(grep -c '^# 1\.\.0 # SKIP' "$D/output.log")" = "${#tests[@]}" ] ||
	{ echo "$out"; fail "-s: results on stdout, the tests' output in output.log"; }
ok "-l lists the three; -t runs one, refuses one not listed; -S leaves one out; -s puts the tests' output in output.log"

# 4. A stand-in driver: a failure, a bad flag, a hang, a pass, the args.
F=$T/fail
cp -a "$D" "$F"
stand_in() {	# the stand-in driver's shell body
	printf '#!/bin/sh\necho "stand-in driver: $*"\n%s\n' "$1" >"$F/iobus-stress/iobus-stress"
}
stand_in 'exit 1'
out=$("$F/run_kselftest.sh" -t iobus-stress:kvm.sh 2>&1)
why=$(check_failed "$out" $? exit=1) || { echo "$out"; fail "a driver exiting 1: $why"; }
ok "a driver exiting 1: $(grep '^not ok' <<<"$out"), runner exit 1"
"$F/run_kselftest.sh" -f -t iobus-stress:kvm.sh >/dev/null 2>&1 || fail "-f: exit $? with a failed test"
stand_in 'exit 2'
out=$("$F/run_kselftest.sh" -t iobus-stress:kvm.sh 2>&1)
why=$(check_failed "$out" $? exit=1) || { echo "$out"; fail "a driver exiting 2 (bad flag): $why"; }
ok "a driver exiting 2 (a bad flag): not kselftest's XFAIL, $(grep '^not ok' <<<"$out")"
# Hung: one that exits at TERM; one that ignores it (the runner's KILL
# must end it, and with it the output it holds open); and a ^C, which must
# end the run at once (python3: a SIGINT to the runner's process group
# with SIGINT not ignored, as a terminal sends it; -o 5, so that a runner
# ignoring it still leaves nothing behind).
for body in 'exec sleep 60' 'trap "" TERM; sleep 60'; do
	stand_in "$body"
	s=$SECONDS
	out=$("$F/run_kselftest.sh" -o 2 -t iobus-stress:kvm.sh 2>&1)
	why=$(check_failed "$out" $? "TIMEOUT 2 seconds") || { echo "$out"; fail "a hung driver ($body): $why"; }
	[ $((SECONDS - s)) -lt 15 ] || fail "a hung driver ($body) with -o 2 took $((SECONDS - s)) s"
	ok "a hung driver ($body), -o 2: $(grep '^not ok' <<<"$out") after $((SECONDS - s)) s"
done
stand_in 'exec sleep 617'
out=$(python3 - "$F/run_kselftest.sh" <<'EOF'
import os, signal, subprocess, sys, time
signal.signal(signal.SIGINT, signal.SIG_DFL)
p = subprocess.Popen([sys.argv[1], "-o", "5", "-t", "iobus-stress:kvm.sh"], start_new_session=True,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(1)
t = time.time()
os.killpg(p.pid, signal.SIGINT)
try:
    print(p.wait(timeout=15), "%.1f" % (time.time() - t))
except subprocess.TimeoutExpired:
    os.killpg(p.pid, signal.SIGKILL)
    print("none 15")
EOF
)
[ "${out%% *}" = 130 ] || fail "a ^C during a test: runner exit and seconds '$out' (want 130 at once)"
sleep 0.5
if left=$(pgrep -fx "sleep 617"); then
	# shellcheck disable=SC2086 # one or more pids
	kill $left	# (and -o 5's watchdog ends the rest)
	fail "a ^C during a test left the test running"
fi
ok "a ^C during a test: runner exit 130 after ${out#* } s, nothing left running"
# The runner under busybox sh, whose timeout applet has no --foreground
# and exits 143 when it fires (minimal kselftest targets have that one).
if command -v busybox >/dev/null && busybox timeout 5 true 2>/dev/null; then
	s=$SECONDS
	out=$(busybox sh "$F/run_kselftest.sh" -o 2 -t iobus-stress:kvm.sh 2>&1)
	why=$(check_failed "$out" $? "TIMEOUT 2 seconds") || { echo "$out"; fail "busybox sh, a hung driver: $why"; }
	[ $((SECONDS - s)) -lt 15 ] || fail "busybox sh, a hung driver with -o 2 took $((SECONDS - s)) s"
	out=$(bare busybox sh "$D/run_kselftest.sh" 2>&1)
	why=$(check_all_skipped "$out" $?) || { echo "$out"; fail "busybox sh, run_kselftest.sh: $why"; }
	ok "busybox sh: every test skipped as with dash; a hung driver, -o 2: TIMEOUT 2 seconds"
else
	echo "note: no busybox: the runner not tried with its timeout applet"
fi
stand_in 'exit 0'
out=$(KSELFTEST_KVM_SH_ARGS="--early 3" "$F/run_kselftest.sh" -t iobus-stress:kvm.sh 2>&1)
rc=$?
grep -qx "ok 1 selftests: iobus-stress: kvm.sh" <<<"$out" && [ "$rc" = 0 ] &&
	grep -qx "# stand-in driver: kvm --tap --early 3" <<<"$out" ||
	{ echo "$out"; fail "a driver exiting 0 with KSELFTEST_KVM_SH_ARGS"; }
why=$(check_all_skipped "$out" "$rc" 1) && fail "check_all_skipped took a pass for a skip"
ok "a driver exiting 0: 'ok 1 selftests: iobus-stress: kvm.sh', no SKIP (the skip check refuses it: $why); KSELFTEST_KVM_SH_ARGS reach it"

# 5. Negative controls: runners broken on purpose; the checks must fail,
# for that reason.
broken() {	# NAME SED: a copy of the install whose runner SED broke
	rm -rf "${T:?}/$1"
	cp -a "$D" "$T/$1"
	sed -i "$2" "$T/$1/run_kselftest.sh"
	! cmp -s "$D/run_kselftest.sh" "$T/$1/run_kselftest.sh" || fail "control $1: the sed changed nothing"
}
broken noskip 's/^KSFT_SKIP=4$/KSFT_SKIP=99/'	# 4 no longer read as a skip
out=$(bare "$T/noskip/run_kselftest.sh" 2>&1)
why=$(check_all_skipped "$out" $?) && fail "control noskip: a runner without the skip mapping passed"
grep -q "kvm.sh not reported as .* # SKIP" <<<"$why" || fail "control noskip failed for another reason: $why"
ok "control, skip mapping removed: fails: $why"
# shellcheck disable=SC2016 # the runner's text, not expanded here
broken noreason 's/"SKIP${reason:+ $reason}"/SKIP/'	# the reason dropped
out=$(bare "$T/noreason/run_kselftest.sh" 2>&1)
why=$(check_all_skipped "$out" $?) && fail "control noreason: a runner dropping the reasons passed"
grep -q "kvm.sh not reported as .*SKIP reason': 'ok 1 selftests: iobus-stress: kvm.sh # SKIP'" <<<"$why" ||
	fail "control noreason failed for another reason: $why"
ok "control, skip reason dropped: fails: $why"
# shellcheck disable=SC2016
broken failok 's/\*) result "not ok" "$desc" "exit=$rc"; fail=$((fail + 1))/*) result ok "$desc"; pass=$((pass + 1))/'
stand_in 'exit 1'
cp "$F/iobus-stress/iobus-stress" "$T/failok/iobus-stress/"
out=$("$T/failok/run_kselftest.sh" -t iobus-stress:kvm.sh 2>&1)
why=$(check_failed "$out" $? exit=1) && fail "control failok: a runner reporting a failure ok passed"
grep -q "^not 'not ok 1 selftests: iobus-stress: kvm.sh # exit=1': ok 1 " <<<"$why" ||
	fail "control failok failed for another reason: $why"
ok "control, failure reported ok: fails: $why"

# 6. The kernel's own runner, in a scratch kselftest tree holding another
# collection: make kselftest-install keeps its run_kselftest.sh, adds our
# lines to its list, and the kernel's runner reports our skips.
ks=$ksrc/tools/testing/selftests
if [ -z "$ksrc" ]; then
	echo "note: no KERNEL_SRC: the kernel's own runner not tried"
elif [ ! -f "$ks/run_kselftest.sh" ] || [ ! -f "$ks/kselftest/runner.sh" ]; then
	fail "$ksrc has no tools/testing/selftests/run_kselftest.sh and kselftest/runner.sh"
else
	K=$T/kernel-tree
	mkdir -p "$K/kselftest" "$K/other"
	cp "$ks/run_kselftest.sh" "$K/"
	cp "$ks"/kselftest/*.sh "$ks"/kselftest/*.pl "$K/kselftest/"
	printf '#!/bin/sh\necho other\n' >"$K/other/pass.sh"
	chmod +x "$K/other/pass.sh"
	echo other:pass.sh >"$K/kselftest-list.txt"
	make -s -C "$top" kselftest-install DESTDIR="$K" KDIR=/nonexistent >"$T/install-k.log" 2>&1 ||
		{ cat "$T/install-k.log"; fail "make kselftest-install into a kernel kselftest tree"; }
	cmp -s "$ks/run_kselftest.sh" "$K/run_kselftest.sh" || fail "the kernel tree's run_kselftest.sh was replaced"
	[ "$(cat "$K/kselftest-list.txt")" = "$(printf 'other:pass.sh\n%s' "$want")" ] ||
		fail "the kernel tree's list is '$(cat "$K/kselftest-list.txt")'"
	out=$(bare "$K/run_kselftest.sh" 2>&1)
	rc=$?
	# (it runs the collections in sort order)
	grep -Eqx "ok [0-9]+ selftests: other: pass.sh" <<<"$out" || { echo "$out"; fail "kernel runner: other:pass.sh"; }
	for t in "${tests[@]}"; do
		grep -Eqx "ok [0-9]+ selftests: iobus-stress: $t # SKIP" <<<"$out" ||
			{ echo "$out"; fail "kernel runner: $t not 'ok N selftests: iobus-stress: $t # SKIP'"; }
	done
	grep -qx "# Totals: pass:1 fail:0 xfail:0 xpass:0 skip:${#tests[@]} error:0" <<<"$out" && [ "$rc" = 0 ] ||
		{ echo "$out"; fail "kernel runner: totals, or exit $rc"; }
	grep -E '^ok [0-9]' <<<"$out" | sed 's/^/  /'
	ok "the kernel's run_kselftest.sh ($ksrc): its runner kept, the list extended, our tests 'ok N ... # SKIP', exit 0"
fi

# 7. With headers: the module beside the driver.
if [ -n "$kdir" ]; then
	rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
	[ -n "$rel" ] || fail "no UTS_RELEASE in $kdir"
	mkdir "$T/src"
	(cd "$top" && git ls-files -z Kbuild Makefile VERSION module userspace kselftest |
		xargs -0 cp --parents -t "$T/src") || fail "cannot copy the tree"
	make -s -C "$T/src" kselftest-install DESTDIR="$T/ko" KDIR="$kdir" >"$T/install-ko.log" 2>&1 ||
		{ tail -20 "$T/install-ko.log"; fail "make kselftest-install KDIR=$kdir"; }
	ko=$T/ko/iobus-stress/iobus_stress.ko
	[ -f "$ko" ] || fail "make kselftest-install KDIR=$kdir: no iobus-stress/iobus_stress.ko"
	m=$(modinfo -F vermagic "$ko") v=$(modinfo -F version "$ko")
	[ "${m%% *}" = "$rel" ] && [ "$v" = "$(cat "$top/VERSION")" ] ||
		fail "the installed module: vermagic '$m', version '$v' (want $rel, $(cat "$top/VERSION"))"
	[ -x "$T/ko/iobus-stress/iobus-stress" ] && [ -x "$T/ko/run_kselftest.sh" ] ||
		fail "make kselftest-install KDIR=$kdir: not the driver and runner"
	ok "make kselftest-install KDIR=$kdir: iobus_stress.ko beside the driver, version $v, vermagic $rel"
fi
