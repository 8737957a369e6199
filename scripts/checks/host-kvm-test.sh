#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# host-kvm-test.sh: host-kvm.sh's own logic, on any machine (most of this
# project's have no usable /dev/kvm, so host-kvm itself is a skip there).
# A stand-in driver replays two recorded `iobus-stress kvm --json` results
# (scripts/checks/fixtures: Debian 7.3 under QEMU, 2026-12-04) behind a
# stand-in /dev/kvm (a private mount namespace with a tmpfs /dev), and
# host-kvm.sh must pass; replaying the --early 0 control as the main run
# (a 7.3 kernel diagnosed absent) must fail, on the diagnosis line.
set -uo pipefail
S=$(cd "$(dirname "$0")/.." && pwd)
F=$S/checks/fixtures
[ "$(id -u)" = 0 ] || { echo "skip: needs root (a mount namespace)"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/iobus-stress" <<EOS
#!/bin/sh
# replays \$FK_MAIN (or, with --early 0, the control) as iobus-stress kvm
shift
json= early=6 failon=
while [ \$# -gt 0 ]; do
	case \$1 in --json) json=\$2; shift ;; --early) early=\$2; shift ;; --fail-on) failon=\$2; shift ;; esac
	shift
done
src=\$FK_MAIN
[ "\$early" = 0 ] && src=$F/kvm-7.3-early0.json
[ -z "\$json" ] || cp "\$src" "\$json" || exit 9
d=\$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["summary"]["diagnosis"])' "\$src")
echo "real KVM (replayed: \$src)"
if [ -n "\$failon" ] && [ "\$d" = "\$failon" ]; then
	echo "iobus-stress kvm: FAIL: --fail-on \$failon: the diagnosis is \$d" >&2
	exit 1
fi
EOS
chmod +x "$tmp/iobus-stress"
run() {	# MAIN.json: host-kvm.sh behind a stand-in /dev/kvm
	FK_MAIN=$1 unshare -m --propagation private sh -c \
		'mount -t tmpfs none /dev && mknod -m 666 /dev/null c 1 3 && : >/dev/kvm && exec "$@"' \
		sh "$S/checks/host-kvm.sh" "$tmp/iobus-stress" "$tmp/out"
}
bad=0
if out=$(run "$F/kvm-7.3.json" 2>&1); then
	echo "ok: host-kvm.sh passes on a 7.3 run diagnosed present with an absent control"
else
	echo "$out" | sed 's/^/    /'
	echo "FAIL: host-kvm.sh failed on the recorded 7.3 runs"
	bad=1
fi
if out=$(run "$F/kvm-7.3-early0.json" 2>&1); then
	echo "$out" | sed 's/^/    /'
	echo "FAIL: host-kvm.sh passed with a 7.3 kernel diagnosed absent"
	bad=1
elif grep -q "^FAIL: .*diagnosis absent, .*expected present" <<<"$out"; then
	echo "ok: host-kvm.sh fails when 7.3 is diagnosed absent: $(grep -m 1 '^FAIL' <<<"$out")"
else
	echo "$out" | sed 's/^/    /'
	echo "FAIL: host-kvm.sh failed for another reason than the diagnosis"
	bad=1
fi
exit $bad
