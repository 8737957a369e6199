/* SPDX-License-Identifier: GPL-2.0 */
/* Cross-check of a finished run against the module's expectation string. */
#ifndef IOBUS_EXPECT_H
#define IOBUS_EXPECT_H

#include <stddef.h>

#include "stats.h"

/*
 * 1 pass, 0 fail.  A cell passes when the module's verdict is "pass" and
 * the counters agree with its "expect" key ("stale>0,gp=0,dev=0"): the
 * driver does not take the module's word alone.  @why gets the reason.
 */
int cell_passes(const struct stats *s, char *why, size_t len);

#endif
