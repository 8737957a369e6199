#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-outcomes.py [--boot] [--kernel X.Y] RESULT.json

Judge a `matrix` (or, with --boot, a `boot`) JSON of iobus-stress against
the host's expected-outcome table (expected_outcomes.py), not the module's:
  * every cell the table requires is present, and no other;
  * each cell ran the config its name says;
  * the module's `expect` string equals the table's (a weakened module
    table fails here even when every count still agrees with it), and so
    does its `expect_basis`: why each clause holds (by construction, an
    SRCU guarantee, or measured);
  * the counts agree with the table, and nothing leaked.
A cell whose module verdict is "inconclusive" and whose only unmet clause
is a ">0" one is reported as inconclusive (not a failure, not a pass) when
the cell's own exposure count says the condition never happened
(expected_outcomes.UNDECIDED); with the condition met it fails.

Exit codes: 0 every cell as expected; 1 a cell contradicts the table or is
missing; 2 usage or unreadable/malformed input (a test error, not a verdict).
"""
import json
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import expected_outcomes as T  # noqa: E402


class InputError(Exception):
    pass


def outcome_for(reclaim, pattern):
    cls = T.RECLAIMS[reclaim][0]
    for (c, p), out in T.OUTCOMES:
        if c == cls and p in ("*", pattern):
            return out
    raise InputError("expected_outcomes.py has no outcome for %s/%s"
                     % (reclaim, pattern))


def relax(out, st):
    """The table's relaxations, from the cell's own config."""
    out = list(out)
    if st.get("readers") in (0, "0") or st.get("workload") == "boot":
        out = ["any" if c == ">0" else c for c in out]
    if ((st.get("guest_sync"), st.get("pattern"), st.get("barrier"))
            in T.RELAX_ZERO_STALE and out[0] == "0"):
        out[0] = "any"
    return tuple(out)


def expect_string(out):
    return ",".join("%s%s" % (n, "=" + c if c != ">0" else c)
                    for n, c in zip(T.CLAUSES, out))


def basis_string(out, st):
    """The expect_basis the host table gives @out in the cell @st."""
    cls = T.RECLAIMS[st["reclaim"]][0]
    pat, gs = st.get("pattern", "exit"), st.get("guest_sync")
    parts = []
    for n, c in zip(T.CLAUSES, out):
        for rule in T.BASIS:
            if all(w in ("*", v) for w, v in zip(rule[:5],
                                                 (n, c, cls, pat, gs))):
                parts.append("%s=%s" % (n, rule[5]))
                break
        else:
            raise InputError("expected_outcomes.py has no basis for %s%s in "
                             "%s/%s, guest_sync=%s" % (n, c, st["reclaim"],
                                                       pat, gs))
    return ",".join(parts)


def has_kernel(reclaim, kernel):
    first = T.RECLAIMS[reclaim][1]
    return first is None or (kernel is not None and kernel >= first)


def required_cells(boot, kernel):
    """{name: (config, outcome-before-relaxation)} the run must contain."""
    cells = {}
    for rc in T.RECLAIMS:
        if not has_kernel(rc, kernel):
            continue
        if boot:
            if rc not in T.BOOT_EXCLUDE:
                cells[rc] = ({"reclaim": rc}, None)
            continue
        for pat in T.PATTERNS:
            cells["%s/%s" % (rc, pat)] = ({"reclaim": rc, "pattern": pat,
                                           "unregister": "sync"},
                                          outcome_for(rc, pat))
    if not boot:
        cells.update(T.CONTROLS)
    return cells


def count(st, key):
    v = st.get(key)
    if isinstance(v, bool) or not isinstance(v, int):
        raise InputError("stat %s is %r, not a count" % (key, v))
    return v


def judge(name, cfg, base, st):
    """Returns (state, reason): state is pass, fail or inconclusive."""
    for k, v in cfg.items():
        if str(st.get(k)) != v:
            return "fail", "ran %s=%s, its name says %s" % (k, st.get(k), v)
    if base is None:       # boot: the outcome follows the reclaim's class
        base = outcome_for(st["reclaim"], st.get("pattern", "exit"))
        v1 = T.VCPU1_BASIS.get(st["reclaim"], T.VCPU1_BASIS_DEFAULT)
        if st.get("boot_vcpu1_basis") != v1:
            return "fail", ("module says the 1st vCPU is %s, the host table %s"
                            % (st.get("boot_vcpu1_basis"), v1))
    out = relax(base, st)
    want = expect_string(out)
    if st.get("expect") != want:
        return "fail", ("module expects %s, the host table %s"
                        % (st.get("expect"), want))
    basis = basis_string(out, st)
    if st.get("expect_basis") != basis:
        return "fail", ("module says %s holds by %s, the host table by %s"
                        % (want, st.get("expect_basis"), basis))
    counts = [count(st, k) for k in ("stale_observations", "gp_violations",
                                      "device_violations")]
    unmet = []
    for n, c, v in zip(T.CLAUSES, out, counts):
        if (c == "0" and v) or (c == ">0" and not v):
            unmet.append((n, c, v))
    if count(st, "leaked"):
        return "fail", "leaked %d objects" % st["leaked"]
    verdict = st.get("verdict")
    if (verdict or "").startswith(T.INCONCLUSIVE) and all(c == ">0" for _, c, _ in unmet):
        for n, _, _ in unmet:
            stat, least = T.UNDECIDED[n]
            if stat not in st:
                return "fail", "inconclusive, but the stats lack %s" % stat
            if count(st, stat) >= least:
                return "fail", ("inconclusive with %s=%d: the condition "
                                "for %s>0 happened" % (stat, st[stat], n))
        return "inconclusive", "module: %s; %s" % (verdict, ", ".join(
            "%s=%d (table %s)" % (n, v, c) for n, c, v in unmet)
            or "claims met")
    if unmet:
        return "fail", ", ".join("%s=%d, table says %s" % (n, v, c)
                                 for n, c, v in unmet)
    if verdict != "pass":
        return "fail", "counts agree with the table but the module says %r" \
            % verdict
    return "pass", "%s (%s)" % (want, basis)


def load(path):
    try:
        with open(path) as f:
            doc = json.load(f)
        runs = doc["runs"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise InputError("cannot read %s: %s" % (path, e))
    if not isinstance(runs, list) or not runs:
        raise InputError("%s has no runs" % path)
    return runs


def check(path, boot=False, kernel=None, out=sys.stdout):
    runs = load(path)
    want = required_cells(boot, kernel)
    seen, bad, inconclusive = {}, 0, 0
    for r in runs:
        try:
            name, st = r["name"], r["stats"]
        except (KeyError, TypeError):
            raise InputError("%s: a run without name or stats" % path)
        if name not in want:
            print("not ok %s: a cell the host table does not have" % name,
                  file=out)
            bad += 1
            continue
        if name in seen and not boot:
            print("not ok %s: the cell ran twice" % name, file=out)
            bad += 1
            continue
        seen[name] = seen.get(name, 0) + 1
        cfg, base = want[name]
        state, why = judge(name, cfg, base, st)
        if state == "fail":
            bad += 1
            print("not ok %s: %s" % (name, why), file=out)
        elif state == "inconclusive":
            inconclusive += 1
            print("ok %s # inconclusive: %s" % (name, why), file=out)
        else:
            print("ok %s: %s" % (name, why), file=out)
    for name in want:
        if name not in seen:
            print("not ok %s: missing (the host table requires it)" % name,
                  file=out)
            bad += 1
    print("# %d cells required: %d inconclusive, %d not as expected"
          % (len(want), inconclusive, bad), file=out)
    return bad


def main(argv):
    boot, kernel, args = False, None, []
    it = iter(argv)
    for a in it:
        if a == "--boot":
            boot = True
        elif a == "--kernel":
            m = re.match(r"(\d+)\.(\d+)", next(it, ""))
            if not m:
                print("check-outcomes: --kernel needs X.Y", file=sys.stderr)
                return 2
            kernel = (int(m.group(1)), int(m.group(2)))
        elif a.startswith("-"):
            print("check-outcomes: unknown option %s" % a, file=sys.stderr)
            return 2
        else:
            args.append(a)
    if len(args) != 1:
        print(__doc__.split("\n")[0], file=sys.stderr)
        return 2
    try:
        return 1 if check(args[0], boot, kernel) else 0
    except InputError as e:
        print("check-outcomes: test error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
