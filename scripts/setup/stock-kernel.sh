#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# stock-kernel.sh [SERIES]: print "VMLINUZ KDIR DIR" of Debian's stock kernel
# of SERIES (6.1, 6.12, 7.3; default 6.1), fetched into the cache by
# fetch-kernel.sh.  DIR holds modules/ (kvm, kvm-amd, ...) and kver.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$("$here/fetch-kernel.sh" "${1:-6.1}") || exit 1
echo "$dir/vmlinuz $(cat "$dir/kdir") $dir"
