/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `iobus-stress compare BASE.json NEW.json`: the regression gate.  Per
 * cell and metric: the medians of BASE and NEW, their ratio, the spread
 * of the repeats, and a verdict.  With `--base F --base F ... --new F
 * --new F ...` (2+ files a side) the statistical mode: each file's median
 * is one sample, and a permutation test of the difference of medians and
 * a bootstrap interval of their ratio judge each metric.
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
	CMP_UNDERPOWERED,	/* statistical: too few files for p < alpha */
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
	/* the statistical mode (base/new_.median: the median over files) */
	int n_base, n_new;	/* files */
	double p;		/* permutation test of the medians */
	double ci_low, ci_high;	/* bootstrap 95% interval of the ratio */
};

struct cmp_opts {
	const char *base, *new_;	/* paths */
	double max_ratio;		/* > 1; default 2 */
	const char *metrics;		/* comma list, NULL: all of the kind */
	const char *base_cell, *new_cell;	/* both or neither */
	const char *json;		/* FILE or "-" */
	int tap;
	/*
	 * The statistical mode when nbases > 0 (then base and new_ name the
	 * first file of each side): 2+ files a side, each file's median one
	 * sample; alpha (0.01), min_effect (0.05) and seed must be set.
	 */
	const char *const *bases, *const *news;
	int nbases, nnews;
	double alpha, min_effect;
	unsigned long long seed;
};

#define CMP_ALPHA 0.01
#define CMP_MIN_EFFECT 0.05
#define CMP_MAX_WARN 24

struct cmp_result {
	enum cmp_kind kind;
	int n;
	struct cmp_row *row;
	int count[CMP_VERDICTS];
	char about[2][96];	/* BASE, NEW: "kernel K, N VMs" or "N runs, M cells" */
	char prov[2][400];	/* BASE, NEW: where each was measured */
	int nwarn;
	char warn[CMP_MAX_WARN][200];	/* the sides differ in something that matters */
	/* the statistical mode */
	int stats;
	double floor_p;		/* the smallest p of n vs m files */
	int underpowered;	/* floor_p >= alpha: no row can be significant */
	int enough;		/* k vs k files reach floor_p < alpha (0: > 40) */
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
/*
 * The statistical verdict: a regression when @p < @alpha and @ratio (new/
 * base median) is worse by at least @min_effect (lower-is-better: ratio
 * >= 1 + e; higher-is-better: ratio <= 1 / (1 + e)), an improvement when
 * as much better, else a pass; CMP_UNDERPOWERED when @underpowered.
 */
enum cmp_verdict cmp_judge_stats(double p, double ratio, int higher,
				 double alpha, double min_effect,
				 int underpowered);
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
/*
 * The same over @nb BASE and @nn NEW files: one file a side unless
 * o->nbases (then 2+ a side, the statistical mode).  Every file of a side
 * must be of one kind and hold the same cells; a side's files that differ
 * in kernel or provenance are a warning each.
 */
int cmp_files(const struct json *const *b, int nb, const char *const *bname,
	      const struct json *const *n, int nn, const char *const *nname,
	      const struct cmp_opts *o, struct cmp_result *res);
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
/* 0, or -1 with errno set (output.h's writer). */
int cmp_write_json(FILE *f, const struct cmp_result *res,
		   const struct cmp_opts *o);
void cmp_write_tap(FILE *f, const struct cmp_result *res,
		   const struct cmp_opts *o);
/* Load, compare, write; the exit code (EX_FAIL on any regression). */
int cmp_main(const struct cmp_opts *o);
/* `iobus-stress compare ...` (argv[0] is "compare"). */
int cmd_compare(int argc, char **argv);
void compare_usage(FILE *f);

#endif
