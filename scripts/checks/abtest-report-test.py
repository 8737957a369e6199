#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unit test of make abtest's verdict rules (scripts/abtest/report.py).

Each case is a compare table and B's files made by hand, with the verdict
the issue's rules give (cures: the regression's metric falls significantly
and B's first memslot update after registrations is within 2x of the same
update with none; improves: falls, not within 2x; regresses: a metric
significantly worse; breaks: stale > 0 or an unexpected exit in B;
otherwise no-change).  Then the whole report on such a directory: the exit
code, report.md, report.json and report.svg.
"""
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "abtest"))
import report  # noqa: E402

failures = 0


def row(metric, base, new, p, verdict):
    return {"metric": metric, "base": base, "new": new, "ratio": new / base,
            "ci_low": new / base * 0.9, "ci_high": new / base * 1.1,
            "p": p, "verdict": verdict}


def bfile(fm, noreg, stale=0, unexpected=0):
    return ("x.json", {"summary": {"first_memslot_ns_p50": fm,
                                   "first_memslot_noreg_ns_p50": noreg,
                                   "stale_observations": stale,
                                   "unexpected_exits": unexpected}})


def case(name, rows, bfiles, want, want_in=None):
    global failures
    word, line, _ = report.judge(rows, bfiles)
    ok = word == want and (want_in is None or want_in in line)
    print("%s %s: %s (%s)" % ("ok" if ok else "not ok", name, word, line))
    if not ok:
        failures += 1


base = [row("first_memslot_noreg_ns", 5e5, 5e5, 0.8, "pass"),
        row("vcpu_create_ns", 6e5, 6e5, 0.7, "pass"),
        row("ioeventfd_ns", 4e3, 4e3, 0.6, "pass")]
fm_fell = row("first_memslot_ns", 7e6, 6e5, 0.003, "improvement")
fm_same = row("first_memslot_ns", 7e6, 7e6, 0.9, "pass")
case("cure", [fm_fell] + base, [bfile(6e5, 5e5)] * 8, "cures")
case("fall beyond 2x", [row("first_memslot_ns", 7e6, 2e6, 0.003, "improvement")] + base,
     [bfile(2e6, 5e5)] * 8, "improves")
case("exactly 2x is within", [fm_fell] + base, [bfile(1e6, 5e5)] * 8, "cures")
case("cure with a cost",
     [fm_fell, row("ioeventfd_ns", 4e3, 4e5, 0.003, "regression")] + base[:2],
     [bfile(6e5, 5e5)] * 8, "cures", "worse: ioeventfd_ns 100x")
case("delay on KVM_CREATE_VCPU",
     [fm_same, row("vcpu_create_ns", 6e5, 3e6, 0.003, "regression")] + base[::2],
     [bfile(7e6, 5e5)] * 8, "regresses", "vcpu_create_ns")
case("nothing", [fm_same] + base, [bfile(7e6, 5e5)] * 8, "no-change",
     "no metric changed significantly")
# Seen on arm64 (sync while no vCPU exists): the first memslot update the
# same, the first deassign 0.0084x: no-change, but not "no metric changed".
case("no-change, another metric better",
     [fm_same, row("first_deassign_ns", 6.4e6, 5.4e4, 0.0031, "improvement")] + base,
     [bfile(7e6, 5e5)] * 8, "no-change", "better: first_deassign_ns 0.00844x")
case("first memslot worse", [row("first_memslot_ns", 7e6, 9e6, 0.003, "regression")] + base,
     [bfile(9e6, 5e5)] * 8, "regresses")
case("stale in B", [fm_fell] + base, [bfile(6e5, 5e5)] * 7 + [bfile(6e5, 5e5, stale=3)],
     "breaks", "stale 3")
case("unexpected exit in B", [fm_same] + base, [bfile(7e6, 5e5, unexpected=1)] * 8, "breaks")

# The whole report on a made-up directory: exit code 10 and three files.
with tempfile.TemporaryDirectory() as d:
    for side, fm in (("A", 7e6), ("B", 6e5)):
        os.mkdir(os.path.join(d, side))
        for i in range(1, 9):
            doc = {"summary": {"first_memslot_ns_p50": fm + i,
                               "first_memslot_noreg_ns_p50": 5e5 + i,
                               "vcpu_create_ns_p50": 6e5, "ioeventfd_ns_p50": 4e3,
                               "stale_observations": 0, "unexpected_exits": 0}}
            with open(os.path.join(d, side, "%d.json" % i), "w") as f:
                json.dump(doc, f)
    with open(os.path.join(d, "compare.json"), "w") as f:
        json.dump({"compare": {"rows": [fm_fell] + base, "method": "m", "alpha": 0.01,
                               "min_effect": 0.05, "underpowered": False,
                               "smallest_p": 0.003}}, f)
    with open(os.path.join(d, "meta.env"), "w") as f:
        f.write("name=t\nkernel=7.3\nhz=250\npairs=8\nvcpus=2\nsafety=0\n")
    r = subprocess.run([sys.executable, os.path.join(here, "..", "abtest", "report.py"),
                        "--dir", d], capture_output=True, text=True)
    ok = r.returncode == 10 and all(os.path.getsize(os.path.join(d, f)) > 0 for f in
                                    ("report.md", "report.json", "report.svg"))
    rep = json.load(open(os.path.join(d, "report.json"))) if ok else {}
    ok = ok and rep.get("verdict") == "cures" and rep.get("exit_code") == 10
    print("%s report: exit %d, %s" % ("ok" if ok else "not ok", r.returncode,
                                      r.stdout.strip().splitlines()[0] if r.stdout else r.stderr))
    failures += 0 if ok else 1
    # A timing boot abtest.sh retried is named in the verdict line, the
    # JSON and report.md (a green run must not hide a flaky B).
    with open(os.path.join(d, "meta.env"), "a") as f:
        f.write("retried=B timing-B-7: guest test script failed\n")
    r = subprocess.run([sys.executable, os.path.join(here, "..", "abtest", "report.py"),
                        "--dir", d], capture_output=True, text=True)
    rep = json.load(open(os.path.join(d, "report.json")))
    md = open(os.path.join(d, "report.md")).read()
    ok = (r.returncode == 10 and "1 timing boot retried after a failure (B timing-B-7" in r.stdout
          and rep.get("retried_boots") == ["B timing-B-7: guest test script failed"]
          and "## Retried boots" in md and "timing-B-7" in rep.get("verdict_line", ""))
    print("%s report names a retried boot: %s" % ("ok" if ok else "not ok",
                                                  r.stdout.strip().splitlines()[0] if r.stdout else r.stderr))
    failures += 0 if ok else 1
print("%d failed" % failures)
sys.exit(1 if failures else 0)
