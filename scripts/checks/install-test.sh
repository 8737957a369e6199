#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# install-test.sh KDIR: `make install` and `make dkms` as a host runs them,
# into a scratch root, against KDIR's headers; Debian's dkms then builds the
# module from what `make dkms` placed (--sourcetree/--dkmstree in the
# scratch dir: nothing of the host's /usr/src, /var/lib/dkms or /lib/modules
# is touched).  Each module must carry VERSION's version and KDIR's release;
# the installed one must be found by modprobe (depmod ran); a dkms.conf whose
# version drifted from VERSION must be refused.
set -uo pipefail
kdir=$(cd "$1" && pwd) || exit 1
top=$(cd "$(dirname "$0")/../.." && pwd)
ver=$(cat "$top/VERSION")
rel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
ok() { echo "ok: $*"; }
[ -n "$rel" ] || fail "no UTS_RELEASE in $kdir"
command -v dkms >/dev/null || fail "no dkms (scripts/setup/deps.sh --check)"

# A copy of the tree as a user unpacks it (the work tree's files, no build
# products), so that building it leaves this checkout as it was.
mkdir "$T/src"
(cd "$top" && git ls-files -z Kbuild Makefile VERSION dkms.conf module userspace |
	xargs -0 cp --parents -t "$T/src") || fail "cannot copy the tree"

modcheck() {	# KO WHAT: version and vermagic
	local v m
	v=$(modinfo -F version "$1") m=$(modinfo -F vermagic "$1")
	[ "$v" = "$ver" ] || fail "$2: version '$v', VERSION says '$ver'"
	[ "${m%% *}" = "$rel" ] || fail "$2: vermagic '$m', not for $rel"
	ok "$2: $(basename "$1") version $v, vermagic $rel"
}

# 1. make install with headers: the driver, the module, depmod.
make -s -C "$T/src" install DESTDIR="$T/root" PREFIX=/usr KDIR="$kdir" >"$T/install.log" 2>&1 ||
	{ tail -20 "$T/install.log"; fail "make install KDIR=$kdir failed"; }
out=$("$T/root/usr/bin/iobus-stress" --version) || fail "the installed driver does not run"
[ "${out#iobus-stress "$ver"}" != "$out" ] || fail "the driver says '$out', VERSION says $ver"
ok "make install: $T/root/usr/bin/iobus-stress ($out)"
mapfile -t kos < <(find "$T/root/lib/modules/$rel/updates" -name 'iobus_stress.ko*')
[ "${#kos[@]}" = 1 ] || fail "make install: ${#kos[@]} modules under lib/modules/$rel/updates, want 1"
modcheck "${kos[0]}" "make install"
dep=$(modprobe -d "$T/root" -S "$rel" --show-depends iobus_stress 2>&1) ||
	fail "make install: modprobe cannot find iobus_stress ($dep): no depmod?"
ok "make install: modprobe finds it ($dep)"

# 2. Without headers: the driver alone, said so.
make -s -C "$T/src" install DESTDIR="$T/root2" PREFIX=/usr KDIR=/nonexistent >"$T/install2.log" 2>&1 ||
	{ cat "$T/install2.log"; fail "make install without headers failed"; }
grep -q "no kernel headers at /nonexistent: installed the driver only" "$T/install2.log" ||
	fail "make install without headers did not say it installed the driver only"
[ -x "$T/root2/usr/bin/iobus-stress" ] && [ ! -e "$T/root2/lib" ] ||
	fail "make install without headers: wrong files"
ok "make install without headers: the driver only, said"

# 3. make dkms: the sources for DKMS; dkms builds them for KDIR's kernel.
make -s -C "$T/src" dkms DESTDIR="$T/root" >"$T/dkms.log" 2>&1 ||
	{ cat "$T/dkms.log"; fail "make dkms DESTDIR failed"; }
s=$T/root/usr/src/iobus-stress-$ver
for f in dkms.conf Kbuild VERSION module/main.c module/compat.h; do
	[ -f "$s/$f" ] || fail "make dkms: no $s/$f"
done
mkdir "$T/dkms"
dk=(--sourcetree "$T/root/usr/src" --dkmstree "$T/dkms")
dkms add -m iobus-stress -v "$ver" "${dk[@]}" >"$T/dkms-add.log" 2>&1 ||
	{ cat "$T/dkms-add.log"; fail "dkms add"; }
dkms build -m iobus-stress -v "$ver" -k "$rel" --kernelsourcedir "$kdir" "${dk[@]}" \
	>"$T/dkms-build.log" 2>&1 || { tail -30 "$T/dkms-build.log"; fail "dkms build for $rel"; }
mapfile -t kos < <(find "$T/dkms/iobus-stress/$ver/$rel" -name 'iobus_stress.ko*')
[ "${#kos[@]}" = 1 ] || fail "dkms build: ${#kos[@]} modules for $rel, want 1"
modcheck "${kos[0]}" "dkms build"

# 4. A dkms.conf that drifted from VERSION is refused.
sed -i 's/^PACKAGE_VERSION=.*/PACKAGE_VERSION="0.0.0-drift"/' "$T/src/dkms.conf"
if make -s -C "$T/src" dkms DESTDIR="$T/root3" >"$T/drift.log" 2>&1; then
	fail "make dkms accepted a dkms.conf whose version is not VERSION's"
fi
grep -q "PACKAGE_VERSION is not VERSION" "$T/drift.log" || { cat "$T/drift.log"; fail "drift refused for another reason"; }
ok "make dkms: a dkms.conf version other than VERSION's is refused"
