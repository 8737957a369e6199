#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""table.py [--md FILE] [--json FILE] RUN.txt...: the `make bench` table.

Each RUN.txt holds the key=value lines scripts/checks/guest/bench.sh wrote
in one guest (plus host=, run-vm's host-load verdict).  A run with
anchors=1 (the debug kernel) gives the anchor table: each rcutorture /
refscale / rcuscale number beside the matching iobus-stress one, with the
ratio.  Runs without anchors (stock kernels) give the iobus-stress side
only, one column per kernel.  Exit 0, or 2 on unreadable input.
"""
import argparse
import json
import sys

# (row, anchor label, anchor key, iobus-stress label, iobus-stress key, kind)
# kind "sooner": anchor / iobus-stress (how many times sooner iobus-stress
# detects); "cost": iobus-stress / anchor.  Where the guest alternated the
# two (KEY_paired_ratio, KEY_pairs in the run), the ratio is the median of
# the pairs' ratios, not the ratio of the medians.
ROWS = [
    ("detection", "rcutorture busted: Start of test to first `!!!`",
     "rcutorture_busted_first_ns",
     "unsafe, cached, 2 readers: gp_violations_first_ns", "ibs_unsafe_first_ns", "sooner"),
    ("detection", "rcutorture busted: Start of test to first `!!!`",
     "rcutorture_busted_first_ns",
     "unregister=async, cached, 2 readers: device_violations_first_ns", "ibs_async_first_ns",
     "sooner"),
    ("detection", "rcutorture busted: Start of test to first `!!!`",
     "rcutorture_busted_first_ns",
     "call-srcu, cached, 2 readers: stale_observations_first_ns", "ibs_cached_first_ns",
     "sooner"),
    ("reader cost", "refscale srcu: ns per srcu_read_lock/unlock loop (median of runs)",
     "refscale_srcu_ns_per_loop",
     "ns_per_exit, idle writer, 1 reader, exit, timed as refscale: timed_loops=10000, "
     "interrupts off (median of runs)", "ibs_ns_per_exit", "cost"),
    ("reader cost (wall clock)", "refscale srcu: ns per srcu_read_lock/unlock loop (median of runs)",
     "refscale_srcu_ns_per_loop",
     "the same, timed by the run's wall clock, interrupts on (median of runs)",
     "ibs_ns_per_exit_wall", "cost"),
    ("expedited GP", "rcuscale srcud gp_exp=1: writer duration p25",
     "rcuscale_srcud_exp_p25_ns",
     "probe_mode=back-to-back (bound to CPU 0, SCHED_FIFO, as rcuscale's writer): probe p25",
     "ibs_probe_b2b_p25_ns", "cost"),
    ("expedited GP (p50)", "rcuscale srcud gp_exp=1: writer duration p50",
     "rcuscale_srcud_exp_p50_ns",
     "the same probe: p50", "ibs_probe_b2b_p50_ns", "cost"),
    ("expedited GP (periodic)", "rcuscale srcud gp_exp=1: writer duration p50",
     "rcuscale_srcud_exp_p50_ns",
     "probe_us=1000 (periodic): probe p50", "ibs_probe_periodic_p50_ns", "cost"),
]


def fmt_ns(v):
    if v is None:
        return "-"
    if v >= 1e9:
        return "%.2f s" % (v / 1e9)
    if v >= 1e6:
        return "%.2f ms" % (v / 1e6)
    if v >= 1e4:
        return "%.1f us" % (v / 1e3)
    return "%d ns" % v


def num(run, key):
    v = run.get(key)
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def load(path):
    run = {}
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if "=" in line:
                k, v = line.split("=", 1)
                run[k] = v
    run["_file"] = path
    return run


def host(run):
    """run-vm's host-load verdict without its long reason."""
    return run.get("host", "host_load=?").split(" wall=")[0]


def anchor_rows(run):
    rows = []
    for row, alabel, akey, ilabel, ikey, kind in ROWS:
        a, i = num(run, akey), num(run, ikey)
        # A detector that never fired (first_ns 0) has no time.
        if kind == "sooner" and i == 0:
            i = None
        ratio = None
        if a and i:
            ratio = a / i if kind == "sooner" else i / a
        rkind = "anchor/iobus-stress (x sooner)" if kind == "sooner" else "iobus-stress/anchor"
        pairs = run.get(ikey + "_pairs")
        if pairs is not None:
            try:
                ratio = float(run[ikey + "_paired_ratio"])
            except (KeyError, ValueError):
                ratio = None
            rkind += ", median of %d pairs" % len(pairs.split())
        rows.append({"row": row, "anchor": alabel, "anchor_key": akey, "anchor_ns": a,
                     "iobus_stress": ilabel, "iobus_stress_key": ikey, "iobus_stress_ns": i,
                     "ratio_kind": rkind, "ratio": ratio, "pairs": pairs})
    return rows


def fmt_ratio(r, kind):
    if r["ratio"] is None:
        return "-"
    if kind == "sooner":
        return "%.1fx sooner" % r["ratio"]
    if r.get("pairs"):
        return "%.2fx (median of %d paired ratios)" % (r["ratio"], len(r["pairs"].split()))
    return "%.2fx" % r["ratio"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--md")
    ap.add_argument("--json")
    ap.add_argument("runs", nargs="+")
    a = ap.parse_args()
    try:
        runs = [load(p) for p in a.runs]
    except OSError as e:
        print("table.py: %s" % e, file=sys.stderr)
        return 2
    md = []
    out = {"runs": {}, "anchor_table": None, "stock_table": []}
    for run in runs:
        out["runs"][run["_file"]] = {k: v for k, v in run.items() if k != "_file"}
    deb = [r for r in runs if r.get("anchors") == "1"]
    stock = [r for r in runs if r.get("anchors") != "1"]
    for run in deb:
        rows = anchor_rows(run)
        out["anchor_table"] = {"kernel": run.get("kernel"), "short": run.get("short") == "1",
                               "host": run.get("host", "?"), "rows": rows}
        out["anchor_table"]["vm"] = run.get("vm", "PASS")
        md.append("Anchors on the %s debug kernel (KASAN, lockdep; QEMU TCG, -smp 2)%s; %s%s"
                  % (run.get("kernel"), ", short" if run.get("short") == "1" else "",
                     host(run),
                     "; THE RUN FAILED: " + run["vm"] if "vm" in run else ""))
        md.append("")
        md.append("| measure | anchor | anchor | iobus-stress | iobus-stress | ratio |")
        md.append("|---|---|---|---|---|---|")
        for r, spec in zip(rows, ROWS):
            md.append("| %s | %s | %s | %s | %s | %s |" % (
                r["row"], r["anchor"], fmt_ns(r["anchor_ns"]), r["iobus_stress"],
                fmt_ns(r["iobus_stress_ns"]), fmt_ratio(r, spec[5])))
        md.append("")
    if stock:
        md.append("iobus-stress side on the stock kernels (no anchors there)")
        md.append("")
        md.append("| measure | iobus-stress | " + " | ".join(r.get("kernel", "?") for r in stock) + " |")
        md.append("|---|---|" + "---|" * len(stock))
        seen = set()
        for row, _, _, ilabel, ikey, kind in ROWS:
            if ikey in seen:
                continue
            seen.add(ikey)
            vals = []
            for run in stock:
                v = num(run, ikey)
                if kind == "sooner" and v == 0:
                    v = None
                vals.append(v)
            out["stock_table"].append({"row": row, "iobus_stress": ilabel, "key": ikey,
                                       "ns": dict(zip((r.get("kernel") for r in stock), vals))})
            md.append("| %s | %s | %s |" % (row, ilabel, " | ".join(fmt_ns(v) for v in vals)))
        md.append("")
        for run in stock:
            md.append("* %s: %s%s" % (run.get("kernel"), host(run),
                                      "; THE RUN FAILED: " + run["vm"] if "vm" in run else ""))
        md.append("")
    text = "\n".join(md)
    try:
        if a.md:
            with open(a.md, "w") as f:
                f.write(text)
        if a.json:
            with open(a.json, "w") as f:
                json.dump(out, f, indent=1)
                f.write("\n")
    except OSError as e:
        print("table.py: %s" % e, file=sys.stderr)
        return 9
    if not a.md:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
