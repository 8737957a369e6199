#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# render-device.sh [--check]: render devices/qemu-iobus-01.yaml (what
# lava-run --device reads) from the device dictionary
# devices/qemu-iobus-01.jinja2 and the qemu job's context, with the
# device-type templates of Debian's lava-server (the same release as
# lava-dispatcher), which is downloaded with `apt-get download`, unpacked
# in a temporary directory and never installed (it would pull in a whole
# Django server).  --check: fail when the kept rendering differs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ver=$(dpkg-query -W -f='${Version}' lava-dispatcher)
(cd "$tmp" && apt-get download -q "lava-server=$ver" >/dev/null 2>&1) ||
	{ echo "render-device: cannot apt-get download lava-server=$ver" >&2; exit 1; }
dpkg-deb -x "$tmp"/lava-server_*.deb "$tmp/x"
out=$tmp/qemu-iobus-01.yaml
{
	echo "# Rendered by scripts/lava/render-device.sh from qemu-iobus-01.jinja2,"
	echo "# lava-server $ver's device-types and jobs/qemu.yaml's context."
	"$here/render-device.py" "$tmp/x/usr/share/lava-server/device-types" \
		"$here/devices/qemu-iobus-01.jinja2" "$here/jobs/qemu.yaml"
} >"$out"
if [ "${1:-}" = --check ]; then
	diff -u "$here/devices/qemu-iobus-01.yaml" "$out"
	echo "render-device: devices/qemu-iobus-01.yaml is lava-server $ver's rendering"
else
	cp "$out" "$here/devices/qemu-iobus-01.yaml"
	echo "render-device: wrote devices/qemu-iobus-01.yaml (lava-server $ver)"
fi
