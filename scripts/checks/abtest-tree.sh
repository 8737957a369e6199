#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# abtest-tree.sh: make abtest never leaves its cached tree patched.  An
# interrupted run (SIGKILL with the patch applied: no trap runs), a
# failed one (a patch that does not build) and a Ctrl-C during B's build
# must each leave the next run's A byte-identical to Debian's source.  The oracle is Debian's tarball
# itself (tar -xO of each file the patches touch), not the build script's
# own bookkeeping.  Needs A built (scripts/abtest/build.sh); B's builds of
# the two patches below are incremental.
set -uo pipefail
S=$(cd "$(dirname "$0")/.." && pwd)
. "$S/setup/cache.sh"
fail() { echo "FAIL: $*"; exit 1; }
src=$("$S/setup/kernel-build.sh" --source) || fail "no source tree"
pkgver=$(basename "$src"); pkgver=${pkgver#src-}
tree=$IBS_CACHE/abtree-$pkgver
tarball=$("$S/setup/fetch-kernel.sh" source-7.3)/root/usr/src/linux-source-7.3.tar.xz
f=virt/kvm/kvm_main.c
want=$(tar -xOf "$tarball" "linux-source-7.3/$f" | sha256sum | cut -d' ' -f1)
[ -n "$want" ] || fail "cannot read $f from $tarball"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# same_as_debian WHERE: the tree's file, and the unpacked one, are Debian's.
same_as_debian() {
	local got
	for d in "$tree" "$src"; do
		got=$(sha256sum "$d/$f" | cut -d' ' -f1)
		[ "$got" = "$want" ] || fail "$1: $d/$f is not Debian's ($got, tarball $want)"
	done
	[ -z "$(find "$src" -type f -newer "$src/.unpacked" -print -quit)" ] ||
		fail "$1: a file of the unpacked source changed"
	echo "ok: $1: $f in the working tree and the unpacked source is Debian's (sha256 ${want:0:12})"
}
# A patch nobody else uses (its own B cache key), and one that breaks the build.
sed 's/Find the first range that sorts after the new one./abtest-tree.sh: interrupted run/' \
	"$S/abtest/patches/no-change-comment.patch" >"$tmp/kill.patch"
grep -q 'abtest-tree.sh' "$tmp/kill.patch" || fail "cannot make the test patch"
sed 's|^+\t/\* Find the first range that sorts after the new one. \*/|+\tthis does not compile;|' \
	"$S/abtest/patches/no-change-comment.patch" >"$tmp/broken.patch"
grep -q 'this does not compile' "$tmp/broken.patch" || fail "cannot make the broken patch"

# 1. killed with the patch applied
IBS_ABTEST_KILL_AT=patched "$S/abtest/build.sh" "$tmp/kill.patch" >/dev/null 2>"$tmp/kill.err"
rc=$?
[ $rc = 137 ] || fail "the killed build exited $rc, not 137 (SIGKILL): $(tail -n2 "$tmp/kill.err")"
# the control: the kill really left the working tree patched
grep -q 'abtest-tree.sh: interrupted run' "$tree/$f" ||
	fail "the kill did not leave the working tree patched: the test proves nothing"
[ -e "$tree/.ibs-patching" ] || fail "no journal after the kill"
echo "ok: killed with the working tree patched (control: the patch is in $tree/$f)"
"$S/abtest/build.sh" >/dev/null 2>"$tmp/next.err" || fail "the next A build failed: $(tail -n3 "$tmp/next.err")"
grep -q 'interrupted' "$tmp/next.err" || fail "the next run did not notice the interruption"
same_as_debian "after an interrupted run"

# 2. a patch that does not build: exit 4, the first error named
"$S/abtest/build.sh" "$tmp/broken.patch" >/dev/null 2>"$tmp/broken.err"
rc=$?
[ $rc = 4 ] || fail "the broken patch's build exited $rc, not 4: $(tail -n3 "$tmp/broken.err")"
grep -q 'does not build: .*kvm_main.c:[0-9]*:[0-9]*: error' "$tmp/broken.err" ||
	fail "no first compiler error in: $(grep 'does not build' "$tmp/broken.err")"
echo "ok: $(grep -m1 'does not build' "$tmp/broken.err")"
same_as_debian "after a failed build"
"$S/abtest/build.sh" >/dev/null 2>"$tmp/next.err" || fail "A after a failed build: $(tail -n3 "$tmp/next.err")"
grep -q 'warm A' "$tmp/next.err" || fail "A was rebuilt after a failed B build: $(cat "$tmp/next.err")"
echo "ok: A still cached after the failed B build"

# 3. Ctrl-C during B's build (SIGINT to the whole process group, as a
# terminal sends it): exit 130, one "no verdict" line, no report, and the
# tree restored by this run itself (no journal left for the next one).
# A comment unique to this run: its B is never cached.
sed "s/Find the first range that sorts after the new one./abtest-tree.sh: ctrl-c $(date +%s%N)/" \
	"$S/abtest/patches/no-change-comment.patch" >"$tmp/int.patch"
R=$(cd "$S/.." && pwd)
# setsid: its own process group, as a terminal's foreground job; SIGINT
# back to the default disposition (a background job of a script starts
# with it ignored, and bash cannot trap a signal ignored at entry).
setsid python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.execv(sys.argv[1], sys.argv[1:])' "$S/abtest/abtest.sh" --no-safety --name check-tree-ctrl-c \
	--patch "$tmp/int.patch" >"$tmp/int.out" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
	grep -q 'building incrementally' "$tmp/int.out" && break
	kill -0 $pid 2>/dev/null || break
	sleep 1
done
grep -q 'building incrementally' "$tmp/int.out" || { kill -- -$pid 2>/dev/null; fail "B's build never started: $(tail -n3 "$tmp/int.out")"; }
grep -q 'abtest-tree.sh: ctrl-c' "$tree/$f" ||
	fail "the tree is not patched during B's build: the Ctrl-C test proves nothing"
sleep 3
t0=$SECONDS
kill -INT -- -$pid
wait $pid
rc=$?
# make is stopped by the signal, not left to finish B (25-30 s here)
[ $((SECONDS - t0)) -le 10 ] || fail "Ctrl-C took $((SECONDS - t0)) s to stop the run (was B's build left running?)"
ls -d "$IBS_CACHE"/abtest-B-* 2>/dev/null | while read -r d; do
	[ -f "$d/.done" ] || echo "$d"
done | grep -q . && fail "Ctrl-C left a half-built B directory in $IBS_CACHE"
[ $rc = 130 ] || fail "Ctrl-C: abtest.sh exited $rc, not 130: $(tail -n3 "$tmp/int.out")"
grep -q 'interrupted: no verdict' "$tmp/int.out" || fail "Ctrl-C: no 'interrupted: no verdict' line"
[ ! -e "$R/build/abtest/check-tree-ctrl-c/report.json" ] || fail "Ctrl-C: a report.json was written"
[ ! -e "$tree/.ibs-patching" ] || fail "Ctrl-C: the run left its journal (the tree was not restored by the run itself)"
echo "ok: Ctrl-C: exit 130, $(grep -m1 'interrupted: no verdict' "$tmp/int.out")"
same_as_debian "after Ctrl-C"
echo "PASS"
