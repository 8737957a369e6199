#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-kvm.sh DRIVER OUTDIR: `iobus-stress kvm` on this machine's own KVM,
# natively (no QEMU), as a user with /dev/kvm runs it: the default run
# (about a second) and its --early 0 control, first as the host is, then
# again with every CPU kept busy by a spinning shell, so that the bound is
# shown to hold without a quiet host.  Each pair is judged by
# check-diagnosis.py (0 stale, exits counted, the control absent, the
# kernel's expected diagnosis; IBS_EXPECT_REGRESSION=present|absent
# overrides the expectation from the release for a patched kernel).  Then
# --fail-on: the verdict's opposite must pass and the verdict itself fail.
# No /dev/kvm, or one KVM cannot use: a skip (77) with the reason.
set -uo pipefail
S=$(cd "$(dirname "$0")/.." && pwd)
drv=$1 out=$2
expect=${IBS_EXPECT_REGRESSION:-auto}
mkdir -p "$out"
if [ ! -e /dev/kvm ]; then
	why=$(dmesg 2>/dev/null | grep -m 1 -iE 'kvm.*(not binding|disabled by bios|no hardware support|not supported)' |
		sed 's/^\[ *[0-9.]*\] //')
	echo "skip: no /dev/kvm on this host (kernel $(uname -r)${why:+; the kernel said: \"$why\"})"
	exit 77
fi
# kvm NAME ARGS...: one run; its JSON in $out/NAME.json, its output in NAME.out
kvm() {
	local name=$1 rc t0=$SECONDS
	shift
	"$drv" kvm --json "$out/$name.json" "$@" >"$out/$name.out" 2>&1
	rc=$?
	sed -n '/^real KVM/,$p' "$out/$name.out" | grep -v '^  kvm:' | sed 's/^/    /'
	case $rc in
	0) echo "  ($name: $((SECONDS - t0)) s)"; return 0 ;;
	12) echo "skip: /dev/kvm is not usable: $(tail -n 1 "$out/$name.out")"; exit 77 ;;
	*) echo "FAIL: iobus-stress kvm $* exited $rc: $(tail -n 1 "$out/$name.out")"; return 1 ;;
	esac
}
bad=0
judge() {	# LABEL RUN CONTROL
	echo "== $1"
	"$S/checks/check-diagnosis.py" --expect "$expect" "$out/$2.json" "$out/$3.json" || bad=1
}
kvm native || exit 1
kvm native-early0 --early 0 || exit 1
judge "as the host is" native native-early0
# Both (all) CPUs busy beside the runs.
spin=()
for _ in $(seq "$(nproc)"); do
	sh -c 'while :; do :; done' &
	spin+=($!)
done
trap 'kill "${spin[@]}" 2>/dev/null' EXIT
kvm loaded || bad=1
kvm loaded-early0 --early 0 || bad=1
kill "${spin[@]}" 2>/dev/null
wait 2>/dev/null
trap - EXIT
[ -s "$out/loaded.json" ] && judge "with $(nproc) CPUs spinning beside it" loaded loaded-early0
# --fail-on: the measured verdict fails its own gate and passes the other.
verdict=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["diagnosis"])' "$out/native.json")
case $verdict in
present) other=absent ;;
absent) other=present ;;
*) echo "FAIL: the first run's diagnosis is '$verdict'"; exit 1 ;;
esac
"$drv" kvm --fail-on "$other" >"$out/fail-on-other.out" 2>&1 ||
	{ echo "FAIL: --fail-on $other exited $? on a kernel diagnosed $verdict"; bad=1; }
"$drv" kvm --fail-on "$verdict" >"$out/fail-on-same.out" 2>&1
rc=$?
if [ "$rc" = 1 ] && grep -q "FAIL: --fail-on $verdict: the diagnosis is $verdict" "$out/fail-on-same.out"; then
	echo "ok: --fail-on $verdict exits 1, --fail-on $other exits 0"
else
	echo "FAIL: --fail-on $verdict exited $rc: $(tail -n 1 "$out/fail-on-same.out")"
	bad=1
fi
exit $bad
