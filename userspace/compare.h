/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `iobus-stress compare BASE.json NEW.json`: the regression gate.  Per
 * cell and metric: the medians of BASE and NEW, their ratio, the spread
 * of the repeats, and a verdict.
 */
#ifndef IOBUS_COMPARE_H
#define IOBUS_COMPARE_H

#include <stdio.h>

#include "json_read.h"

/* What a result file holds, from its content (not its name). */
enum cmp_kind { CMP_KVM, CMP_BOOT, CMP_CELLS, CMP_KINDS };

enum cmp_verdict {
	CMP_PASS,		/* within the threshold both ways */
	CMP_REGRESSION,		/* worse by more than --max-ratio */
	CMP_IMPROVEMENT,	/* better by more than --max-ratio */
	CMP_NOISY,		/* the repeats cannot tell at this threshold */
	CMP_NODATA,		/* no samples on either side */
	CMP_VERDICTS,
};

struct cmp_metric {
	const char *name;
	int higher;		/* 1: higher is better (a rate) */
	int ns;			/* a latency in ns (shown as such) */
};

/* One metric of one cell in one file. */
struct cmp_side {
	int present;
	double median;
	int n;			/* repeats (or samples) behind the median */
	int has_spread;		/* q25/q75 known (at least 2 repeats) */
	double q25, q75;
};

struct cmp_row {
	char cell[96];
	const struct cmp_metric *m;
	struct cmp_side base, new_;
	double ratio;		/* new / base */
	double spread;		/* max of the sides' q75/q25; 0: unknown */
	enum cmp_verdict v;
};

struct cmp_opts {
	const char *base, *new_;	/* paths */
	double max_ratio;		/* > 1; default 2 */
	const char *metrics;		/* comma list, NULL: all of the kind */
	const char *base_cell, *new_cell;	/* both or neither */
	const char *json;		/* FILE or "-" */
	int tap;
};

#define CMP_MAX_WARN 12

struct cmp_result {
	enum cmp_kind kind;
	int n;
	struct cmp_row *row;
	int count[CMP_VERDICTS];
	char about[2][96];	/* BASE, NEW: "kernel K, N VMs" or "N runs, M cells" */
	char prov[2][400];	/* BASE, NEW: where each was measured */
	int nwarn;
	char warn[CMP_MAX_WARN][200];	/* the sides differ in something that matters */
};

extern const char *const cmp_kind_name[CMP_KINDS];
extern const char *const cmp_verdict_name[CMP_VERDICTS];

/*
 * The verdict of one metric: @ratio = new/base median, @spread = the wider
 * side's q75/q25 (0 when neither has one).  Noisy: @spread > @max_ratio
 * and the two q25..q75 ranges overlap.  Otherwise a regression when the
 * ratio is worse than @max_ratio (lower-is-better: ratio > R; higher:
 * ratio < 1/R), an improvement when better by as much, else a pass.
 * Both medians must be > 0 (CMP_NODATA when both are 0).
 */
enum cmp_verdict cmp_judge(const struct cmp_side *b, const struct cmp_side *n,
			   int higher, double max_ratio, double *ratio,
			   double *spread);
/* The kind of a parsed file; -1 with @err set when it is no result. */
int cmp_kind_of(const struct json *doc, char *err, size_t len);
/*
 * Compare two parsed files (@bname/@nname name them in messages); EX_OK
 * with @res filled, EX_MISMATCH after one line per problem on stderr
 * (different kinds, a missing cell or metric), EX_USAGE (an unknown
 * metric or cell flag), EX_BADJSON (a value of the wrong type).
 */
int cmp_docs(const struct json *b, const struct json *n, const char *bname,
	     const char *nname, const struct cmp_opts *o, struct cmp_result *res);
void cmp_result_free(struct cmp_result *res);
/*
 * The two files' provenance: res->prov[] and one warning per field that
 * matters and differs (HZ, clocksource, KVM backend, CPU, CPU count,
 * virtualized, machine, tool version); EX_MISMATCH after one line when a
 * side measured on a jiffies clocksource (its latencies are fiction).
 */
int cmp_provenance(const struct json *b, const struct json *n,
		   const char *bname, const char *nname, struct cmp_result *res);
/* The outputs of a comparison. */
void cmp_write_table(FILE *f, const struct cmp_result *res,
		     const struct cmp_opts *o);
void cmp_write_json(FILE *f, const struct cmp_result *res,
		    const struct cmp_opts *o);
void cmp_write_tap(FILE *f, const struct cmp_result *res,
		   const struct cmp_opts *o);
/* Load, compare, write; the exit code (EX_FAIL on any regression). */
int cmp_main(const struct cmp_opts *o);
/* `iobus-stress compare ...` (argv[0] is "compare"). */
int cmd_compare(int argc, char **argv);
void compare_usage(FILE *f);

#endif
