/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Machine-readable outputs of results: JSON, CSV, KTAP and SVG, opened
 * before a run starts and written, flushed and closed with every error
 * reported by path.
 */
#ifndef IOBUS_OUTPUT_H
#define IOBUS_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

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
/*
 * Flush and close output @k (stdout is only flushed) after its writer ran;
 * @failed: the writer failed with that errno (0: it did not).  0, or -1
 * after a line naming the output's kind and path.
 */
int outputs_finish(struct outputs *o, int k, int failed);

/* {"tool", "provenance", "runs": [...]}; 0, or -1 (errno set) on any failure. */
int write_json(FILE *f, const struct result *r, int n);
void write_csv(FILE *f, const struct result *r, int n);
/* KTAP; returns 0 when no result failed, 1 otherwise. */
int write_tap(FILE *f, const struct result *r, int n);
void write_tap_skip(FILE *f, const char *reason);
/*
 * Latency histograms, one panel per metric with samples; results with the
 * same name are summed into one series.
 */
void write_svg(FILE *f, const struct result *r, int n, const char *title);
/* @s as SVG/XML text: <, > and & escaped. */
void svg_xml_text(FILE *f, const char *s);

/*
 * The one JSON writer (Jansson underneath): every JSON file the driver
 * writes is a json_t built with the jw_* helpers below and dumped by
 * jw_dump().  A helper returns NULL when it fails (no memory);
 * jw_set() and jw_push() take a NULL value as that failure, so a builder
 * ORs their results and checks once.
 *
 * Dump layout: JSON_INDENT(1) (every member and item on its own line,
 * indented one space per level, as "KEY": VALUE with one space after the
 * colon), keys in insertion order, reals at
 * JSON_REAL_PRECISION(JW_REAL_DIGITS) (every real the driver writes is
 * first rounded to at most that many significant digits, so it prints
 * exactly, without binary noise), and a trailing newline.
 */
#define JW_REAL_DIGITS 15
/*
 * Dump @doc to @f and release it; 0, or -1 with errno set (EIO when
 * nothing set it) when @doc is NULL (a failed build) or the dump fails.
 */
int jw_dump(json_t *doc, FILE *f);
/* @s as a JSON string; bytes that are not UTF-8 become U+FFFD. */
json_t *jw_str(const char *s);
/*
 * A u64: an integer up to INT64_MAX; above it (Jansson's integers are
 * signed 64-bit) a real when that double equals @v and prints exactly at
 * JW_REAL_DIGITS, else a string of @v's decimal digits - never a rounded
 * number.
 */
json_t *jw_u64(uint64_t v);
/*
 * The text of a number as printf wrote it ("12", "-3", "0.25", "1e+15"):
 * a JSON integer (jw_u64's rule for u64s over INT64_MAX; an integer
 * beyond u64 stays a string of its digits), a real for other JSON number
 * syntax, null for anything else ("nan", "inf").
 */
json_t *jw_num_text(const char *text);
/*
 * @v rounded to @digits (at most JW_REAL_DIGITS) significant digits as
 * "%.*g" prints it, then jw_num_text(); null when not finite.
 */
json_t *jw_real(double v, int digits);
/*
 * Add @v (owned, released on failure) as @key (bytes not UTF-8: U+FFFD)
 * to @obj; -1 when @v is NULL, @key is already there, or no memory.
 */
int jw_set(json_t *obj, const char *key, json_t *v);
/* Append @v (owned, released on failure) to @arr; -1 when @v is NULL or no memory. */
int jw_push(json_t *arr, json_t *v);

#endif
