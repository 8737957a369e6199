#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# fetch-kernel.sh [--arch arm64] SERIES
# Fetch Debian's newest kernel of SERIES into the cache, with a private apt
# state (its own sources list, lists and cache directories): the host's
# /etc/apt and dpkg database are never touched.  Prints the kernel's cache
# directory, which holds:
#   root/        the packages extracted with dpkg-deb -x
#   vmlinuz      the image          kver        the kernel release (uname -r)
#   modules/     lib/modules/<kver>, .ko.xz decompressed to .ko (busybox insmod)
#   kdir         the headers tree to build modules against (in root/ on the
#                host, or in the build root for 7.3: see build-module.sh)
#   pkgversion   the Debian package version   packages  name=version lines
# SERIES:
#   6.1         bookworm's linux-image-6.1.0-N-amd64 (highest N), headers, kbuild
#   6.12        linux-image-6.12.X+deb12-amd64-unsigned (bookworm, built with
#               gcc-12), headers, kbuild
#   7.3         linux-binary/-modules-7.3.X+deb13-amd64 (trixie-backports,
#               built with gcc-14), headers, kbuild
#   source-7.3  linux-source-7.3 (for the debug kernels)
# --arch arm64 (docs/arm64.md): Debian's stock arm64 kernels of the same
# series, for qemu-system-aarch64 (scripts/vm/run-vm.sh --arch arm64):
#   6.1         bookworm's linux-image-6.1.0-N-arm64-unsigned (highest N)
#   6.12        linux-image-6.12.X+deb12-arm64-unsigned (bookworm-backports)
#   7.3         linux-binary-7.3.X+deb13-arm64 (trixie-backports; KVM is
#               built in on arm64, so not linux-modules-*, 86 MB) and
#               linux-headers-7.3.X+deb13-arm64 for its .config
# the image (no module is built for arm64 yet), CONFIG_KVM=y checked, with their own apt state ($IBS_CACHE/apt-arm64-kernels,
# APT::Architecture=arm64) and cache ($IBS_CACHE/kernels/SERIES-arm64/VERSION);
# kdir is not written.
# The newest version is resolved at fetch time (from lists refreshed when
# older than a day) and logged; each version has its own directory, so a
# new Debian upload never breaks an old one.  Offline, the newest cached
# fetch of SERIES is used, with a warning.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"
arch=amd64
if [ "${1:-}" = --arch ]; then
	arch=${2:?usage: fetch-kernel.sh [--arch arm64] SERIES}
	shift 2
fi
series=${1:?usage: fetch-kernel.sh [--arch arm64] 6.1|6.12|7.3|source-7.3}
log() { echo "fetch-kernel: $*" >&2; }
trap 'log "FAILED at line $LINENO: $BASH_COMMAND"' ERR
case $arch in
amd64) apt_dir=$IBS_CACHE/apt cache_series=$series ;;
arm64) apt_dir=$IBS_CACHE/apt-arm64-kernels cache_series=$series-arm64 ;;
*) log "unknown --arch $arch (arm64; amd64 is the default)"; exit 2 ;;
esac
arch_opt=
[ "$arch" = amd64 ] || arch_opt=$arch
ibs_apt "$apt_dir" "$arch_opt" <<'LIST'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
deb http://deb.debian.org/debian bookworm-backports main
deb http://deb.debian.org/debian trixie main
deb http://deb.debian.org/debian-security trixie-security main
deb http://deb.debian.org/debian trixie-backports main
LIST
apt_opts=("${IBS_APT_OPTS[@]}")

newest_cached() {
	local d
	d=$(ls -1d "$IBS_CACHE/kernels/$cache_series/"*/ 2>/dev/null | sort -V | tail -n1)
	[ -n "$d" ] && [ -f "$d/.done" ] && echo "${d%/}"
}

ibs_lock "${apt_dir##*/}"
if ! ibs_apt_update "$apt_dir"; then
	if d=$(newest_cached); then
		log "WARNING: apt-get update failed (see $apt_dir/update.log); using cached $d"
		ibs_unlock
		echo "$d"
		exit 0
	fi
	log "apt-get update failed and nothing is cached; see $apt_dir/update.log"
	exit 1
fi

names() { apt-cache "${apt_opts[@]}" pkgnames "$1" 2>/dev/null | grep -E "^$1$2\$" | sort -V; }
candidate() { apt-cache "${apt_opts[@]}" policy "$1" | awk '/Candidate:/ {print $2}'; }

case $arch-$series in
arm64-6.1)
	img=$(names linux-image-6.1.0- '[0-9]+-arm64-unsigned' | tail -n1)
	kver=${img#linux-image-}; kver=${kver%-unsigned}
	pkgs=("$img") ;;
arm64-6.12)
	img=$(names linux-image-6.12. '[0-9]+\+deb12-arm64-unsigned' | tail -n1)
	kver=${img#linux-image-}; kver=${kver%-unsigned}
	pkgs=("$img") ;;
arm64-7.3)
	img=$(names linux-binary-7.3. '[0-9]+\+deb13-arm64' | tail -n1)
	kver=${img#linux-binary-}
	pkgs=("$img" "linux-headers-$kver") ;;	# the headers: for .config
arm64-*)
	log "unknown arm64 series $series (6.1, 6.12, 7.3)"; exit 2 ;;
amd64-6.1)
	img=$(names linux-image-6.1.0- '[0-9]+-amd64-unsigned' | tail -n1)
	kver=${img#linux-image-}; kver=${kver%-unsigned}
	abi=${kver%-amd64}
	pkgs=("$img" "linux-headers-$kver" "linux-headers-$abi-common" linux-kbuild-6.1) ;;
amd64-6.12)
	img=$(names linux-image-6.12. '[0-9]+\+deb12-amd64-unsigned' | tail -n1)
	kver=${img#linux-image-}; kver=${kver%-unsigned}
	abi=${kver%-amd64}
	pkgs=("$img" "linux-headers-$kver" "linux-headers-$abi-common" "linux-kbuild-$abi") ;;
amd64-7.3)
	img=$(names linux-binary-7.3. '[0-9]+\+deb13-amd64' | tail -n1)
	kver=${img#linux-binary-}
	abi=${kver%-amd64}
	pkgs=("$img" "linux-modules-$kver" "linux-headers-$kver" "linux-headers-$abi-common" "linux-kbuild-$abi") ;;
amd64-source-7.3)
	img=linux-source-7.3 kver=
	pkgs=(linux-source-7.3) ;;
*)
	log "unknown series $series (6.1, 6.12, 7.3, source-7.3)"; exit 2 ;;
esac
[ -n "$img" ] || { log "no package found for series $series"; exit 1; }
pkgver=$(candidate "${pkgs[0]}")
[ -n "$pkgver" ] && [ "$pkgver" != "(none)" ] || { log "no candidate for ${pkgs[0]}"; exit 1; }
dir=$IBS_CACHE/kernels/$cache_series/$pkgver
if [ -f "$dir/.done" ]; then
	ibs_unlock
	echo "$dir"
	exit 0
fi
log "series $series ($arch): ${pkgs[*]} ($pkgver)"
tmp=$dir.tmp
rm -rf "$tmp"
mkdir -p "$tmp/root"
(cd "$apt_dir/archives" && ibs_timeout 900 apt-get -q "${apt_opts[@]}" download "${pkgs[@]}" >"$tmp/download.log" 2>&1) ||
	{ cat "$tmp/download.log" >&2; log "download failed"; exit 1; }
for p in "${pkgs[@]}"; do
	v=$(candidate "$p")
	deb=$(ls -1 "$apt_dir/archives/${p}_${v//:/%3a}_"*.deb)
	dpkg-deb -x "$deb" "$tmp/root"
	echo "$p=$v" >>"$tmp/packages"
	log "  $p $v"
done
echo "$pkgver" >"$tmp/pkgversion"
if [ -n "$kver" ]; then
	echo "$kver" >"$tmp/kver"
	if [ -f "$tmp/root/boot/vmlinuz-$kver" ]; then
		ln -s "root/boot/vmlinuz-$kver" "$tmp/vmlinuz"
	else
		ln -s "root/usr/lib/modules/$kver/vmlinuz" "$tmp/vmlinuz"
	fi
	[ -r "$tmp/vmlinuz" ] || { log "no vmlinuz in ${pkgs[0]}"; exit 1; }
	moddir=
	for m in "$tmp/root/lib/modules/$kver" "$tmp/root/usr/lib/modules/$kver"; do
		[ -d "$m" ] && { moddir=$m; break; }
	done
	if [ "$arch" = arm64 ]; then
		# KVM must be built in: the arm64 guest loads no modules.
		cfg=
		for c in "$tmp/root/boot/config-$kver" "$tmp/root/usr/src/linux-headers-$kver/.config"; do
			[ -f "$c" ] && { cfg=$c; break; }
		done
		[ -n "$cfg" ] || { log "no config of $kver in ${pkgs[0]}"; exit 1; }
		grep -q '^CONFIG_KVM=y$' "$cfg" || { log "$kver: KVM is not built in ($(grep '^CONFIG_KVM=' "$cfg" || echo 'no CONFIG_KVM')): not supported for arm64"; exit 1; }
		log "  $kver: CONFIG_KVM=y, HZ $(sed -n 's/^CONFIG_HZ=//p' "$cfg")"
	fi
fi
if [ -n "$kver" ] && [ "$arch" = amd64 ]; then
	[ -n "$moddir" ] || { log "no lib/modules/$kver in the packages"; exit 1; }
	mkdir -p "$tmp/modules"
	cp -a "$moddir/." "$tmp/modules/"
	find "$tmp/modules" -name '*.ko.xz' -exec xz -d {} +
	# The headers tree refers to /usr/src/linux-headers-<abi>-common and
	# /usr/lib/linux-kbuild-<ver> by absolute paths: point them into root/.
	kdir=$tmp/root/usr/src/linux-headers-$kver
	sed -i "s#/usr/src/linux-headers-#$dir/root/usr/src/linux-headers-#g" "$kdir/Makefile"
	find "$tmp/root" -type l -lname '/usr/*' | while read -r l; do
		t=$(readlink "$l")
		ln -sfn "$dir/root$t" "$l"
	done
	echo "$dir/root/usr/src/linux-headers-$kver" >"$tmp/kdir"
fi
touch "$tmp/.done"
rm -rf "$dir"
mv "$tmp" "$dir"
ibs_unlock
echo "$dir"
