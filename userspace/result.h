/* SPDX-License-Identifier: GPL-2.0 */
/* One finished run (a "cell") and the writers that report it. */
#ifndef IOBUS_RESULT_H
#define IOBUS_RESULT_H

#include <stdio.h>

#include "stats.h"

#define HIST_MAX_BUCKETS 2048
#define RESULT_HISTS 4		/* register, reclaim, probe, vcpu_create */

extern const char *const result_hist_names[RESULT_HISTS];

struct hist {
	int n;
	unsigned long long lower[HIST_MAX_BUCKETS];
	unsigned long long count[HIST_MAX_BUCKETS];
};

struct result {
	char name[64];
	struct stats st;
	int pass;
	char why[160];
	struct hist hist[RESULT_HISTS];
};

/* Parse a hist/<metric> file ("lower upper count" lines, '#' comments). */
int hist_parse(struct hist *h, const char *text);

void write_json(FILE *f, const struct result *r, int n);
void write_csv(FILE *f, const struct result *r, int n);
/* KTAP; returns the exit code (0 all pass, 1 any fail). */
int write_tap(FILE *f, const struct result *r, int n);
void write_tap_skip(FILE *f, const char *reason);
/*
 * Latency histograms, one panel per metric with samples; results with the
 * same name are summed into one series.
 */
void write_svg(FILE *f, const struct result *r, int n, const char *title);

#endif
