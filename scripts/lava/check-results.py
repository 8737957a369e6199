#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""check-results.py [--suites A,B] [--no-controls] LAVA.log [result.yaml]

Check what lava-run recorded against what the driver printed.  LAVA.log is
lava-run's log (one YAML mapping a line, without --url), result.yaml the
job result in lava-run's --output-dir.  Per suite (a test definition
named iobus-COMMAND; default iobus-matrix, iobus-boot, iobus-kvm):

* the KTAP the driver printed on the console (the "target" lines between
  "----- BEGIN KTAP SUITE" and "----- END KTAP SUITE rc=N") is there;
* the test cases LAVA recorded without a measurement are exactly its test
  points, names and results, by ktap-lava.sh's rules (every character but
  [A-Za-z0-9._-] made "_", the Nth point of a name NAME.N, "ok # SKIP" is
  skip, "1..0 # SKIP" one skip case named COMMAND), plus COMMAND-exit
  (pass on exit 0 or 4) and a real host's build-driver/build-module;
* the measurements arrived, each a number with its units (ns for a
  latency, ratio for a ratio): kvm: first_memslot_ns_p50 and ioeventfd_ns_p50
  equal to the KTAP's "registration timing" figures and regression_ratio
  equal to its "regression" ratio; matrix and boot: each test point that
  is no skip has a NAME.*_ns_p50 measurement; boot: the call-srcu
  boot_vcpu1_ratio.
And the job itself passed.  Then, unless --no-controls, the negative
controls: the same check on copies of LAVA's results with one case
renamed, one result flipped and one measurement dropped must each fail,
for that reason.  Exit 0 when all hold, 1 otherwise.
"""
import copy
import re
import sys

import yaml

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Za-z0-9]|\x1bc|\r")
SETUP_CASES = {"build-driver", "build-module"}


def lava_name(s):
    return re.sub(r"[^A-Za-z0-9._-]", "_", s)


def read_log(path):
    """lava-run's log: (results, console lines)."""
    results, console = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                e = yaml.safe_load(line)
            except yaml.YAMLError:
                continue
            if not isinstance(e, dict):
                continue
            if e.get("lvl") == "results" and isinstance(e.get("msg"), dict):
                results.append(e["msg"])
            elif e.get("lvl") == "target":
                console.append(ANSI.sub("", str(e.get("msg", ""))))
    return results, console


def ktap_blocks(console):
    """{suite: (ktap lines, rc)} from the console."""
    blocks, cur, lines = {}, None, []
    for line in console:
        m = re.match(r"^----- BEGIN KTAP (\S+)$", line.strip())
        if m:
            cur, lines = m.group(1), []
            continue
        m = re.match(r"^----- END KTAP (\S+) rc=(\d+)$", line.strip())
        if m and cur == m.group(1):
            blocks[cur] = (lines, int(m.group(2)))
            cur = None
            continue
        if cur is not None:
            lines.append(line.rstrip())
    return blocks


def expected_cases(cmd, ktap, rc):
    """ktap-lava.sh's test cases of one KTAP: {name: result}, and the
    points' (name, result, directive) in order."""
    cases, points, seen = {}, [], {}
    for line in ktap:
        if re.match(r"^1\.\.0 # SKIP", line):
            cases[cmd] = "skip"
            continue
        m = re.match(r"^(not )?ok \d+ (.*)$", line)
        if not m:
            continue
        res = "fail" if m.group(1) else "pass"
        name, directive = m.group(2), ""
        if " # " in name:
            name, directive = name.split(" # ", 1)
            if directive.startswith("SKIP") and res == "pass":
                res = "skip"
        n = lava_name(name)
        seen[n] = seen.get(n, 0) + 1
        if seen[n] > 1:
            n = "%s.%d" % (n, seen[n])
        cases[n] = res
        points.append((n, res, directive))
    cases["%s-exit" % cmd] = "pass" if rc in (0, 4) else "fail"
    return cases, points


def close(a, b, tol):
    return abs(float(a) - float(b)) <= tol


def check_suite(suite, results, ktap, rc):
    """Problems of one suite (a list of strings)."""
    cmd = suite.split("-", 1)[1]
    probs = []
    mine = [r for r in results if re.sub(r"^\d+_", "", str(r.get("definition", ""))) == suite]
    if not mine:
        return ["%s: LAVA recorded no test case" % suite]
    want, points = expected_cases(cmd, ktap, rc)
    got, meas = {}, {}
    for r in mine:
        name = str(r.get("case"))
        if "measurement" in r:
            meas[name] = r
        elif name not in SETUP_CASES:
            if name in got:
                probs.append("%s: test case %s recorded twice" % (suite, name))
            got[name] = str(r.get("result"))
    for name in sorted(set(want) - set(got)):
        probs.append("%s: KTAP test case %s (%s) not recorded by LAVA" % (suite, name, want[name]))
    for name in sorted(set(got) - set(want)):
        probs.append("%s: LAVA test case %s (%s) is no KTAP test point" % (suite, name, got[name]))
    for name in sorted(set(got) & set(want)):
        if got[name] != want[name]:
            probs.append("%s: test case %s: LAVA %s, KTAP %s" % (suite, name, got[name], want[name]))
    for name, r in meas.items():
        units = str(r.get("units", ""))
        if not isinstance(r["measurement"], (int, float)):
            probs.append("%s: measurement %s is no number: %r" % (suite, name, r["measurement"]))
        want_units = "ratio" if name.endswith("_ratio") else "ns"
        if units != want_units:
            probs.append("%s: measurement %s in %r, not %s" % (suite, name, units, want_units))

    def need(name, value=None, tol=0.0):
        if name not in meas:
            probs.append("%s: measurement %s did not arrive" % (suite, name))
        elif value is not None and not close(meas[name]["measurement"], value, tol):
            probs.append("%s: measurement %s is %s, the KTAP says %s" %
                         (suite, name, meas[name]["measurement"], value))

    if not points:	# a whole-run skip: nothing to measure
        return probs
    if cmd == "kvm":
        for n, res, d in points:
            m = re.match(r"ioeventfd p50 (\d+) ns, first memslot p50 (\d+) ns", d)
            if n == "registration_timing" and m:
                need("ioeventfd_ns_p50", m.group(1))
                need("first_memslot_ns_p50", m.group(2))
            m = re.match(r"\w+: ([0-9.]+)x$", d)
            if n == "regression" and m:
                need("regression_ratio", m.group(1), 0.051)
        if not any(n == "registration_timing" for n, _, _ in points):
            probs.append("%s: no 'registration timing' test point" % suite)
    else:
        for n, res, d in points:
            if res != "skip" and not any(k.startswith(n + ".") and k.endswith("_ns_p50") for k in meas):
                probs.append("%s: no *_ns_p50 measurement of %s arrived" % (suite, n))
        if cmd == "boot" and any(n.split(".")[0] == "call-srcu" for n, _, _ in points):
            need("call-srcu.boot_vcpu1_ratio")
    return probs


def check(results, console, suites, job_result):
    probs = []
    if job_result is not None and job_result != "pass":
        probs.append("the LAVA job did not pass: %s" % job_result)
    blocks = ktap_blocks(console)
    for suite in suites:
        if suite not in blocks:
            probs.append("%s: no KTAP on the console" % suite)
            continue
        probs += check_suite(suite, results, *blocks[suite])
    return probs, blocks


def controls(results, console, suites):
    """Each mutation of LAVA's results must fail the check for its reason."""
    cases = [r for r in results if r.get("definition") != "lava" and "measurement" not in r
             and str(r.get("case")) not in SETUP_CASES]
    meas = [r for r in results if "measurement" in r]
    if not cases or not meas:
        return ["controls: no test case or measurement to mutate"]
    muts = []
    c = copy.deepcopy(results)
    i = results.index(cases[0])
    c[i]["case"] = str(c[i]["case"]) + "-renamed"
    muts.append(("renamed test case %s" % cases[0]["case"], c,
                 r"LAVA test case %s-renamed .* is no KTAP test point" % re.escape(str(cases[0]["case"]))))
    c = copy.deepcopy(results)
    c[i]["result"] = "fail" if cases[0]["result"] != "fail" else "pass"
    muts.append(("flipped result of %s" % cases[0]["case"], c,
                 r"test case %s: LAVA %s, KTAP" % (re.escape(str(cases[0]["case"])), c[i]["result"])))
    key = next((r for r in meas if r["case"] == "first_memslot_ns_p50"), meas[0])
    c = [r for r in results if r is not key]
    muts.append(("dropped measurement %s" % key["case"], c,
                 r"(measurement %s did not arrive|no \*_ns_p50 measurement of)" % re.escape(str(key["case"]))))
    probs = []
    for what, mutated, reason in muts:
        p, _ = check(mutated, console, suites, None)
        hit = [x for x in p if re.search(reason, x)]
        if hit:
            print("ok: control: %s: fails: %s" % (what, hit[0]))
        else:
            probs.append("control: %s: the check did not fail for it (%s)" % (what, p or "it passed"))
    return probs


def main():
    args = sys.argv[1:]
    suites, do_controls = ["iobus-matrix", "iobus-boot", "iobus-kvm"], True
    while args and args[0].startswith("--"):
        a = args.pop(0)
        if a == "--suites":
            suites = args.pop(0).split(",")
        elif a == "--no-controls":
            do_controls = False
        else:
            sys.exit(__doc__)
    if not args:
        sys.exit(__doc__)
    results, console = read_log(args[0])
    job_result = None
    if len(args) > 1:
        with open(args[1], encoding="utf-8") as f:
            job_result = (yaml.safe_load(f) or {}).get("result")
    probs, blocks = check(results, console, suites, job_result)
    for suite in suites:
        if suite in blocks:
            lines, rc = blocks[suite]
            n = len([r for r in results if re.sub(r"^\d+_", "", str(r.get("definition", ""))) == suite])
            m = len([r for r in results if re.sub(r"^\d+_", "", str(r.get("definition", ""))) == suite
                     and "measurement" in r])
            pts = len([x for x in lines if re.match(r"^(not )?ok \d+ ", x)])
            print("  %s: KTAP %d test points (driver exit %d); LAVA %d test cases, %d of them measurements"
                  % (suite, pts, rc, n - m, m))
    if not probs and do_controls:
        probs += controls(results, console, suites)
    for p in probs:
        print("FAIL: %s" % p)
    if probs:
        return 1
    print("ok: LAVA's test cases are the KTAP's, names and results, and the measurements arrived")
    return 0


if __name__ == "__main__":
    sys.exit(main())
