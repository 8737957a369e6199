# iobus-stress kvm on this kernel's real KVM: load its kvm modules (none
# when KVM is built in), run the experiments, dump the JSON and SVG.
# Kernel command line knobs: KVM_REPEAT=N, KVM_DURATION=S, KVM_NPT=0
# (kvm_amd npt=0), KVM_COMPARE=1 (--compare; needs /iobus_stress.ko).
. /lib.sh
if [ -r /kvm/order ]; then
	load-kvm ${KVM_NPT:+npt=$KVM_NPT}
fi
[ -c /dev/kvm ] || fail "no /dev/kvm"
cmp=
[ "${KVM_COMPARE:-0}" = 1 ] && cmp="--compare --module /iobus_stress.ko"
/iobus-stress kvm --repeat ${KVM_REPEAT:-5} --duration ${KVM_DURATION:-2} \
	$cmp --json /tmp/kvm.json --svg /tmp/kvm.svg
dump kvm.json /tmp/kvm.json
dump kvm.svg /tmp/kvm.svg
# KTAP: a short second run; its exit test must pass and be reported.
/iobus-stress kvm --tap --repeat 1 --late 2 --duration 0.5 > /tmp/kvm.tap
cat /tmp/kvm.tap
grep -q '^ok 2 exits' /tmp/kvm.tap || fail "no 'ok 2 exits' in the KTAP output"
