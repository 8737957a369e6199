#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# render-device.sh [--check]: render the device YAML that lava-run
# --device reads from each device dictionary in devices/ and its job's
# context, as a LAVA server renders it for a job: qemu-iobus-01 with
# jobs/qemu.yaml, x86-kvm-host-01 with jobs/x86-host.yaml.  The
# device-type templates are Debian's lava-server's (the same release as
# lava-dispatcher), downloaded with `apt-get download`, unpacked in a
# temporary directory and never installed (it would pull in a whole
# Django server).  --check: fail when a kept rendering differs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(dpkg-query -W -f='${Version}' lava-dispatcher)
(cd "$tmp" && apt-get download -q "lava-server=$ver" >/dev/null 2>&1) ||
	{ echo "render-device: cannot apt-get download lava-server=$ver" >&2; exit 1; }
dpkg-deb -x "$tmp"/lava-server_*.deb "$tmp/x"
rc=0
for pair in qemu-iobus-01:qemu x86-kvm-host-01:x86-host; do
	dev=${pair%%:*} job=${pair#*:}
	out=$tmp/$dev.yaml
	{
		echo "# Rendered by scripts/lava/render-device.sh from $dev.jinja2,"
		echo "# lava-server $ver's device-types and jobs/$job.yaml's context."
		"$here/render-device.py" "$tmp/x/usr/share/lava-server/device-types" \
			"$here/devices/$dev.jinja2" "$here/jobs/$job.yaml"
	} >"$out"
	if [ "${1:-}" = --check ]; then
		if diff -u "$here/devices/$dev.yaml" "$out"; then
			echo "render-device: devices/$dev.yaml is lava-server $ver's rendering"
		else
			rc=1
		fi
	else
		cp "$out" "$here/devices/$dev.yaml"
		echo "render-device: wrote devices/$dev.yaml (lava-server $ver)"
	fi
done
exit $rc
