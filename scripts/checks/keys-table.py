#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""keys-table.py [--write] [KEYS_H] [DOC]: the config-key table of
docs/interface.md (between its "keys-table" markers) is generated from
module/keys.h, the module's one list of keys.  Without --write, exit 1
(naming the first difference) when the document's table is not what
keys.h gives; with --write, rewrite it.  keys.h is parsed here on its own
(its IBS_NUM/IBS_U64/IBS_ENUM lines), not through the module's code."""
import re
import sys

BEGIN = "<!-- keys-table: generated from module/keys.h by scripts/checks/keys-table.py --write -->"
END = "<!-- end keys-table -->"


def args_of(body):
    """The arguments of one entry: identifiers, numbers, string literals
    (adjacent ones concatenated), split at top-level commas."""
    out, cur, i = [], [], 0
    toks = re.findall(r'"(?:[^"\\]|\\.)*"|[^,"\s]+|,', body)
    for t in toks:
        if t == ",":
            out.append(cur)
            cur = []
        else:
            cur.append(t)
    out.append(cur)
    res = []
    for a in out:
        if a and all(x.startswith('"') for x in a):
            res.append("".join(x[1:-1] for x in a))
        else:
            res.append(" ".join(a))
    return res


def keys(path):
    text = open(path).read()
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    rows = []
    for kind, body in re.findall(r"IBS_(NUM|U64|ENUM)\((.*?)\);", text, flags=re.S):
        a = args_of(body)
        if kind == "NUM":
            name, lo, hi, d, unit, hlp = a
            rows.append((name, "%s..%s" % (lo, hi), d, unit, hlp))
        elif kind == "U64":
            name, d, hlp = a
            rows.append((name, "0..2^64-1", d, "", hlp))
        else:
            name, lst, d, hlp = a
            rows.append((name, lst.replace("|", ", "), d, "", hlp))
    return rows


def table(rows):
    lines = [BEGIN, "| key | values | default | unit | meaning |", "|---|---|---|---|---|"]
    for name, vals, d, unit, hlp in rows:
        lines.append("| %s | %s | %s | %s | %s |" % (name, vals, d, unit, hlp.replace("|", "\\|")))
    lines.append(END)
    return "\n".join(lines)


def main(argv):
    write = "--write" in argv
    argv = [a for a in argv if a != "--write"]
    kh = argv[0] if argv else "module/keys.h"
    doc = argv[1] if len(argv) > 1 else "docs/interface.md"
    rows = keys(kh)
    if len(rows) < 20:
        print("FAIL: only %d keys parsed from %s" % (len(rows), kh))
        return 1
    want = table(rows)
    text = open(doc).read()
    m = re.search(re.escape(BEGIN) + r".*?" + re.escape(END), text, flags=re.S)
    if not m:
        print("FAIL: %s has no keys-table markers" % doc)
        return 1
    if write:
        with open(doc, "w") as f:
            f.write(text[:m.start()] + want + text[m.end():])
        print("wrote %d keys into %s" % (len(rows), doc))
        return 0
    have = m.group(0).split("\n")
    for i, (h, w) in enumerate(zip(have, want.split("\n"))):
        if h != w:
            print("FAIL: %s's key table differs from %s at row %d:\n  doc:    %s\n  keys.h: %s\n(scripts/checks/keys-table.py --write)" % (doc, kh, i, h, w))
            return 1
    if len(have) != len(want.split("\n")):
        print("FAIL: %s's key table has %d rows, keys.h gives %d" % (doc, len(have), len(want.split("\n"))))
        return 1
    print("ok: %s's key table is keys.h's %d keys" % (doc, len(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
