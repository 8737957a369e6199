// SPDX-License-Identifier: GPL-2.0
/*
 * `iobus-stress report FILE...`: many kvm result files, one view
 * (fleet_report.h).  A file's kind comes from its content, as compare
 * reads it: "command": "kvm" is read; a boot, run/matrix, compare or
 * report file is refused (EX_MISMATCH), anything else is not a result
 * (EX_BADJSON).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_stats.h"
#include "exit_codes.h"
#include "fleet_report.h"
#include "json_read.h"
#include "output.h"
#include "provenance.h"
#include "table.h"

#define PFX "iobus-stress: report: "

const struct fr_lat fr_lat[FR_NLAT] = {
	[FR_FIRST_MEMSLOT] = { "first_memslot_ns_p50", "1st memslot" },
	[FR_NOREG] = { "first_memslot_noreg_ns_p50", "no reg" },
	[FR_VCPU_CREATE] = { "vcpu_create_ns_p50", "vCPU create" },
	[FR_FIRST_DEASSIGN] = { "first_deassign_ns_p50", "1st deassign" },
	[FR_RUN_DEASSIGN] = { "run_deassign_ns_p50", "run deassign" },
};

const char *const fr_diag_name[FR_NDIAG] = {
	"present", "absent", "inconclusive", "none",
};

/* ---- reading ---- */

/* What a file is, from its content; EX_OK for a kvm result. */
static int kind_check(const struct json *doc, const char *path)
{
	const struct json *cmd = json_get(doc, "command");
	char err[300];
	int kind;

	if (cmd && cmd->type == JV_STRING && strcmp(cmd->string, "kvm")) {
		fprintf(stderr, PFX "%s: a `%.40s` result; report reads kvm results (iobus-stress kvm --json)\n",
			path, cmd->string);
		return EX_MISMATCH;
	}
	if (!cmd && json_get(doc, "compare") &&
	    json_get(doc, "tool") && json_get(doc, "tool")->type == JV_STRING &&
	    !strcmp(json_get(doc, "tool")->string, "iobus-stress")) {
		fprintf(stderr, PFX "%s: a `compare` result; report reads kvm results (iobus-stress kvm --json)\n",
			path);
		return EX_MISMATCH;
	}
	kind = cmp_kind_of(doc, err, sizeof(err));
	if (kind < 0) {
		fprintf(stderr, PFX "%s: %s\n", path, err);
		return EX_BADJSON;
	}
	if (kind != CMP_KVM) {
		fprintf(stderr, PFX "%s: a %s result (the module's model: no KVM diagnosis); report reads kvm results (iobus-stress kvm --json); compare %s files with iobus-stress compare\n",
			path, cmp_kind_name[kind], cmp_kind_name[kind]);
		return EX_MISMATCH;
	}
	return EX_OK;
}

/* A wrong type: one line naming file and member, EX_BADJSON. */
static int bad_type(const char *path, const char *obj, const char *key,
		    const struct json *v, const char *want)
{
	fprintf(stderr, PFX "%s: %s.%s is %s, not %s\n", path, obj, key,
		json_type_name(v->type), want);
	return EX_BADJSON;
}

/* @obj's string @key into @buf; left as it was when absent. */
static int get_str(const struct json *o, const char *obj, const char *key,
		   const char *path, char *buf, size_t len)
{
	const struct json *v = json_get(o, key);

	if (!v)
		return EX_OK;
	if (v->type != JV_STRING)
		return bad_type(path, obj, key, v, "a string");
	if (*v->string)
		snprintf(buf, len, "%s", v->string);
	return EX_OK;
}

/* @obj's number @key (>= 0) into *@x, *@has = 1; *@has = 0 when absent. */
static int get_num(const struct json *o, const char *obj, const char *key,
		   const char *path, double *x, int *has)
{
	const struct json *v = json_get(o, key);

	*has = 0;
	if (!v)
		return EX_OK;
	if (v->type != JV_NUMBER || v->number < 0)
		return bad_type(path, obj, key, v, "a number >= 0");
	*x = v->number;
	*has = 1;
	return EX_OK;
}

static int get_bool(const struct json *o, const char *obj, const char *key,
		    const char *path, int *b)
{
	const struct json *v = json_get(o, key);

	if (!v)
		return EX_OK;
	if (v->type != JV_BOOL)
		return bad_type(path, obj, key, v, "a boolean");
	*b = v->boolean;
	return EX_OK;
}

/* A count as an int: a value beyond one is kept as INT_MAX. */
static int to_int(double x)
{
	return x < INT_MAX ? (int)x : INT_MAX;
}

/* The provenance, then the summary's own kernel, backend and HZ where it has none. */
static int read_kvm(const struct json *doc, const char *path, struct fr_file *f)
{
	const struct json *pv = json_get(doc, "provenance");
	const struct json *sum = json_get(doc, "summary");
	char diag[40] = "";
	double x;
	int has, i, ret;

	memset(f, 0, sizeof(*f));
	f->path = path;
	strcpy(f->kernel, "?");
	strcpy(f->cpu_model, "?");
	strcpy(f->machine, "?");
	strcpy(f->backend, "?");
	strcpy(f->clocksource, "?");
	f->early = -1;
	f->diag = FR_DIAG_NONE;
	if (pv && pv->type != JV_OBJECT)
		return bad_type(path, "$", "provenance", pv, "an object");
	if ((ret = get_str(sum, "summary", "kernel", path, f->kernel,
			   sizeof(f->kernel))) ||
	    (ret = get_str(sum, "summary", "kvm_backend", path, f->backend,
			   sizeof(f->backend))) ||
	    (ret = get_num(sum, "summary", "hz", path, &x, &has)))
		return ret;
	if (has)
		f->hz = (unsigned int)to_int(x);
	if ((ret = get_str(pv, "provenance", "kernel", path, f->kernel,
			   sizeof(f->kernel))) ||
	    (ret = get_str(pv, "provenance", "kvm_backend", path, f->backend,
			   sizeof(f->backend))) ||
	    (ret = get_str(pv, "provenance", "cpu_model", path, f->cpu_model,
			   sizeof(f->cpu_model))) ||
	    (ret = get_str(pv, "provenance", "machine", path, f->machine,
			   sizeof(f->machine))) ||
	    (ret = get_str(pv, "provenance", "clocksource", path,
			   f->clocksource, sizeof(f->clocksource))) ||
	    (ret = get_bool(pv, "provenance", "kvm_nested", path, &f->nested)))
		return ret;
	if ((ret = get_num(pv, "provenance", "hz", path, &x, &has)))
		return ret;
	if (has && x > 0)
		f->hz = (unsigned int)to_int(x);
	if ((ret = get_num(pv, "provenance", "cpus", path, &x, &has)))
		return ret;
	f->cpus = has ? to_int(x) : 0;
	if ((ret = get_num(sum, "summary", "early", path, &x, &has)))
		return ret;
	f->early = has ? to_int(x) : -1;
	if ((ret = get_num(sum, "summary", "repeat", path, &x, &has)))
		return ret;
	f->vms = has ? to_int(x) : 0;
	if ((ret = get_str(sum, "summary", "diagnosis", path, diag, sizeof(diag))))
		return ret;
	if (*diag) {
		for (i = 0; i < FR_DIAG_NONE && strcmp(diag, fr_diag_name[i]); i++)
			;
		if (i == FR_DIAG_NONE) {
			fprintf(stderr, PFX "%s: summary.diagnosis is '%s', not present, absent or inconclusive\n",
				path, diag);
			return EX_BADJSON;
		}
		f->diag = i;
	}
	if ((ret = get_num(sum, "summary", "diagnosis_ratio", path, &f->ratio,
			   &f->has_ratio)))
		return ret;
	for (i = 0; i < FR_NLAT; i++) {
		if ((ret = get_num(sum, "summary", fr_lat[i].key, path,
				   &f->lat[i], &f->has_lat[i])))
			return ret;
		/* a p50 of 0: no sample (first deassign with --early 0) */
		if (f->has_lat[i] && f->lat[i] <= 0)
			f->has_lat[i] = 0;
	}
	if ((ret = get_num(sum, "summary", "stale_observations", path,
			   &f->stale, &has)) ||
	    (ret = get_num(sum, "summary", "unexpected_exits", path,
			   &f->unexpected, &has)))
		return ret;
	return EX_OK;
}

int fr_load(struct fr_report *r, const char *const *paths, int n)
{
	struct json *doc;
	char err[300];
	int i, j, ret;

	memset(r, 0, sizeof(*r));
	if (n <= 0) {
		fprintf(stderr, PFX "no files given (usage: iobus-stress report FILE.json...)\n");
		return EX_USAGE;
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(paths[i], paths[j])) {
				fprintf(stderr, PFX "%s is given twice: each file counts once\n",
					paths[i]);
				return EX_USAGE;
			}
	r->file = calloc((size_t)n, sizeof(*r->file));
	if (!r->file) {
		fprintf(stderr, PFX "out of memory\n");
		return EX_IO;
	}
	for (i = 0; i < n; i++) {
		ret = json_load(paths[i], &doc, err, sizeof(err));
		if (ret) {
			fprintf(stderr, PFX "%s: %s\n", paths[i], err);
			return ret;
		}
		ret = kind_check(doc, paths[i]);
		if (!ret)
			ret = read_kvm(doc, paths[i], &r->file[i]);
		json_free(doc);
		if (ret)
			return ret;
		r->nfiles++;
	}
	return EX_OK;
}

/* ---- grouping ---- */

/* Same kernel, host and --early: one row. */
static int same_row(const struct fr_file *a, const struct fr_file *b)
{
	return !strcmp(a->kernel, b->kernel) &&
	       !strcmp(a->cpu_model, b->cpu_model) && a->cpus == b->cpus &&
	       !strcmp(a->machine, b->machine) &&
	       !strcmp(a->backend, b->backend) && a->nested == b->nested &&
	       a->early == b->early;
}

/* "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz" x 64 -> "Intel Xeon Gold 6338 CPU @ 2.00GHz x64", cut to fit a cell. */
static void host_label(const struct fr_file *f, char *buf, size_t len)
{
	char model[128], cpus[16] = "";
	const char *s = f->cpu_model;
	size_t n = 0, room;

	while (*s && n + 1 < sizeof(model)) {
		if (!strncmp(s, "(R)", 3) || !strncmp(s, "(TM)", 4) ||
		    !strncmp(s, "(tm)", 4)) {
			s += s[1] == 'R' ? 3 : 4;
			continue;
		}
		if (*s == ' ' && (n == 0 || model[n - 1] == ' ')) {
			s++;
			continue;
		}
		model[n++] = *s++;
	}
	while (n && model[n - 1] == ' ')
		n--;
	model[n] = '\0';
	if (f->cpus > 0)
		snprintf(cpus, sizeof(cpus), " x%d", f->cpus);
	/* a table cell holds 39 characters */
	room = 39 - strlen(cpus);
	if (room > len - 1 - strlen(cpus))
		room = len - 1 - strlen(cpus);
	if (strlen(model) > room)
		snprintf(model + room - 2, 3, "..");
	snprintf(buf, len, "%s%s", model, cpus);
}

/* Append @v to the "/"-separated list @buf unless it is there. */
static void add_distinct(char *buf, size_t len, const char *v)
{
	const char *p = buf;
	size_t l = strlen(v);

	while (*p) {
		if (!strncmp(p, v, l) && (p[l] == '/' || !p[l]))
			return;
		p = strchr(p, '/');
		if (!p)
			break;
		p++;
	}
	snprintf(buf + strlen(buf), len - strlen(buf), "%s%s", *buf ? "/" : "",
		 v);
}

/* The median of the files' values that exist (cs_median: the middle two's mean). */
static double median_of(double *v, int n, double *scratch)
{
	return n ? cs_median(v, (size_t)n, scratch) : 0;
}

static int row_fill(struct fr_report *r, struct fr_row *w)
{
	double *v = malloc(2 * (size_t)w->nfiles * sizeof(*v));
	char hz[16];
	int i, k, n;

	if (!v)
		return -1;
	host_label(w->first, w->host, sizeof(w->host));
	snprintf(w->kvm, sizeof(w->kvm), "%s%s", w->first->backend,
		 w->first->nested ? " nested" : "");
	for (i = 0; i < w->nfiles; i++) {
		const struct fr_file *f = &r->file[w->file[i]];

		if (f->hz)
			snprintf(hz, sizeof(hz), "%u", f->hz);
		else
			snprintf(hz, sizeof(hz), "?");
		add_distinct(w->hz, sizeof(w->hz), hz);
		add_distinct(w->clocksource, sizeof(w->clocksource),
			     f->clocksource);
		w->vms += f->vms;
		w->ndiag[f->diag]++;
		w->stale += f->stale;
		w->unexpected += f->unexpected;
	}
	for (k = 0; k <= FR_NLAT; k++) {
		for (i = n = 0; i < w->nfiles; i++) {
			const struct fr_file *f = &r->file[w->file[i]];

			if (k == FR_NLAT ? f->has_ratio : f->has_lat[k])
				v[n++] = k == FR_NLAT ? f->ratio : f->lat[k];
		}
		if (k == FR_NLAT) {
			w->nratio = n;
			w->ratio = median_of(v, n, v + w->nfiles);
		} else {
			w->nlat[k] = n;
			w->lat[k] = median_of(v, n, v + w->nfiles);
		}
	}
	free(v);
	return 0;
}

static int host_cmp(const struct fr_row *a, const struct fr_row *b)
{
	int c = strcmp(a->first->cpu_model, b->first->cpu_model);

	if (!c)
		c = a->first->cpus - b->first->cpus;
	if (!c)
		c = strcmp(a->first->machine, b->first->machine);
	if (!c)
		c = strcmp(a->kvm, b->kvm);
	return c;
}

/* Kernels in version order (6.1 < 6.12 < 7.3), then host, then --early. */
static int by_kernel(const void *x, const void *y)
{
	const struct fr_row *a = x, *b = y;
	int c = strverscmp(a->first->kernel, b->first->kernel);

	if (!c)
		c = host_cmp(a, b);
	return c ? c : a->first->early - b->first->early;
}

static int by_host(const void *x, const void *y)
{
	const struct fr_row *a = x, *b = y;
	int c = host_cmp(a, b);

	if (!c)
		c = strverscmp(a->first->kernel, b->first->kernel);
	return c ? c : a->first->early - b->first->early;
}

int fr_group(struct fr_report *r, enum fr_sort sort)
{
	int i, j;

	r->sort = sort;
	r->row = calloc((size_t)r->nfiles + 1, sizeof(*r->row));
	if (!r->row)
		goto oom;
	for (i = 0; i < r->nfiles; i++) {
		struct fr_row *w;

		for (j = 0; j < r->nrows && !same_row(r->row[j].first, &r->file[i]);
		     j++)
			;
		w = &r->row[j];
		if (j == r->nrows) {
			r->nrows++;
			w->first = &r->file[i];
			w->file = calloc((size_t)r->nfiles, sizeof(*w->file));
			if (!w->file)
				goto oom;
		}
		w->file[w->nfiles++] = i;
	}
	for (j = 0; j < r->nrows; j++)
		if (row_fill(r, &r->row[j]))
			goto oom;
	qsort(r->row, (size_t)r->nrows, sizeof(*r->row),
	      sort == FR_SORT_HOST ? by_host : by_kernel);
	return EX_OK;
oom:
	fprintf(stderr, PFX "out of memory\n");
	return EX_IO;
}

void fr_free(struct fr_report *r)
{
	int i;

	for (i = 0; r->row && i < r->nrows; i++)
		free(r->row[i].file);
	free(r->row);
	free(r->file);
	memset(r, 0, sizeof(*r));
}

/* ---- the table ---- */

char *fr_diag_text(const struct fr_row *w, char *buf, size_t len)
{
	int d, kinds = 0;
	size_t n = 0;

	for (d = 0; d < FR_NDIAG; d++)
		kinds += w->ndiag[d] > 0;
	buf[0] = '\0';
	for (d = 0; d < FR_NDIAG; d++) {
		if (!w->ndiag[d])
			continue;
		if (kinds == 1) {
			snprintf(buf, len, "%s", d == FR_DIAG_NONE ? "-" :
				 fr_diag_name[d]);
			break;
		}
		n += (size_t)snprintf(buf + n, n < len ? len - n : 0, "%s%s %d",
				      n ? ", " : "", fr_diag_name[d], w->ndiag[d]);
		if (n >= len)
			break;
	}
	return buf;
}

static char *early_text(int early, char *buf, size_t len)
{
	if (early < 0)
		snprintf(buf, len, "?");
	else
		snprintf(buf, len, "%d", early);
	return buf;
}

void fr_write_table(FILE *f, const struct fr_report *r)
{
	const char *head[10 + FR_NLAT] = {
		"kernel", "host", "KVM", "HZ", "clocksource", "early", "files",
		"VMs", "diagnosis", "ratio",
	};
	struct table t;
	char b[64];
	int i, k, row, notes = 0;

	for (k = 0; k < FR_NLAT; k++)
		head[10 + k] = fr_lat[k].head;
	fprintf(f, "report: %d kvm file%s, %d row%s (one per kernel, host and --early); latencies: the median of the files' p50s\n",
		r->nfiles, r->nfiles == 1 ? "" : "s", r->nrows,
		r->nrows == 1 ? "" : "s");
	if (table_init(&t, 10 + FR_NLAT, head))
		return;
	for (i = 0; i < r->nrows; i++) {
		const struct fr_row *w = &r->row[i];

		row = table_row(&t);
		if (row < 0) {
			fprintf(f, "(out of memory for the table)\n");
			break;
		}
		table_set(&t, row, 0, w->first->kernel);
		table_set(&t, row, 1, w->host);
		table_set(&t, row, 2, w->kvm);
		table_set(&t, row, 3, w->hz);
		table_set(&t, row, 4, w->clocksource);
		table_set(&t, row, 5, early_text(w->first->early, b, sizeof(b)));
		snprintf(b, sizeof(b), "%d", w->nfiles);
		table_set(&t, row, 6, b);
		snprintf(b, sizeof(b), "%d", w->vms);
		table_set(&t, row, 7, b);
		table_set(&t, row, 8, fr_diag_text(w, b, sizeof(b)));
		table_set(&t, row, 9, w->nratio ? fmt_ratio(w->ratio, 1, b, sizeof(b)) :
			  "-");
		for (k = 0; k < FR_NLAT; k++)
			table_set(&t, row, 10 + k, w->nlat[k] ?
				  fmt_ns((unsigned long long)llround(w->lat[k]),
					 b, sizeof(b)) : "-");
	}
	table_print(&t, f);
	table_free(&t);
	fprintf(f, "early: registrations before the 1st memslot update (--early; 0 is the control); ratio: the diagnosis's q25 with / q25 without (docs/diagnosis.md); no reg: 1st memslot update in a VM with none; run deassign: with a guest running\n");
	for (i = 0; i < r->nrows; i++) {
		const struct fr_row *w = &r->row[i];
		int kinds = 0, d, j;

		for (d = 0; d < FR_NDIAG; d++)
			kinds += w->ndiag[d] > 0;
		if (kinds > 1) {
			fprintf(f, "%s %s on %s, early %s: diagnoses differ:",
				notes++ ? "" : "notes:\n ", w->first->kernel,
				w->host, early_text(w->first->early, b, sizeof(b)));
			for (j = 0; j < w->nfiles; j++)
				fprintf(f, "%s %s %s", j ? "," : "",
					fr_diag_name[r->file[w->file[j]].diag],
					r->file[w->file[j]].path);
			fputc('\n', f);
		}
		if (w->stale || w->unexpected)
			fprintf(f, "%s %s on %s: %.0f stale, %.0f unexpected exits: a safety failure (docs/kvm.md)\n",
				notes++ ? "" : "notes:\n ", w->first->kernel,
				w->host, w->stale, w->unexpected);
		if (strstr(w->clocksource, "jiffies"))
			fprintf(f, "%s %s on %s: clocksource %s: its latencies are multiples of a jiffy, not measurements\n",
				notes++ ? "" : "notes:\n ", w->first->kernel,
				w->host, w->clocksource);
	}
}

/* ---- JSON ---- */

static json_t *median_json(double v, int n)
{
	json_t *o = json_object();

	if (o && (jw_set(o, "median", n ? jw_real(v, 10) : json_null()) ||
		  jw_set(o, "files", json_integer(n)))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* The distinct HZ values (numbers; 0: null) or clocksources of a row's files. */
static json_t *distinct_json(const struct fr_report *r, const struct fr_row *w,
			     int hz)
{
	json_t *a = json_array();
	int i, j, seen;

	for (i = 0; a && i < w->nfiles; i++) {
		const struct fr_file *f = &r->file[w->file[i]];

		for (j = seen = 0; j < i && !seen; j++) {
			const struct fr_file *g = &r->file[w->file[j]];

			seen = hz ? g->hz == f->hz :
			       !strcmp(g->clocksource, f->clocksource);
		}
		if (!seen && jw_push(a, hz ? (f->hz ? jw_u64(f->hz) : json_null()) :
				     jw_str(f->clocksource))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *row_json(const struct fr_report *r, const struct fr_row *w)
{
	json_t *o = json_object(), *paths = json_array(), *diags = json_object();
	const struct fr_file *f = w->first;
	int i, kinds = 0, last = FR_DIAG_NONE, bad = !o || !paths || !diags;

	for (i = 0; i < FR_NDIAG; i++)
		if (w->ndiag[i]) {
			kinds++;
			last = i;
		}
	for (i = 0; !bad && i < w->nfiles; i++)
		bad = jw_push(paths, jw_str(r->file[w->file[i]].path));
	for (i = 0; !bad && i < FR_NDIAG; i++)
		bad = jw_set(diags, fr_diag_name[i], json_integer(w->ndiag[i]));
	if (!bad)
		bad = jw_set(o, "kernel", jw_str(f->kernel)) ||
		      jw_set(o, "host", jw_str(w->host)) ||
		      jw_set(o, "cpu_model", jw_str(f->cpu_model)) ||
		      jw_set(o, "cpus", json_integer(f->cpus)) ||
		      jw_set(o, "machine", jw_str(f->machine)) ||
		      jw_set(o, "kvm_backend", jw_str(f->backend)) ||
		      jw_set(o, "kvm_nested", json_boolean(f->nested)) ||
		      jw_set(o, "early", f->early < 0 ? json_null() :
			     json_integer(f->early)) ||
		      jw_set(o, "hz", distinct_json(r, w, 1)) ||
		      jw_set(o, "clocksource", distinct_json(r, w, 0)) ||
		      jw_set(o, "vms", json_integer(w->vms)) ||
		      jw_set(o, "diagnosis", kinds > 1 ? jw_str("mixed") :
			     last == FR_DIAG_NONE ? json_null() :
			     jw_str(fr_diag_name[last]));
	/* each taken by jw_set, even when it fails */
	if (!bad) {
		bad = jw_set(o, "diagnoses", diags);
		diags = NULL;
	}
	if (!bad) {
		bad = jw_set(o, "files", paths);
		paths = NULL;
	}
	if (!bad)
		bad = jw_set(o, "diagnosis_ratio", median_json(w->ratio, w->nratio));
	for (i = 0; !bad && i < FR_NLAT; i++)
		bad = jw_set(o, fr_lat[i].key, median_json(w->lat[i], w->nlat[i]));
	if (!bad)
		bad = jw_set(o, "stale_observations", jw_real(w->stale, 15)) ||
		      jw_set(o, "unexpected_exits", jw_real(w->unexpected, 15));
	json_decref(paths);
	json_decref(diags);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int fr_write_json(FILE *f, const struct fr_report *r)
{
	json_t *doc = json_object(), *rep = json_object(), *rows = json_array();
	int i, bad = !doc || !rep || !rows;

	errno = 0;
	if (!bad)
		bad = jw_set(doc, "tool", jw_str("iobus-stress")) ||
		      jw_set(doc, "command", jw_str("report")) ||
		      (provenance_self() &&
		       jw_set(doc, "provenance", provenance_json(provenance_self()))) ||
		      jw_set(rep, "files", json_integer(r->nfiles)) ||
		      jw_set(rep, "sort", jw_str(r->sort == FR_SORT_HOST ? "host" :
						"kernel")) ||
		      jw_set(rep, "rows_by", jw_str("kernel, host (cpu_model, cpus, machine, kvm_backend, kvm_nested), early")) ||
		      jw_set(rep, "combine", jw_str("each latency and the diagnosis ratio: the median of the files' values (the mean of the middle two for an even count); files: how many files had one; diagnoses: files per diagnosis, \"mixed\" when they differ"));
	for (i = 0; !bad && i < r->nrows; i++)
		bad = jw_push(rows, row_json(r, &r->row[i]));
	if (!bad) {
		bad = jw_set(rep, "rows", rows);
		rows = NULL;
	}
	if (!bad) {
		bad = jw_set(doc, "report", rep);
		rep = NULL;
	}
	json_decref(rows);
	json_decref(rep);
	if (bad) {
		json_decref(doc);
		doc = NULL;
	}
	return jw_dump(doc, f);
}

/* ---- SVG ---- */

#define S_ML 80		/* left margin */
#define S_MT 70		/* top margin, above the plot */
#define S_PH 280	/* plot height */
#define S_GW 64		/* a group's width */
#define S_BW 22		/* a bar's width */
#define S_LABEL 210	/* below the plot: rotated labels */
#define S_MR 230	/* right of the last group: its label */
#define S_MINW 820

static const char *const s_decade[] = {
	"1ns", "10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms",
	"100ms", "1s", "10s", "100s",
};
static const char *const s_color[2] = { "#d62728", "#1f77b4" };

static const char *diag_color(const struct fr_row *w)
{
	if (w->ndiag[FR_PRESENT] == w->nfiles)
		return "#d62728";
	if (w->ndiag[FR_ABSENT] == w->nfiles)
		return "#2ca02c";
	return "#7f7f7f";
}

void fr_write_svg(FILE *f, const struct fr_report *r)
{
	static const int bars[2] = { FR_FIRST_MEMSLOT, FR_NOREG };
	double lo = INFINITY, hi = 0, y1 = S_MT + S_PH;
	int dlo, dhi, i, k, d, w = S_ML + r->nrows * S_GW + S_MR;
	int h = S_MT + S_PH + S_LABEL;
	int pr = S_ML + r->nrows * S_GW + 20;	/* the plot's right edge */
	char b[64];

	if (pr < S_ML + 300)
		pr = S_ML + 300;
	if (w < S_MINW)
		w = S_MINW;
	for (i = 0; i < r->nrows; i++)
		for (k = 0; k < 2; k++)
			if (r->row[i].nlat[bars[k]]) {
				lo = fmin(lo, r->row[i].lat[bars[k]]);
				hi = fmax(hi, r->row[i].lat[bars[k]]);
			}
	if (hi <= 0) {		/* nothing to draw: 1us..10ms */
		lo = 1e3;
		hi = 1e7;
	}
	dlo = (int)floor(log10(lo));
	dhi = (int)ceil(log10(hi));
	if (dhi - dlo < 2)
		dhi = dlo + 2;
	dlo = dlo < 0 ? 0 : dlo;
	dhi = dhi > 11 ? 11 : dhi;
#define Y(v) (y1 - S_PH * (log10(v) - dlo) / (dhi - dlo))
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n",
		w, h, w, h);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"16\">iobus-stress report: the 1st memslot update, with and without registrations</text>\n",
		S_ML);
	fprintf(f, "<text x=\"%d\" y=\"42\" font-size=\"12\" fill=\"#555\">%d kvm files, %d rows; each bar: the median of the files' p50s; above: the diagnosis</text>\n",
		S_ML, r->nfiles, r->nrows);
	for (k = 0; k < 2; k++) {
		fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>\n",
			S_ML + 440 * k, 50, s_color[k]);
		fprintf(f, "<text x=\"%d\" y=\"61\" font-size=\"12\">%s</text>\n",
			S_ML + 440 * k + 16, k ? "no registration (a fresh VM)" :
			"after the --early registrations");
	}
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
		S_ML, S_MT, pr - S_ML, S_PH);
	for (d = dlo; d <= dhi; d++) {
		fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>\n",
			S_ML, Y(pow(10, d)), pr, Y(pow(10, d)));
		fprintf(f, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%s</text>\n",
			S_ML - 5, Y(pow(10, d)) + 4, s_decade[d]);
	}
	fprintf(f, "<text x=\"%d\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.0f)\">latency (log scale)</text>\n",
		S_ML - 55, S_MT + S_PH / 2.0, S_ML - 55, S_MT + S_PH / 2.0);
	for (i = 0; i < r->nrows; i++) {
		const struct fr_row *rw = &r->row[i];
		double x0 = S_ML + 10 + i * S_GW, top = y1;

		fprintf(f, "<g class=\"group\">\n");
		for (k = 0; k < 2; k++) {
			double v = rw->lat[bars[k]], y;

			if (!rw->nlat[bars[k]])
				continue;
			y = fmax(Y(fmax(v, pow(10, dlo))), S_MT);
			top = fmin(top, y);
			fprintf(f, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" fill=\"%s\"><title>",
				x0 + k * S_BW, y, S_BW, y1 - y, s_color[k]);
			svg_xml_text(f, fmt_ns((unsigned long long)llround(v), b,
					       sizeof(b)));
			fprintf(f, "</title></rect>\n");
		}
		/* the diagnosis; "mixed" when the files differ, the counts its tooltip */
		fr_diag_text(rw, b, sizeof(b));
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"middle\" fill=\"%s\">",
			x0 + S_BW, top - 4, diag_color(rw));
		if (strchr(b, ',')) {
			fprintf(f, "<title>");
			svg_xml_text(f, b);
			fprintf(f, "</title>mixed");
		} else {
			svg_xml_text(f, b);
		}
		fprintf(f, "</text>\n");
		/* kernel, then host and --early: two lines, turned 40 degrees */
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"11\" transform=\"rotate(40 %.1f %.1f)\">",
			x0 + 6, y1 + 14, x0 + 6, y1 + 14);
		svg_xml_text(f, rw->first->kernel);
		fprintf(f, "</text>\n");
		fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" font-size=\"10\" fill=\"#555\" transform=\"rotate(40 %.1f %.1f)\">",
			x0 + 6, y1 + 27, x0 + 6, y1 + 14);
		svg_xml_text(f, rw->host);
		fprintf(f, ", early %s</text>\n</g>\n",
			early_text(rw->first->early, b, sizeof(b)));
	}
#undef Y
	fprintf(f, "</svg>\n");
}

/* ---- the command ---- */

int fr_main(const char *const *paths, int n, const char *sort,
	    const char *json, const char *svg, FILE *human)
{
	struct outputs out = { { json, NULL, svg, NULL }, { NULL } };
	struct fr_report r;
	int ret, failed;

	ret = fr_load(&r, paths, n);
	if (!ret)
		ret = fr_group(&r, sort && !strcmp(sort, "host") ? FR_SORT_HOST :
			       FR_SORT_KERNEL);
	if (!ret)
		ret = outputs_open(&out);
	if (ret) {
		fr_free(&r);
		return ret;
	}
	fr_write_table(human, &r);
	if (out.f[OUT_JSON]) {
		failed = fr_write_json(out.f[OUT_JSON], &r) ? (errno ? errno : EIO) : 0;
		if (outputs_finish(&out, OUT_JSON, failed))
			ret = EX_IO;
	}
	if (out.f[OUT_SVG]) {
		fr_write_svg(out.f[OUT_SVG], &r);
		if (outputs_finish(&out, OUT_SVG, 0))
			ret = EX_IO;
	}
	if (fflush(human) || ferror(human)) {
		fprintf(stderr, PFX "cannot write the table: %s\n",
			errno ? strerror(errno) : "write error");
		ret = EX_IO;
	}
	fr_free(&r);
	return ret;
}
