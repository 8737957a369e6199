#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# svg-browser.sh SVG [PNG]: open an SVG the driver wrote in headless
# Chromium and check what a person would see.  Fails unless
#  - Chromium parses it without an XML error (no <parsererror> in its DOM),
#  - the parsed DOM holds the SVG's <polyline>s (the histogram lines),
#  - a screenshot shows every line colour of the SVG in pixels inside the
#    plot frames (the unfilled <rect>s; the legend does not count).
# PNG (default: SVG with .png) keeps the screenshot for a person to look at.
set -euo pipefail
svg=$(realpath "$1")
png=${2:-${svg%.svg}.png}
chrome=$(command -v chromium || command -v chromium-browser || true)
[ -n "$chrome" ] || { echo "svg-browser: chromium not installed (scripts/setup/deps.sh --check)"; exit 1; }
prof=$(mktemp -d)
trap 'rm -rf "$prof"' EXIT
run() {
	timeout 120 "$chrome" --headless=new --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --disable-background-networking \
		--no-first-run --hide-scrollbars --user-data-dir="$prof" "$@" \
		2>/dev/null
}
dom=$(run --dump-dom "file://$svg")
if grep -q "parsererror" <<<"$dom"; then
	echo "svg-browser: Chromium could not parse $1:"
	grep -o 'error on line[^<]*' <<<"$dom" | head -n 3
	exit 1
fi
lines=$(grep -o "<polyline" <<<"$dom" | wc -l || true)
[ "$lines" -gt 0 ] || { echo "svg-browser: no <polyline> in Chromium's DOM of $1"; exit 1; }
w=$(grep -o '<svg [^>]*' "$svg" | grep -o 'width="[0-9]*"' | grep -o '[0-9]*')
h=$(grep -o '<svg [^>]*' "$svg" | grep -o 'height="[0-9]*"' | grep -o '[0-9]*')
rm -f "$png"
run --window-size="${w:-1000},${h:-1000}" --screenshot="$png" "file://$svg" >/dev/null
[ -s "$png" ] || { echo "svg-browser: no screenshot"; exit 1; }
colors=$(grep '<polyline' "$svg" | grep -o 'stroke="#[0-9a-f]*"' | sort -u |
	 grep -o '#[0-9a-f]*' | tr '\n' ' ')
python3 - "$png" "$svg" $colors <<'EOF'
import re, struct, sys, zlib
png, svg, colors = sys.argv[1], sys.argv[2], sys.argv[3:]
frames = [tuple(float(m.group(k)) for k in (1, 2, 3, 4)) for m in re.finditer(
    r'<rect x="([0-9.]+)" y="([0-9.]+)" width="([0-9.]+)" height="([0-9.]+)" fill="none"',
    open(svg).read())]
d = open(png, "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
pos, idat = 8, b""
while pos < len(d):
    n, kind = struct.unpack(">I4s", d[pos:pos + 8])
    body = d[pos + 8:pos + 8 + n]
    if kind == b"IHDR":
        w, h, depth, ctype, _, _, inter = struct.unpack(">IIBBBBB", body)
    elif kind == b"IDAT":
        idat += body
    pos += 12 + n
assert depth == 8 and ctype in (2, 6) and not inter, "unexpected PNG format"
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, rows, i = bytearray(stride), [], 0
for _ in range(h):
    f, line = raw[i], bytearray(raw[i + 1:i + 1 + stride])
    i += 1 + stride
    for x in range(stride):
        a = line[x - bpp] if x >= bpp else 0
        b, c = prev[x], prev[x - bpp] if x >= bpp else 0
        if f == 1: line[x] = (line[x] + a) & 255
        elif f == 2: line[x] = (line[x] + b) & 255
        elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pr = a if pa <= pb and pa <= pc else b if pb <= pc else c
            line[x] = (line[x] + pr) & 255
    rows.append(line)
    prev = line
want = {c: tuple(int(c[k:k + 2], 16) for k in (1, 3, 5)) for c in colors}
seen = dict.fromkeys(colors, 0)
ink = 0
inside = lambda x, y: any(fx + 2 < x < fx + fw - 2 and fy + 2 < y < fy + fh - 2
                         for fx, fy, fw, fh in frames)
for y, line in enumerate(rows):
    for x in range(0, stride, bpp):
        px = line[x:x + 3]
        if min(px) > 240 or not inside(x // bpp, y):
            continue
        if min(px) < 200:
            ink += 1
        for c, rgb in want.items():
            if sum(abs(px[k] - rgb[k]) for k in range(3)) < 60:
                seen[c] += 1
missing = [c for c in colors if seen[c] < 20]
print("svg-browser: %dx%d screenshot, %d plot frames, %d dark pixels in them; line colour pixels: %s"
      % (w, h, len(frames), ink, " ".join("%s=%d" % kv for kv in seen.items())))
if missing or not colors:
    sys.exit("svg-browser: line colours not on screen: %s" % (" ".join(missing) or "no lines"))
EOF
echo "ok: $(basename "$svg"): Chromium $("$chrome" --version 2>/dev/null | grep -o '[0-9][0-9.]*' | head -n 1) parsed it, $lines polylines, every line colour on screen ($(basename "$png"))"
