#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""timing-load-summary.py RUN_DIR...: the ratios behind make check's timing
checks, per run of scripts/checks/timing-load.sh, recomputed from the JSONs
it kept (RUN_DIR/K/{boot,boot-early0,kvm,kvm-early0}.json,
RUN_DIR/arm64-K/{kvm,kvm-early0}.json, RUN_DIR/hosts).

Per kernel and run: the boot model's first vCPU creation, call-srcu over
sync-expedited, by medians (the idle rule) and by fastest repeats (the
loaded rule), and the same for the early_devices=0 control; the kvm
diagnosis' lower-quartile ratio (the driver's) and fastest-VM ratio, and
by q25(A) / min(B) (the loaded rule for "present"), and the same for
its --early 0 control, and the share of pairs whose A was the slower (not
asserted); arm64-K directories (timing-load.sh --arm64) the same for the
arm64 VMs; across kernels 7.3's fastest first
memslot update over the median of 6.1's and 6.12's.  Then, per quantity,
the range over the runs next to the bound make check asserts, and the
busy-loop calibrations seen (scripts/vm/host-load.py).
"""
import json
import os
import re
import statistics
import sys


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def boot_ratios(doc):
    by = {}
    for r in doc.get("runs", []):
        by.setdefault(r["name"], []).append(int(r["stats"]["boot_vcpu1_ns"]))
    se, cs = by.get("sync-expedited"), by.get("call-srcu")
    if not se or not cs:
        return None
    return (statistics.median(cs) / max(statistics.median(se), 1),
            min(cs) / max(min(se), 1))


def q25(v):
    v = sorted(v)
    return v[int(0.25 * (len(v) - 1) + 0.5)]


def kvm_ratios(doc):
    p = doc.get("diagnosis_pairs") or []
    if not p:
        return None
    a, b = [x for x, _ in p], [y for _, y in p]
    return (q25(a) / max(q25(b), 1), min(a) / max(min(b), 1), min(a),
            q25(a) / max(min(b), 1), sum(1 for x, y in p if x > y) / len(p))


# quantity -> (the bound make check asserts, a description)
BOUNDS = {
    "boot regression, fastest": ">= 3x",
    "boot regression, median": ">= 3x (idle)",
    "boot control, fastest": "< 3x",
    "boot control, median": "< 3x (idle)",
    "kvm 7.3 diagnosis, q25(A)/min(B)": ">= 5x",
    "kvm 7.3 diagnosis, fastest": "-",
    "kvm 7.3 diagnosis, q25": ">= 5x (idle)",
    "kvm 6.x diagnosis, fastest": "< 2x",
    "kvm 6.x diagnosis, q25": "< 2x (idle)",
    "kvm 6.x diagnosis, q25(A)/min(B)": "(must not reach 5x)",
    "kvm control, fastest": "< 2x",
    "kvm control, q25": "< 2x (idle)",
    "7.3 vs 6.x first memslot, fastest": ">= 5x",
    "kvm 7.3 pairs with A > B": "-",
    "kvm 6.x pairs with A > B": "-",
    "kvm control pairs with A > B": "-",
    "arm64 kvm 7.3 diagnosis, q25(A)/min(B)": ">= 5x",
    "arm64 kvm 7.3 diagnosis, fastest": "-",
    "arm64 kvm 7.3 diagnosis, q25": "- (word)",
    "arm64 kvm 6.x diagnosis, fastest": "< 2x",
    "arm64 kvm 6.x diagnosis, q25": "- (word)",
    "arm64 kvm 6.x diagnosis, q25(A)/min(B)": "(must not reach 5x)",
    "arm64 kvm control, fastest": "< 2x",
    "arm64 kvm control, q25": "- (word)",
    "arm64 kvm 7.3 pairs with A > B": "-",
    "arm64 kvm 6.x pairs with A > B": "-",
    "arm64 kvm control pairs with A > B": "-",
}


def main(dirs):
    if not dirs:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    seen = {k: [] for k in BOUNDS}
    calib = []
    for d in dirs:
        line = [os.path.basename(d.rstrip("/"))]
        fastest = {}
        for k in sorted(n for n in os.listdir(d) if os.path.isdir(os.path.join(d, n))):
            b, c = load(os.path.join(d, k, "boot.json")), load(os.path.join(d, k, "boot-early0.json"))
            if b and (r := boot_ratios(b)):
                seen["boot regression, median"].append(r[0])
                seen["boot regression, fastest"].append(r[1])
                line.append("%s boot %.0fx/%.0fx" % (k, r[0], r[1]))
            if c and (r := boot_ratios(c)):
                seen["boot control, median"].append(r[0])
                seen["boot control, fastest"].append(r[1])
                line.append("ctl %.2fx/%.2fx" % r)
            # arm64-K: the arm64 VM's files (timing-load.sh --arm64)
            arch = "arm64 " if k.startswith("arm64-") else ""
            rel = k[len("arm64-"):] if arch else k
            v, w = load(os.path.join(d, k, "kvm.json")), load(os.path.join(d, k, "kvm-early0.json"))
            if v and (r := kvm_ratios(v)):
                tag = arch + "kvm " + ("7.3" if rel.startswith("7.") else "6.x")
                seen["%s diagnosis, q25" % tag].append(r[0])
                seen["%s diagnosis, fastest" % tag].append(r[1])
                seen["%s diagnosis, q25(A)/min(B)" % tag].append(r[3])
                seen["%s pairs with A > B" % tag].append(r[4])
                if not arch:
                    fastest[k] = r[2]
                line.append("%skvm %.2fx/%.2fx/%.1fx" % (arch, r[0], r[1], r[3]))
            if w and (r := kvm_ratios(w)):
                seen[arch + "kvm control, q25"].append(r[0])
                seen[arch + "kvm control, fastest"].append(r[1])
                seen[arch + "kvm control pairs with A > B"].append(r[4])
                line.append("ctl %.2fx/%.2fx" % r[:2])
        if all(k in fastest for k in ("6.1", "6.12", "7.3")):
            x = fastest["7.3"] / max(statistics.median([fastest["6.1"], fastest["6.12"]]), 1)
            seen["7.3 vs 6.x first memslot, fastest"].append(x)
            line.append("7.3/6.x %.1fx" % x)
        try:
            with open(os.path.join(d, "hosts")) as f:
                for h in f:
                    m = re.search(r"calib=([0-9.]+)x", h)
                    if m:
                        calib.append(float(m.group(1)))
        except OSError:
            pass
        print("  ".join(line))
    print()
    print("%-36s %-14s %s" % ("quantity (median/fastest above)", "asserted", "range over the runs"))
    for k, bound in BOUNDS.items():
        v = seen[k]
        fmt = "%.0f%%..%.0f%% (%d runs)" if "pairs" in k else "%.2f..%.2fx (%d runs)"
        scale = 100 if "pairs" in k else 1
        print("%-36s %-14s %s" % (k, bound, fmt % (scale * min(v), scale * max(v), len(v))
                                  if v else "-"))
    if calib:
        print("busy-loop calibration of the VM runs: %.2f..%.2fx (%d runs)"
              % (min(calib), max(calib), len(calib)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
