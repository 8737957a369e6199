#!/usr/bin/env python3
"""check-regression.py BOOT.json: the regression reproduced as a number.

The first vCPU creation's synchronize_srcu_expedited() must wait behind
the normal grace period call_srcu() started for the early registrations:
its median over the repeats must be at least MIN_MS and at least RATIO
times the sync-expedited median (the control: without call_srcu() the
same creation is fast).  Prints both medians and the ratio.
"""
import json
import statistics
import sys

MIN_MS, RATIO = 1.0, 3.0


def medians(path):
    runs = json.load(open(path))["runs"]
    by = {}
    for r in runs:
        by.setdefault(r["name"], []).append(int(r["stats"]["boot_vcpu1_ns"]))
    return {k: statistics.median(v) for k, v in by.items()}, by


def main():
    med, by = medians(sys.argv[1])
    for k in ("sync-expedited", "call-srcu"):
        if k not in med:
            sys.exit("check-regression: no %s runs in %s" % (k, sys.argv[1]))
    se, cs = med["sync-expedited"], med["call-srcu"]
    ratio = cs / se if se else float("inf")
    what = ("first vCPU creation, median of %d: sync-expedited %.1f us, "
            "call-srcu %.2f ms (%.0fx)" % (len(by["call-srcu"]), se / 1e3,
                                           cs / 1e6, ratio))
    if cs < MIN_MS * 1e6 or ratio < RATIO:
        sys.exit("check-regression: call_srcu() did not delay the first vCPU "
                 "(want >= %.1f ms and >= %.0fx): %s" % (MIN_MS, RATIO, what))
    print("ok: the call_srcu() regression reproduces: " + what)

if __name__ == "__main__":
    main()
