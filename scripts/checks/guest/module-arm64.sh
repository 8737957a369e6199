# SPDX-License-Identifier: GPL-2.0
# The module on Debian's stock arm64 kernel (docs/arm64.md), in one boot of
# the slow TCG arm64 guest: first the negative control, a copy of the .ko
# whose vermagic names another release (the host patched it), which insmod
# must refuse with the kernel's "version magic" line; then x86's smoke.sh
# (load, a default run, each detector firing, unload) and matrix.sh (every
# cell asserted, matrix.json dumped for the host's check-outcomes.py).
. /lib.sh
bad=/iobus_stress-wrong-release.ko
[ -r $bad ] || fail "no $bad in the initramfs"
if insmod $bad; then
	fail "insmod loaded a module built for another release"
fi
dmesg | grep "iobus_stress: version magic" ||
	fail "insmod refused $bad, but not for its version magic"
echo "ok: a module of another release is refused (version magic)"
. /smoke.sh
. /matrix.sh
