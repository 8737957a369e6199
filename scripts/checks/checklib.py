# SPDX-License-Identifier: GPL-2.0
"""What the host-side checkers share: one line per check, a count of the
failures for the exit code."""


class Checks:
    """check(ok, msg) prints "ok: msg" or "FAIL: msg"; bad counts FAILs."""

    def __init__(self):
        self.bad = 0

    def __call__(self, ok, msg):
        print("%s: %s" % ("ok" if ok else "FAIL", msg))
        self.bad += not ok
        return ok
