#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build-module-arm64.sh SERIES OUTDIR [make args...]
# Build iobus_stress.ko for Debian's stock arm64 kernel of SERIES (7.3) on
# this x86-64 host, cross compiled (docs/arm64.md: measured against an
# arm64 build root under qemu-user, and why this way).  Prints the .ko's
# path; fails on any compiler warning, as build-module.sh.
#  1. fetch-kernel.sh --arch arm64 SERIES: the image and Debian's
#     linux-headers-KVER (its .config, Module.symvers, and the vmlinux that
#     module BTF is based on; its scripts/ are arm64 binaries, not used).
#  2. The linux-source of the same Debian version (kernel-build.sh
#     --source; never written) configured with that .config in an O= tree,
#     $IBS_CACHE/kbuild-arm64-PKGVER-KEY: `make ARCH=arm64
#     CROSS_COMPILE=aarch64-linux-gnu- KERNELRELEASE=KVER olddefconfig
#     modules_prepare` with the compiler release Debian built the kernel
#     with (CONFIG_CC_VERSION_TEXT, matched byte for byte: trixie's
#     gcc-14-aarch64-linux-gnu, the cross build of Debian's gcc-14
#     14.2.0-19, in a cached trixie build root, buildroot.sh).  Kconfig may
#     drop only the options the build root's tools decide (Rust, the compat
#     vDSO, ...); the headers the compiler generated (struct offsets,
#     utsrelease.h: the vermagic) must equal Debian's byte for byte; then
#     Debian's own .config, auto.conf and autoconf.h replace Kconfig's, and
#     its Module.symvers and vmlinux (the BTF base) are copied in.  Cached
#     by the .config, compiler, source and RECIPE; .done made last.
#  3. The module built against the O= tree in a copy under OUTDIR, in the
#     same build root; its vermagic must be the one in Debian's image.
# C=1: trixie's sparse 0.6.4 fails 7.3's checker-valid.sh, so Kbuild skips
# it (as for x86 7.3); a line says so.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=${IBS_TOP:-$(cd "$here/../.." && pwd)}
. "$here/cache.sh"
RECIPE=2	# bump when the O= tree's steps change
series=${1:?usage: build-module-arm64.sh SERIES OUTDIR [make args...]}
out=${2:?usage: build-module-arm64.sh SERIES OUTDIR [make args...]}
shift 2
log() { echo "build-module-arm64: $*" >&2; }
case $series in
7.3) ;;
6.1|6.12) log "$series: not built yet (needs linux-source-$series of the image's exact version; docs/arm64.md)"; exit 2 ;;
*) log "unknown series $series (7.3)"; exit 2 ;;
esac

kp=$("$here/fetch-kernel.sh" --arch arm64 "$series") || { log "cannot fetch Debian's arm64 $series kernel"; exit 1; }
kver=$(cat "$kp/kver") pkgver=$(cat "$kp/pkgversion")
hdr=$kp/root/usr/src/linux-headers-$kver
[ -f "$hdr/.config" ] && [ -f "$hdr/Module.symvers" ] ||
	{ log "$hdr lacks .config or Module.symvers"; exit 1; }
src=$("$here/kernel-build.sh" --source) || exit 1
[ "${src##*/src-}" = "$pkgver" ] ||
	{ log "linux-source is ${src##*/src-}, the arm64 kernel $pkgver: they must be the same version"; exit 1; }

cc_text=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\(.*\)"$/\1/p' "$hdr/.config")
case $cc_text in
"aarch64-linux-gnu-gcc-14 (Debian 14."*)
	root=$("$here/buildroot.sh" trixie gcc-14-aarch64-linux-gnu,flex,bison,bc,libssl-dev,libelf-dev,python3) || exit 1 ;;
*) log "$kver was built with '$cc_text': no known cross compiler matches"; exit 1 ;;
esac
cc=${cc_text%% *}
have=$(chroot "$root" "$cc" --version | head -n1)
[ "$have" = "$cc_text" ] || { log "the build root has '$have', $kver was built with '$cc_text'"; exit 1; }
# Options Kconfig derives from the build host's tools alone (see above).
toolchain_only='RUST|RUSTC_|BINDGEN_|AX88796B_RUST_PHY|AMCC_QT2025_PHY|DRM_PANIC_SCREEN_QR_|CC_CAN_LINK|COMPAT_VDSO|THUMB2_COMPAT_VDSO|OPENSSL_SUPPORTS_ML_DSA'
kmake=(make ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu- CC="$cc" KERNELRELEASE="$kver")

mounts=()
cleanup() {
	local m
	for m in "${mounts[@]}"; do umount "$m" 2>/dev/null || umount -l "$m"; done
}
trap cleanup EXIT
bind() {	# bind DIR [ro]: DIR at its own path in the build root
	mkdir -p "$root$1"
	mount --bind "$1" "$root$1"
	mounts=("$root$1" "${mounts[@]}")
	[ "${2:-}" != ro ] || mount -o remount,bind,ro "$root$1"
}
in_root() { ibs_timeout 1800 chroot "$root" "$@"; }
lock() {	# lock NAME VAR: take lock NAME, its fd in lock_VAR (unlock VAR)
	local fd
	exec {fd}>"$IBS_CACHE/locks/$1.lock"
	flock -w 3600 "$fd" || { log "lock $1 timed out"; exit 1; }
	eval "lock_$2=$fd"
}
unlock() { eval "exec {lock_$1}>&-"; }

key=$( { sha256sum <"$hdr/.config"; echo "$cc_text"; echo "$src"; echo "recipe $RECIPE"; } |
	sha256sum | cut -c1-12)
kb=$IBS_CACHE/kbuild-arm64-$pkgver-$key
lock "kbuild-arm64-$pkgver-$key" kb
if [ ! -f "$kb/.done" ]; then
	start=$SECONDS
	rm -rf "$kb"
	mkdir -p "$kb"
	cp "$hdr/.config" "$kb/.config"
	lock buildroot-mount mnt
	bind "$src" ro
	bind "$kb"
	mount -t proc proc "$root/proc"
	mounts=("$root/proc" "${mounts[@]}")
	log "configuring $src for $kver in $kb ($cc_text)"
	if ! in_root "${kmake[@]}" -C "$src" O="$kb" olddefconfig modules_prepare -j"$(nproc)" \
		>"$kb.log" 2>&1; then
		tail -n 30 "$kb.log" >&2
		log "modules_prepare failed (log $kb.log)"
		exit 1
	fi
	# olddefconfig drops only what this build root's tools cannot offer
	# (no rustc/bindgen, no 32-bit compat compiler, no arm64 libc to link,
	# an older OpenSSL for sign-file): anything else changed is an error.
	diff <(grep '^CONFIG_' "$hdr/.config") <(grep '^CONFIG_' "$kb/.config") |
		grep '^[<>]' >"$kb.config.diff" || true
	if grep -Ev "^[<>] CONFIG_($toolchain_only)" "$kb.config.diff" >&2; then
		log "olddefconfig changed Debian's .config of $kver beyond the toolchain's options (diff $kb.config.diff)"
		exit 1
	fi
	# What the compiler computed from the config must be Debian's, byte for
	# byte: struct offsets (asm-offsets.h, bounds.h, rq-offsets.h), the
	# release (utsrelease.h: the vermagic), the arch's generated headers.
	for f in include/generated/{asm-offsets,bounds,rq-offsets,timeconst,utsrelease,vdso-offsets}.h; do
		cmp -s "$hdr/$f" "$kb/$f" || { log "$kb/$f differs from Debian's $kver"; exit 1; }
	done
	diff -r -q -x '.*.cmd' "$hdr/arch/arm64/include/generated" "$kb/arch/arm64/include/generated" >&2 ||
		{ log "$kb's arch/arm64/include/generated differs from Debian's $kver"; exit 1; }
	# The module then compiles with Debian's config itself (autoconf.h), and
	# links against its Module.symvers and BTF base (vmlinux).
	cp "$hdr/.config" "$kb/.config"
	cp "$hdr/include/config/auto.conf" "$kb/include/config/auto.conf"
	cp "$hdr/include/generated/autoconf.h" "$hdr/include/generated/rustc_cfg" "$kb/include/generated/"
	cp "$hdr/Module.symvers" "$hdr/vmlinux" "$kb/"
	cleanup
	mounts=()
	unlock mnt
	touch "$kb/.done"
	log "prepared $kb in $((SECONDS - start)) s"
fi
unlock kb

# The module, as build-module.sh builds it: a copy of the sources in OUTDIR.
mkdir -p "$out"
out=$(cd "$out" && pwd)
rsync -a --delete --exclude='*.o' --exclude='*.ko' "$top/Kbuild" "$top/VERSION" "$top/module" "$out/"
blog=$out/build.log
lock buildroot-mount mnt
bind "$src" ro
bind "$kb" ro
bind "$out"
mount -t proc proc "$root/proc"
mounts=("$root/proc" "${mounts[@]}")
if ! in_root "${kmake[@]}" -C "$kb" M="$out" "$@" modules >"$blog" 2>&1; then
	cat "$blog" >&2
	log "build against $kb failed"
	exit 1
fi
cleanup
mounts=()
unlock mnt
if grep -E "warning:|error:|^$out.*: " "$blog" | grep -v "Skipping BTF" >&2; then
	log "warnings building against $kb (log $blog)"
	exit 1
fi
# Kbuild drops C=1 with a make-level line, not a warning: say so.
if grep -q "specified, but .* is not available or not up to date" "$blog"; then
	log "C=1: sparse did not run: the build root's $(chroot "$root" sparse --version 2>/dev/null || echo sparse) fails $kver's scripts/checker-valid.sh (__typeof_unqual__)"
fi
ko=$out/module/iobus_stress.ko
# The vermagic Debian's kernel checks (kernel/module's vermagic string).
want=$(zcat -f "$kp/vmlinuz" | grep -a -o "$kver SMP[ a-zA-Z0-9_]*" | head -n1)
got=$(modinfo -F vermagic "$ko")
[ "${got% }" = "${want% }" ] || { log "$ko's vermagic '$got', $kver's '$want'"; exit 1; }
echo "$ko"
