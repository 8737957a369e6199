/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `iobus-stress report FILE...`: many `iobus-stress kvm --json` files from
 * many hosts and kernels, one view.  One row per kernel, host and --early
 * count; several files of one row are combined: each latency is the median
 * of the files' p50s, the diagnoses are counted.  A table on the human
 * stream, the same rows as JSON (--json) and a bar chart (--svg).
 */
#ifndef IOBUS_FLEET_REPORT_H
#define IOBUS_FLEET_REPORT_H

#include <stdio.h>

/* The latencies of a row: summary keys of a kvm file, all p50s in ns. */
enum {
	FR_FIRST_MEMSLOT,	/* first_memslot_ns_p50: after --early registrations */
	FR_NOREG,		/* first_memslot_noreg_ns_p50: a VM with none */
	FR_VCPU_CREATE,		/* vcpu_create_ns_p50 */
	FR_FIRST_DEASSIGN,	/* first_deassign_ns_p50 (0 with --early 0: none) */
	FR_RUN_DEASSIGN,	/* run_deassign_ns_p50: a guest running */
	FR_NLAT,
};

struct fr_lat {
	const char *key;	/* the kvm summary's key */
	const char *head;	/* the table's column */
};
extern const struct fr_lat fr_lat[FR_NLAT];

/* The diagnoses a kvm file can hold; FR_DIAG_NONE: no "diagnosis". */
enum { FR_PRESENT, FR_ABSENT, FR_INCONCLUSIVE, FR_DIAG_NONE, FR_NDIAG };
extern const char *const fr_diag_name[FR_NDIAG];

/* One kvm file, as read. */
struct fr_file {
	const char *path;
	char kernel[80];
	char cpu_model[128];
	char machine[40];
	char backend[40];	/* kvm_amd, kvm_intel, ...; "?" when unknown */
	int nested;
	int cpus;		/* 0: unknown */
	unsigned int hz;	/* 0: unknown */
	char clocksource[40];	/* "?" when unknown */
	int early;		/* registrations before the first memslot; -1: unknown */
	int vms;		/* summary.repeat: timing VMs */
	int diag;		/* FR_PRESENT ... FR_DIAG_NONE */
	double ratio;		/* diagnosis_ratio; has_ratio 0: none */
	int has_ratio;
	double lat[FR_NLAT];	/* has_lat 0: absent, or 0 (no sample) */
	int has_lat[FR_NLAT];
	double stale, unexpected;	/* stale_observations, unexpected_exits */
};

/* One row: the files of one kernel, host and --early count. */
struct fr_row {
	const struct fr_file *first;	/* kernel, host, early from it */
	char host[48];			/* the host column: "CPU MODEL xN" */
	char kvm[48];			/* "kvm_amd nested" */
	char hz[48], clocksource[96];	/* distinct values, "/" between */
	int nfiles, *file;		/* indices into fr_report.file */
	int vms;			/* sum of the files' VMs */
	int ndiag[FR_NDIAG];
	double ratio;			/* median of the files' ratios */
	int nratio;
	double lat[FR_NLAT];		/* median of the files' p50s */
	int nlat[FR_NLAT];		/* files behind it (0: "-") */
	double stale, unexpected;	/* summed over the files */
};

enum fr_sort { FR_SORT_KERNEL, FR_SORT_HOST };

struct fr_report {
	int nfiles, nrows;
	struct fr_file *file;
	struct fr_row *row;
	enum fr_sort sort;
};

/*
 * Read @n files into @r (zeroed here): EX_OK, or after one line on stderr
 * naming the file: EX_USAGE (no files, a file given twice), EX_IO (cannot
 * be read), EX_BADJSON (not JSON, not an iobus-stress result, a value of
 * the wrong type), EX_MISMATCH (an iobus-stress result of another kind:
 * boot, run/matrix, compare, report).  Paths are kept, not copied.
 */
int fr_load(struct fr_report *r, const char *const *paths, int n);
/* The rows of @r's files, sorted by @sort; EX_OK or EX_IO (memory). */
int fr_group(struct fr_report *r, enum fr_sort sort);
/* The combined diagnosis: "present", or "present 2, absent 1" when mixed. */
char *fr_diag_text(const struct fr_row *w, char *buf, size_t len);
void fr_write_table(FILE *f, const struct fr_report *r);
/* The rows as JSON (output.h's writer); 0, or -1 with errno set. */
int fr_write_json(FILE *f, const struct fr_report *r);
/* A bar chart, one group a row: first memslot with and without registrations. */
void fr_write_svg(FILE *f, const struct fr_report *r);
void fr_free(struct fr_report *r);
/*
 * Load, group, write: the table on @human, JSON to @json and SVG to @svg
 * (paths, "-" for stdout, NULL for none; opened after every file was
 * read, so a bad input leaves them untouched).  The exit code.
 */
int fr_main(const char *const *paths, int n, const char *sort,
	    const char *json, const char *svg, FILE *human);

#endif
