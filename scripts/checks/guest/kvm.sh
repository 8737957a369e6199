# SPDX-License-Identifier: GPL-2.0
# iobus-stress kvm on this kernel's real KVM: load its kvm modules (none
# when KVM is built in), run the experiments, dump the JSON and SVG.
# Kernel command line knobs: KVM_REPEAT=N, KVM_DURATION=S, KVM_VCPUS=N (1:
# with 2, one of Debian 6.1's guest vCPUs once shut down under QEMU TCG's
# nested SVM, exit reason 8, in 1 of about 7 runs; 2026-12-04), KVM_NPT=0
# (kvm_amd npt=0), KVM_COMPARE=1 (--compare; needs /iobus_stress.ko),
# KVM_KCSAN_FILTER=1 (below).
. /lib.sh
if [ -r /kvm/order ]; then
	load-kvm ${KVM_NPT:+npt=$KVM_NPT}
fi
[ -c /dev/kvm ] || fail "no /dev/kvm"
# KVM_KCSAN_FILTER=1 (the KCSAN kernel, KVM built in): report only races
# whose two accesses are both in KVM's own functions (kvm_*, __kvm_*,
# svm_*, *ioeventfd*: kvm_io_bus and its callers), so that the core
# kernel's own races (timekeeping, kthread; seen at dense sampling) cannot
# fail the run; KCSAN's data_races counter still counts every race.
if [ "${KVM_KCSAN_FILTER:-0}" = 1 ]; then
	K=/sys/kernel/debug/kcsan
	[ -w $K ] || fail "KVM_KCSAN_FILTER=1 but no $K"
	n=0
	for f in $(sed -n 's/^[0-9a-f]* [tT] \(\(__\)\{0,1\}kvm_[^ 	]*\|svm_[^ 	]*\|[^ 	]*ioeventfd[^ 	]*\)$/\1/p' /proc/kallsyms); do
		echo "!$f" > $K 2>/dev/null && n=$((n + 1))
	done
	grep -q ' kvm_io_bus_write$' /proc/kallsyms || fail "no kvm_io_bus_write in kallsyms (KVM not built in?)"
	[ $n -gt 100 ] || fail "only $n KVM functions in KCSAN's report filter"
	echo whitelist > $K || fail "cannot set KCSAN's whitelist"
	# on now, not at boot (make-check.sh's cvm: kcsan.early_enable=0)
	echo on > $K || fail "cannot turn KCSAN on"
	echo "kcsan: reports limited to races between $n KVM functions"
fi
# One VM with a vCPU held for the whole script: every later iobus-stress
# kvm creates and drops its own keeper vCPU, and each first/last one flips
# KVM's kvm_has_noapic_vcpu static key (live patching of kernel text).
# Under QEMU TCG that flip crashed 7.3 (int3 Oops in __schedule) and hung
# 6.1 (a soft lockup at a patched instruction in kthreadd, 2026-12-04);
# held, it flips once, here.
kvm_hold
cmp=
[ "${KVM_COMPARE:-0}" = 1 ] && cmp="--compare --module /iobus_stress.ko"
/iobus-stress kvm --repeat ${KVM_REPEAT:-5} --duration ${KVM_DURATION:-2} \
	--vcpus ${KVM_VCPUS:-1} $cmp --json /tmp/kvm.json --svg /tmp/kvm.svg
dump kvm.json /tmp/kvm.json
dump kvm.svg /tmp/kvm.svg
# The diagnosis' control: no registration before the first memslot update,
# so the two sides of each pair are alike and it must come out absent
# (asserted on the host, scripts/checks/check-diagnosis.py).
/iobus-stress kvm --early 0 --repeat ${KVM_REPEAT:-5} --duration 0.2 \
	--json /tmp/kvm-early0.json
dump kvm-early0.json /tmp/kvm-early0.json
# The stale detector's negative control: with --mailbox-first the guest is
# offered each index before its KVM_IOEVENTFD; the run must fail on stale
# observations (exit 1), whatever the kernel.
set +e
/iobus-stress kvm --mailbox-first --repeat 1 --late 2 --duration 0.3 \
	--json /tmp/kvm-mailbox-first.json 2>/tmp/mf.err
rc=$?
set -e
grep -q "FAIL: [0-9]* stale observations" /tmp/mf.err && [ $rc = 1 ] ||
	fail "--mailbox-first exited $rc without failing on stale observations: $(tail -n 2 /tmp/mf.err)"
echo "ok: --mailbox-first: $(grep -o 'FAIL: [0-9]* stale observations' /tmp/mf.err), exit 1"
dump kvm-mailbox-first.json /tmp/kvm-mailbox-first.json
# Guest shutdowns and their tolerance.  x86: a triple fault,
# KVM_EXIT_SHUTDOWN; run-vm.sh runs QEMU TCG, whose CPUID 0x40000000 says
# TCGTCGTCGTCG, where one shutdown is taken as the emulator's (the vCPU is
# reset and the run goes on) and a second fails the run.  arm64: the
# guest's exception vectors call PSCI SYSTEM_OFF, KVM_EXIT_SYSTEM_EVENT,
# and none is tolerated (docs/arm64.md).  --inject-shutdowns N starts the
# first N vCPUs at an unmapped address: each a guest shutdown.
set +e
/iobus-stress kvm --inject-shutdowns 1 --repeat 1 --late 2 --duration 0.3 \
	--json /tmp/kvm-shutdown1.json 2>/tmp/sd1.err
rc1=$?
set -e
if [ "$(uname -m)" = aarch64 ]; then
	grep -q "FAIL: 1 guest shutdowns" /tmp/sd1.err && [ $rc1 = 1 ] &&
		grep -q 'KVM_EXIT_SYSTEM_EVENT' /tmp/sd1.err ||
		fail "--inject-shutdowns 1 on arm64 exited $rc1 without failing on a KVM_EXIT_SYSTEM_EVENT shutdown: $(tail -n 2 /tmp/sd1.err)"
	grep 'guest shutdown' /tmp/sd1.err
	echo "ok: --inject-shutdowns 1 on arm64: FAIL: 1 guest shutdowns (KVM_EXIT_SYSTEM_EVENT), exit 1"
else
	set +e
	/iobus-stress kvm --inject-shutdowns 2 --repeat 1 --late 2 --duration 0.3 \
		--json /tmp/kvm-shutdown2.json 2>/tmp/sd2.err
	rc2=$?
	set -e
	grep -q '"cpuid_hypervisor": "TCGTCGTCGTCG"' /tmp/kvm-shutdown1.json ||
		fail "CPUID 0x40000000 is not QEMU TCG's: $(grep -o '"cpuid_hypervisor": "[^"]*"' /tmp/kvm-shutdown1.json)"
	[ $rc1 = 0 ] && grep -q '"guest_shutdowns": 1,' /tmp/kvm-shutdown1.json ||
		fail "--inject-shutdowns 1 under TCG: exit $rc1, $(grep -o '"guest_shutdowns": [0-9]*' /tmp/kvm-shutdown1.json): $(tail -n 2 /tmp/sd1.err)"
	grep -q "FAIL: 2 guest shutdowns" /tmp/sd2.err && [ $rc2 = 1 ] ||
		fail "--inject-shutdowns 2 exited $rc2 without failing on 2 shutdowns: $(tail -n 2 /tmp/sd2.err)"
	grep 'guest shutdown' /tmp/sd1.err /tmp/sd2.err
	echo "ok: --inject-shutdowns 1: tolerated under TCG, exit 0; 2: FAIL: 2 guest shutdowns, exit 1"
fi
# KTAP: a short second run with the default (time-budgeted) VM count; its
# exit test must pass and be reported, and the diagnosis be a test point.
/iobus-stress kvm --tap --late 2 --duration 0.5 > /tmp/kvm.tap
cat /tmp/kvm.tap
grep -q '^ok 2 exits' /tmp/kvm.tap || fail "no 'ok 2 exits' in the KTAP output"
grep -Eq '^ok 3 regression # (present|absent|inconclusive)' /tmp/kvm.tap ||
	fail "no 'ok 3 regression' in the KTAP output"
