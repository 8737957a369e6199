#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# kernel-build.sh [--source|--config-only] [kasan|kcsan|abtest]
# Build (or reuse) a kernel from Debian's linux-source-7.3 (fetched by
# fetch-kernel.sh into the cache): tinyconfig + the variant's fragments:
#   kasan (default)  debug.config + debug-kasan.config
#   kcsan            debug.config + debug-kcsan.config
#   abtest           scripts/abtest/abtest.config + CONFIG_HZ_$IBS_HZ (250
#                    unless set): the kernel `make abtest` times
# Every requested option is verified after olddefconfig.  Prints the build
# directory (usable as KDIR; holds arch/x86/boot/bzImage) on stdout.
# IBS_ARCH=arm64 (abtest only): cross-built with aarch64-linux-gnu-gcc from
# scripts/abtest/abtest-arm64.config; the image is arch/arm64/boot/Image.
#   --source       only unpack the source tree and print its path (checkpatch)
#   --config-only  configure and verify the options, print the .config, stop
# IBS_SRCTREE=DIR builds from DIR (make abtest's working tree, a hardlink
# copy of the unpacked source: scripts/abtest/build.sh) instead of the
# unpacked source itself; it is part of the cache key, since an O= tree's
# commands name their source tree.
# Cache: $IBS_CACHE/kbuild-<variant>-<pkgver>-<key>, the key hashing the
# fragments, the compiler's version, the source tree and RECIPE.  A lock serialises builds;
# the build happens in place (an O= tree records its own absolute path, so
# it cannot be renamed) and is published by creating .done last: a
# directory without it is an interrupted build, removed by the next one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/cache.sh"
RECIPE=2	# bump when the build steps change
unpack_only=0 config_only=0
[ "${1:-}" = --source ] && { unpack_only=1; shift; }
[ "${1:-}" = --config-only ] && { config_only=1; shift; }
variant=${1:-kasan}
case $variant in kasan|kcsan|abtest) ;; *) echo "kernel-build: unknown variant $variant (kasan|kcsan|abtest)" >&2; exit 2 ;; esac
log() { echo "kernel-build: $*" >&2; }
karch=${IBS_ARCH:-x86}
ibs_karch "$karch" || exit 2
if [ "$karch" != x86 ] && [ "$variant" != abtest ]; then
	log "IBS_ARCH=$karch: only the abtest variant is built for $karch"
	exit 2
fi
command -v "$IBS_KCC" >/dev/null || { log "no $IBS_KCC: scripts/setup/deps.sh --arm64 installs it"; exit 1; }

pkgdir=$("$here/fetch-kernel.sh" source-7.3) || exit 1
pkgver=$(cat "$pkgdir/pkgversion")
tarball=$pkgdir/root/usr/src/linux-source-7.3.tar.xz
[ -r "$tarball" ] || { log "$tarball missing"; exit 1; }
src=$IBS_CACHE/src-$pkgver
if [ ! -f "$src/.unpacked" ]; then
	ibs_lock "src-$pkgver"
	if [ ! -f "$src/.unpacked" ]; then
		log "unpacking $tarball ($pkgver)"
		rm -rf "$src.tmp"
		mkdir -p "$src.tmp"
		ibs_timeout 600 tar -xf "$tarball" -C "$src.tmp" --strip-components=1
		touch "$src.tmp/.unpacked"
		rm -rf "$src"
		mv "$src.tmp" "$src"
	fi
	ibs_unlock
fi
if [ "$unpack_only" = 1 ]; then
	echo "$src"
	exit 0
fi

tree=${IBS_SRCTREE:-$src}
[ -f "$tree/Makefile" ] || { log "IBS_SRCTREE=$tree holds no kernel tree"; exit 2; }
name=$variant
if [ "$variant" = abtest ]; then
	hz=${IBS_HZ:-250}
	case $hz in 100|250|300|1000) ;; *) log "HZ=$hz: must be 100, 250, 300 or 1000"; exit 2 ;; esac
	hzfrag=$(mktemp --suffix=-hz.config)
	trap 'rm -f "$hzfrag"' EXIT
	printf '# HZ asked for (make abtest HZ=)\nCONFIG_HZ_%s=y\nCONFIG_HZ=%s\n' "$hz" "$hz" >"$hzfrag"
	frags=("$here/../abtest/abtest.config" "$hzfrag")
	name=abtest-hz$hz
	if [ "$karch" = arm64 ]; then
		frags=("$here/../abtest/abtest-arm64.config" "$hzfrag")
		name=abtest-arm64-hz$hz
	fi
else
	frags=("$here/debug.config" "$here/debug-$variant.config")
fi
cc_ver=$("$IBS_KCC" --version | head -n1)
key=$( { cat "${frags[@]}"; echo "$cc_ver"; echo "recipe $RECIPE"
	 [ "$tree" = "$src" ] || echo "tree $tree"; } | sha256sum | cut -c1-12)
out=$IBS_CACHE/kbuild-$name-$pkgver-$key
if [ "$config_only" = 1 ]; then
	out=$IBS_CACHE/kconfig-$variant-$pkgver-$key
elif [ -f "$out/.done" ]; then
	log "reusing cached $variant kernel $out"
	echo "$out"
	exit 0
fi
ibs_lock "kbuild-$name-$config_only"
if [ "$config_only" = 0 ] && [ -f "$out/.done" ]; then
	ibs_unlock
	echo "$out"
	exit 0
fi
tmp=$out
[ "$config_only" = 1 ] && tmp=$out.tmp
rm -rf "$tmp"
mkdir -p "$tmp"
start=$(date +%s)
log "configuring $name in $tmp (tinyconfig + ${frags[*]##*/}; $cc_ver; source $tree)"
make -s -C "$tree" O="$tmp" "${IBS_KMAKE[@]}" tinyconfig >/dev/null
env KCONFIG_CONFIG="$tmp/.config" "${IBS_KMAKE[@]}" "$tree/scripts/kconfig/merge_config.sh" -m -O "$tmp" \
	"$tmp/.config" "${frags[@]}" >/dev/null
make -s -C "$tree" O="$tmp" "${IBS_KMAKE[@]}" olddefconfig >/dev/null

# Fail loudly on every requested option Kconfig silently dropped.
missing=0
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	opt=${line%%=*} want=${line#*=}
	if [ "$want" = n ]; then
		grep -q "^$opt=" "$tmp/.config" || continue
	elif grep -qx "$line" "$tmp/.config"; then
		continue
	fi
	got=$(grep -E "^$opt=|^# $opt is not set" "$tmp/.config" || echo "absent")
	log "requested $line but .config has: $got"
	missing=$((missing + 1))
done < <(cat "${frags[@]}")
if [ "$missing" -ne 0 ]; then
	log "FAILED: $missing requested option(s) dropped by olddefconfig"
	exit 1
fi

if [ "$config_only" = 1 ]; then
	rm -rf "$out"
	mv "$tmp" "$out"
	log "every requested option is set: $out/.config"
	echo "$out/.config"
	exit 0
fi
targets=(bzImage modules)
[ "$variant" = abtest ] && targets=("$IBS_KTARGET")	# KVM built in, no modules
log "building ${targets[*]} with -j$(nproc) (15-25 minutes cold on 2 cores)"
if ! ibs_timeout 3600 make -s -C "$tree" O="$tmp" "${IBS_KMAKE[@]}" -j"$(nproc)" "${targets[@]}" >"$tmp/build.log" 2>&1; then
	tail -n 40 "$tmp/build.log" >&2
	log "FAILED: see $tmp/build.log"
	exit 1
fi
echo "$cc_ver" >"$out/compiler"
echo "$(( $(date +%s) - start ))" >"$out/build-secs"
echo "$tree" >"$out/srctree"
touch "$out/.done"
ibs_unlock
log "built in $(( $(date +%s) - start )) s: $out/$IBS_KIMAGE"
echo "$out"
