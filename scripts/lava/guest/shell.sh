# SPDX-License-Identifier: GPL-2.0
# /test.sh of the LAVA ramdisk (scripts/lava/run-local.sh): the project's
# /init (scripts/vm/guest/init) mounted the pseudo filesystems and runs
# this; it gets the guest ready for iobus-stress and becomes the shell
# LAVA drives on the serial console (its prompt is the job's boot prompt).
. /lib.sh
# Warnings and worse only on the console: a kernel line printed into the
# middle of a <LAVA_SIGNAL_TESTCASE ...> line loses that test case.
echo 4 > /proc/sys/kernel/printk
# A /dev/kvm for iobus-stress kvm (QEMU -cpu max: nested SVM) and one VM
# with a vCPU held for the whole job (lib.sh's kvm_hold says why).
if [ -r /kvm/order ]; then
	if load-kvm && (kvm_hold); then
		echo "lava-shell: /dev/kvm ready, one vCPU held"
	else
		echo "lava-shell: no usable /dev/kvm: iobus-stress kvm will skip"
	fi
fi
echo "lava-shell: $(uname -a)"
PS1='iobus-lava# ' exec setsid cttyhack sh -i
