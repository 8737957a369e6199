# SPDX-License-Identifier: GPL-2.0
# `make run ARCH=arm64`'s guest (docs/arm64.md): where the initramfs has
# the module (7.3), its stress run first, as driver-run.sh (x86's `make
# run`): insmod, `iobus-stress run $(cat /run.args)`, rmmod; then
# iobus-stress kvm once on this kernel's real KVM (built in on arm64; kvm
# modules loaded where the initramfs has them), its JSON dumped to the
# console for the host to keep.  Kernel command line knob: KVM_REPEAT=N
# (--repeat N; default: the driver's, as many timing VMs as run in 0.5 s,
# at least 5).
. /lib.sh
if [ -r /iobus_stress.ko ]; then
	insmod /iobus_stress.ko
	/iobus-stress run $(cat /run.args) || fail "iobus-stress run exited $?"
	rmmod iobus_stress
fi
if [ -r /kvm/order ]; then
	load-kvm
fi
[ -c /dev/kvm ] || fail "no /dev/kvm"
dmesg | grep -i 'kvm' | head -n 5
/iobus-stress kvm ${KVM_REPEAT:+--repeat "$KVM_REPEAT"} --json /tmp/kvm.json
dump kvm.json /tmp/kvm.json
