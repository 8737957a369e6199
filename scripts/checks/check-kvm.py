#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""check-kvm.py OLD1.json OLD2.json NEW.json [--factor F] [--compare-within R]
                [--skip-compare] [--compare-only STRATEGY] [--no-timing]
                [--stale-control FILE ...]

Checks on the JSONs of `iobus-stress kvm` from three kernels: two before
6.18 (sync-expedited in kvm_io_bus_register_dev()) and one after it
(call_srcu()):

* every run: the summary has the required keys, 0 stale observations
  labelled true by construction (stale_basis),
  0 unexpected exits, exits at the probe addresses (the guest ran our code)
  and in-kernel ioeventfd hits;
* the regression in the real code: NEW's first memslot update after the
  early registrations (first_memslot_ns_p50) is at least F (5) times the
  median of OLD1's and OLD2's;
* every run with --compare data: the model's first expedited sync (its
  first vCPU creation) is within a factor R (2) of the real first expedited
  sync after the early registrations, a KVM_IOEVENTFD deassign
  (first_deassign_paired_ns_p50: taken right after each model boot; the first memslot update's ratio is printed
  beside it: that swap does more work than the sync) (--skip-compare: not
  checked, e.g. for the regression's negative control; --compare-only
  call-srcu: only for runs whose model strategy is that one).

--stale-control FILE (repeatable): a run of `iobus-stress kvm
--mailbox-first` (each index offered to the guest before its
KVM_IOEVENTFD), whose stale_observations must be > 0 with 0 unexpected
exits: the stale detector shown to fire on that kernel, so that 0 stale in
the real runs means something.

--no-timing checks every run's correctness only.

--loaded (a run's host was loaded, scripts/vm/host-load.py): the
regression's factor compares each kernel's fastest timing VM (the minimum
of the raw first memslot updates after the registrations,
diagnosis_pairs) instead of its median: host noise only adds time, and
the minimum is what it leaves alone (docs/testing.md "Timing under
load").

Prints one line per check; exits 1 on any failure, 2 on unreadable input.
"""
import json
import os
import statistics
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from checklib import Checks  # noqa: E402

REQUIRED = ("kernel", "ioeventfd_ns_p50", "first_memslot_ns_p50",
            "vcpu_create_ns_p50", "exits", "ioeventfd_hits",
            "stale_observations")


def us(ns):
    return "%.1f us" % (ns / 1000.0)


def main(argv):
    factor, within, files, skip_compare, only = 5.0, 2.0, [], False, None
    timing, controls, loaded = True, [], False
    args = list(argv)
    while args:
        a = args.pop(0)
        if a == "--factor":
            factor = float(args.pop(0))
        elif a == "--compare-within":
            within = float(args.pop(0))
        elif a == "--skip-compare":
            skip_compare = True
        elif a == "--compare-only":
            only = args.pop(0)
        elif a == "--stale-control":
            controls.append(args.pop(0))
        elif a == "--no-timing":
            timing, skip_compare = False, True
        elif a == "--loaded":
            loaded = True
        else:
            files.append(a)
    if len(files) != 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    runs = []
    for path in files:
        try:
            with open(path) as f:
                doc = json.load(f)
                runs.append(doc["summary"])
                runs[-1]["_fastest"] = min((a for a, _ in doc.get("diagnosis_pairs", [])),
                                           default=0)
        except (OSError, ValueError, KeyError) as e:
            print("check-kvm: cannot read %s: %s" % (path, e), file=sys.stderr)
            return 2
    check = Checks()

    for path, s in zip(files, runs):
        missing = [k for k in REQUIRED if k not in s]
        check(not missing, "%s: summary keys%s" %
              (path, " missing " + ",".join(missing) if missing else ""))
        if missing:
            continue
        k = s["kernel"]
        check(s["stale_observations"] == 0,
              "%s: %d stale observations" % (k, s["stale_observations"]))
        check(s.get("unexpected_exits", 1) == 0,
              "%s: %s unexpected exits" % (k, s.get("unexpected_exits", "?")))
        # 0 stale is true by construction (each exit a fresh
        # srcu_read_lock()): the run must say so, not present it as found
        check(s.get("stale_basis") == "construction(read-lock-mb)",
              "%s: stale basis %s (want construction(read-lock-mb))"
              % (k, s.get("stale_basis")))
        check(s.get("probe_exits", 0) > 0 and s["ioeventfd_hits"] > 0,
              "%s: the guest ran our code (%s probe exits, %d ioeventfd hits)"
              % (k, s.get("probe_exits", 0), s["ioeventfd_hits"]))
        if only and s.get("model_strategy") not in (None, only):
            print("note: %s: model %s not compared (--compare-only %s)"
                  % (s["kernel"], s.get("model_strategy"), only))
        elif "model_first_sync_ns_p50" in s and not skip_compare:
            m = s["model_first_sync_ns_p50"]
            # The real first syncs taken alternately with the model's boots
            # (same host load), or the timing VMs' for older JSONs.
            r = s.get("first_deassign_paired_ns_p50",
                      s.get("first_deassign_ns_p50", 0))
            slot = s["first_memslot_ns_p50"]
            ratio = m / r if r else float("inf")
            check(1 / within <= ratio <= within,
                  "%s: model %s first sync %s vs real first deassign %s: %.2fx (within %gx; vs the first memslot update %s: %.2fx)"
                  % (k, s.get("model_strategy", "?"), us(m), us(r), ratio,
                     within, us(slot), m / slot if slot else 0))
    for path in controls:
        try:
            with open(path) as f:
                c = json.load(f)["summary"]
        except (OSError, ValueError, KeyError) as e:
            print("check-kvm: cannot read %s: %s" % (path, e), file=sys.stderr)
            return 2
        check(c.get("stale_basis") == "construction(mailbox-first)",
              "%s --mailbox-first: stale basis %s" % (c.get("kernel", path),
                                                      c.get("stale_basis")))
        check(c.get("stale_observations", 0) > 0 and c.get("unexpected_exits", 1) == 0,
              "%s --mailbox-first (negative control): %s stale observations over %s steps, %s unexpected"
              % (c.get("kernel", path), c.get("stale_observations", "?"),
                 c.get("exit_steps", "?"), c.get("unexpected_exits", "?")))
    if any(k not in s for s in runs for k in REQUIRED):
        return 1
    if not timing:
        return 1 if check.bad else 0
    key = "_fastest" if loaded else "first_memslot_ns_p50"
    old = statistics.median([runs[0][key], runs[1][key]])
    new = runs[2][key]
    check(old > 0 and new >= factor * old,
          "first memslot update after the early registrations%s: %s %s vs the median of %s and %s, %s: %.1fx (%s %gx)"
          % (" (each kernel's fastest VM: host loaded)" if loaded else "",
             runs[2]["kernel"], us(new), runs[0]["kernel"], runs[1]["kernel"],
             us(old), new / old if old else 0,
             ">=" if old > 0 and new >= factor * old else "not >=", factor))
    return 1 if check.bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
