#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make abtest's verdict and report (scripts/abtest/abtest.sh calls it).

  report.py --dir OUT                   the verdict from OUT/compare.json
                                        (iobus-stress compare --base A...
                                        --new B...), OUT/A/*.json, OUT/B/*.json
                                        and OUT/meta.env; writes OUT/report.md,
                                        OUT/report.json, OUT/report.svg; prints
                                        the verdict line; exits with its code
  report.py --dir OUT --early WORD LINE the report of a run that stopped
                                        before timing (does-not-apply,
                                        does-not-build, breaks in safety)
  report.py --brief FILE.json           one progress line for a boot

Verdicts, in this order of precedence (docs/abtest.md):
  breaks     a failed safety run, a B boot that failed, stale > 0 or an
             unexpected exit in a B file
  cures      first_memslot_ns (the first memslot update after
             registrations: the regression) significantly lower in B, and
             B's median of it within 2x of B's first_memslot_noreg_ns
             (the same update with no registration)
  improves   first_memslot_ns significantly lower, not within 2x
  regresses  any metric significantly worse by the minimum effect
  no-change  none of these (other metrics may be better: named)
Significance is iobus-stress compare's: a two-sided permutation test of
medians, p < alpha, and a change of at least min_effect.  A line names
the other metrics that got significantly worse ("worse: ...") or better
("better: ...").
"""
import json
import math
import os
import statistics
import sys

EXIT = {"cures": 10, "improves": 11, "no-change": 12, "regresses": 13,
        "breaks": 14, "does-not-apply": 15, "does-not-build": 16,
        "underpowered": 17}
REG = "first_memslot_ns"
NOREG = "first_memslot_noreg_ns"
CURE_BOUND = 2.0
LABEL = {
    "first_memslot_ns": "1st memslot update after registrations",
    "first_memslot_noreg_ns": "1st memslot update, none registered",
    "second_memslot_ns": "2nd memslot update",
    "vcpu_create_ns": "KVM_CREATE_VCPU",
    "first_deassign_ns": "1st deassign",
    "ioeventfd_ns": "KVM_IOEVENTFD",
    "ioeventfd_early_ns": "KVM_IOEVENTFD before vCPUs",
    "ioeventfd_late_ns": "KVM_IOEVENTFD after vCPUs",
    "deassign_ns": "deassign",
    "run_ioeventfd_ns": "KVM_IOEVENTFD, guest running",
    "run_deassign_ns": "deassign, guest running",
    "exits_per_sec": "MMIO exits per second",
}
# arm64's timing VMs create their vCPU first (iobus-stress kvm's
# "vcpu-first" order, as Firecracker does there): the early registrations
# follow it, the late ones follow the 2nd memslot update.
LABEL_ARM64 = dict(LABEL, ioeventfd_early_ns="KVM_IOEVENTFD before the 1st memslot (vCPU first)",
                   ioeventfd_late_ns="KVM_IOEVENTFD after the 2nd memslot")


def label(m, arch):
    return (LABEL_ARM64 if arch == "arm64" else LABEL).get(m, m)


def die(msg):
    print("report.py: " + msg, file=sys.stderr)
    sys.exit(1)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die("%s: %s" % (path, e))


def meta(out):
    m = {}
    try:
        with open(os.path.join(out, "meta.env")) as f:
            for line in f:
                k, _, v = line.rstrip("\n").partition("=")
                m[k] = v
    except OSError as e:
        die("meta.env: %s" % e)
    return m


def fmt_ns(ns):
    if ns is None:
        return "-"
    for unit, div in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= div:
            return "%.3g %s" % (ns / div, unit)
    return "%d ns" % ns


def fmt(metric, v):
    return ("%.0f" % v) if metric == "exits_per_sec" else fmt_ns(v)


def brief(path):
    s = load(path).get("summary", {})
    return "1st memslot %s after %s registrations vs %s with none (%s), KVM_CREATE_VCPU %s, stale %s" % (
        fmt_ns(s.get("first_memslot_ns_p50")), s.get("early", "?"),
        fmt_ns(s.get("first_memslot_noreg_ns_p50")),
        s.get("diagnosis", "?"), fmt_ns(s.get("vcpu_create_ns_p50")),
        s.get("stale_observations", "?"))


def side_files(out, side):
    d = os.path.join(out, side)
    names = sorted((f for f in os.listdir(d) if f.endswith(".json")),
                   key=lambda f: int(f.split(".")[0]))
    return [(os.path.join(d, f), load(os.path.join(d, f))) for f in names]


def per_file(files, metric):
    key = metric if metric == "exits_per_sec" else metric + "_p50"
    return [doc["summary"].get(key) for _, doc in files]


def safety_runs(out):
    runs = []
    p = os.path.join(out, "safety", "runs")
    if os.path.exists(p):
        with open(p) as f:
            for line in f:
                parts = line.rstrip("\n").split(" ", 3)
                runs.append({"run": int(parts[0]), "result": parts[1],
                             "seconds": int(parts[2]),
                             "why": parts[3] if len(parts) > 3 else ""})
    return runs


def judge(cmp_rows, bfiles):
    """The verdict word, its line, and the worse metrics."""
    for path, doc in bfiles:
        s = doc["summary"]
        if s.get("stale_observations", 0) or s.get("unexpected_exits", 0):
            return ("breaks", "B file %s: stale %s, unexpected exits %s" % (
                os.path.basename(path), s.get("stale_observations"),
                s.get("unexpected_exits")), [])
    rows = {r["metric"]: r for r in cmp_rows}
    if REG not in rows or NOREG not in rows:
        die("compare.json has no %s or %s row" % (REG, NOREG))
    worse = [r for r in cmp_rows if r["verdict"] == "regression"]
    cost = gain = ""
    if worse:
        cost = "; worse: " + ", ".join(
            "%s %.3gx (p %.2g)" % (r["metric"], r["ratio"], r["p"]) for r in worse)
    better = [r for r in cmp_rows if r["verdict"] == "improvement" and r["metric"] != REG]
    if better:
        gain = "; better: " + ", ".join(
            "%s %.3gx (p %.2g)" % (r["metric"], r["ratio"], r["p"]) for r in better)
    r = rows[REG]
    bfm = statistics.median(per_file(bfiles, REG))
    bno = statistics.median(per_file(bfiles, NOREG))
    within = bfm <= CURE_BOUND * bno
    fell = "%s: A %s -> B %s (%.3gx, 95%% CI %.3g..%.3g, p %.2g)" % (
        REG, fmt_ns(r["base"]), fmt_ns(r["new"]), r["ratio"],
        r["ci_low"], r["ci_high"], r["p"])
    bound = "B's %s is %.2fx its %s (%s), %s %gx" % (
        REG, bfm / bno if bno else math.inf, NOREG, fmt_ns(bno),
        "within" if within else "beyond", CURE_BOUND)
    if r["verdict"] == "improvement":
        word = "cures" if within else "improves"
        return (word, fell + "; " + bound + cost + gain, worse)
    if worse:
        return ("regresses", "significantly worse: " + cost[len("; worse: "):]
                + "; " + fell + gain, worse)
    if better:
        return ("no-change", "the regression's metric did not fall and no metric got worse; "
                + fell + gain, [])
    return ("no-change", "no metric changed significantly; " + fell, [])


def svg(out, cmp_rows, afiles, bfiles, arch):
    metrics = [r["metric"] for r in cmp_rows]
    cols, pw, ph = 3, 260, 170
    rows_n = (len(metrics) + cols - 1) // cols
    W, H = cols * pw + 20, rows_n * ph + 50
    o = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
         'font-family="sans-serif" font-size="11">' % (W, H),
         '<rect width="100%" height="100%" fill="white"/>',
         '<text x="10" y="18" font-size="14">make abtest: each dot one boot '
         '(its median); A blue, B orange; bar: the side\'s median; log scale</text>']
    for i, m in enumerate(metrics):
        x0, y0 = 10 + (i % cols) * pw, 40 + (i // cols) * ph
        a = [v for v in per_file(afiles, m) if v]
        b = [v for v in per_file(bfiles, m) if v]
        r = next(r for r in cmp_rows if r["metric"] == m)
        o.append('<text x="%d" y="%d">%s</text>' % (x0, y0 + 10, label(m, arch)))
        o.append('<text x="%d" y="%d" fill="#555">B/A %.3gx, p %.2g: %s</text>' % (
            x0, y0 + 24, r["ratio"] or 0, r["p"] if r["p"] is not None else 1,
            r["verdict"]))
        if not a or not b:
            continue
        lo, hi = math.log10(min(a + b)), math.log10(max(a + b))
        if hi - lo < 0.1:
            lo, hi = lo - 0.05, hi + 0.05
        top, bot = y0 + 34, y0 + ph - 22

        def y(v):
            return bot - (math.log10(v) - lo) / (hi - lo) * (bot - top)
        o.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#999"/>' % (
            x0 + 60, top, x0 + 60, bot))
        for v in (10 ** hi, 10 ** lo):
            o.append('<text x="%d" y="%.1f" text-anchor="end">%s</text>' % (
                x0 + 56, y(v) + 4, fmt(m, v)))
        for k, (vals, colour, name) in enumerate(
                ((a, "#1f77b4", "A"), (b, "#ff7f0e", "B"))):
            cx = x0 + 100 + k * 90
            for j, v in enumerate(vals):
                o.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s" '
                         'fill-opacity="0.7"/>' % (cx - 15 + 30 * j / max(1, len(vals) - 1),
                                                   y(v), colour))
            med = statistics.median(vals)
            o.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="%s" '
                     'stroke-width="2"/>' % (cx - 22, y(med), cx + 22, y(med), colour))
            o.append('<text x="%d" y="%d" text-anchor="middle">%s</text>' % (
                cx, bot + 14, name))
    o.append("</svg>")
    with open(os.path.join(out, "report.svg"), "w") as f:
        f.write("\n".join(o) + "\n")


def retried(out):
    """The timing boots abtest.sh retried after a failure, each "SIDE NAME: WHY"."""
    r = []
    try:
        with open(os.path.join(out, "meta.env")) as f:
            r = [line.rstrip("\n")[len("retried="):] for line in f
                 if line.startswith("retried=")]
    except OSError as e:
        die("meta.env: %s" % e)
    return r


def kernel_release(m):
    p = os.path.join(os.path.dirname(m.get("config_a", "")), "include",
                     "config", "kernel.release")
    try:
        with open(p) as f:
            return f.read().strip()
    except OSError:
        return "?"


def write(out, m, word, line, extra):
    rep = {"name": m.get("name"), "verdict": word, "verdict_line": line,
           "exit_code": EXIT[word], "kernel": m.get("kernel"),
           "arch": m.get("arch", "x86"),
           "kernel_release": kernel_release(m), "hz": int(m.get("hz", 0)),
           "compiler": m.get("compiler"), "patches": m.get("patches", "").split(),
           "patch_sha256": m.get("patch_sha256"),
           "config": os.path.join(out, "config"),
           "build": {"a": m.get("build_a"), "a_cold_secs": m.get("build_a_secs"),
                     "b": m.get("build_b"), "kasan_b": m.get("build_kasan_b")},
           "pairs": int(m.get("pairs", 0)), "vcpus": int(m.get("vcpus", 0)),
           "reuse_a": m.get("reuse_a"),
           "reuse_a_refused": m.get("reuse_a_refused"),
           "retried_boots": retried(out),
           "safety": {"enabled": m.get("safety") == "1",
                      "runs": safety_runs(out),
                      "churn_secs": int(m.get("churn", 0))}}
    rep.update(extra)
    md = ["# make abtest: %s" % m.get("name"), "",
          "**Verdict: %s** (exit %d): %s" % (word, EXIT[word], line), "",
          "| | |", "|---|---|",
          "| kernel | Debian linux-source-%s, %s, %s |" % (m.get("kernel"), rep["kernel_release"], rep["arch"]),
          "| config | tinyconfig + scripts/abtest/%s, HZ=%s (`config`) |" % (
              "abtest-arm64.config" if rep["arch"] == "arm64" else "abtest.config", m.get("hz")),
          "| compiler | %s |" % m.get("compiler"),
          "| patches | %s |" % " ".join(os.path.basename(p) for p in rep["patches"]),
          "| sha256 of the patches | `%s` |" % m.get("patch_sha256"),
          "| build A | %s (cold build: %s s) |" % (m.get("build_a", "?"), m.get("build_a_secs", "?")),
          "| build B | %s |" % m.get("build_b", "-"),
          "| build KASAN B | %s |" % m.get("build_kasan_b", "-"),
          "| timing | %s |" % (
              "%s A/B pairs, ABBA order, `iobus-stress kvm --vcpus %s` per boot" % (m.get("pairs"), m.get("vcpus"))
              if not m.get("reuse_a") else
              "%s B boots; A's %s boots reused from build/abtest/%s (--reuse-a: not interleaved with B's), `iobus-stress kvm --vcpus %s` per boot" % (
                  m.get("pairs"), m.get("pairs"), m.get("reuse_a"), m.get("vcpus"))),
          ""]
    if m.get("reuse_a_refused"):
        md += ["--reuse-a was asked for, but there were %s: A was booted here." % m["reuse_a_refused"], ""]
    if rep["retried_boots"]:
        md += ["## Retried boots", "",
               "Each failed once for a reason that names neither KVM's bus nor a hang, and passed on its one retry (abtest.sh's retry rule):", ""]
        md += ["- %s" % r for r in rep["retried_boots"]]
        md.append("")
    runs = rep["safety"]["runs"]
    if rep["safety"]["enabled"]:
        caught = sum(1 for r in runs if r["result"] == "caught")
        md += ["## Safety", "",
               "KASAN + lockdep + PROVE_RCU kernel with the patch, `iobus-stress kvm --churn %s`: %d of %d runs failed." % (
                   m.get("churn"), caught, len(runs)), "",
               "| run | result | seconds | why |", "|---|---|---|---|"]
        md += ["| %d | %s | %d | %s |" % (r["run"], r["result"], r["seconds"], r["why"]) for r in runs]
        md.append("")
    else:
        md += ["## Safety", "", "Not run (%s): this verdict cannot be `breaks` through KASAN." % (
            "arm64: no arm64 KASAN kernel is built" if rep["arch"] == "arm64" else "--no-safety"), ""]
    if "rows" in extra:
        md += ["## Timing", "", extra["method"], "",
               "| metric | A | B | B/A | 95% CI | p | |", "|---|---|---|---|---|---|---|"]
        for r in extra["rows"]:
            md.append("| %s | %s | %s | %.3g | %.3g..%.3g | %.2g | %s |" % (
                label(r["metric"], rep["arch"]), fmt(r["metric"], r["base"]),
                fmt(r["metric"], r["new"]), r["ratio"], r["ci_low"], r["ci_high"],
                r["p"], r["verdict"]))
        md += ["", "![A and B per metric](report.svg)", ""]
        for w in extra.get("warnings", []):
            md.append("- warning: " + w)
    try:
        with open(os.path.join(out, "report.json"), "w") as f:
            json.dump(rep, f, indent=1)
            f.write("\n")
        with open(os.path.join(out, "report.md"), "w") as f:
            f.write("\n".join(md) + "\n")
    except OSError as e:
        die("cannot write the report: %s" % e)


def main(argv):
    if len(argv) == 3 and argv[1] == "--brief":
        print(brief(argv[2]))
        return 0
    if len(argv) >= 3 and argv[1] == "--dir":
        out = argv[2]
        m = meta(out)
        if len(argv) == 6 and argv[3] == "--early":
            write(out, m, argv[4], argv[5], {})
            return EXIT[argv[4]]
        if len(argv) != 3:
            die("usage: report.py --dir OUT [--early WORD LINE] | --brief FILE")
        c = load(os.path.join(out, "compare.json"))["compare"]
        afiles, bfiles = side_files(out, "A"), side_files(out, "B")
        if c.get("underpowered"):
            word, line, worse = "underpowered", "%d A and %d B boots cannot give p < %g (smallest possible p %.3g): more --pairs" % (
                len(afiles), len(bfiles), c["alpha"], c["smallest_p"]), []
        else:
            word, line, worse = judge(c["rows"], bfiles)
        again = retried(out)
        if again:
            line += "; %d timing boot%s retried after a failure (%s)" % (
                len(again), "" if len(again) == 1 else "s", "; ".join(again))
        svg(out, c["rows"], afiles, bfiles, m.get("arch", "x86"))
        write(out, m, word, line, {"rows": c["rows"], "method": c["method"],
                                   "alpha": c["alpha"], "min_effect": c["min_effect"],
                                   "warnings": c.get("warnings", [])})
        print("abtest: %s: %s: %s" % (m.get("name"), word, line))
        print("abtest: report %s/report.md" % out)
        return EXIT[word]
    die("usage: report.py --dir OUT [--early WORD LINE] | --brief FILE")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
