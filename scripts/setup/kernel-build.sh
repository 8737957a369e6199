#!/bin/bash
# kernel-build.sh [--source|--config-only] [kasan|kcsan]
# Build (or reuse) a debug kernel from Debian's linux-source-7.3 (fetched by
# fetch-kernel.sh into the cache): tinyconfig + debug.config + the variant's
# fragment (debug-kasan.config, default, or debug-kcsan.config).  Every
# requested option is verified after olddefconfig.  Prints the build
# directory (usable as KDIR; holds arch/x86/boot/bzImage) on stdout.
#   --source       only unpack the source tree and print its path (checkpatch)
#   --config-only  configure and verify the options, print the .config, stop
# Cache: $IBS_CACHE/kbuild-<variant>-<pkgver>-<key>, the key hashing the
# fragments, the compiler's version and RECIPE.  A lock serialises builds;
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
case $variant in kasan|kcsan) ;; *) echo "kernel-build: unknown variant $variant (kasan|kcsan)" >&2; exit 2 ;; esac
log() { echo "kernel-build: $*" >&2; }

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

frags=("$here/debug.config" "$here/debug-$variant.config")
cc_ver=$(gcc --version | head -n1)
key=$( { cat "${frags[@]}"; echo "$cc_ver"; echo "recipe $RECIPE"; } | sha256sum | cut -c1-12)
out=$IBS_CACHE/kbuild-$variant-$pkgver-$key
if [ "$config_only" = 1 ]; then
	out=$IBS_CACHE/kconfig-$variant-$pkgver-$key
elif [ -f "$out/.done" ]; then
	log "reusing cached $variant kernel $out"
	echo "$out"
	exit 0
fi
ibs_lock "kbuild-$variant-$config_only"
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
log "configuring $variant in $tmp (tinyconfig + ${frags[*]##*/}; $cc_ver)"
make -s -C "$src" O="$tmp" tinyconfig >/dev/null
KCONFIG_CONFIG=$tmp/.config "$src/scripts/kconfig/merge_config.sh" -m -O "$tmp" \
	"$tmp/.config" "${frags[@]}" >/dev/null
make -s -C "$src" O="$tmp" olddefconfig >/dev/null

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
log "building bzImage and modules with -j$(nproc) (15-25 minutes cold on 2 cores)"
if ! ibs_timeout 3600 make -s -C "$src" O="$tmp" -j"$(nproc)" bzImage modules >"$tmp/build.log" 2>&1; then
	tail -n 40 "$tmp/build.log" >&2
	log "FAILED: see $tmp/build.log"
	exit 1
fi
echo "$cc_ver" >"$out/compiler"
touch "$out/.done"
ibs_unlock
log "built in $(( $(date +%s) - start )) s: $out/arch/x86/boot/bzImage"
echo "$out"
