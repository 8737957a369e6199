#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# abtest.sh --patch FILE [--patch FILE]... [options]: does a kernel patch
# cure the regression, and is it still safe?  `make abtest PATCH=...`.
# A = Debian's linux-source as is, B = the same tree with the patches
# (scripts/abtest/build.sh); both with scripts/abtest/abtest.config
# (--arch arm64: abtest-arm64.config, cross-built).
#   --kernel K       Debian source the patch applies to (7.3, the only one)
#   --arch A         x86 (default: KVM on QEMU TCG's emulated AMD SVM) or
#                    arm64 (cross-built from the same source, KVM at EL2 in
#                    qemu-system-aarch64 -M virt,virtualization=on; timing
#                    only: there is no arm64 KASAN kernel, so --no-safety
#                    is implied and the report says so)
#   --hz N           CONFIG_HZ of A and B: 100, 250 (default), 300, 1000
#   --pairs N        A/B boot pairs, ABBA order (default 8; 8 is the least
#                    with which a permutation test of medians can reach
#                    p < 0.01)
#   --vcpus N        guest vCPUs of the exit experiment (default 2)
#   --safety-runs N  KASAN+lockdep+PROVE_RCU runs of B under --churn (2)
#   --churn S        seconds of churn per safety run (default 20)
#   --name NAME      report directory build/abtest/NAME (default: the
#                    first patch's file name without .patch)
#   --no-safety      timing only (the verdict then cannot be `breaks` from
#                    KASAN, and the report says so)
#   --boot-timeout S a timing boot still running after S s is hung: B's
#                    is `breaks` with the console's tail (default 180; a
#                    boot takes 6-10 s here)
#   --fail-boot-once BOOT  make timing boot BOOT (timing-A-3, timing-B-3)
#                    fail its first try (the guest script exits with a
#                    failure): the control of the retry rule below
#   --reuse-a NAME   take A's timing boots from build/abtest/NAME (same A
#                    kernel, HZ, vCPUs and pairs) and boot only B: make
#                    check shares A's boots across its test patches; the
#                    A/B boots are then not interleaved, and the report
#                    says so
# Order: build A and B, the safety runs (a patch that breaks is judged
# without timing it), then the timing boots, the statistics (iobus-stress
# compare --base A... --new B...) and the verdict (report.py).
# Exit codes (docs/abtest.md): 10 cures, 11 improves, 12 no-change,
# 13 regresses, 14 breaks; 15 does not apply, 16 does not build,
# 17 underpowered (too few pairs for the test); 1 error, 2 usage.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
S=$(cd "$here/.." && pwd)
R=$(cd "$S/.." && pwd)
log() { echo "abtest: $*" >&2; }
die() { log "$*"; exit 1; }
usage() { sed -n '2,/^set -uo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2; exit 2; }
patches=() kernel=7.3 arch=x86 hz=250 pairs=8 vcpus=2 safety_runs=2 churn=20 name='' safety=1 reuse_a='' boot_timeout=180 fail_once=''
num() {	# num FLAG VALUE MIN MAX
	[[ $2 =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
		{ log "$1 $2: a decimal number $3..$4"; exit 2; }
}
while [ $# -gt 0 ]; do
	case $1 in
	--patch) [ $# -ge 2 ] || usage; patches+=("$2"); shift 2 ;;
	--kernel) kernel=${2:?}; shift 2 ;;
	--arch) arch=${2:?}; shift 2 ;;
	--hz) hz=${2:?}; shift 2 ;;
	--pairs) num --pairs "${2:-}" 1 100; pairs=$2; shift 2 ;;
	--vcpus) num --vcpus "${2:-}" 1 8; vcpus=$2; shift 2 ;;
	--safety-runs) num --safety-runs "${2:-}" 1 100; safety_runs=$2; shift 2 ;;
	--churn) num --churn "${2:-}" 1 3600; churn=$2; shift 2 ;;
	--name) name=${2:?}; shift 2 ;;
	--no-safety) safety=0; shift ;;
	--reuse-a) reuse_a=${2:?}; shift 2 ;;
	--fail-boot-once)
		[[ ${2:-} =~ ^timing-[AB]-[0-9]+$ ]] || { log "--fail-boot-once ${2:-}: timing-A-N or timing-B-N"; exit 2; }
		fail_once=$2; shift 2 ;;
	--boot-timeout) num --boot-timeout "${2:-}" 10 3600; boot_timeout=$2; shift 2 ;;
	-h|--help) usage ;;
	*) log "unknown argument '$1'"; exit 2 ;;
	esac
done
[ ${#patches[@]} -gt 0 ] || { log "no patch: make abtest PATCH=FILE [PATCH=\"FILE FILE\"]"; exit 2; }
for p in "${patches[@]}"; do
	case $p in --*) log "--patch needs a file, not '$p'"; exit 2 ;; esac
	[ -f "$p" ] && [ -r "$p" ] || { log "PATCH $p: no such readable file"; exit 2; }
	[ -s "$p" ] || { log "PATCH $p: empty file"; exit 2; }
	grep -q '^+++ ' "$p" || { log "PATCH $p: no diff in it (not a patch?)"; exit 2; }
done
[ "$kernel" = 7.3 ] || { log "KERNEL=$kernel: only 7.3 (Debian's linux-source-7.3, the first with the change) is fetched"; exit 2; }
case $hz in 100|250|300|1000) ;; *) log "HZ=$hz: 100, 250, 300 or 1000"; exit 2 ;; esac
case $arch in x86|x86_64) arch=x86 ;; arm64|aarch64) arch=arm64 ;; *) log "ARCH=$arch: x86 or arm64"; exit 2 ;; esac
. "$S/setup/cache.sh"
ibs_karch "$arch"
vmarch=()
if [ "$arch" = arm64 ]; then
	vmarch=(--arch arm64)
	if [ "$safety" = 1 ]; then
		log "arm64: timing only (no arm64 KASAN+lockdep kernel is built): the verdict cannot be breaks through KASAN"
		safety=0
	fi
fi
[ -n "$name" ] || { name=$(basename "${patches[0]}"); name=${name%.patch}; name=${name%.mbox}; }
case $name in */*|.*|'') log "--name $name: a plain name"; exit 2 ;; esac
if [ -n "$reuse_a" ]; then
	case $reuse_a in */*|.*) log "--reuse-a $reuse_a: a plain name"; exit 2 ;; esac
	[ "$reuse_a" != "$name" ] || { log "--reuse-a $reuse_a: not this run's own name"; exit 2; }
	ra=$R/build/abtest/$reuse_a
	[ -f "$ra/meta.env" ] || { log "--reuse-a $reuse_a: no $ra/meta.env"; exit 2; }
fi
out=$R/build/abtest/$name
rm -rf "$out"
mkdir -p "$out/A" "$out/B" "$out/logs" "$out/safety" || die "cannot create $out"
"$S/setup/deps.sh" || exit 1
drv=$R/userspace/iobus-stress		# the host's: compare, report
make -s -C "$R/userspace" iobus-stress >/dev/null || die "cannot build the driver"
gdrv=$drv				# the guest's
if [ "$arch" = arm64 ]; then
	"$S/setup/deps.sh" --arm64 || exit 1
	make -s -C "$R/userspace" ARCH=arm64 >/dev/null || die "cannot cross-build the arm64 driver"
	gdrv=$R/userspace/arm64/iobus-stress
fi
meta=$out/meta.env
{
	echo "name=$name"
	echo "kernel=$kernel"
	echo "arch=$arch"
	echo "hz=$hz"
	echo "pairs=$pairs"
	echo "vcpus=$vcpus"
	echo "safety=$safety"
	echo "safety_runs=$safety_runs"
	echo "churn=$churn"
	echo "compiler=$("$IBS_KCC" --version | head -n1)"
	echo "patches=${patches[*]}"
	echo "patch_sha256=$(cat "${patches[@]}" | sha256sum | cut -d' ' -f1)"
	echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
} >"$meta"
verdict() {	# verdict CODE WORD LINE: a verdict without report.py
	echo "verdict=$2" >>"$meta"
	echo "verdict_line=$3" >>"$meta"
	python3 "$here/report.py" --dir "$out" --early "$2" "$3" || true
	echo "abtest: $name: $2: $3"
	exit "$1"
}

# Ctrl-C or a kill: no verdict.  build.sh restores its tree itself (its
# EXIT trap; a journal makes the next run rebuild the tree if even that
# was cut short), and report.json is not written.
interrupted() {
	trap - INT TERM
	echo "interrupted=1" >>"$meta"
	rm -f "$out/report.json" "$out/report.md"
	log "$name: interrupted: no verdict (nothing of the patch is left in the cached tree)"
	exit 130
}
trap interrupted INT TERM

# ---- build
build() {	# build OUTVAR LOG ARGS...: build.sh, its stderr to LOG and ours
	local var=$1 blog=$2 rc d
	shift 2
	d=$("$here/build.sh" "$@" 2> >(tee "$blog" >&2))
	rc=$?
	wait
	printf -v "$var" %s "$d"
	return $rc
}
t0=$(date +%s)
build A "$out/logs/build-A.log" --arch "$arch" --hz "$hz"
case $? in
0) ;;
130) interrupted ;;
*) die "building A failed (see $out/logs/build-A.log)" ;;
esac
echo "build_a=$(grep -o '\(cold\|warm\) A: .*' "$out/logs/build-A.log" | head -n1)" >>"$meta"
echo "build_a_secs=$(cat "$A/build-secs")" >>"$meta"
echo "config_a=$A/.config" >>"$meta"
build B "$out/logs/build-B.log" --arch "$arch" --hz "$hz" "${patches[@]}"
rc=$?
case $rc in
0) ;;
3) verdict 15 does-not-apply "$(grep -m1 'does not apply' "$out/logs/build-B.log" | sed 's/^build.sh: does not apply: //')" ;;
4) verdict 16 does-not-build "$(grep -m1 'does not build' "$out/logs/build-B.log" | sed 's/^build.sh: does not build: //')" ;;
130) interrupted ;;
*) die "building B failed (see $out/logs/build-B.log)" ;;
esac
echo "build_b=$(grep -o 'B: \(built\|cached\) .*' "$out/logs/build-B.log" | head -n1)" >>"$meta"
echo "build_b_secs=$(cat "$B/build-secs")" >>"$meta"
cp "$A/.config" "$out/config"
if [ -n "$reuse_a" ]; then
	for k in arch hz vcpus pairs config_a; do
		got=$(sed -n "s/^$k=//p" "$ra/meta.env" | tail -n1)
		want=${!k-}
		[ "$k" = config_a ] && want=$A/.config
		[ "$got" = "$want" ] || { log "--reuse-a $reuse_a: its $k is '$got', this run's '$want'"; exit 2; }
	done
	na=$(find "$ra/A" -name '*.json' | wc -l)
	if [ "$na" = "$pairs" ]; then
		cp "$ra"/A/*.json "$out/A/"
		echo "reuse_a=$reuse_a" >>"$meta"
		log "A's $pairs timing boots reused from $ra (not interleaved with B's)"
	else
		# That run stopped early (its B broke, or it was cut short):
		# this run is not made to fail for it; A is booted here.
		log "--reuse-a $reuse_a: $na A boots there, not $pairs: booting A here (ABBA)"
		echo "reuse_a_refused=$na of $pairs A boots in $reuse_a" >>"$meta"
		reuse_a=
	fi
fi
log "A $A"
log "B $B ($(( $(date +%s) - t0 )) s for both)"

# ---- one boot: vm KERNEL NAME APPEND...: run-vm with the abtest guest.
# A boot that dies with a panic naming neither KVM's bus nor ioeventfd
# (QEMU TCG's own crashes at boot, make check's retry rule) is retried
# once, loudly.
# A guest that hangs is stopped at TIMEOUT s (run-vm's --timeout).
vm() {	# vm KERNEL NAME TIMEOUT APPEND...
	local img=$1 vname=$2 tmo=$3 rc
	shift 3
	local args=("${vmarch[@]}" --kernel "$img" --test "$here/guest-abtest.sh" --name "$vname"
		    --logdir "$out/logs" --cpu max --smp 2 --mem 1024 --quiet
		    --timeout "$tmo" --append "ABTEST_VCPUS=$vcpus")
	local a
	for a in "$@"; do args+=(--append "$a"); done
	"$S/vm/run-vm.sh" "${args[@]}" -- "$S/checks/guest/lib.sh" "$gdrv" >"$out/logs/$vname.verdict"
	rc=$?
	if [ $rc -ne 0 ] && grep -q 'Kernel panic' "$out/logs/$vname.log" &&
	   ! grep -Eq 'kvm_io_bus|ioeventfd|KASAN' "$out/logs/$vname.log"; then
		log "$vname: the guest kernel panicked outside KVM's bus; retrying once"
		cp "$out/logs/$vname.log" "$out/logs/$vname.first-try.log"
		"$S/vm/run-vm.sh" "${args[@]}" -- "$S/checks/guest/lib.sh" "$gdrv" >"$out/logs/$vname.verdict"
		rc=$?
	fi
	return $rc
}

# ---- safety: the patched debug kernel under churn
if [ "$safety" = 1 ]; then
	build KB "$out/logs/build-kasan-B.log" --variant kasan "${patches[@]}"
	rc=$?
	case $rc in
	0) ;;
	4) verdict 16 does-not-build "on the debug kernel: $(grep -m1 'does not build' "$out/logs/build-kasan-B.log" | sed 's/^build.sh: does not build: //')" ;;
	130) interrupted ;;
	*) die "building the KASAN kernel with the patch failed (see $out/logs/build-kasan-B.log)" ;;
	esac
	echo "build_kasan_b=$(grep -o 'B: \(built\|cached\) .*' "$out/logs/build-kasan-B.log" | head -n1)" >>"$meta"
	caught=0
	for i in $(seq 1 "$safety_runs"); do
		s0=$(date +%s)
		if vm "$KB/arch/x86/boot/bzImage" "safety-$i" $((churn + 300)) "ABTEST_CHURN=$churn"; then
			res=clean
		else
			res=caught
			caught=$((caught + 1))
		fi
		why=$(sed -n '2p' "$out/logs/safety-$i.verdict" | sed 's/^ *//')
		# The first splat names what broke (a KASAN report, lockdep, an
		# Oops), or the driver's own FAIL line (stale, a failed ioctl).
		splat=$(tr -d '\r' <"$out/logs/safety-$i.log" |
			grep -m1 -E 'BUG: |WARNING: |Oops|Kernel panic|iobus-stress kvm: FAIL' |
			sed 's/^\[ *[0-9.]*\] //')
		[ "$res" = caught ] && [ -n "$splat" ] && why=$splat
		echo "$i $res $(( $(date +%s) - s0 )) $why" >>"$out/safety/runs"
		log "[safety $i/$safety_runs] KASAN B, churn ${churn} s: $res${why:+ ($why)} ($(( $(date +%s) - s0 )) s)"
	done
	echo "safety_caught=$caught" >>"$meta"
	if [ "$caught" -gt 0 ]; then
		verdict 14 breaks "$caught of $safety_runs KASAN+lockdep runs of B under churn failed: $(awk '$2 == "caught" { $1 = $2 = $3 = ""; print; exit }' "$out/safety/runs" | sed 's/^ *//')"
	fi
fi

# ---- a failed timing boot is retried once, loudly, on either side, unless
# it failed for what the patch may have broken: a splat (BUG, WARNING,
# Oops) or the driver's FAIL line naming a stale bus, KVM's bus or
# ioeventfd, or a hang (the guest still running at --boot-timeout).  The
# harness's own flakes under QEMU TCG are what is retried: CI saw one B
# boot of 8 fail under the cure patch (2026-12-06) where A's 8 and every
# earlier run of the same patch passed.  A retried boot is named in the
# report and in the verdict line; a second failure decides as before.
retry_boot() {	# retry_boot KERNEL NAME SIDE: 0 if the retry passed
	local img=$1 vname=$2 side=$3 why
	why=$(sed -n '2p' "$out/logs/$vname.verdict" | sed 's/^ *//')
	if grep -q '^ *timeout after' "$out/logs/$vname.verdict" ||
	   tr -d '\r' <"$out/logs/$vname.log" |
	   grep -E 'BUG: |WARNING: |Oops|iobus-stress kvm: FAIL' |
	   grep -Eq 'kvm_io_bus|ioeventfd|kvm_|srcu|stale'; then
		return 1
	fi
	log "$vname: failed ($why); not a splat in KVM's bus, not a hang: retrying once"
	cp "$out/logs/$vname.log" "$out/logs/$vname.failed.log"
	vm "$img" "$vname" "$boot_timeout" || return 1
	echo "retried=$side $vname: ${why:-failed}" >>"$meta"
	log "$vname: passed on its retry (the failure is named in the report)"
}

# ---- timing: ABBA.  A boot here takes 6-10 s; a guest still running
# after $boot_timeout s (--boot-timeout) is hung.
tail_console() { tr -d '\r' <"$1" | grep -v '^\s*$' | grep -v '^iobus-harness:' | tail -n 5; }
total=$((2 * pairs)) n=0 tstart=$(date +%s)
[ -n "$reuse_a" ] && total=$pairs
for i in $(seq 1 "$pairs"); do
	if [ $((i % 2)) = 1 ]; then order="A B"; else order="B A"; fi
	[ -n "$reuse_a" ] && order=B
	for side in $order; do
		n=$((n + 1))
		img=$A/$IBS_KIMAGE
		[ "$side" = B ] && img=$B/$IBS_KIMAGE
		b0=$(date +%s)
		vname=timing-$side-$i
		inject=()
		[ "$vname" = "$fail_once" ] && inject=(ABTEST_FAIL=1) && log "$vname: its first try made to fail (--fail-boot-once)"
		if ! vm "$img" "$vname" "$boot_timeout" "${inject[@]}" && ! retry_boot "$img" "$vname" "$side"; then
			why=$(sed -n '2p' "$out/logs/$vname.verdict" | sed 's/^ *//')
			if [ "$side" = B ]; then
				log "B's console, last lines:"
				tail_console "$out/logs/$vname.log" | sed 's/^/abtest:   /' >&2
				verdict 14 breaks "B's timing boot $i failed: $why (A's did not); console: $(tail_console "$out/logs/$vname.log" | tail -n1); log $out/logs/$vname.log"
			fi
			die "A's timing boot $i failed (unpatched Debian source: not a verdict on the patch): $why; log $out/logs/$vname.log"
		fi
		sed -n "/^----- BEGIN FILE kvm.json/,/^----- END FILE kvm.json/p" "$out/logs/$vname.log" |
			sed '1d;$d' | tr -d '\r' >"$out/$side/$i.json"
		[ -s "$out/$side/$i.json" ] || die "no kvm.json in $out/logs/$vname.log"
		el=$(( $(date +%s) - tstart ))
		log "[$n/$total] $side pair $i: $(python3 "$here/report.py" --brief "$out/$side/$i.json") ($(( $(date +%s) - b0 )) s; $(( el * (total - n) / n )) s left)"
	done
done

# ---- statistics and verdict
cargs=()
for f in "$out"/A/*.json; do cargs+=(--base "$f"); done
for f in "$out"/B/*.json; do cargs+=(--new "$f"); done
"$drv" compare "${cargs[@]}" --json "$out/compare.json" >"$out/compare.txt" 2>"$out/compare.err"
crc=$?
case $crc in 0|1) ;; *) cat "$out/compare.err" >&2; die "iobus-stress compare exited $crc" ;; esac
python3 "$here/report.py" --dir "$out"
exit $?
