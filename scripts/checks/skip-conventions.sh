#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# skip-conventions.sh DRIVER: a missing environment is a kselftest skip
# under --tap ("1..0 # SKIP reason" on stdout, exit 4) and its own exit
# code without it.  Made here, on the host, in private mount namespaces
# (root): no /dev/kvm (a tmpfs over /dev), an unusable one (/dev/null
# bound over it), no debugfs (none mounted at /sys/kernel/debug), not
# root (setpriv to nobody), no module (IOBUS_STRESS_DEBUGFS at an empty
# directory).  Each case is run twice, with and without --tap.
set -uo pipefail
drv=$(readlink -f "$1")
bad=0
[ "$(id -u)" = 0 ] || { echo "skip: needs root (mount namespaces, setpriv)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/kvm"

# case NAME WANT_TAP WANT_PLAIN REASON_REGEX WRAPPER... -- ARGS...
case_() {
	local name=$1 want_tap=$2 want_plain=$3 re=$4 wrap=() rc out
	shift 4
	while [ "$1" != -- ]; do wrap+=("$1"); shift; done
	shift
	out=$("${wrap[@]}" "$drv" "$@" --tap 2>"$tmp/err")
	rc=$?
	if [ "$rc" = "$want_tap" ] && grep -q '^KTAP version 1$' <<<"$out" &&
	   grep -Eq "^1\.\.0 # SKIP .*$re" <<<"$out"; then
		echo "ok: $name, --tap: exit $rc, $(grep '^1\.\.0' <<<"$out")"
	else
		echo "FAIL: $name, --tap: exit $rc (want $want_tap), stdout: $out, stderr: $(cat "$tmp/err")"
		bad=1
	fi
	"${wrap[@]}" "$drv" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" = "$want_plain" ] && grep -Eq "$re" "$tmp/err" && ! grep -q KTAP "$tmp/out"; then
		echo "ok: $name, no --tap: exit $rc, $(head -n 1 "$tmp/err")"
	else
		echo "FAIL: $name, no --tap: exit $rc (want $want_plain), stderr: $(cat "$tmp/err")"
		bad=1
	fi
}
ns() { local setup=$1; shift; unshare -m --propagation private sh -c "$setup"' && exec "$@"' sh "$@"; }
nodev() { ns 'mount -t tmpfs none /dev' "$@"; }
# a regular file where /dev/kvm is: it opens, and KVM_CREATE_VM fails (ENOTTY)
badkvm() { ns "if [ -e /dev/kvm ]; then mount --bind $tmp/kvm /dev/kvm; else mount -t tmpfs none /dev && : > /dev/kvm; fi" "$@"; }
nodebugfs() { ns 'umount -l /sys/kernel/debug 2>/dev/null; ! grep -q " /sys/kernel/debug debugfs " /proc/mounts' "$@"; }
# debugfs mounted, no iobus_stress directory in it, no .ko next to the driver
withdebugfs() { ns 'grep -q " /sys/kernel/debug debugfs " /proc/mounts || mount -t debugfs none /sys/kernel/debug; [ ! -e /sys/kernel/debug/iobus_stress ]' "$@"; }
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }

case_ "no /dev/kvm" 4 12 "no usable /dev/kvm: cannot open it" nodev -- kvm --duration 0.1
case_ "an unusable /dev/kvm" 4 12 "no usable /dev/kvm: KVM cannot create a VM" badkvm -- kvm --duration 0.1
case_ "no debugfs" 4 5 "debugfs is not mounted" nodebugfs -- run --duration 0.1
case_ "not root" 4 3 "must run as root" nobody -- run --duration 0.1
cp "$drv" "$tmp/iobus-stress"	# alone: no iobus_stress.ko beside it
drv=$tmp/iobus-stress
case_ "no module (loaded or found)" 4 6 "not loaded and iobus_stress.ko was not found" \
	withdebugfs -- run --duration 0.1
# Not a skip but one clear line: a kernel without module support.
if [ ! -e /proc/modules ]; then
	: >"$tmp/x.ko"
	withdebugfs "$drv" run --module "$tmp/x.ko" --duration 0.1 >/dev/null 2>"$tmp/err"
	rc=$?
	if [ "$rc" = 10 ] && grep -q "this kernel has no module support" "$tmp/err"; then
		echo "ok: no module support: exit 10, $(cat "$tmp/err")"
	else
		echo "FAIL: no module support: exit $rc, $(cat "$tmp/err")"
		bad=1
	fi
fi
exit $bad
