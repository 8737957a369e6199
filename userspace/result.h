/* SPDX-License-Identifier: GPL-2.0 */
/* One finished run (a "cell") of the module. */
#ifndef IOBUS_RESULT_H
#define IOBUS_RESULT_H

#include "stats.h"

#define RESULT_HISTS 4		/* register, reclaim, probe, vcpu_create */

extern const char *const result_hist_names[RESULT_HISTS];

enum outcome {
	OUT_FAIL = 0,
	OUT_PASS,
	/* The module saw too few publications to decide a ">0" claim. */
	OUT_INCONCLUSIVE,
	/* Stopped by a signal before its duration: not judged. */
	OUT_INTERRUPTED,
};

struct result {
	char name[64];
	struct stats st;
	enum outcome outcome;
	char why[320];
	struct hist hist[RESULT_HISTS];
};

/* "pass", "fail", "inconclusive", "interrupted". */
const char *outcome_name(enum outcome o);

#endif
