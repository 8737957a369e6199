/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine-readable outputs of results: JSON, CSV, KTAP and SVG, opened
 * before a run starts and written, flushed and closed with every error
 * reported by path.
 */
#ifndef IOBUS_OUTPUT_H
#define IOBUS_OUTPUT_H

#include <stdio.h>

#include "result.h"

enum { OUT_JSON, OUT_CSV, OUT_SVG, OUT_TAP, OUT_KINDS };

struct outputs {
	const char *path[OUT_KINDS];	/* NULL: not wanted; "-": stdout */
	FILE *f[OUT_KINDS];
};

/*
 * Open every wanted output (@o->path set by the caller); EX_OK, or EX_IO
 * after one line naming the path that cannot be opened.
 */
int outputs_open(struct outputs *o);
/* 1 when some output goes to stdout (the human report then uses stderr). */
int outputs_use_stdout(const struct outputs *o);
/*
 * Write @n results to every open output and close them; EX_OK, or EX_IO
 * after one line per output that failed, naming its path.
 */
int outputs_write(struct outputs *o, const struct result *r, int n,
		  const char *title);
/* Close without writing (an error before any result). */
void outputs_close(struct outputs *o);

void write_json(FILE *f, const struct result *r, int n);
void write_csv(FILE *f, const struct result *r, int n);
/* KTAP; returns 0 when no result failed, 1 otherwise. */
int write_tap(FILE *f, const struct result *r, int n);
void write_tap_skip(FILE *f, const char *reason);
/*
 * Latency histograms, one panel per metric with samples; results with the
 * same name are summed into one series.
 */
void write_svg(FILE *f, const struct result *r, int n, const char *title);

/* @s as a JSON string, quoted and escaped. */
void json_string(FILE *f, const char *s);

#endif
