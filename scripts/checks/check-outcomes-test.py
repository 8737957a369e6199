#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-outcomes-test.py [--kernel X.Y] [MATRIX.json]: self-tests of
check-outcomes.py (--kernel: the kernel MATRIX.json ran on).

Starts from MATRIX.json (a real matrix run; without it, a matrix made up
from the counts a correct module reports), requires check-outcomes.py to
accept it, then mutates it and requires each mutation to be caught for
its own reason:
  * the async-unregister control cell deleted;
  * the module's table weakened (call-srcu/cached expects stale=any: the
    counts do not change, only the module's expect string);
  * a count that contradicts the table, a leak, an extra cell, a cell that
    ran another config;
  * the module's basis of a clause relabelled (a by-construction zero
    called an SRCU guarantee, the unsafe control's gp>0 called measured),
    or missing;
  * a missing or empty JSON is a test error (exit 2), not a verdict (1).
And an "inconclusive" cached cell with stale=0 is accepted as
inconclusive, never as a pass, while an inconclusive one with a
contradicting count still fails.
"""
import copy
import io
import json
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, here)
import expected_outcomes as T  # noqa: E402

CHECK = os.path.join(here, "check-outcomes.py")
co = __import__("importlib").import_module("importlib.util")
spec = co.spec_from_file_location("check_outcomes", CHECK)
C = co.module_from_spec(spec)
spec.loader.exec_module(C)

bad = 0


def made_up():
    runs = []
    for name, (cfg, base) in C.required_cells(False, None).items():
        out = C.relax(base, {"readers": "2"})
        st = {"reclaim": cfg["reclaim"], "pattern": cfg["pattern"],
              "unregister": cfg.get("unregister", "sync"), "readers": 2,
              "guest_sync": "acquire", "workload": "churn",
              "expect": C.expect_string(out), "verdict": "pass",
              "leaked": 0}
        st["expect_basis"] = C.basis_string(out, st)
        for key, c in zip(("stale_observations", "gp_violations",
                           "device_violations"), out):
            st[key] = 5 if c == ">0" else 0
        runs.append({"name": name, "pass": True, "why": "", "stats": st})
    return {"tool": "iobus-stress", "runs": runs}


def made_up_boot():
    runs = []
    for name, (cfg, _) in C.required_cells(True, None).items():
        for _ in range(2):
            runs.append({"name": name, "pass": True, "why": "", "stats": {
                "reclaim": cfg["reclaim"], "pattern": "exit", "readers": 2,
                "workload": "boot", "guest_sync": "acquire",
                "unregister": "sync", "expect": "stale=0,gp=0,dev=0",
                "expect_basis": "stale=construction(read-lock-mb),"
                "gp=srcu(grace-period),dev=srcu(synchronize)",
                "boot_vcpu1_basis": T.VCPU1_BASIS.get(
                    cfg["reclaim"], T.VCPU1_BASIS_DEFAULT),
                "verdict": "pass", "leaked": 0, "stale_observations": 0,
                "gp_violations": 0, "device_violations": 0}})
    return {"tool": "iobus-stress", "runs": runs}


def run(doc, raw=None, boot=False):
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        if raw is not None:
            f.write(raw)
        elif doc is not None:
            json.dump(doc, f)
        path = f.name
    if doc is None and raw is None:
        os.unlink(path)
    p = subprocess.run([sys.executable, CHECK] + (["--boot"] if boot else [])
                       # the boot documents are made up: no kernel's
                       + (["--kernel", KERNEL] if KERNEL and not boot else [])
                       + [path], capture_output=True, text=True)
    if os.path.exists(path):
        os.unlink(path)
    return p.returncode, p.stdout + p.stderr


def expect(what, doc, rc, needle, raw=None, boot=False):
    global bad
    got, out = run(doc, raw, boot)
    if got == rc and needle in out:
        print("ok: %s (exit %d: %s)" % (what, got, needle))
    else:
        bad = 1
        print("FAIL: %s: exit %d, wanted %d with %r; output:\n%s"
              % (what, got, rc, needle, out))


def cell(doc, name):
    for r in doc["runs"]:
        if r["name"] == name:
            return r
    raise SystemExit("check-outcomes-test: no cell %s in the base" % name)


KERNEL = None


def main():
    global KERNEL
    args = sys.argv[1:]
    if args[:1] == ["--kernel"]:
        KERNEL, args = args[1], args[2:]
    base = json.load(open(args[0])) if args else made_up()
    expect("the base matrix passes", base, 0, "0 not as expected")

    d = copy.deepcopy(base)
    ctl = next(iter(T.CONTROLS))
    d["runs"] = [r for r in d["runs"] if r["name"] != ctl]
    expect("deleting the async control cell fails", d, 1,
           "%s: missing" % ctl)

    d = copy.deepcopy(base)
    cell(d, "call-srcu/cached")["stats"]["expect"] = "stale=any,gp=0,dev=0"
    expect("a weakened module table fails", d, 1,
           "module expects stale=any,gp=0,dev=0, the host table stale>0")

    d = copy.deepcopy(base)
    cell(d, "sync/exit")["stats"]["expect"] = "stale=any,gp=0,dev=0"
    cell(d, "sync/exit")["stats"]["stale_observations"] = 3
    expect("a weakened table hiding a stale count fails", d, 1,
           "sync/exit: module expects stale=any")

    d = copy.deepcopy(base)
    cell(d, "call-srcu/cached")["stats"]["stale_observations"] = 0
    cell(d, "call-srcu/cached")["stats"]["verdict"] = "fail: x"
    expect("a >0 cell with 0 fails", d, 1, "stale=0, table says >0")

    d = copy.deepcopy(base)
    cell(d, "call-srcu/cached")["stats"]["stale_observations"] = 0
    cell(d, "call-srcu/cached")["stats"]["cached_exposures"] = 3
    cell(d, "call-srcu/cached")["stats"]["verdict"] = "inconclusive"
    expect("an inconclusive >0 cell is inconclusive, not a pass", d, 0,
           "ok call-srcu/cached # inconclusive")
    cell(d, "call-srcu/cached")["stats"]["cached_exposures"] = 16
    expect("an inconclusive cached cell with 16 exposures fails", d, 1,
           "inconclusive with cached_exposures=16")

    # The negative controls: inconclusive only without an exposure.
    for name, det, stat in (("unsafe/exit", "gp_violations", "gp_exposures"),
                            (ctl, "device_violations", "device_exposures")):
        d = copy.deepcopy(base)
        c = cell(d, name)["stats"]
        c[det], c[stat], c["verdict"] = 0, 0, "inconclusive: %s=0" % stat
        expect("%s with no exposure is inconclusive" % name, d, 0,
               "ok %s # inconclusive" % name)
        c[stat] = 4
        expect("%s inconclusive with exposures fails" % name, d, 1,
               "inconclusive with %s=4" % stat)
        del c[stat]
        expect("%s inconclusive without %s fails" % (name, stat), d, 1,
               "the stats lack %s" % stat)

    d = copy.deepcopy(base)
    cell(d, "call-srcu/cached")["stats"]["gp_violations"] = 1
    cell(d, "call-srcu/cached")["stats"]["verdict"] = "inconclusive"
    expect("an inconclusive cell with a contradiction fails", d, 1,
           "gp=1, table says 0")

    d = copy.deepcopy(base)
    cell(d, "poll/block")["stats"]["verdict"] = "fail: made up"
    expect("a module fail verdict with agreeing counts fails", d, 1,
           "the module says 'fail: made up'")

    d = copy.deepcopy(base)
    cell(d, "sync/block")["stats"]["leaked"] = 2
    expect("a leak fails", d, 1, "leaked 2")

    d = copy.deepcopy(base)
    cell(d, "hybrid/exit")["stats"]["reclaim"] = "sync"
    expect("a cell that ran another config fails", d, 1,
           "ran reclaim=sync")

    d = copy.deepcopy(base)
    d["runs"].append(copy.deepcopy(cell(d, "poll/exit")))
    d["runs"][-1]["name"] = "poll/exit/barrier=mb"
    expect("an extra cell fails", d, 1, "does not have")

    d = copy.deepcopy(base)
    c = cell(d, "sync/block")["stats"]
    c["guest_sync"], c["barrier"] = "relaxed", "none"
    expect("a plain guest load with block and no smp_rmb() needs the module "
           "to relax stale", d, 1,
           "module expects stale=0,gp=0,dev=0, the host table stale=any")
    c["expect"] = "stale=any,gp=0,dev=0"
    expect("block, barrier=none, guest_sync=relaxed with the module's basis "
           "unchanged fails", d, 1, "holds by stale=construction")
    c["expect_basis"] = ("stale=measured,gp=srcu(grace-period),"
                         "dev=srcu(synchronize)")
    expect("block, barrier=none, guest_sync=relaxed relaxed by both tables "
           "passes", d, 0, "0 not as expected")
    d = copy.deepcopy(base)
    c = cell(d, "call-srcu/exit")["stats"]
    c["guest_sync"], c["expect"] = "relaxed", "stale=any,gp=0,dev=0"
    expect("a module that gives up exit's stale=0 for a plain guest load "
           "(srcu_read_lock()'s smp_mb() orders it) fails", d, 1,
           "module expects stale=any,gp=0,dev=0, the host table stale=0")

    # The basis: a by-construction zero presented as a finding fails.
    d = copy.deepcopy(base)
    c = cell(d, "call-srcu/exit")["stats"]
    c["expect_basis"] = c["expect_basis"].replace(
        "construction(read-lock-mb)", "srcu(grace-period)")
    expect("a module calling exit's stale=0 an SRCU guarantee fails", d, 1,
           "the host table by stale=construction(read-lock-mb)")
    d = copy.deepcopy(base)
    c = cell(d, "unsafe/exit")["stats"]
    c["expect_basis"] = c["expect_basis"].replace("construction(hold)",
                                                  "measured")
    expect("a module calling the unsafe control's gp>0 measured fails", d,
           1, "gp=construction(hold)")
    d = copy.deepcopy(base)
    del cell(d, "sync/cached")["stats"]["expect_basis"]
    expect("a cell without expect_basis fails", d, 1,
           "holds by None, the host table by stale=srcu(synchronize)")

    b = made_up_boot()
    expect("a boot model passes", b, 0, "0 not as expected", boot=True)
    d = copy.deepcopy(b)
    d["runs"] = [r for r in d["runs"] if r["name"] != "call-srcu"]
    expect("a boot model without call-srcu fails", d, 1,
           "call-srcu: missing", boot=True)
    d = copy.deepcopy(b)
    d["runs"][0]["stats"]["gp_violations"] = 1
    expect("a boot run with a gp violation fails", d, 1,
           "gp=1, table says 0", boot=True)
    d = copy.deepcopy(b)
    for r in d["runs"]:
        if r["name"] == "hybrid":
            r["stats"]["boot_vcpu1_basis"] = "measured"
    expect("a boot model presenting hybrid's 1st vCPU as measured fails", d,
           1, "the host table construction(sync-before-vcpu)", boot=True)

    expect("a missing JSON is a test error", None, 2, "test error")
    expect("an empty JSON is a test error", None, 2, "test error", raw="")
    expect("a JSON without runs is a test error", None, 2, "has no runs",
           raw='{"runs": []}')
    return bad


if __name__ == "__main__":
    sys.exit(main())
