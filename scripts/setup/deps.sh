#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Install the Debian packages iobus-stress needs, when missing.
#   deps.sh [--check|--arm64]  Quiet and
# fast when everything is present; when not root, print the apt-get line.
set -euo pipefail
pkgs=(qemu-system-x86
      busybox-static cpio kmod flex bison bc libelf-dev libssl-dev sparse
      libcmocka-dev libjansson-dev zlib1g-dev gcc make libc6-dev xz-utils file python3 perl rsync
      dwarves debootstrap git util-linux coreutils)
# --check: also what only make check uses: Chromium (the SVGs render),
# dkms (make dkms builds the module as a host's DKMS would) and
# lava-dispatcher (lava-run runs the LAVA QEMU job, docs/lava.md; Debian
# 12's 2023.01 depends on python3-guestfs, whose appliance pulls in a
# kernel: about 1.4 GB with recommends).
case ${1:-} in
--check) pkgs+=(chromium dkms lava-dispatcher gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm) ;;
--browser) pkgs+=(chromium dkms) ;;
# --arm64: make run ARCH=arm64's cross compiler and QEMU (docs/arm64.md)
--arm64) pkgs+=(gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu qemu-system-arm) ;;
esac
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
line="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages; run as root:" >&2
	echo "  apt-get update && $line" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
