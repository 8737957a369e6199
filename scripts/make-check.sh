#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make-check.sh: every test of iobus-stress (README's test command, `make
# check`; docs/testing.md lists what each asserts).  Phase 1 builds everything (the three stock kernels' modules,
# each with its own headers and compiler, the 7.3 debug kernel, the driver)
# and runs the host tests; phase 2 runs the VMs, so that no timing run
# overlaps a build.  Ends with "N passed, N failed, N skipped".
#   CHECK_ONLY=REGEX     run only the tests whose name matches
#   CHECK_KERNELS="..."  stock kernels to run on (default "7.3 6.12 6.1")
# A test that exits 77 is skipped (a timing assertion on a loaded host, or
# a precondition this machine lacks); the reason is its last output line.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
S=$top/scripts
logs=$top/build/logs
mkdir -p "$logs"
pass=0 failed=0 skipped=0 failures=() skips=() retries=()
only=${CHECK_ONLY:-.}
kernels=${CHECK_KERNELS:-7.3 6.12 6.1}
check_start=$SECONDS

selected() { echo "$1" | grep -Eq "$only"; }
t() {	# t NAME CMD...
	local name=$1 rc
	shift
	selected "$name" || return 0
	echo "=== $name"
	local start=$SECONDS
	"$@" >"$logs/$name.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		pass=$((pass + 1))
		echo "ok $name ($((SECONDS - start))s)"
	elif [ "$rc" -eq 77 ]; then
		skipped=$((skipped + 1))
		skips+=("$name")
		echo "skip $name ($((SECONDS - start))s): $(tail -n1 "$logs/$name.out")"
	else
		failed=$((failed + 1))
		failures+=("$name")
		echo "not ok $name ($((SECONDS - start))s)"
		tail -n 30 "$logs/$name.out" | sed 's/^/    /'
	fi
	# Show the lines a reader wants even on success.
	grep -E "^(PASS|FAIL) |^retry: |^  |clocksource=|End of test|^(not )?ok [0-9]|^ok: |^skip: |^\| " \
		"$logs/$name.out" | grep -v "^    " | head -n 60 | sed 's/^/  | /'
}

# extract FILE LOG DIR: FILE from LOG's "----- BEGIN FILE" block (a file
# the guest dumped between markers) into DIR.
# Each VM test that extracts removes its files first, so that when it
# fails its readers (the diagnosis, the regression, the gates) cannot pass
# on an earlier make check's files (an idle-host run of timing-load.sh did:
# stock-6.1-kvm hung and stock-6.1-kvm-diagnosis passed on run 1's JSON).
extract() {
	mkdir -p "$3"
	sed -n "/^----- BEGIN FILE $1/,/^----- END FILE $1/p" "$2" |
		sed '1d;$d' | tr -d '\r' > "$3/$1"
	[ -s "$3/$1" ] || { echo "no $1 in $2"; return 1; }
}

# host_loaded NAME: prints VM run NAME's host-load verdict; true when the
# host was loaded.  For checks that assert ratios measured inside one VM
# always and skip only their absolute bounds on a loaded host.
host_loaded() {
	local h
	h=$(cat "$logs/$1.host" 2>/dev/null) || { echo "no host-load record for $1"; return 1; }
	echo "host during $1: $h"
	case $h in host_load=idle*) return 1 ;; esac
	return 0
}
# timing_ok NAME: exit 77 (skip) unless VM run NAME measured on a quiet host
# with a real clocksource (scripts/vm/host-load.py wrote $logs/NAME.host).
timing_ok() {
	local h
	h=$(cat "$logs/$1.host" 2>/dev/null) || { echo "no host-load record for $1"; return 1; }
	echo "host during $1: $h"
	case $h in
	host_load=idle*) return 0 ;;
	*) echo "skip: timing of $1 not asserted: the host was loaded (${h##*reason=})"; return 77 ;;
	esac
}

"$S/setup/deps.sh" --check || exit 1

# ================= phase 1: builds and host tests =================
declare -A img kdir kpkg ko
for k in $kernels; do
	read -r img[$k] kdir[$k] kpkg[$k] < <("$S/setup/stock-kernel.sh" "$k") ||
		{ echo "cannot fetch Debian's $k kernel"; exit 1; }
	ko[$k]=build/stock-$k/module/iobus_stress.ko
done
t userspace-unit make -s -C userspace check
t userspace-build make -s -C userspace iobus-stress
drv=userspace/iobus-stress
t console-checker-unit "$S/checks/check-console-test.sh"
# kselftest's skips: no /dev/kvm, an unusable one, no debugfs, not root, no
# module: "1..0 # SKIP" and exit 4 under --tap, each its own code without.
t skip-conventions "$S/checks/skip-conventions.sh" "$drv"
# host-kvm.sh's own logic behind a stand-in /dev/kvm (recorded results):
# it must pass on them and fail when 7.3 is diagnosed absent.
t host-kvm-selftest "$S/checks/host-kvm-test.sh"
t host-load-selftest "$S/checks/host-load-test.sh"
t outcomes-checker-unit "$S/checks/check-outcomes-test.py"
# the timing checks' loaded rules on samples recorded under load
t timing-checks-unit "$S/checks/timing-checks-test.py"
src=$("$S/setup/kernel-build.sh" --source) || exit 1
t checkpatch-module perl "$src/scripts/checkpatch.pl" --no-tree --strict \
	-q -f $(git ls-files 'module/*.c' 'module/*.h')
for k in $kernels; do
	t "module-build-$k" "$S/setup/build-module.sh" "${kdir[$k]}" "build/stock-$k" W=1 C=1
done
t compat-detect "$S/checks/compat-detect.sh"
# docs/interface.md's key table is module/keys.h's (generated, checked here).
t keys-table "$S/checks/keys-table.py" module/keys.h docs/interface.md
# make install and make dkms as a host runs them, against the headers of a
# kernel built with this host's compiler (Debian 12's gcc-12: 6.1, 6.12).
ksft_kdir=
for k in 6.1 6.12; do
	[ -n "${kdir[$k]:-}" ] || continue
	t install-dkms "$S/checks/install-test.sh" "${kdir[$k]}"
	ksft_kdir=${kdir[$k]}
	break
done
# make kselftest-install (docs/kselftest.md): the collection's layout; its
# run_kselftest.sh where there is no /dev/kvm, debugfs or module (every test
# a kselftest skip, exit 4, "ok N ... # SKIP reason"); a failing, a
# misused and a hung stand-in driver "not ok"; runners broken on purpose
# caught; the kernel's own run_kselftest.sh ($src's) on the collection; with
# install-dkms's headers, the module installed beside the driver.
t kselftest-install "$S/checks/kselftest-test.sh" "$src" $ksft_kdir
# The debug kernels (KASAN+lockdep; KCSAN for issue 14) and the module for
# each: built when a selected test needs them, found in the cache otherwise.
# The KASAN kernel is make abtest's A of the KASAN safety run (built from
# its working tree, scripts/abtest/build.sh), so that one build serves both.
debug_kernel_dir() {	# VARIANT
	if [ "$1" = kasan ]; then
		"$S/abtest/build.sh" --variant kasan
	else
		"$S/setup/kernel-build.sh" "$1"
	fi
}
variant_kernel() {	# VARIANT VAR OUT: build it, set $VAR, build the module
	local d
	d=$(debug_kernel_dir "$1") || return 1
	printf -v "$2" %s "$d"
	echo "$1 kernel: $d"
	"$S/setup/build-module.sh" "$d" "$3" W=1 C=1
}
phase1_kernel() {	# TEST WORD VARIANT VAR OUT (WORD: in the tests that need it)
	local test=$1 word=$2
	if selected "$test" || { [ "$only" != . ] && grep -q "$word" <<<"$only"; }; then
		t "$test" variant_kernel "$3" "$4" "$5"
		[ -n "${!4}" ] || printf -v "$4" %s "$(debug_kernel_dir "$3" 2>/dev/null)"
	fi
}
dbg= kcsan=
phase1_kernel debug-kernel-build debug kasan dbg build/debug
phase1_kernel kcsan-kernel-build kcsan kcsan kcsan build/kcsan
# make abtest (docs/abtest.md): its verdict rules, the cached tree never
# left patched, and the kernels of phase 2's test patches (A at HZ=250; B
# of each patch, incremental on A; KASAN B of the two with a safety run;
# arm64's A and its B of the cure, cross-built from the same tree).
P=$S/abtest/patches
abtest_kernels() {
	local p d
	d=$("$S/abtest/build.sh" --hz 250 2>&1 >/dev/null) || { echo "$d"; return 1; }
	echo "  A (HZ=250): $(grep -m1 '\(cold\|warm\) A: ' <<<"$d" | sed 's/^build.sh: //')"
	for p in cures-sync-register regresses-delay-create-vcpu no-change-comment \
		 breaks-free-without-gp hangs-assign-ioeventfd; do
		d=$("$S/abtest/build.sh" --hz 250 "$P/$p.patch" 2>&1 >/dev/null) || { echo "$d"; return 1; }
		echo "  B $p: $(grep 'B: \(built\|cached\)' <<<"$d" | sed 's/^build.sh: B: //')"
	done
	for p in no-change-comment breaks-free-without-gp; do
		d=$("$S/abtest/build.sh" --variant kasan "$P/$p.patch" 2>&1 >/dev/null) || { echo "$d"; return 1; }
		echo "  KASAN B $p: $(grep 'B: \(built\|cached\)' <<<"$d" | sed 's/^build.sh: B: //')"
	done
	d=$("$S/abtest/build.sh" --arch arm64 --hz 250 2>&1 >/dev/null) || { echo "$d"; return 1; }
	echo "  arm64 A (HZ=250): $(grep -m1 '\(cold\|warm\) A: ' <<<"$d" | sed 's/^build.sh: //')"
	d=$("$S/abtest/build.sh" --arch arm64 --hz 250 "$P/cures-sync-register.patch" 2>&1 >/dev/null) ||
		{ echo "$d"; return 1; }
	echo "  arm64 B cures-sync-register: $(grep 'B: \(built\|cached\)' <<<"$d" | sed 's/^build.sh: B: //')"
}
t abtest-report-unit "$S/checks/abtest-report-test.py"
t abtest-kernels abtest_kernels
t abtest-tree "$S/checks/abtest-tree.sh"
echo "phase 1 (builds) took $((SECONDS - check_start)) s"

# ================= phase 2: VM runs, and this host's own KVM =================
# `iobus-stress kvm` natively on this machine's /dev/kvm (no QEMU), as the
# host is and with every CPU spinning beside it; a skip with the reason
# where there is no usable /dev/kvm.
t host-kvm "$S/checks/host-kvm.sh" "$drv" "$logs/host-kvm"

vm_once() {	# vm_once NAME KERNEL TEST [run-vm options] -- FILES
	local name=$1 kernel=$2 test=$3
	shift 3
	"$S/vm/run-vm.sh" --quiet --kernel "$kernel" --test "$S/checks/guest/$test" \
		--name "$name" --logdir "$logs" "$@" "$S/checks/guest/lib.sh"
}
# vm: vm_once, and once more, loudly, when the guest kernel panicked with a
# splat that names neither iobus_stress nor the kvm_io_bus code: live text
# patching under QEMU TCG crashed Debian's kernels outside our code, e.g.
# 6.12 with "Oops: int3" while creating VMs, and 7.3 in
# set_next_task_fair at 1 s of boot, before any test ran (2026-12-04).  The
# first console is kept as NAME.crash.log and make check lists the retry.
vm() {
	local name=$1 splat
	vm_once "$@" && return 0
	grep -q 'Kernel panic' "$logs/$name.log" || return 1
	splat=$(sed -n '/Oops\|BUG:\|Kernel panic\|WARNING:/,$p' "$logs/$name.log")
	if grep -q 'iobus_stress\|kvm_io_bus\|ioeventfd' <<<"$splat"; then
		return 1
	fi
	cp "$logs/$name.log" "$logs/$name.crash.log"
	echo "retry: $name: the guest kernel crashed outside iobus_stress and kvm_io_bus ($(head -n 1 <<<"$splat" | tr -d '\r')); console kept in $logs/$name.crash.log; running it once more"
	retries+=("$name")
	vm_once "$@"
}

# ---- the harness checks itself: a WARN fails a run, an absent expected
# splat fails a run, an expected one passes.
k0=${kernels%% *}
harness_selftest() {
	local w=build/warn
	"$S/setup/build-module.sh" --src "$S/checks/harness" "${kdir[$k0]}" $w >/dev/null ||
		{ echo "cannot build the WARN module"; return 1; }
	if vm harness-warn "${img[$k0]}" warn.sh -- $w/warn_on.ko; then
		echo "FAIL: a run with WARN_ON(1) passed"; return 1
	fi
	echo "ok: a WARN_ON(1) fails a normal run"
	vm harness-warn-expected "${img[$k0]}" warn.sh \
		--expect 'WARNING: .*warn_on' -- $w/warn_on.ko ||
		{ echo "FAIL: expected WARN not accepted"; return 1; }
	echo "ok: an expected WARN passes"
	if vm harness-expect-absent "${img[$k0]}" smoke.sh \
		--expect 'BUG: KASAN' -- "${ko[$k0]}" "$drv"; then
		echo "FAIL: a missing expected splat passed"; return 1
	fi
	echo "ok: a missing expected splat fails"
	local out
	if out=$(vm harness-clocksource-switch "${img[$k0]}" clocksource-switch.sh --); then
		echo "$out"; echo "FAIL: a run whose clocksource changed passed"; return 1
	fi
	echo "$out"
	grep -q "clocksource changed during the run: hpet -> acpi_pm" <<<"$out" ||
		{ echo "FAIL: the clocksource-switch run failed for another reason"; return 1; }
	echo "ok: a clocksource switch during a run fails it"
}
t harness-selftest harness_selftest

# ---- stock Debian kernels: correctness, and the latency figures
stock_matrix() {	# KERNEL
	local k=$1
	rm -f "$logs/$k"/matrix.{json,svg}	# no earlier run's files for its readers
	vm "stock-$k-matrix" "${img[$k]}" matrix.sh --timeout 900 -- "${ko[$k]}" "$drv" &&
	extract matrix.json "$logs/stock-$k-matrix.log" "$logs/$k" &&
	extract matrix.svg "$logs/stock-$k-matrix.log" "$logs/$k"
}
stock_boot() {	# KERNEL
	local k=$1
	rm -f "$logs/$k"/boot{.svg,.json,-early0.json}
	vm "stock-$k-boot" "${img[$k]}" boot.sh --timeout 900 -- "${ko[$k]}" "$drv" &&
	extract boot.svg "$logs/stock-$k-boot.log" "$logs/$k" &&
	extract boot.json "$logs/stock-$k-boot.log" "$logs/$k" &&
	extract boot-early0.json "$logs/stock-$k-boot.log" "$logs/$k" &&
	grep -q '</svg>' "$logs/$k/boot.svg"
}
# The regression as a number: call_srcu() must delay the first vCPU
# creation; with early_devices=0 (nothing deferred before it) the same
# check must fail.  The ratio (call-srcu / sync-expedited, one VM) is
# asserted under any load; its absolute floor only on a quiet host.
stock_regression() {	# KERNEL
	local k=$1 rc loaded=()
	[ -s "$logs/$k/boot.json" ] || { echo "no boot.json: stock-$k-boot failed"; return 1; }
	[ -s "$logs/stock-$k-boot.host" ] || { echo "no host-load record for stock-$k-boot"; return 1; }
	host_loaded "stock-$k-boot" && loaded=(--loaded)
	"$S/checks/check-regression.py" "${loaded[@]}" "$logs/$k/boot.json" || return 1
	"$S/checks/check-regression.py" "${loaded[@]}" "$logs/$k/boot-early0.json"
	rc=$?
	case $rc in
	0) echo "FAIL: the regression check passed with early_devices=0"; return 1 ;;
	1) echo "ok: with early_devices=0 the regression check fails" ;;
	*) echo "FAIL: the early_devices=0 control errored (exit $rc), not a measured failure"; return 1 ;;
	esac
}
# The matrix and the boot model judged by the host's own expected-outcome
# table (scripts/checks/expected_outcomes.py), not by the module's opinion;
# the checker's self-test mutates this matrix.json and must catch each one.
host_outcomes() {	# KERNEL
	local d=$logs/$1
	[ -s "$d/matrix.json" ] || { echo "no matrix.json: stock-$1-matrix failed"; return 1; }
	[ -s "$d/boot.json" ] || { echo "no boot.json: stock-$1-boot failed"; return 1; }
	"$S/checks/check-outcomes.py" --kernel "$1" --boot "$d/boot.json" &&
	matrix_outcomes "$1" "$d"
}
matrix_outcomes() {	# KERNEL DIR: DIR/matrix.json by the table; its self-test
	"$S/checks/check-outcomes.py" --kernel "$1" "$2/matrix.json" &&
	"$S/checks/check-outcomes-test.py" --kernel "$1" "$2/matrix.json"
}
for k in $kernels; do
	t "stock-$k-smoke" vm "stock-$k-smoke" "${img[$k]}" smoke.sh -- "${ko[$k]}" "$drv"
	t "stock-$k-bad-input" vm "stock-$k-bad-input" "${img[$k]}" bad-input.sh -- "${ko[$k]}" "$drv"
	t "stock-$k-matrix" stock_matrix "$k"
	t "stock-$k-boot" stock_boot "$k"
	t "stock-$k-regression" stock_regression "$k"
	t "stock-$k-host-outcomes" host_outcomes "$k"
done
# reclaim=expedite-current where the module found srcu_expedite_current().
for k in $kernels; do
	modinfo -F compat "${ko[$k]}" 2>/dev/null | grep -q 'srcu_expedite_current=yes' || continue
	t "stock-$k-expedite-current" vm "stock-$k-expedite-current" "${img[$k]}" \
		expedite-current.sh --timeout 900 -- "${ko[$k]}" "$drv"
done
t "stock-$k0-sigint" vm "stock-$k0-sigint" "${img[$k0]}" sigint.sh -- "${ko[$k0]}" "$drv"
t "stock-$k0-cli-errors" vm "stock-$k0-cli-errors" "${img[$k0]}" cli-errors.sh -- "${ko[$k0]}" "$drv"
t "stock-$k0-stop-wait" vm "stock-$k0-stop-wait" "${img[$k0]}" stop-wait.sh -- "${ko[$k0]}"
t "stock-$k0-no-debugfs" vm "stock-$k0-no-debugfs" "${img[$k0]}" no-debugfs.sh --append debugfs=off -- "${ko[$k0]}"
t "stock-$k0-knobs" vm "stock-$k0-knobs" "${img[$k0]}" knobs.sh -- "${ko[$k0]}" "$drv"
# The debugfs keys file (keys.h) against what the config file takes.
t "stock-$k0-keys" vm "stock-$k0-keys" "${img[$k0]}" keys.sh -- "${ko[$k0]}" "$drv"
# The model's own behaviours (issue #11), once, on the first kernel.
for g in quarantine-gp cached-verdict null-bus enospc vcpu-sync; do
	t "stock-$k0-$g" vm "stock-$k0-$g" "${img[$k0]}" $g.sh -- "${ko[$k0]}"
done
# Issue 24: the negative controls fire in every short run, not by chance:
# the writer waits for a reader holding what it frees and counts the frees
# a reader held (module/reader.c, "Exposures").  Each run must fire with
# exposures > 0 and at least as many violations as exposures (each one is
# caught).  About 45 s.
t "stock-$k0-controls" vm "stock-$k0-controls" "${img[$k0]}" controls.sh \
	--append "CTL_STRICT=1 CTL_RUNS=4 CTL_MS=1500 CTL_CELLS=unsafe/exit,unsafe/block,unsafe/cached,async/block,async/cached" \
	-- "${ko[$k0]}"
# ---- real KVM: `iobus-stress kvm` in a guest with a /dev/kvm (-cpu max:
# TCG's SVM with nested paging; each kernel's own kvm modules), with
# --compare against the model built for the same kernel.
# panic_on_rcu_stall: an idle-host run of 6.1 stalled 3 s after loading
# kvm-amd, CPU 0 spinning in exc_int3 (live text patching under TCG, as
# the crashes vm() retries), and would have hung to the 900 s timeout; as
# a panic its splat is judged by vm() like any crash (retried once when
# it names neither our code nor kvm_io_bus).
kvm_vm() {	# KERNEL (a guest crash outside our code is retried: vm)
	local k=$1
	vm "stock-$k-kvm" "${img[$k]}" kvm.sh --cpu max --kvm-modules "${kpkg[$k]}/modules" \
		--timeout 900 --append "KVM_COMPARE=1 KVM_REPEAT=15 sysctl.kernel.panic_on_rcu_stall=1" \
		-- "$drv" "${ko[$k]}"
}
kvm_run() {	# KERNEL
	local k=$1
	rm -f "$logs/$k"/kvm{.json,-early0.json,-mailbox-first.json,.svg}
	kvm_vm "$k" &&
	extract kvm.json "$logs/stock-$k-kvm.log" "$logs/$k" &&
	extract kvm-early0.json "$logs/stock-$k-kvm.log" "$logs/$k" &&
	extract kvm-mailbox-first.json "$logs/stock-$k-kvm.log" "$logs/$k" &&
	extract kvm.svg "$logs/stock-$k-kvm.log" "$logs/$k"
}
# The diagnosis on each kernel's real KVM, from one VM's runs: correctness
# and the driver's statistic recomputed from the raw samples, always; the
# --early 0 control absent and the diagnosis the release implies (present
# from 6.18 on, absent before).  On a loaded host only the lower-quartile
# ratios (inside one VM) are asserted, not the diagnosis word, whose other
# rules are in jiffies (check-diagnosis.py --loaded; docs/diagnosis.md).
kvm_diagnosis() {	# KERNEL
	local run=stock-$1-kvm d=$logs/$1
	[ -s "$d/kvm.json" ] && [ -s "$d/kvm-early0.json" ] ||
		{ echo "no kvm.json: $run failed"; return 1; }
	"$S/checks/check-diagnosis.py" --no-timing "$d/kvm.json" "$d/kvm-early0.json" ||
		return 1
	local loaded=()
	[ -s "$logs/$run.host" ] || { echo "no host-load record for $run"; return 1; }
	host_loaded "$run" && loaded=(--loaded)
	"$S/checks/check-diagnosis.py" "${loaded[@]}" "$d/kvm.json" "$d/kvm-early0.json"
}
kvm_jsons() { echo "$logs/6.1/kvm.json $logs/6.12/kvm.json $logs/7.3/kvm.json"; }
# Every kernel: 0 stale observations, 0 unexpected exits, the guest ran our
# code, and the stale detector's negative control (--mailbox-first) fired
# (scripts/checks/check-kvm.py --no-timing --stale-control).
kvm_correct() {
	local k ctl=()
	for k in 6.1 6.12 7.3; do ctl+=(--stale-control "$logs/$k/kvm-mailbox-first.json"); done
	# shellcheck disable=SC2046
	"$S/checks/check-kvm.py" --no-timing "${ctl[@]}" $(kvm_jsons)
}
# Timing, under any load: 7.3's first memslot update after the early
# registrations >= 5x the median of 6.1's and 6.12's (the regression in the
# real code; on a loaded host each kernel's fastest VM: check-kvm.py
# --loaded), failing when 6.1's JSON stands in for 7.3's; the model's first
# expedited sync within 2x of the real one where the grace period dominates
# (call-srcu: 7.3; before 6.18 the real deassign also pays the ioctl, the
# bus copy and kfree, about 2-3x the bare sync: see docs/kvm.md).
kvm_regression() {
	local k out loaded=()
	for k in 6.1 6.12 7.3; do host_loaded "stock-$k-kvm" && loaded=(--loaded); done
	# shellcheck disable=SC2046
	"$S/checks/check-kvm.py" "${loaded[@]}" --compare-only call-srcu $(kvm_jsons) || return 1
	if out=$("$S/checks/check-kvm.py" "${loaded[@]}" --skip-compare "$logs/6.1/kvm.json" \
		"$logs/6.12/kvm.json" "$logs/6.1/kvm.json"); then
		echo "$out"; echo "FAIL: the regression check passed with 6.1's JSON as 7.3's"
		return 1
	fi
	grep -q "^FAIL: first memslot update .*(not >= " <<<"$out" ||
		{ echo "$out"; echo "FAIL: with 6.1's JSON as 7.3's the check failed for another reason"; return 1; }
	echo "ok: with 6.1's JSON as 7.3's the regression check fails"
}
kvm_all=1	# the cross-kernel checks need 6.1, 6.12 and 7.3
for k in 6.1 6.12 7.3; do
	case " $kernels " in *" $k "*) ;; *) kvm_all=0 ;; esac
done
for k in $kernels; do
	t "stock-$k-kvm" kvm_run "$k"
	t "stock-$k-kvm-diagnosis" kvm_diagnosis "$k"
done
if [ "$kvm_all" = 1 ]; then
	t kvm-correctness kvm_correct
	t kvm-regression kvm_regression
fi

# ---- arm64 (docs/arm64.md): the driver cross-built static, and on each
# kernel's stock arm64 build, booted at EL2 in qemu-system-aarch64 -M
# virt,virtualization=on -cpu max (TCG), the real-KVM run of stock-K-kvm
# (kvm.sh; no --compare, which needs the module), checked as
# stock-K-kvm-diagnosis is: 0 stale and 0 unexpected exits, the guest ran
# our code, the --early 0 control absent, the diagnosis the release
# implies (loaded host: ratios inside the VM), --mailbox-first failing on
# stale observations and one injected guest shutdown failing the run.
# KVM_REPEAT=20: with 5 a loaded host left 6.1 "inconclusive" (docs/arm64.md).
a64_drv=userspace/arm64/iobus-stress
t arm64-driver-build make -s -C userspace ARCH=arm64
arm64_kvm_run() {	# KERNEL
	local k=$1 kp f
	rm -f "$logs/arm64-$k"/kvm{.json,-early0.json,-mailbox-first.json}
	kp=$("$S/setup/fetch-kernel.sh" --arch arm64 "$k") ||
		{ echo "cannot fetch Debian's arm64 $k kernel"; return 1; }
	[ -x "$a64_drv" ] || { echo "no $a64_drv: arm64-driver-build failed"; return 1; }
	vm "arm64-$k-kvm" "$kp/vmlinuz" kvm.sh --arch arm64 --mem 2048 --timeout 900 \
		--append "KVM_REPEAT=20" -- "$a64_drv" || return 1
	for f in kvm.json kvm-early0.json kvm-mailbox-first.json; do
		extract "$f" "$logs/arm64-$k-kvm.log" "$logs/arm64-$k" || return 1
	done
	grep -q '"arch": "arm64"' "$logs/arm64-$k/kvm.json" ||
		{ echo "arm64-$k-kvm's kvm.json is not an arm64 run's"; return 1; }
}
# The diagnosis: correctness as on x86; its timing by the ratios inside the
# VM (check-diagnosis.py --loaded's rules) on any host, the driver's word
# printed, not asserted: under TCG at EL2 every ioctl's noise is about 2x,
# and loaded runs of 6.1 and 6.12 read "inconclusive" (too noisy) in 5 of
# 8 (docs/arm64.md), which the word's jiffy rules cannot tell from a fix.
arm64_kvm_diagnosis() {	# KERNEL
	local run=arm64-$1-kvm d=$logs/arm64-$1
	[ -s "$d/kvm.json" ] && [ -s "$d/kvm-early0.json" ] ||
		{ echo "no kvm.json: $run failed"; return 1; }
	"$S/checks/check-diagnosis.py" --no-timing "$d/kvm.json" "$d/kvm-early0.json" ||
		return 1
	host_loaded "$run"
	"$S/checks/check-diagnosis.py" --loaded "$d/kvm.json" "$d/kvm-early0.json"
}
# The module on Debian's arm64 7.3 (docs/arm64.md; 6.1 and 6.12 are not
# built yet): cross-built W=1 C=1 against linux-source configured with
# Debian's .config and compiler (build-module-arm64.sh, which checks the
# vermagic against the image's), then in one boot: a copy whose vermagic
# names another release must be refused by insmod, x86's smoke.sh and
# matrix.sh, and the matrix judged by the host's table (matrix_outcomes).
arm64_module() {	# KERNEL
	local k=$1 d=$logs/arm64-$1 kp ko bad kver ver wrong
	rm -f "$d"/matrix.{json,svg}
	kp=$("$S/setup/fetch-kernel.sh" --arch arm64 "$k") ||
		{ echo "cannot fetch Debian's arm64 $k kernel"; return 1; }
	ko=$("$S/setup/build-module-arm64.sh" "$k" "build/arm64-$k" W=1 C=1) ||
		{ echo "cannot build the module for Debian's arm64 $k"; return 1; }
	[ -x "$a64_drv" ] || { echo "no $a64_drv: arm64-driver-build failed"; return 1; }
	# The negative control: the release's last version digit changed, the
	# length kept (e.g. 7.3.4+deb13-arm64 -> 7.3.5+deb13-arm64).
	kver=$(cat "$kp/kver")
	ver=${kver%%[+-]*}
	wrong=${ver%?}$(( (${ver: -1} + 1) % 10 ))${kver#"$ver"}
	bad=build/arm64-$k/iobus_stress-wrong-release.ko
	KVER=$kver WRONG=$wrong perl -0777 -pe 's/vermagic=\Q$ENV{KVER}\E /vermagic=$ENV{WRONG} /' \
		"$ko" >"$bad"
	modinfo -F vermagic "$bad" | grep -q "^$wrong " ||
		{ echo "cannot make the wrong-release copy of $ko"; return 1; }
	echo "negative control: $bad, vermagic $(modinfo -F vermagic "$bad")"
	vm "arm64-$k-module" "$kp/vmlinuz" module-arm64.sh --arch arm64 --mem 2048 \
		--timeout 900 -- "$ko" "$bad" "$a64_drv" "$S/checks/guest/smoke.sh" \
		"$S/checks/guest/matrix.sh" &&
	extract matrix.json "$logs/arm64-$k-module.log" "$d" &&
	extract matrix.svg "$logs/arm64-$k-module.log" "$d" &&
	matrix_outcomes "$k" "$d"
}
for k in $kernels; do
	t "arm64-$k-kvm" arm64_kvm_run "$k"
	t "arm64-$k-kvm-diagnosis" arm64_kvm_diagnosis "$k"
	[ "$k" != 7.3 ] || t "arm64-$k-module" arm64_module "$k"
done

# ---- LAVA (docs/lava.md): scripts/lava/jobs/qemu.yaml through Debian's
# lava-dispatcher (lava-run as root, no server) on the device dictionary
# kept in scripts/lava/devices/: the matrix, the boot model and
# iobus-stress kvm (-cpu max) on the first kernel.  LAVA's test cases must
# be the KTAP the driver printed on the console, names and results, and
# the measurements must arrive; a renamed case, a flipped result and a
# dropped measurement must each fail the check (check-results.py).
t lava-qemu "$S/lava/run-local.sh" --kernel "$k0" --outdir "$logs/lava"

# ---- the regression gate (issue #13): `iobus-stress compare` on this run's
# own JSONs, each case asserted by its exit code and the KTAP/stderr lines
# that name the metric.  Timing: skipped when a run's host was loaded.
# gate RC REGEX... -- COMPARE-ARGS: compare --tap must exit RC and print
# a line matching each REGEX (its output is indented in the .out file).
gate() {
	local want=$1 out rc re res=()
	shift
	while [ "$1" != -- ]; do res+=("$1"); shift; done
	shift
	out=$("$drv" compare --tap "$@" 2>&1)
	rc=$?
	awk '{ print "    " $0 }' <<<"$out"
	[ "$rc" = "$want" ] || { echo "FAIL: compare $*: exit $rc, not $want"; return 1; }
	for re in "${res[@]}"; do
		# (a here-string: under pipefail, `echo | grep -q` can lose to SIGPIPE)
		grep -Eq "$re" <<<"$out" ||
			{ echo "FAIL: compare $*: no line matching $re"; return 1; }
	done
	re=${*: -2}
	echo "ok: compare ${re//$logs\//}: exit $rc${res:+, lines: ${res[*]}}"
}
# The per-VM latencies (one sample per fresh VM) at 5x: the per-ioctl ones
# and exits_per_sec moved up to 4x between two idle-host runs of one kernel,
# and first_memslot_ns 2.3x (6.12; docs/gate.md); 6.18's is ~20x.
gate_kvm_metrics=first_memslot_ns,first_memslot_noreg_ns,second_memslot_ns,vcpu_create_ns,first_deassign_ns
compare_gate_kvm() {
	local k loaded=0 out rc v
	for k in 6.1 6.12 7.3; do
		[ -s "$logs/$k/kvm.json" ] || { echo "no kvm.json: stock-$k-kvm failed"; return 1; }
	done
	for k in 6.1 6.12 7.3; do host_loaded "stock-$k-kvm" && loaded=1; done
	# On a loaded host compare sees two separate runs' medians, which load
	# moves by milliseconds (in 7 runs with every host CPU busy: 6.1's own
	# first memslot p50 once 3.12 ms, 7.3's p50 with nothing registered
	# once 4.50 ms, 6.12's 6.08 ms, not always within compare's noise
	# rule; docs/testing.md "Timing under load").  Under load: 6.1 -> 7.3's
	# first memslot update after the registrations must read as a
	# regression; where compare itself judged the two runs too noisy to
	# tell (its spread rule: two identical 6.1 files read "noisy" then), the
	# test is skipped with compare's numbers, never passed; the halves that
	# must come out equal are not asserted.
	if [ "$loaded" = 1 ]; then
		out=$("$drv" compare --tap --max-ratio 5 --metrics "$gate_kvm_metrics" \
			"$logs/6.1/kvm.json" "$logs/7.3/kvm.json" 2>&1)
		rc=$?
		awk '{ print "    " $0 }' <<<"$out"
		case $rc in 0|1) ;; *) echo "FAIL: compare 6.1 -> 7.3: exit $rc"; return 1 ;; esac
		v=$(grep -Eo '^# kvm first_memslot_ns: .*: [a-z]+$' <<<"$out" | awk '{ print $NF }')
		echo "not asserted (host loaded): 6.1 -> 7.3 nothing else, 6.1 -> 6.12 nothing"
		case $v in
		regression) echo "ok: compare 6.1 -> 7.3 first_memslot_ns: regression (host loaded)" ;;
		noisy) echo "skip: compare judged 6.1 -> 7.3 first_memslot_ns noisy: $(grep -E '^# kvm first_memslot_ns: ' <<<"$out" | sed 's/^# //')"
			return 77 ;;
		*) echo "FAIL: compare 6.1 -> 7.3 first_memslot_ns: '${v:-no verdict}', not a regression"; return 1 ;;
		esac
		return 0
	fi
	# 6.1 -> 7.3 fails on the first memslot update after the registrations
	# (not on the one without them): the 6.18 regression, caught pre-merge.
	gate 1 '^not ok [0-9]+ kvm first_memslot_ns$' '^ok [0-9]+ kvm first_memslot_noreg_ns' \
		'regressions? beyond 5x:.* kvm first_memslot_ns [0-9.]+x' -- \
		--max-ratio 5 --metrics "$gate_kvm_metrics" "$logs/6.1/kvm.json" "$logs/7.3/kvm.json" ||
		return 1
	# 6.1 -> 6.12 passes
	gate 0 '^# Totals: pass:[0-9]+ fail:0 ' -- \
		--max-ratio 5 --metrics "$gate_kvm_metrics" "$logs/6.1/kvm.json" "$logs/6.12/kvm.json"
}
# The model on one kernel: sync-expedited (BASE) -> call-srcu (NEW) fails
# on the first vCPU and shows register time as an improvement.
compare_gate_boot() {
	local b=$logs/$k0/boot.json
	[ -s "$b" ] || { echo "no boot.json: stock-$k0-boot failed"; return 1; }
	# not timing: a boot and a matrix result are different kinds (exit 2)
	if [ -s "$logs/$k0/matrix.json" ]; then
		gate 2 '^iobus-stress: compare: different kinds: ' -- "$b" "$logs/$k0/matrix.json" ||
			return 1
	fi
	# a ratio inside one VM: asserted under any load
	host_loaded "stock-$k0-boot"
	gate 1 '^not ok [0-9]+ sync-expedited vs call-srcu boot_vcpu1_ns$' \
		'^# sync-expedited vs call-srcu register_ns_p50: .*: improvement$' \
		'regressions? beyond 2x:.* sync-expedited vs call-srcu boot_vcpu1_ns [0-9.]+x' -- \
		--base-cell sync-expedited --new-cell call-srcu "$b" "$b"
}
if [ "$kvm_all" = 1 ]; then
	t compare-gate-kvm compare_gate_kvm
fi
t compare-gate-boot compare_gate_boot

# One table across kernels: register p50, first vCPU, probe p50 per strategy.
t kernels-table "$S/checks/kernels-table.py" "$logs" $kernels

# The SVGs of one kernel's runs open in a browser (Chromium, headless) and
# show their lines; a truncated SVG and one with undrawn lines must fail.
svg_browser() {
	local f d=$logs/$k0
	if [ -s "$d/kvm.svg" ]; then
		"$S/checks/svg-browser.sh" "$d/kvm.svg" || return 1
	fi
	for f in boot matrix; do
		[ -s "$d/$f.svg" ] || { echo "no $f.svg: stock-$k0-$f failed"; return 1; }
		"$S/checks/svg-browser.sh" "$d/$f.svg" || return 1
	done
	head -c 3000 "$d/boot.svg" >"$logs/control-truncated.svg"
	if "$S/checks/svg-browser.sh" "$logs/control-truncated.svg"; then
		echo "FAIL: a truncated SVG passed"; return 1
	fi
	sed -e 's/stroke-width="1.5"/stroke-width="0"/' -e '/class="p50"/d' \
		"$d/boot.svg" >"$logs/control-undrawn.svg"
	if "$S/checks/svg-browser.sh" "$logs/control-undrawn.svg"; then
		echo "FAIL: an SVG without visible lines passed"; return 1
	fi
	echo "ok: both negative controls fail"
}
t svg-browser svg_browser

# ---- 7.3 debug kernel (KASAN, lockdep, PROVE_RCU, DEBUG_OBJECTS_RCU_HEAD)
dbg_img=$dbg/arch/x86/boot/bzImage
dbg_ko=build/debug/module/iobus_stress.ko
# debug_vm KO BANNER WHAT NAME IMG TEST [options]: a VM run on a debug
# kernel with its module; the console must show BANNER (the sanitizer on)
# and lockdep.
debug_vm() {
	local ko=$1 banner=$2 what=$3 name=$4 img=$5
	shift 3
	[ -r "$img" ] && [ -r "$ko" ] || { echo "no $what kernel"; return 1; }
	vm "$@" --timeout 900 --mem 1536 -- "$ko" "$drv" || return 1
	grep -q "$banner" "$logs/$name.log" &&
	grep -q "Lock dependency validator" "$logs/$name.log" ||
		{ echo "$what kernel without $what or lockdep"; return 1; }
}
dvm() { debug_vm "$dbg_ko" "KernelAddressSanitizer initialized" KASAN "$@"; }
t debug-smoke dvm debug-smoke "$dbg_img" smoke.sh
t debug-matrix dvm debug-matrix "$dbg_img" matrix.sh
t debug-kasan-uaf dvm debug-kasan-uaf "$dbg_img" kasan-uaf.sh \
	--expect 'BUG: KASAN: (slab-)?use-after-free'
t debug-bad-input dvm debug-bad-input "$dbg_img" bad-input.sh
t debug-rmmod-running dvm debug-rmmod-running "$dbg_img" rmmod-running.sh
t debug-enomem dvm debug-enomem "$dbg_img" enomem.sh
t debug-null-bus dvm debug-null-bus "$dbg_img" null-bus.sh
t debug-quarantine-gp dvm debug-quarantine-gp "$dbg_img" quarantine-gp.sh \
	--append "QGP_MIN=500 QGP_READERS=1 QGP_WRITERS=4"
t debug-knobs dvm debug-knobs "$dbg_img" knobs.sh
# KUnit (built in on the debug kernel): all ok, and kunit_break=1 not ok.
debug_kunit() {
	dvm debug-kunit "$dbg_img" kunit.sh || return 1
	extract kunit.ktap "$logs/debug-kunit.log" "$logs/debug" &&
	extract kunit-break.ktap "$logs/debug-kunit.log" "$logs/debug" || return 1
	echo "KTAP of the suite:"
	cat "$logs/debug/kunit.ktap"
	echo "KTAP with kunit_break=1 (must fail):"
	sed 's/^/# break: /' "$logs/debug/kunit-break.ktap"
}
t debug-kunit debug_kunit
t debug-kvm dvm debug-kvm "$dbg_img" kvm.sh --cpu max --append KVM_REPEAT=3
t debug-boot dvm debug-boot "$dbg_img" boot.sh --append BOOT_REPEAT=1
# `make bench`, short, on the debug kernel: iobus-stress beside rcutorture,
# refscale and rcuscale in one VM; issue 13's bounds asserted (scripts/
# bench/check.py's defaults): detection >= 10x sooner than rcutorture,
# ns_per_exit <= 2.5x refscale's loop (--cost-max 2.5), the back-to-back
# probe within 1.5x either way of rcuscale (--gp-within 1.5).  Issue 13's
# 2x and +-20% are held by the full `make bench` (5 pairs); the short run
# has 3 pairs on a KASAN kernel under TCG.  Measured medians of its reader
# cost in fresh-clone runs: 1.86x, 1.89x (idle), 2.20x, 2.38x (loaded,
# 2026-12-05/06; per-pair ratios 1.76x-2.89x).  One CI run on an idle host
# measured the GP ratio at 0.70x (2026-12-04) where others measured
# 0.9-1.1x; 1.5x still fails the unbound SCHED_NORMAL probe this bound
# exists for (2.64x, docs/bench.md).
# Each ratio is of two numbers measured side by side in one VM;
# a miss on a host run-vm found loaded is a skip (77), not a pass, and a
# miss on an idle host fails.
debug_bench() {
	local rc=0
	[ -n "$dbg" ] && [ -r "$dbg_ko" ] || { echo "no debug kernel"; return 1; }
	"$S/bench/bench.sh" --short --kernels "" --debug-ko "$dbg_ko" \
		--logdir "$logs/bench-short" || return 1
	"$S/bench/check.py" --cost-max 2.5 --gp-within 1.5 "$logs/bench-short/bench.json" || rc=$?
	[ "$rc" = 1 ] || return $rc
	timing_ok bench-short/bench-debug || return $?
	return 1
}
t debug-bench debug_bench

# ---- 7.3 KCSAN kernel (strict, weak memory, lockdep, PROVE_RCU;
# docs/kcsan.md): the correct cells and the boot model with no KCSAN report (the
# console checker fails on any), and each removed ordering KCSAN can see
# reported.
kcsan_start=$SECONDS
kcsan_img=$kcsan/arch/x86/boot/bzImage
kcsan_ko=build/kcsan/module/iobus_stress.ko
# KCSAN off at boot (kcsan.early_enable=0): the guest scripts turn it on
# once their report filter is set.  On at boot, it once reported a core
# kernel race in i8042_probe (__synchronize_hardirq) before any test ran,
# failing kcsan-blind-block-rmb-gen-wmb (2026-12-04).
cvm() { debug_vm "$kcsan_ko" "kcsan: strict mode configured" KCSAN "$@" \
	--append kcsan.early_enable=0; }
# kcsan_break KNOB FUNCS ACCESS FRAME: with kcsan_break=KNOB, KCSAN must
# report "BUG: KCSAN: data-race in FUNCS", and one of its reports must show
# the plain access the knob made (ACCESS, e.g. "write", without "(marked)")
# in FRAME.  With CONFIG_KCSAN_WEAK_MEMORY a plain access KCSAN chose to
# delay is printed as "write (reordered) to" (kernel/kcsan/report.c's
# get_access_type(): KCSAN_ACCESS_SCOPED), with FRAME still first and a
# "+-> reordered to:" line after it: a plain access too.  CI failed
# kcsan-break-publish once (2026-12-06) with only such reports.
kcsan_break() {
	local name=kcsan-break-$1 title="BUG: KCSAN: data-race in $2"
	cvm "$name" "$kcsan_img" kcsan.sh --append "KCSAN_BREAK=$1" --expect "$title" || return 1
	sed 's/^\[ *[0-9.]*\] //' "$logs/$name.log" | awk -v a="^$3( [(]reordered[)])? to 0x[0-9a-f]+ of " -v f="^ $4[+]" '
		$0 ~ a { acc = $0; next }
		acc != "" && $0 ~ f { print "  " acc; print "  " $0; found = 1; exit }
		{ acc = "" }
		END { exit !found }' >"$logs/$name.access" ||
		{ echo "FAIL: no report shows the plain access: /$3/ in $4"; return 1; }
	echo "KCSAN's report with kcsan_break=$1 (first of $(grep -c "$title" "$logs/$name.log")):"
	grep -m 1 -- "$title" "$logs/$name.log" | sed 's/^\[ *[0-9.]*\] /  /'
	cat "$logs/$name.access"
}
t kcsan-matrix cvm kcsan-matrix "$kcsan_img" kcsan.sh
# The release that publishes a bus (rcu_assign_pointer() -> plain store),
# the generation publication (completed_gen: plain store, no smp_wmb()),
# the readers' srcu_dereference() (-> plain load).
t kcsan-break-publish kcsan_break publish 'ibs_get_bus \[iobus_stress\] / ibs_set_bus' \
	write ibs_set_bus
t kcsan-break-gen kcsan_break gen 'ibs_observe_gen \[iobus_stress\] / ibs_publish' \
	write ibs_publish
t kcsan-break-deref kcsan_break deref 'ibs_get_bus \[iobus_stress\] / ibs_set_bus' \
	read ibs_get_bus
# What KCSAN cannot see (docs/kcsan.md): block's smp_rmb() and the
# smp_wmb()s before a marked completed_gen store order marked accesses
# only, which KCSAN neither watches nor reorders.  Asserted as "no report"
# (30 s each, dense sampling), so that a KCSAN that starts to see them is
# noticed; this is no coverage of those barriers.
t kcsan-blind-block-rmb-gen-wmb cvm kcsan-blind-block-rmb-gen-wmb "$kcsan_img" kcsan.sh \
	--append "KCSAN_BREAK=block-rmb,gen-wmb"
# The real kvm_io_bus under KCSAN (default sampling; reports limited to
# races between KVM's own functions, kvm.sh KVM_KCSAN_FILTER=1; kvm.sh is
# the debug kernel's run; one such run took 17 s, no report).
t kcsan-kvm cvm kcsan-kvm "$kcsan_img" kvm.sh --cpu max \
	--append "KVM_REPEAT=3 KVM_KCSAN_FILTER=1"
# A module without KCSAN refuses every kcsan_break but none.
t "stock-$k0-kcsan-break-refused" vm "stock-$k0-kcsan-break-refused" "${img[$k0]}" \
	kcsan.sh --append KCSAN_ABSENT=1 -- "${ko[$k0]}"
echo "the KCSAN block took $((SECONDS - kcsan_start)) s"

# ---- make abtest on our own test patches (scripts/abtest/patches; docs/
# abtest.md).  Each must get its verdict and exit code.  A's 8 timing boots
# are made once (abtest-cures) and shared by the later patches (--reuse-a).
# abtest-no-change's KASAN run is abtest-breaks' control: the same churn on
# a KASAN kernel whose patch changes nothing must stay clean.
abtest_start=$SECONDS
abtest_expect() {	# abtest_expect CODE NAME ARGS...: abtest.sh's exit is CODE
	local want=$1 name=$2 rc
	shift 2
	"$S/abtest/abtest.sh" --name "$name" "$@"
	rc=$?
	echo "abtest.sh --name $name $*: exit $rc (want $want)"
	[ "$rc" = "$want" ]
}
abtest_bad_input() {
	local tmp rc bad=0
	tmp=$(mktemp -d)
	: >"$tmp/empty.patch"
	echo "not a patch" >"$tmp/text.patch"
	for c in "2 --patch $tmp/missing.patch" "2 --patch $tmp/empty.patch" \
		 "2 --patch $tmp/text.patch" "2 --patch $P/cures-sync-register.patch --pairs x" \
		 "2 --patch $P/cures-sync-register.patch --hz 99" \
		 "2 --patch $P/cures-sync-register.patch --kernel 6.1" \
		 "2 --patch $P/cures-sync-register.patch --arch mips"; do
		"$S/abtest/abtest.sh" --name check-bad-input ${c#* } >"$tmp/out" 2>&1
		rc=$?
		if [ "$rc" = "${c%% *}" ] && [ "$(wc -l <"$tmp/out")" = 1 ]; then
			echo "ok: abtest.sh ${c#* }: exit $rc: $(cat "$tmp/out")"
		else
			echo "FAIL: abtest.sh ${c#* }: exit $rc (want ${c%% *}, one line): $(head -n3 "$tmp/out")"
			bad=1
		fi
	done
	rm -rf "$tmp"
	return $bad
}
t abtest-bad-input abtest_bad_input
t abtest-does-not-apply abtest_expect 15 check-does-not-apply \
	--patch "$P/does-not-apply-6.17-context.patch"
# Its B boot 3 is made to fail once (--fail-boot-once): the retry rule for
# the harness's own flakes under TCG must retry it, pass, and name it.
abtest_cures() {
	abtest_expect 10 check-cures --no-safety --fail-boot-once timing-B-3 \
		--patch "$P/cures-sync-register.patch" || return 1
	python3 - build/abtest/check-cures/report.json <<'PY' || return 1
import json, sys
r = json.load(open(sys.argv[1]))
want = "B timing-B-3: guest test script failed"
ok = want in r["retried_boots"] and "timing-B-3" in r["verdict_line"]
print(("" if ok else "FAIL: ") + "retried boots: %s" % r["retried_boots"])
sys.exit(0 if ok else 1)
PY
}
t abtest-cures abtest_cures
t abtest-regresses abtest_expect 13 check-regresses --no-safety --reuse-a check-cures \
	--patch "$P/regresses-delay-create-vcpu.patch"
# Not --reuse-a: A's boots, made minutes before B's and not interleaved with
# them, once read a comment-only patch as regresses (KVM_CREATE_VCPU 1.09x,
# p 0.0025; CI, 2026-12-06).  no-change is the false-positive check, so it
# gets its own ABBA order.
t abtest-no-change abtest_expect 12 check-no-change --safety-runs 1 \
	--patch "$P/no-change-comment.patch"
abtest_breaks() {
	abtest_expect 14 check-breaks --safety-runs 1 --patch "$P/breaks-free-without-gp.patch" ||
		return 1
	# Through the debug kernel: a KASAN report (13 of 15 runs, 2026-12-05:
	# slab-use-after-free in kvm_io_bus_cmp, kvm_io_bus_get_first_dev or
	# __kvm_io_bus_write), or the fault or corruption the freed bus leads
	# to (a page fault in kvm_io_bus_cmp; a lockdep WARNING and a cascade
	# of Oopses naming no function).  Not a stale count or a timeout.
	local log=build/abtest/check-breaks/logs/safety-1.log
	tr -d '\r' <"$log" | grep -m1 -E 'BUG: (KASAN|unable to handle)|WARNING: |Oops' ||
		{ echo "breaks, but with no splat of the debug kernel in $log"; return 1; }
	if grep -q 'kvm_io_bus' "$log"; then
		echo "the splat names kvm_io_bus: $(tr -d '\r' <"$log" | grep -m1 -o 'kvm_io_bus[a-z_]*+0x[0-9a-f/x]*')"
	fi
}
t abtest-breaks abtest_breaks
abtest_hangs() {
	abtest_expect 14 check-hangs --no-safety --reuse-a check-cures --boot-timeout 60 \
		--patch "$P/hangs-assign-ioeventfd.patch" || return 1
	grep -q 'timeout after 60s' build/abtest/check-hangs/report.md ||
		{ echo "breaks, but its line does not say the guest timed out"; return 1; }
	# A hang is what a patch broke: never retried.
	! grep -q '^retried=' build/abtest/check-hangs/meta.env ||
		{ echo "the hang was retried: $(grep '^retried=' build/abtest/check-hangs/meta.env)"; return 1; }
}
t abtest-hangs abtest_hangs
# make abtest ARCH=arm64: the cure on cross-built arm64 kernels, KVM at EL2
# (vCPU first, then the registrations: docs/arm64.md).  Timing only (no
# arm64 KASAN kernel), which the report must say.
abtest_arm64_cures() {
	abtest_expect 10 check-arm64-cures --arch arm64 --patch "$P/cures-sync-register.patch" ||
		return 1
	python3 - build/abtest/check-arm64-cures/report.json <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
md = open(sys.argv[1].replace("report.json", "report.md")).read()
ok = (r["arch"] == "arm64" and not r["safety"]["enabled"] and "arm64: no arm64 KASAN" in md
      and "before the 1st memslot (vCPU first)" in md)
print(("" if ok else "FAIL: ") + "arch %s, safety %s, report.md names both" % (r["arch"], r["safety"]["enabled"]))
sys.exit(0 if ok else 1)
PY
}
t abtest-arm64-cures abtest_arm64_cures
echo "the abtest block took $((SECONDS - abtest_start)) s"

echo
echo "make check took $((SECONDS - check_start)) s"
[ ${#skips[@]} -eq 0 ] || echo "skipped: ${skips[*]}"
[ ${#retries[@]} -eq 0 ] || echo "retried after a guest kernel crash outside our code: ${retries[*]}"
[ ${#failures[@]} -eq 0 ] || echo "failed: ${failures[*]}"
echo "$pass passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
