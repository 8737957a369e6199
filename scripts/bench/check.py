#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check.py [--detect-min X] [--cost-max X] [--gp-tol F] BENCH.json

make check's assertions on the `make bench` anchor table (table.py's
JSON), each against the reference tool's number measured in the same VM:
  * detection: every iobus-stress negative control's first report at least
    X (10) times sooner than rcutorture busted's first `!!!`;
  * reader cost: ns_per_exit (idle writer, timed as refscale times its
    loop: timed_loops, interrupts off) at most X (2) times refscale's ns
    per srcu_read_lock/unlock loop;
  * expedited GP: the back-to-back probe's p25 within F (0.2, i.e. +-20%)
    of rcuscale srcud gp_exp's writer-duration p25 (the p50s are in the
    table, not asserted: docs/bench.md says why); or, with
    --gp-within R, within a factor R either way (1/R..R).
Where the guest alternated anchor and iobus-stress runs, a ratio is the
median of the pairs' ratios (table.py).
Prints one line per assertion (ok: / FAIL:); exit 0 all hold, 1 one
failed, 2 bad input (no anchor table, a number missing).
"""
import argparse
import json
import sys


def pairs(r):
    """How a paired ratio was made: ', median of N pairs (ours/anchor ...)'."""
    if not r.get("pairs"):
        return ""
    return ", median of %d pairs (ours/anchor: %s)" % (len(r["pairs"].split()), r["pairs"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--detect-min", type=float, default=10.0)
    ap.add_argument("--cost-max", type=float, default=2.0)
    ap.add_argument("--gp-tol", type=float, default=0.2)
    ap.add_argument("--gp-within", type=float, default=None)
    ap.add_argument("json")
    a = ap.parse_args()
    try:
        with open(a.json) as f:
            t = json.load(f)["anchor_table"]
    except (OSError, ValueError, KeyError) as e:
        print("check.py: %s: %s" % (a.json, e))
        return 2
    if not t:
        print("check.py: %s has no anchor table (no debug-kernel run)" % a.json)
        return 2
    rows = {r["iobus_stress_key"]: r for r in t["rows"]}
    bad = 0
    if t.get("vm", "PASS") != "PASS":
        print("FAIL: the bench VM run failed (%s)" % t["vm"])
        bad = 1

    def need(key):
        r = rows.get(key)
        if not r or r["anchor_ns"] is None:
            print("check.py: %s: no anchor number for %s" % (a.json, key))
            sys.exit(2)
        return r

    for key in ("ibs_unsafe_first_ns", "ibs_async_first_ns", "ibs_cached_first_ns"):
        r = need(key)
        if r["iobus_stress_ns"] is None:
            print("FAIL: detection: %s never fired (rcutorture: %d ns)" % (key, r["anchor_ns"]))
            bad = 1
            continue
        ok = r["ratio"] >= a.detect_min
        print("%s: detection: %s %d ns, rcutorture busted %d ns: %.1fx sooner (need >= %gx)"
              % ("ok" if ok else "FAIL", key, r["iobus_stress_ns"], r["anchor_ns"],
                 r["ratio"], a.detect_min))
        bad |= not ok
    r = need("ibs_ns_per_exit")
    if r["iobus_stress_ns"] is None:
        print("check.py: no ns_per_exit")
        return 2
    if r["ratio"] is None:
        print("check.py: no reader-cost ratio")
        return 2
    ok = r["ratio"] <= a.cost_max
    print("%s: reader cost: ns_per_exit %d, refscale srcu %d ns/loop: %.2fx%s (need <= %gx)"
          % ("ok" if ok else "FAIL", r["iobus_stress_ns"], r["anchor_ns"], r["ratio"],
             pairs(r), a.cost_max))
    bad |= not ok
    r = need("ibs_probe_b2b_p25_ns")
    if r["iobus_stress_ns"] is None:
        print("check.py: no back-to-back probe p25 (module without probe_mode or p25?)")
        return 2
    lo, hi = 1 - a.gp_tol, 1 + a.gp_tol
    if a.gp_within:
        lo, hi = 1 / a.gp_within, a.gp_within
    if r["ratio"] is None:
        print("check.py: no expedited-GP ratio")
        return 2
    ok = lo <= r["ratio"] <= hi
    print("%s: expedited GP: back-to-back probe p25 %d ns, rcuscale srcud gp_exp p25 %d ns: "
          "%.2fx%s (need %.2f..%.2f)"
          % ("ok" if ok else "FAIL", r["iobus_stress_ns"], r["anchor_ns"], r["ratio"],
             pairs(r), lo, hi))
    bad |= not ok
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
