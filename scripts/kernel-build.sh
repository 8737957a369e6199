#!/bin/bash
# Build (or reuse) the KASAN+lockdep debug kernel from Debian's
# linux-source-6.1 and scripts/debug.config.  Prints the build directory
# (usable as KDIR and holding arch/x86/boot/bzImage) on stdout.
# Cache: ${XDG_CACHE_HOME:-~/.cache}/iobus-stress/kernel-<pkgver>-<hash>
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
frag=$here/debug.config
tarball=/usr/src/linux-source-6.1.tar.xz
[ -r "$tarball" ] || { echo "kernel-build: $tarball missing (run scripts/deps.sh)" >&2; exit 2; }
pkgver=$(dpkg-query -W -f='${Version}' linux-source-6.1)
hash=$(cat "$frag" "$0" | sha256sum | cut -c1-12)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/iobus-stress
src=$cache/src-$pkgver
out=$cache/kernel-$pkgver-$hash
log() { echo "kernel-build: $*" >&2; }

# --source: only unpack the source tree and print its path (checkpatch).
unpack_only=0
[ "${1:-}" = --source ] && unpack_only=1

if [ "$unpack_only" = 0 ] && [ -f "$out/.done" ]; then
	log "reusing cached debug kernel $out"
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
if [ ! -f "$src/.unpacked" ]; then
	log "unpacking $tarball ($pkgver)"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi
if [ "$unpack_only" = 1 ]; then
	echo "$src"
	exit 0
fi
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
log "configuring in $out (tinyconfig + $(basename "$frag"))"
make -s -C "$src" O="$out" tinyconfig >/dev/null
KCONFIG_CONFIG=$out/.config "$src/scripts/kconfig/merge_config.sh" -m -O "$out" \
	"$out/.config" "$frag" >/dev/null
make -s -C "$src" O="$out" olddefconfig >/dev/null

# Fail loudly on every requested option Kconfig silently dropped.
missing=0
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	opt=${line%%=*} want=${line#*=}
	if [ "$want" = n ]; then
		grep -q "^$opt=" "$out/.config" || continue
	elif grep -qx "$line" "$out/.config"; then
		continue
	fi
	got=$(grep -E "^$opt=|^# $opt is not set" "$out/.config" || echo "absent")
	log "requested $line but .config has: $got"
	missing=$((missing + 1))
done < "$frag"
if [ "$missing" -ne 0 ]; then
	log "FAILED: $missing requested option(s) dropped by olddefconfig"
	exit 1
fi

log "building bzImage and modules with -j$(nproc) (about 10 minutes cold)"
if ! make -s -C "$src" O="$out" -j"$(nproc)" bzImage modules >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	log "FAILED: see $out/build.log"
	exit 1
fi
touch "$out/.done"
log "built in $(( $(date +%s) - start )) s: $out/arch/x86/boot/bzImage"
echo "$out"
