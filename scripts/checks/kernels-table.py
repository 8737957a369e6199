#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""kernels-table.py LOGDIR KERNEL...: one table across Debian's kernels.

For each reclaim strategy and each kernel: the register p50 and the first
vCPU creation (boot model, medians over the repeats: LOGDIR/K/boot.json)
and the probe's expedited-sync p50 beside churning writers (matrix, the
`exit` pattern cell with synchronous unregister: LOGDIR/K/matrix.json).
Writes LOGDIR/kernels.md and LOGDIR/kernels.json and prints the table.
Fails when a kernel's results are missing or a strategy lacks a number on
a kernel that ran it; each kernel's host-load verdict is shown beside it,
since a loaded host inflates every latency.
"""
import json
import os
import statistics
import sys


def fmt_ns(v):
    if v is None:
        return "-"
    if v >= 1e6:
        return "%.2f ms" % (v / 1e6)
    if v >= 1e3:
        return "%.1f us" % (v / 1e3)
    return "%d ns" % v


def num(stats, key):
    v = stats.get(key)
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def load(path):
    with open(path) as f:
        return json.load(f)["runs"]


def main():
    logdir, kernels = sys.argv[1], sys.argv[2:]
    if not kernels:
        sys.exit("usage: kernels-table.py LOGDIR KERNEL...")
    table, order, errors, hosts = {}, [], [], {}
    for k in kernels:
        try:
            boot = load(os.path.join(logdir, k, "boot.json"))
            matrix = load(os.path.join(logdir, k, "matrix.json"))
        except (OSError, ValueError, KeyError) as e:
            errors.append("kernel %s: %s" % (k, e))
            continue
        for name in ("boot", "matrix"):
            try:
                with open(os.path.join(logdir, "stock-%s-%s.host" % (k, name))) as f:
                    hosts.setdefault(k, []).append(f.read().split()[0])
            except OSError:
                pass
        by = {}
        for r in boot:
            by.setdefault(r["name"], []).append(r["stats"])
        for rc, runs in by.items():
            if rc not in order:
                order.append(rc)
            reg = [num(s, "register_ns_p50") for s in runs]
            v1 = [num(s, "boot_vcpu1_ns") for s in runs]
            if None in reg or None in v1:
                errors.append("kernel %s: %s lacks register_ns_p50 or "
                              "boot_vcpu1_ns" % (k, rc))
                continue
            table.setdefault(rc, {})[k] = {
                "register_ns_p50": statistics.median(reg),
                "vcpu1_ns": statistics.median(v1),
                "repeats": len(runs)}
        for r in matrix:
            s = r["stats"]
            rc = s.get("reclaim")
            if (s.get("pattern") == "exit" and s.get("unregister") == "sync"
                    and rc in table and k in table[rc]):
                table[rc][k]["probe_ns_p50"] = num(s, "probe_ns_p50")
    cols = ["register p50", "1st vCPU", "probe p50"]
    head = "| reclaim | " + " | ".join(
        "%s %s" % (k, c) for k in kernels for c in cols) + " |"
    lines = [head, "|" + "---|" * (1 + len(cols) * len(kernels))]
    for rc in order:
        cells = []
        for k in kernels:
            e = table.get(rc, {}).get(k)
            if e is None:
                cells += ["-"] * 3
                continue
            cells += [fmt_ns(e["register_ns_p50"]), fmt_ns(e["vcpu1_ns"]),
                      fmt_ns(e.get("probe_ns_p50"))]
        lines.append("| %s | %s |" % (rc, " | ".join(cells)))
    lines.append("")
    lines.append("host during the runs: " + ", ".join(
        "%s %s" % (k, "/".join(hosts.get(k, ["?"]))) for k in kernels))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(logdir, "kernels.md"), "w") as f:
        f.write(text)
    with open(os.path.join(logdir, "kernels.json"), "w") as f:
        json.dump({"kernels": kernels, "host": hosts, "table": table}, f,
                  indent=1)
    print(text, end="")
    if errors:
        for e in errors:
            print("kernels-table: " + e)
        sys.exit(1)


if __name__ == "__main__":
    main()
