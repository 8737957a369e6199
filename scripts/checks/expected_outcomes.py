# SPDX-License-Identifier: GPL-2.0
"""The host's own expected-outcome table (issue #12, item 1).

Independent of module/expect.c: check-outcomes.py judges matrix.json and
boot.json against this file, and requires the module's `expect` string of
each cell to equal the one derived here, so weakening the module's table
fails the check.  Each model change is one line here:

  * a new reclaim strategy: one line in RECLAIMS (its class, and the first
    kernel that has it, e.g. "expedite-current": ("deferred", (7, 3)));
  * a new cell outcome: one line in OUTCOMES;
  * a new negative control: one line in CONTROLS;
  * why a clause holds (construction, SRCU guarantee, measured): BASIS;
  * the default of guest_sync: nothing (each cell's own guest_sync,
    pattern and barrier are read from its stats and RELAX_ZERO_STALE
    applied to them).

Clauses: "0" none may happen, ">0" must happen, "any" not judged.
"""

# reclaim -> (class, first kernel (major, minor) that has it, or None)
RECLAIMS = {
    "sync-expedited": ("sync", None),
    "sync": ("sync", None),
    "call-srcu": ("deferred", None),
    "expedited-worker": ("deferred", None),
    "poll": ("deferred", None),
    "hybrid": ("deferred", None),
    "expedite-current": ("deferred", (7, 3)),
    "unsafe": ("unsafe", None),
}

PATTERNS = ("exit", "block", "cached")

# (class, pattern or "*") -> (stale, gp, dev); the first match wins.
OUTCOMES = [
    (("sync", "*"), ("0", "0", "0")),
    (("deferred", "cached"), (">0", "0", "0")),   # the review's ordering concern
    (("deferred", "*"), ("0", "0", "0")),
    (("unsafe", "*"), ("any", ">0", "any")),
]

# Negative controls of the matrix: cell name -> (config it must show, outcome).
CONTROLS = {
    "sync-expedited/cached/unregister=async":
        ({"reclaim": "sync-expedited", "pattern": "cached",
          "unregister": "async"}, ("any", "0", ">0")),
}

# The boot model runs every strategy but the unsafe one.
BOOT_EXCLUDE = ("unsafe",)

# Why the boot model's first vCPU creation takes what it takes (the
# module's boot_vcpu1_basis): a sync strategy waited for each registration's
# grace period, so none is pending at that expedited sync; hybrid
# synchronizes while no vCPU exists.  Those equal sync-expedited's by
# construction; the deferred ones are the measurement.
VCPU1_BASIS = {
    "sync-expedited": "construction(no-pending-gp)",
    "sync": "construction(no-pending-gp)",
    "hybrid": "construction(sync-before-vcpu)",
}
VCPU1_BASIS_DEFAULT = "measured"

# (guest_sync, pattern, barrier) cells whose stale "0" no kernel barrier
# provides.  A guest's plain load of "the ioctl returned" (relaxed) is
# still ordered before the bus load by the smp_mb() inside Tree SRCU's
# srcu_read_lock() (pattern exit, every kernel here), and by the smp_rmb()
# before each dereference (block with barrier=mb, as in
# handle_invalid_guest_state()); sync strategies need no barrier (the
# writer's grace period ends the section before it publishes).  Only block
# without its smp_rmb() keeps nothing ordering the two loads.
RELAX_ZERO_STALE = (("relaxed", "block", "none"),)

# Verdicts that are not a failure, but not a pass of a ">0" claim either:
# the condition for the claim never happened in the run.
INCONCLUSIVE = ("inconclusive",)

# clause -> (stat, minimum): an unmet ">0" clause is inconclusive only when
# the cell's own stat is below the minimum, whatever the module's verdict
# says.  stale (cached): publications while a cached section held an older
# bus; gp (unsafe): frees of a bus while a reader held it; dev
# (unregister=async): frees of a device while a reader held it.  The
# module catches every gp and dev exposure (module/reader.c, "Exposures"),
# so one is enough to decide.
UNDECIDED = {
    "stale": ("cached_exposures", 16),
    "gp": ("gp_exposures", 1),
    "dev": ("device_exposures", 1),
}

CLAUSES = ("stale", "gp", "dev")

# Why a clause holds, so that a count which could not have come out
# otherwise is never read as a finding (the module's expect_basis must say
# the same): (clause, outcome, class, pattern, guest_sync) -> basis, the
# first match wins, "*" matches anything.  "construction(...)": true
# whatever the strategy does; "srcu(...)": the strategy's grace period is
# what the count tests; "measured": not judged, the count is the finding.
BASIS = [
    ("*", "any", "*", "*", "*", "measured"),
    # a cached section keeps its bus across the publication, on purpose
    ("stale", ">0", "deferred", "cached", "*", "construction(cached)"),
    # the writer's synchronize_srcu*() waits for the cached section
    ("stale", "0", "sync", "cached", "*", "srcu(synchronize)"),
    # each exit is a fresh section: srcu_read_lock()'s smp_mb() orders the
    # guest's load before the bus load, whatever the strategy
    ("stale", "0", "*", "exit", "*", "construction(read-lock-mb)"),
    # block: the guest's acquire load, else (barrier=mb) the smp_rmb()
    ("stale", "0", "*", "block", "acquire", "construction(acquire)"),
    ("stale", "0", "*", "block", "relaxed", "construction(rmb)"),
    # the controls: the writer frees while a reader holds the object
    ("gp", ">0", "unsafe", "*", "*", "construction(hold)"),
    ("dev", ">0", "*", "*", "*", "construction(hold)"),
    # the old bus is freed after a grace period, however it is waited for
    ("gp", "0", "*", "*", "*", "srcu(grace-period)"),
    # unregister synchronizes before the device is freed
    ("dev", "0", "*", "*", "*", "srcu(synchronize)"),
]
