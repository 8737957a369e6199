/* SPDX-License-Identifier: GPL-2.0 */
/* One run of the module ("a cell"): configure, start, wait, collect. */
#ifndef IOBUS_RUN_H
#define IOBUS_RUN_H

#include <stdio.h>

#include "config_keys.h"
#include "result.h"

/*
 * One run of the module with @kv plus duration_ms, waiting for its end or
 * a signal (then it writes "stop", and the result is OUT_INTERRUPTED).
 * @show: a progress line per second on @human.  Fills @r; returns an exit
 * code, after printing one line saying why when it is not EX_OK.
 */
int run_cell(const struct kv_set *kv, unsigned int duration_ms,
	     const char *name, struct result *r, FILE *human, int show);
/* Read the module's stats and histograms into @r and judge them. */
int read_results(struct result *r);

#endif
