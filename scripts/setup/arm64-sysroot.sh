#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# arm64-sysroot.sh [PACKAGE...]
# Debian bookworm's arm64 builds of the libraries the static driver links
# (libjansson-dev, libjansson4, zlib1g-dev, zlib1g) and of any extra
# PACKAGEs (mkinitramfs.sh asks for busybox-static), fetched with a private
# apt state of architecture arm64 ($IBS_CACHE/apt-arm64: its own sources
# list, lists and cache, -o APT::Architecture=arm64; the host's /etc/apt,
# dpkg database and the amd64 state of fetch-kernel.sh are never touched),
# extracted with dpkg-deb -x into one directory keyed by the packages'
# versions.  Prints that directory: usr/include holds the headers,
# usr/lib/aarch64-linux-gnu the static libraries, for
# `make -C userspace ARCH=arm64` (aarch64-linux-gnu-gcc brings its own libc).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"
log() { echo "arm64-sysroot: $*" >&2; }
trap 'log "FAILED at line $LINENO: $BASH_COMMAND"' ERR
pkgs=(libjansson-dev libjansson4 zlib1g-dev zlib1g "$@")
apt_dir=$IBS_CACHE/apt-arm64
ibs_apt "$apt_dir" arm64 <<'LIST'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
LIST
apt_opts=("${IBS_APT_OPTS[@]}")
candidate() { apt-cache "${apt_opts[@]}" policy "$1" | awk '/Candidate:/ {print $2}'; }

ibs_lock apt-arm64
ibs_apt_update "$apt_dir" || { log "apt-get update failed; see $apt_dir/update.log"; exit 1; }
key=
for p in "${pkgs[@]}"; do
	v=$(candidate "$p")
	if [ -z "$v" ] || [ "$v" = "(none)" ]; then
		log "no arm64 candidate for $p"
		exit 1
	fi
	key="$key$p=$v"$'\n'
done
dir=$IBS_CACHE/sysroot-arm64/$(printf '%s' "$key" | sha256sum | cut -c1-16)
if [ -f "$dir/.done" ]; then
	ibs_unlock
	echo "$dir"
	exit 0
fi
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
(cd "$apt_dir/archives" && ibs_timeout 600 apt-get -q "${apt_opts[@]}" download "${pkgs[@]}" >"$tmp/download.log" 2>&1) ||
	{ cat "$tmp/download.log" >&2; log "download failed"; exit 1; }
for p in "${pkgs[@]}"; do
	v=$(candidate "$p")
	deb=$(ls -1 "$apt_dir/archives/${p}_${v//:/%3a}_arm64.deb" 2>/dev/null ||
	      ls -1 "$apt_dir/archives/${p}_${v//:/%3a}_all.deb")
	dpkg-deb -x "$deb" "$tmp"
	log "  $p $v"
done
printf '%s' "$key" >"$tmp/packages"
touch "$tmp/.done"
rm -rf "$dir"
mv "$tmp" "$dir"
ibs_unlock
echo "$dir"
