# SPDX-License-Identifier: GPL-2.0
# make abtest's guest (scripts/abtest/abtest.sh): KVM is built in.  A
# held VM first (so that no later KVM_CREATE_VCPU flips KVM's no-APIC
# static key: scripts/checks/guest/kvm.sh), then one `iobus-stress kvm
# --json` with its default, time-budgeted number of VMs, on ABTEST_VCPUS
# vCPUs; with ABTEST_CHURN=S, also S seconds of --churn (the safety run on
# the debug kernel, where KASAN reports a bus freed too early).
. /lib.sh
[ -c /dev/kvm ] || fail "no /dev/kvm"
[ -z "${ABTEST_FAIL:-}" ] || fail "made to fail (abtest.sh --fail-boot-once)"
kvm_hold
churn=
[ -n "${ABTEST_CHURN:-}" ] && churn="--churn $ABTEST_CHURN"
/iobus-stress kvm --vcpus ${ABTEST_VCPUS:-2} $churn --json /tmp/kvm.json
dump kvm.json /tmp/kvm.json
