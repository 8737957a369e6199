#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# build.sh [--arch x86|arm64] [--variant abtest|kasan] [--hz N] [PATCH...]
# The A and B kernels of `make abtest`, from one cached tree.  Prints the
# build directory (holds arch/x86/boot/bzImage, or for --arch arm64 the
# cross-built arch/arm64/boot/Image): A's without PATCH, B's (A's tree
# with every PATCH applied in order) with them.
#
# The working tree, $IBS_CACHE/abtree-<pkgver>, is a hardlink copy of the
# unpacked Debian source: every file is the unpacked file itself, so A is
# Debian's source byte for byte and costs no disk.  A is built there
# (kernel-build.sh, IBS_SRCTREE=abtree).  B's build directory starts as a
# copy of A's; the files the patch touches are unlinked (a copy takes the
# hardlink's place, so the unpacked source is never written), patched, and
# only what depends on them recompiles.  Then each touched path is linked
# back to the unpacked file.  A journal (abtree/.ibs-patching, written
# before the first file is touched) says a run was interrupted; the next
# run then rebuilds the whole working tree from the unpacked source, and
# every run checks that no file of the working tree is anything but a
# link to the unpacked source before it builds A.
#
# Exit codes: 0 built, 1 error, 2 usage, 3 the patch does not apply (the
# rejected hunk on stderr), 4 B does not build (the first compiler error
# on stderr).  stderr also gets "build.sh: cold|warm A ... s" and
# "build.sh: B built in N s (incremental)" for the report.
# B builds are cached by the patches' sha256 and A's build directory; the
# newest 24 are kept.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
S=$(cd "$here/.." && pwd)
. "$S/setup/cache.sh"
log() { echo "build.sh: $*" >&2; }
variant=abtest hz=250 arch=x86
while [ $# -gt 0 ]; do
	case $1 in
	--arch) arch=$2; shift 2 ;;
	--variant) variant=$2; shift 2 ;;
	--hz) hz=$2; shift 2 ;;
	--) shift; break ;;
	-*) log "unknown option $1"; exit 2 ;;
	*) break ;;
	esac
done
case $variant in abtest|kasan) ;; *) log "--variant $variant: abtest or kasan"; exit 2 ;; esac
ibs_karch "$arch" || exit 2
patches=()
for p in "$@"; do
	[ -r "$p" ] || { log "PATCH $p: not readable"; exit 2; }
	patches+=("$(readlink -f "$p")")
done

src=$("$S/setup/kernel-build.sh" --source)
pkgver=$(basename "$src")
pkgver=${pkgver#src-}
tree=$IBS_CACHE/abtree-$pkgver
journal=$tree/.ibs-patching

# The working tree is pristine when no journal is left and every regular
# file is a second link of an unpacked file (link count 2; .unpacked too).
pristine() {
	[ -d "$tree" ] && [ ! -e "$journal" ] && [ -f "$tree/.ibs-tree" ] || return 1
	[ -z "$(find "$tree" -type f ! -name .ibs-tree -links 1 -print -quit)" ]
}
# The unpacked source itself must never change: no file newer than the
# marker written when it was unpacked.
src_changed=$(find "$src" -type f -newer "$src/.unpacked" -print -quit)
if [ -n "$src_changed" ]; then
	log "the unpacked source $src was modified after unpacking ($src_changed): remove $src to unpack it again"
	exit 1
fi
make_tree() {
	log "making the working tree $tree (hardlinks of $src)"
	rm -rf "$tree.tmp" "$tree"
	cp -al "$src" "$tree.tmp"
	echo "hardlink copy of $src" >"$tree.tmp/.ibs-tree"
	mv "$tree.tmp" "$tree"
}
# restore: link every journalled path back to the unpacked file (or
# remove it where the patch created it), then drop the journal.
restore() {
	local p
	[ -e "$journal" ] || return 0
	while IFS= read -r p; do
		[ -n "$p" ] || continue
		if [ -e "$src/$p" ]; then
			ln -f "$src/$p" "$tree/$p"
		else
			rm -f "$tree/$p"
		fi
	done <"$journal"
	rm -f "$journal"
}

ibs_lock "abtree-$pkgver"
if [ -e "$journal" ]; then
	log "an earlier run was interrupted with the working tree patched ($(wc -l <"$journal") file(s)): rebuilding it"
	make_tree
elif ! pristine; then
	[ -d "$tree" ] && log "the working tree is not all links to the unpacked source: rebuilding it"
	make_tree
fi
pristine || { log "the working tree $tree is not pristine after rebuilding it"; exit 1; }

t0=$(date +%s)
outA=$(IBS_SRCTREE=$tree IBS_HZ=$hz IBS_ARCH=$arch "$S/setup/kernel-build.sh" "$variant") || exit 1
secs=$(( $(date +%s) - t0 ))
if [ ${#patches[@]} -eq 0 ]; then
	if [ "$secs" -gt 60 ]; then
		log "cold A: built in $secs s"
	else
		log "warm A: cached ($(cat "$outA/build-secs" 2>/dev/null || echo '?') s when it was built cold)"
	fi
	echo "$outA"
	exit 0
fi

psha=$(cat "${patches[@]}" | sha256sum | cut -c1-12)
outB=$IBS_CACHE/abtest-B-$(basename "$outA")-$psha
if [ -f "$outB/.done" ]; then
	log "B: cached $outB (built in $(cat "$outB/build-secs") s)"
	touch "$outB"
	echo "$outB"
	exit 0
fi

# Does the series apply?  git apply checks the patches as a series
# (each on top of the ones before) without touching the tree.
if ! err=$(cd "$tree" && git apply --check -v "${patches[@]}" 2>&1); then
	log "does not apply: $(echo "$err" | grep -m1 -E '^error: patch failed' || echo "$err" | grep -m1 '^error' || echo "$err" | tail -n1)"
	echo "$err" | grep -E '^(error|Checking|Hunk)' | head -n 20 | sed 's/^/build.sh:   /' >&2
	exit 3
fi
files=$(cd "$tree" && git apply --numstat "${patches[@]}" | cut -f3- | sort -u)
[ -n "$files" ] || { log "the patches touch no file"; exit 3; }
# Renames ("a => b", "{a => b}/c") would need both names: refuse them.
if echo "$files" | grep -q ' => '; then
	log "renames are not supported: $(echo "$files" | grep -m1 ' => ')"
	exit 3
fi

echo "$files" >"$journal"
# On any exit before B is done (an error, Ctrl-C): the tree restored, and
# no half-built B directory left behind.
outB_done=0
trap 'restore; [ "$outB_done" = 1 ] || rm -rf "$outB"' EXIT
while IFS= read -r p; do
	if [ -e "$tree/$p" ]; then
		cp "$tree/$p" "$tree/$p.ibs-copy"
		mv -f "$tree/$p.ibs-copy" "$tree/$p"
	fi
done <<<"$files"
(cd "$tree" && git apply "${patches[@]}") || { log "git apply failed after --check passed"; exit 1; }
# Fault injection for scripts/checks/abtest-tree.sh: die here, patched,
# with no trap run (as a power cut or a SIGKILL would).
if [ "${IBS_ABTEST_KILL_AT:-}" = patched ]; then
	log "IBS_ABTEST_KILL_AT=patched: killing myself with the tree patched"
	kill -KILL $$
fi

rm -rf "$outB"
cp -a "$outA" "$outB"
rm -f "$outB/.done"
t0=$(date +%s)
log "B: $(echo "$files" | wc -l) file(s) patched; building incrementally in $outB"
# --foreground: make stays in our process group, so that a Ctrl-C (SIGINT
# to the terminal's foreground group) stops it at once, and this script
# with it (its EXIT trap restores the tree).
rc=0
timeout --foreground --kill-after=30 3600 make -s -C "$tree" O="$outB" "${IBS_KMAKE[@]}" -j"$(nproc)" "$IBS_KTARGET" >"$outB/build.log" 2>&1 || rc=$?
case $rc in
0) ;;
130|143) log "B's build interrupted"; exit 130 ;;
124|137) log "B's build still running after 3600 s: stopped"; exit 1 ;;
esac
if [ "$rc" != 0 ]; then
	first=$(grep -m1 -E '(error|Error):' "$outB/build.log" || tail -n1 "$outB/build.log")
	log "does not build: ${first#"$tree"/}"
	grep -B2 -A6 -m3 -E 'error:' "$outB/build.log" | head -n 30 | sed 's/^/build.sh:   /' >&2 || true
	cp "$outB/build.log" "$IBS_CACHE/abtest-last-failed-build.log"
	rm -rf "$outB"
	exit 4
fi
echo "$(( $(date +%s) - t0 ))" >"$outB/build-secs"
printf '%s\n' "${patches[@]}" >"$outB/patches"
echo "$files" >"$outB/patched-files"
touch "$outB/.done"
outB_done=1
restore
trap - EXIT
pristine || { log "the working tree is not pristine after restoring it"; exit 1; }
log "B: built in $(cat "$outB/build-secs") s (incremental on A)"
# Keep the newest 24 B builds (make check's x86 and arm64 ones, and a
# user's few).
ls -1dt "$IBS_CACHE"/abtest-B-* 2>/dev/null | tail -n +25 | xargs -r rm -rf
echo "$outB"
