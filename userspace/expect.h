/* SPDX-License-Identifier: GPL-2.0 */
/* The outcome of a finished run, checked against the module's expectation. */
#ifndef IOBUS_EXPECT_H
#define IOBUS_EXPECT_H

#include <stddef.h>

#include "result.h"

/*
 * A cell passes when the module's verdict is "pass" and the counters agree
 * with its "expect" key ("stale>0,gp=0,dev=0"): the driver does not take
 * the module's word alone (scripts/checks/check-outcomes.py checks the
 * expect strings themselves against the host's own table).  A verdict of
 * "inconclusive" is OUT_INCONCLUSIVE only when every "=0" clause holds and
 * nothing leaked.  @why gets the reason.
 */
enum outcome cell_judge(const struct stats *s, char *why, size_t len);

/*
 * The module's expect_basis ("stale=construction(read-lock-mb),gp=srcu(
 * grace-period),dev=srcu(synchronize)") in the table's short form, one
 * letter per clause: C by construction (true whatever the strategy does),
 * S an SRCU guarantee (what the count tests), M measured (not judged), ?
 * unknown: "C/S/S".  NULL (missing) gives "?/?/?".
 */
void basis_letters(const char *basis, char *buf, size_t len);
#define BASIS_LEGEND "basis (stale/gp/dev): C true by construction, S an SRCU guarantee the count tests, M measured, not judged (expect_basis says why)"

#endif
