#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# compat-detect.sh: the APIs Kbuild detects (module/compat.h) agree with
# the headers of each stock kernel.  6.1 and 6.12: the built module's
# modinfo compat= string; 7.3 (no build root needed): Kbuild's ccflags.
# The expectation is an independent grep of the header trees.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
rc=0
has() {	# has FILE REGEX -> yes|no
	grep -qE "$2" "$1" && echo yes || echo no
}
for v in 6.1 6.12 7.3; do
	read -r img kdir dir < <(scripts/setup/stock-kernel.sh "$v")
	common=$(sed -n 's/^include \(.*\)\/Makefile$/\1/p' "$kdir/Makefile")
	inc=${common:-$kdir}/include/linux
	mb=$(has "$inc/srcu.h" 'inline void smp_mb__after_srcu_read_lock\(void\)')
	ec=$(has "$inc/srcutree.h" 'void srcu_expedite_current\(struct srcu_struct')
	fast=$(has "$inc/srcu.h" 'srcu_read_lock_fast\(struct srcu_struct \*ssp\)')
	if [ "$v" = 7.3 ]; then
		flags=$(make -s -f Kbuild -f <(printf 'all:\n\t@echo $(ccflags-y)\n') srctree="${common:-$kdir}")
		got="mb=$([[ $flags == *IBS_HAVE_MB_AFTER_SRCU_READ_LOCK* ]] && echo yes || echo no)"
		got+=" ec=$([[ $flags == *IBS_HAVE_SRCU_EXPEDITE_CURRENT* ]] && echo yes || echo no)"
		got+=" fast=$([[ $flags == *IBS_HAVE_SRCU_READ_LOCK_FAST* ]] && echo yes || echo no)"
	else
		# make check built it in phase 1 (module-build-$v); else build it.
		ko=build/stock-$v/module/iobus_stress.ko
		[ -r "$ko" ] || ko=$(scripts/setup/build-module.sh "$kdir" "build/stock-$v")
		c=$(modinfo -F compat "$ko")
		echo "$v modinfo compat: $c"
		got="mb=$([[ $c == *mb_after_srcu_read_lock=smp_mb__after_srcu_read_lock* ]] && echo yes || echo no)"
		got+=" ec=$([[ $c == *srcu_expedite_current=yes* ]] && echo yes || echo no)"
		got+=" fast=$([[ $c == *srcu_read_lock_fast=yes* ]] && echo yes || echo no)"
	fi
	want="mb=$mb ec=$ec fast=$fast"
	if [ "$got" = "$want" ]; then
		echo "ok $v: $got"
	else
		echo "not ok $v: detected '$got', headers say '$want'"
		rc=1
	fi
done
exit $rc
