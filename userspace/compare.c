// SPDX-License-Identifier: GPL-2.0
/*
 * `iobus-stress compare BASE.json NEW.json`: per cell and metric the two
 * medians, their ratio, the spread of the repeats, and a verdict; exit 1
 * on a regression beyond --max-ratio.  The kind of a file comes from its
 * content: "command": "kvm" (the kvm command), or "runs" whose stats all
 * say workload=boot (boot), or other "runs" (run, matrix, stats: cells
 * named reclaim/pattern, comparable with each other).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "compare_stats.h"
#include "exit_codes.h"
#include "ktap.h"
#include "opts.h"
#include "output.h"
#include "provenance.h"
#include "table.h"

const char *const cmp_kind_name[CMP_KINDS] = { "kvm", "boot", "run/matrix" };
const char *const cmp_verdict_name[CMP_VERDICTS] = {
	"pass", "regression", "improvement", "noisy", "no data",
	"underpowered",
};

/* The metrics of each kind, in the order they are shown. */
static const struct cmp_metric kvm_metrics[] = {
	{ "first_memslot_ns", 0, 1 }, { "first_memslot_noreg_ns", 0, 1 },
	{ "second_memslot_ns", 0, 1 }, { "vcpu_create_ns", 0, 1 },
	{ "first_deassign_ns", 0, 1 }, { "ioeventfd_ns", 0, 1 },
	{ "ioeventfd_early_ns", 0, 1 }, { "ioeventfd_late_ns", 0, 1 },
	{ "deassign_ns", 0, 1 }, { "run_ioeventfd_ns", 0, 1 },
	{ "run_deassign_ns", 0, 1 }, { "exits_per_sec", 1, 0 },
	{ NULL, 0, 0 },
};
static const struct cmp_metric boot_metrics[] = {
	{ "register_ns_p50", 0, 1 }, { "boot_vcpu1_ns", 0, 1 },
	{ "vcpu_create_ns_p50", 0, 1 }, { "boot_ns", 0, 1 },
	{ "boot_early_ns", 0, 1 }, { "boot_vcpu_ns", 0, 1 },
	{ "boot_late_ns", 0, 1 }, { NULL, 0, 0 },
};
static const struct cmp_metric cells_metrics[] = {
	{ "exits_per_sec", 1, 0 }, { "ns_per_exit", 0, 1 },
	{ "register_ns_p50", 0, 1 }, { "unregister_ns_p50", 0, 1 },
	{ "reclaim_ns_p50", 0, 1 }, { "probe_ns_p50", 0, 1 },
	{ NULL, 0, 0 },
};
static const struct cmp_metric *const kind_metrics[CMP_KINDS] = {
	kvm_metrics, boot_metrics, cells_metrics,
};

#define PFX "iobus-stress: compare: "

enum cmp_verdict cmp_judge(const struct cmp_side *b, const struct cmp_side *n,
			   int higher, double max_ratio, double *ratio,
			   double *spread)
{
	const struct cmp_side *s[2] = { b, n };
	double lo[2], hi[2], sp = 0, r;
	int i;

	*ratio = 0;
	*spread = 0;
	if (b->median <= 0 || n->median <= 0)
		return CMP_NODATA;
	r = n->median / b->median;
	for (i = 0; i < 2; i++) {
		lo[i] = s[i]->has_spread ? s[i]->q25 : s[i]->median;
		hi[i] = s[i]->has_spread ? s[i]->q75 : s[i]->median;
		if (s[i]->has_spread) {
			double x = lo[i] > 0 ? hi[i] / lo[i] :
				   hi[i] > 0 ? INFINITY : 1;

			if (x > sp)
				sp = x;
		}
	}
	*ratio = r;
	*spread = sp;
	if (sp > max_ratio && lo[0] <= hi[1] && lo[1] <= hi[0])
		return CMP_NOISY;
	if (higher ? r < 1 / max_ratio : r > max_ratio)
		return CMP_REGRESSION;
	if (higher ? r > max_ratio : r < 1 / max_ratio)
		return CMP_IMPROVEMENT;
	return CMP_PASS;
}

/* runs[] of a runs file: every item an object with a name and stats. */
static int check_runs(const struct json *runs, int *boot, char *err, size_t len)
{
	size_t i, nboot = 0;

	if (runs->type != JV_ARRAY) {
		snprintf(err, len, "\"runs\" is %s, not an array",
			 json_type_name(runs->type));
		return -1;
	}
	if (!runs->n) {
		snprintf(err, len, "\"runs\" is empty: no results to compare");
		return -1;
	}
	for (i = 0; i < runs->n; i++) {
		const struct json *r = &runs->item[i];
		const struct json *name = json_get(r, "name");
		const struct json *st = json_get(r, "stats");
		const struct json *wl = json_get(st, "workload");

		if (r->type != JV_OBJECT || !name || name->type != JV_STRING ||
		    !st || st->type != JV_OBJECT) {
			snprintf(err, len, "runs[%zu] is not an object with a string \"name\" and an object \"stats\"",
				 i);
			return -1;
		}
		nboot += wl && wl->type == JV_STRING && !strcmp(wl->string, "boot");
	}
	if (nboot && nboot != runs->n) {
		snprintf(err, len, "%zu of %zu runs have workload=boot: a boot and a matrix in one file",
			 nboot, runs->n);
		return -1;
	}
	*boot = !!nboot;
	return 0;
}

int cmp_kind_of(const struct json *doc, char *err, size_t len)
{
	const struct json *tool = json_get(doc, "tool");
	const struct json *cmd = json_get(doc, "command");
	const struct json *runs = json_get(doc, "runs");
	const struct json *sum = json_get(doc, "summary");
	const struct json *hist = json_get(doc, "hist");
	int boot;

	if (doc->type != JV_OBJECT) {
		snprintf(err, len, "not an iobus-stress result: the top level is %s, not an object",
			 json_type_name(doc->type));
		return -1;
	}
	if (!tool || tool->type != JV_STRING || strcmp(tool->string, "iobus-stress")) {
		snprintf(err, len, "not an iobus-stress result: no \"tool\": \"iobus-stress\"");
		return -1;
	}
	if (cmd) {
		if (cmd->type != JV_STRING) {
			snprintf(err, len, "\"command\" is %s, not a string",
				 json_type_name(cmd->type));
			return -1;
		}
		if (strcmp(cmd->string, "kvm")) {
			snprintf(err, len, "\"command\": \"%.40s\" is not a result compare reads (kvm, or runs of run/matrix/boot)",
				 cmd->string);
			return -1;
		}
		if (!sum || sum->type != JV_OBJECT || !hist ||
		    hist->type != JV_OBJECT) {
			snprintf(err, len, "a kvm result without a \"summary\" and a \"hist\" object");
			return -1;
		}
		return CMP_KVM;
	}
	if (!runs) {
		snprintf(err, len, "not an iobus-stress result: neither \"command\" nor \"runs\"");
		return -1;
	}
	if (check_runs(runs, &boot, err, len))
		return -1;
	return boot ? CMP_BOOT : CMP_CELLS;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static size_t qidx(double q, size_t n)
{
	return (size_t)(q * (double)(n - 1) + 0.5);
}

/* A number >= 0 where one is required; -1 with a line naming it otherwise. */
static int need_number(const struct json *v, const char *label,
		       const char *path, const char *what, const char *key)
{
	if (v->type == JV_NUMBER && v->number >= 0)
		return 0;
	if (v->type == JV_NUMBER)
		fprintf(stderr, PFX "%s %s: %s%s is negative (%g)\n", label, path,
			what, key, v->number);
	else
		fprintf(stderr, PFX "%s %s: %s%s is %s, not a number\n", label,
			path, what, key, json_type_name(v->type));
	return -1;
}

/* The q quantile of a kvm hist ([[lower, upper, count], ...]): bucket middle. */
static int hist_side(const struct json *h, const char *label, const char *path,
		     const char *name, struct cmp_side *s)
{
	double total = 0, want[2], c = 0;
	size_t i, j, k;
	int got = 0;

	if (h->type != JV_ARRAY) {
		fprintf(stderr, PFX "%s %s: hist.%s is %s, not an array\n", label,
			path, name, json_type_name(h->type));
		return -1;
	}
	for (i = 0; i < h->n; i++) {
		const struct json *b = &h->item[i];

		if (b->type != JV_ARRAY || b->n != 3 ||
		    b->item[0].type != JV_NUMBER || b->item[1].type != JV_NUMBER ||
		    b->item[2].type != JV_NUMBER || b->item[2].number < 0 ||
		    b->item[2].number != floor(b->item[2].number) ||
		    b->item[0].number > b->item[1].number) {
			fprintf(stderr, PFX "%s %s: hist.%s[%zu] is not [lower, upper, count]\n",
				label, path, name, i);
			return -1;
		}
		total += b->item[2].number;
	}
	if (total > 1e9) {
		fprintf(stderr, PFX "%s %s: hist.%s holds %.0f samples (at most 1e9)\n",
			label, path, name, total);
		return -1;
	}
	s->n = (int)total;
	if (total < 2)
		return 0;
	want[0] = (double)qidx(0.25, (size_t)total);
	want[1] = (double)qidx(0.75, (size_t)total);
	for (k = 0, i = 0; k < 2; k++) {
		for (j = i, c = 0; j < h->n; j++) {
			c += h->item[j].item[2].number;
			if (c > want[k]) {
				double mid = (h->item[j].item[0].number +
					      h->item[j].item[1].number) / 2;

				if (k)
					s->q75 = mid;
				else
					s->q25 = mid;
				got++;
				break;
			}
		}
	}
	s->has_spread = got == 2;
	return 0;
}

static int kvm_side(const struct json *doc, const struct cmp_metric *m,
		    const char *label, const char *path, struct cmp_side *s)
{
	const struct json *sum = json_get(doc, "summary");
	const struct json *h = json_get(json_get(doc, "hist"), m->name);
	char key[80];
	const struct json *v;

	memset(s, 0, sizeof(*s));
	snprintf(key, sizeof(key), "%s%s", m->name, m->higher ? "" : "_p50");
	v = json_get(sum, key);
	if (!v)
		return 0;
	if (need_number(v, label, path, "summary.", key))
		return -1;
	s->present = 1;
	s->median = v->number;
	s->n = 1;
	return h ? hist_side(h, label, path, m->name, s) : 0;
}

/* A run stopped by a signal: its numbers are partial, it is left out. */
static int interrupted(const struct json *run)
{
	const struct json *o = json_get(run, "outcome");

	return o && o->type == JV_STRING && !strcmp(o->string, "interrupted");
}

static int runs_side(const struct json *doc, const char *cell,
		     const struct cmp_metric *m, const char *label,
		     const char *path, struct cmp_side *s)
{
	const struct json *runs = json_get(doc, "runs");
	double *v = malloc(runs->n * sizeof(*v));
	size_t i, n = 0, lacking = 0;

	memset(s, 0, sizeof(*s));
	if (!v) {
		fprintf(stderr, PFX "out of memory\n");
		return -1;
	}
	for (i = 0; i < runs->n; i++) {
		const struct json *r = &runs->item[i], *x;

		if (strcmp(json_get(r, "name")->string, cell) || interrupted(r))
			continue;
		x = json_get(json_get(r, "stats"), m->name);
		if (!x) {
			lacking++;
			continue;
		}
		if (need_number(x, label, path, "stats.", m->name)) {
			free(v);
			return -1;
		}
		v[n++] = x->number;
	}
	if (n && !lacking) {
		qsort(v, n, sizeof(v[0]), cmp_dbl);
		s->present = 1;
		s->n = (int)n;
		s->median = v[n / 2];	/* as the boot table shows it */
		if (n >= 2) {
			s->has_spread = 1;
			s->q25 = v[qidx(0.25, n)];
			s->q75 = v[qidx(0.75, n)];
		}
	}
	free(v);
	return 0;
}

/* The distinct run names of a runs file, in order (NULL-terminated). */
static const char **cell_names(const struct json *doc, size_t *count)
{
	const struct json *runs = json_get(doc, "runs");
	const char **names;
	size_t i, j, n = 0;

	if (!runs) {
		static const char *kvm[] = { "kvm", NULL };

		names = malloc(sizeof(kvm));
		if (names)
			memcpy(names, kvm, sizeof(kvm));
		*count = names ? 1 : 0;
		return names;
	}
	names = calloc(runs->n + 1, sizeof(*names));
	if (!names)
		return NULL;
	for (i = 0; i < runs->n; i++) {
		const char *nm = json_get(&runs->item[i], "name")->string;

		if (interrupted(&runs->item[i]))
			continue;
		for (j = 0; j < n && strcmp(names[j], nm); j++)
			;
		if (j == n)
			names[n++] = nm;
	}
	*count = n;
	return names;
}

static void note_interrupted(const struct json *doc, const char *label,
			     const char *path)
{
	const struct json *runs = json_get(doc, "runs");
	size_t i, k = 0;

	for (i = 0; runs && i < runs->n; i++)
		k += interrupted(&runs->item[i]);
	if (k)
		fprintf(stderr, PFX "note: %s %s: %zu interrupted run%s left out\n",
			label, path, k, k == 1 ? "" : "s");
}

/* What a file holds, for the header of the table. */
static void describe(const struct json *doc, size_t cells, char *buf)
{
	const struct json *sum = json_get(doc, "summary");
	const struct json *k = json_get(sum, "kernel");
	const struct json *rep = json_get(sum, "repeat");
	const struct json *runs = json_get(doc, "runs");

	if (runs)
		snprintf(buf, 96, "%zu runs in %zu cells", runs->n, cells);
	else
		snprintf(buf, 96, "kernel %.50s, %.0f VMs",
			 k && k->type == JV_STRING ? k->string : "?",
			 rep && rep->type == JV_NUMBER ? rep->number : 0);
}

/* A provenance member as text ("" when absent). */
static void prov_field(const struct json *pv, const char *key, char *buf,
		       size_t len)
{
	const struct json *v = json_get(pv, key);

	buf[0] = '\0';
	if (!v)
		return;
	if (v->type == JV_STRING)
		snprintf(buf, len, "%s", v->string);
	else if (v->type == JV_NUMBER)
		snprintf(buf, len, "%.0f", v->number);
	else if (v->type == JV_BOOL)
		snprintf(buf, len, "%s", v->boolean ? "yes" : "no");
}

static int jiffies_clock(const char *cs)
{
	return !strcmp(cs, "jiffies") || !strcmp(cs, "refined-jiffies");
}

int cmp_provenance(const struct json *b, const struct json *n,
		   const char *bname, const char *nname, struct cmp_result *res)
{
	static const char *const fields[] = {
		"hz", "clocksource", "kvm_backend", "cpu_model", "cpus",
		"virtualized", "machine", "version",
	};
	const struct json *pv[2] = { json_get(b, "provenance"),
				     json_get(n, "provenance") };
	const char *name[2] = { bname, nname }, *side[2] = { "BASE", "NEW" };
	char v[2][160], k[2][80], hz[2][16], cs[2][64];
	char be[32], cpus[16], virt[8], date[32];
	size_t f;
	int i, bad = 0;

	for (i = 0; i < 2; i++) {
		if (!pv[i] || pv[i]->type != JV_OBJECT) {
			snprintf(res->prov[i], sizeof(res->prov[i]),
				 "no provenance (a file from before iobus-stress 0.3.0)");
			continue;
		}
		prov_field(pv[i], "kernel", k[i], sizeof(k[i]));
		prov_field(pv[i], "hz", hz[i], sizeof(hz[i]));
		prov_field(pv[i], "clocksource", cs[i], sizeof(cs[i]));
		prov_field(pv[i], "kvm_backend", be, sizeof(be));
		prov_field(pv[i], "cpus", cpus, sizeof(cpus));
		prov_field(pv[i], "cpu_model", v[i], sizeof(v[i]));
		prov_field(pv[i], "virtualized", virt, sizeof(virt));
		prov_field(pv[i], "date", date, sizeof(date));
		snprintf(res->prov[i], sizeof(res->prov[i]),
			 "kernel %.64s, HZ %.8s, clocksource %.32s, KVM %.16s, %.8s x %.100s%s, %.24s",
			 k[i], strcmp(hz[i], "0") ? hz[i] : "?",
			 *cs[i] ? cs[i] : "?", *be ? be : "?", cpus, v[i],
			 strcmp(virt, "yes") ? "" : " (virtualized)", date);
		if (jiffies_clock(cs[i])) {
			fprintf(stderr, PFX "%s %s was measured on the %s clocksource: its latencies are multiples of a jiffy, not measurements\n",
				side[i], name[i], cs[i]);
			bad = 1;
		}
	}
	if (bad)
		return EX_MISMATCH;
	if (!pv[0] || !pv[1] || pv[0]->type != JV_OBJECT ||
	    pv[1]->type != JV_OBJECT)
		return EX_OK;
	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		prov_field(pv[0], fields[f], v[0], sizeof(v[0]));
		prov_field(pv[1], fields[f], v[1], sizeof(v[1]));
		if (!strcmp(v[0], v[1]) || res->nwarn >= CMP_MAX_WARN)
			continue;
		snprintf(res->warn[res->nwarn++], sizeof(res->warn[0]),
			 "the sides differ in %s: BASE %.70s, NEW %.70s",
			 fields[f], *v[0] ? v[0] : "?", *v[1] ? v[1] : "?");
	}
	return EX_OK;
}

static int has_name(const char **names, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(names[i], name))
			return 1;
	return 0;
}

static void known_list(const struct cmp_metric *m, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (; m->name && used < len; m++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 used ? ", " : "", m->name);
}

/* --metrics as pointers into @table; EX_USAGE after a line when wrong. */
static int pick_metrics(const char *list, const struct cmp_metric *table,
			enum cmp_kind kind, const struct cmp_metric ***out,
			int *count)
{
	const struct cmp_metric **pick;
	char *copy, *item, *save = NULL, known[600];
	int n = 0, total = 0, i, ret = EX_OK;
	const struct cmp_metric *m;

	for (m = table; m->name; m++)
		total++;
	pick = calloc((size_t)total + 1, sizeof(*pick));
	if (!pick) {
		fprintf(stderr, PFX "out of memory\n");
		return EX_IO;
	}
	if (!list) {
		for (i = 0; i < total; i++)
			pick[i] = &table[i];
		*out = pick;
		*count = total;
		return EX_OK;
	}
	copy = strdup(list);
	if (!copy) {
		free(pick);
		fprintf(stderr, PFX "out of memory\n");
		return EX_IO;
	}
	known_list(table, known, sizeof(known));
	if (!*list || list[strlen(list) - 1] == ',' || *list == ',' ||
	    strstr(list, ",,")) {
		fprintf(stderr, PFX "--metrics '%s' has an empty name\n", list);
		ret = EX_USAGE;
	}
	for (item = strtok_r(copy, ",", &save); item && !ret;
	     item = strtok_r(NULL, ",", &save)) {
		for (m = table; m->name && strcmp(m->name, item); m++)
			;
		if (!m->name) {
			fprintf(stderr, PFX "unknown metric '%s' for %s results (known: %s)\n",
				item, cmp_kind_name[kind], known);
			ret = EX_USAGE;
			break;
		}
		for (i = 0; i < n; i++)
			if (pick[i] == m) {
				fprintf(stderr, PFX "metric '%s' listed twice in --metrics\n",
					item);
				ret = EX_USAGE;
			}
		if (!ret)
			pick[n++] = m;
	}
	free(copy);
	if (ret) {
		free(pick);
		return ret;
	}
	*out = pick;
	*count = n;
	return EX_OK;
}

static int add_row(struct cmp_result *res, int *cap, const struct cmp_row *r)
{
	if (res->n == *cap) {
		int c = *cap ? 2 * *cap : 32;
		struct cmp_row *g = realloc(res->row, (size_t)c * sizeof(*g));

		if (!g) {
			fprintf(stderr, PFX "out of memory\n");
			return -1;
		}
		res->row = g;
		*cap = c;
	}
	res->row[res->n++] = *r;
	res->count[r->v]++;
	return 0;
}

enum cmp_verdict cmp_judge_stats(double p, double ratio, int higher,
				 double alpha, double min_effect,
				 int underpowered)
{
	/* the ratio in the bad direction: >= 1 + e is worse by e */
	double worse = higher ? (ratio > 0 ? 1 / ratio : INFINITY) : ratio;

	if (underpowered)
		return CMP_UNDERPOWERED;
	if (!(p < alpha))
		return CMP_PASS;
	if (worse >= 1 + min_effect)
		return CMP_REGRESSION;
	if (worse * (1 + min_effect) <= 1)
		return CMP_IMPROVEMENT;
	return CMP_PASS;
}

/* One warning into res->warn[] (the last slot says when more were left out). */
static void add_warn(struct cmp_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void add_warn(struct cmp_result *res, const char *fmt, ...)
{
	va_list ap;

	if (res->nwarn == CMP_MAX_WARN)
		return;
	if (res->nwarn == CMP_MAX_WARN - 1) {
		snprintf(res->warn[res->nwarn++], sizeof(res->warn[0]),
			 "(more differences left out)");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(res->warn[res->nwarn++], sizeof(res->warn[0]), fmt, ap);
	va_end(ap);
}

/*
 * The files of one side against its first: a jiffies clocksource refused
 * (EX_MISMATCH), a warning per field that matters and differs, the
 * kernel included (one side is meant to be one kernel).
 */
static int side_provenance(const struct json *const *d, int nd,
			   const char *const *name, const char *label,
			   struct cmp_result *res)
{
	static const char *const fields[] = {
		"kernel", "hz", "clocksource", "kvm_backend", "cpu_model",
		"cpus", "virtualized", "machine", "version",
	};
	const struct json *p0 = json_get(d[0], "provenance");
	int has0 = p0 && p0->type == JV_OBJECT, i, bad = 0;
	char v0[160], v[160];
	size_t f;

	for (i = 1; i < nd; i++) {
		const struct json *pv = json_get(d[i], "provenance");
		int has = pv && pv->type == JV_OBJECT;

		if (has) {
			prov_field(pv, "clocksource", v, sizeof(v));
			if (jiffies_clock(v)) {
				fprintf(stderr, PFX "%s %s was measured on the %s clocksource: its latencies are multiples of a jiffy, not measurements\n",
					label, name[i], v);
				bad = 1;
				continue;
			}
		}
		if (has != has0) {
			add_warn(res, "the %s files differ in provenance: %.60s has %s, %.60s has %s",
				 label, name[0], has0 ? "one" : "none", name[i],
				 has ? "one" : "none");
			continue;
		}
		for (f = 0; has && f < sizeof(fields) / sizeof(fields[0]); f++) {
			prov_field(p0, fields[f], v0, sizeof(v0));
			prov_field(pv, fields[f], v, sizeof(v));
			if (strcmp(v0, v))
				add_warn(res, "the %s files differ in %s: %.40s %.40s, %.40s %.40s",
					 label, fields[f], name[0], *v0 ? v0 : "?",
					 name[i], *v ? v : "?");
		}
	}
	return bad ? EX_MISMATCH : EX_OK;
}

/* A line per cell in one file of a pair only; the count. */
static int same_cells(const char **a, size_t na, const char *alabel,
		      const char *aname, const char **b, size_t nb,
		      const char *blabel, const char *bname)
{
	size_t i;
	int missing = 0;

	for (i = 0; i < na; i++)
		if (!has_name(b, nb, a[i])) {
			fprintf(stderr, PFX "missing cell: '%s' is in %s %s but not in %s %s\n",
				a[i], alabel, aname, blabel, bname);
			missing++;
		}
	for (i = 0; i < nb; i++)
		if (!has_name(a, na, b[i])) {
			fprintf(stderr, PFX "missing cell: '%s' is in %s %s but not in %s %s\n",
				b[i], blabel, bname, alabel, aname);
			missing++;
		}
	return missing;
}

/* Why no row can be significant, in one line. */
static const char *power_line(const struct cmp_result *res,
			      const struct cmp_opts *o, char *buf, size_t len)
{
	char more[64] = "more than 40 a side";

	if (res->enough)
		snprintf(more, sizeof(more), "%d vs %d files or more", res->enough,
			 res->enough);
	snprintf(buf, len, "%d BASE vs %d NEW files: the smallest p a permutation test of medians can give is %.3g (every NEW file beyond every BASE file), not below alpha %g; no row can be judged (verdict underpowered); %s can",
		 o->nbases, o->nnews, res->floor_p, o->alpha, more);
	return buf;
}

/* The statistical judgement of one row from one sample per file. */
static int judge_stats(struct cmp_row *r, const double *v, int nb, int nn,
		       const struct cmp_opts *o, const struct cmp_result *res)
{
	double *scratch = malloc((size_t)(nb > nn ? nb : nn) * sizeof(*scratch));

	if (!scratch)
		return -1;
	r->n_base = nb;
	r->n_new = nn;
	r->base.present = r->new_.present = 1;
	r->base.n = nb;
	r->new_.n = nn;
	r->base.median = cs_median(v, (size_t)nb, scratch);
	r->new_.median = cs_median(v + nb, (size_t)nn, scratch);
	free(scratch);
	r->p = NAN;
	r->ci_low = r->ci_high = NAN;
	if (r->base.median <= 0 || r->new_.median <= 0) {
		r->v = CMP_NODATA;
		return 0;
	}
	r->ratio = r->new_.median / r->base.median;
	r->p = cs_perm_median_p(v, (size_t)nb, v + nb, (size_t)nn,
				CS_PERM_RESAMPLES, o->seed);
	if (r->p < 0 ||
	    cs_boot_ratio_ci(v, (size_t)nb, v + nb, (size_t)nn, CS_BOOT_RESAMPLES,
			     o->seed, 0.95, &r->ci_low, &r->ci_high))
		return -1;
	r->v = cmp_judge_stats(r->p, r->ratio, r->m->higher, o->alpha,
			       o->min_effect, res->underpowered);
	return 0;
}

int cmp_files(const struct json *const *b, int nb, const char *const *bname,
	      const struct json *const *n, int nn, const char *const *nname,
	      const struct cmp_opts *o, struct cmp_result *res)
{
	const struct cmp_metric **pick = NULL;
	const struct json **doc = NULL;
	const char **name = NULL, **label = NULL, ***cells = NULL;
	size_t *ncells = NULL, i;
	struct cmp_side *sd = NULL;
	double *val = NULL;
	int tot = nb + nn, stats = o->nbases > 0, *kind = NULL;
	int nm = 0, f, j, cap = 0, ret = EX_OK, missing = 0;
	char err[400];

	memset(res, 0, sizeof(*res));
	if (nb < 1 || nn < 1 || (!stats && (nb != 1 || nn != 1)) ||
	    (stats && (nb < 2 || nn < 2))) {
		fprintf(stderr, PFX "the statistical mode (--base/--new) needs 2 or more files on each side, got %d BASE and %d NEW; for one file a side: iobus-stress compare BASE.json NEW.json\n",
			nb, nn);
		return EX_USAGE;
	}
	doc = calloc((size_t)tot, sizeof(*doc));
	name = calloc((size_t)tot, sizeof(*name));
	label = calloc((size_t)tot, sizeof(*label));
	cells = calloc((size_t)tot, sizeof(*cells));
	ncells = calloc((size_t)tot, sizeof(*ncells));
	kind = calloc((size_t)tot, sizeof(*kind));
	sd = calloc((size_t)tot, sizeof(*sd));
	val = calloc((size_t)tot, sizeof(*val));
	if (!doc || !name || !label || !cells || !ncells || !kind || !sd || !val) {
		fprintf(stderr, PFX "out of memory\n");
		ret = EX_IO;
		goto out;
	}
	for (f = 0; f < tot; f++) {
		doc[f] = f < nb ? b[f] : n[f - nb];
		name[f] = f < nb ? bname[f] : nname[f - nb];
		label[f] = f < nb ? "BASE" : "NEW";
		kind[f] = cmp_kind_of(doc[f], err, sizeof(err));
		if (kind[f] < 0) {
			fprintf(stderr, PFX "%s %s: %s\n", label[f], name[f], err);
			ret = EX_BADJSON;
			goto out;
		}
	}
	for (f = 0; f < tot; f++) {
		int first = f < nb ? 0 : nb;

		if (kind[f] != kind[first]) {
			fprintf(stderr, PFX "different kinds: %s %s holds %s results, %s %s holds %s results\n",
				label[f], name[first], cmp_kind_name[kind[first]],
				label[f], name[f], cmp_kind_name[kind[f]]);
			ret = EX_MISMATCH;
		}
	}
	if (ret)
		goto out;
	if (kind[0] != kind[nb]) {
		fprintf(stderr, PFX "different kinds: BASE %s holds %s results, NEW %s holds %s results\n",
			name[0], cmp_kind_name[kind[0]], name[nb],
			cmp_kind_name[kind[nb]]);
		ret = EX_MISMATCH;
		goto out;
	}
	res->kind = (enum cmp_kind)kind[0];
	res->stats = stats;
	ret = pick_metrics(o->metrics, kind_metrics[kind[0]], res->kind, &pick, &nm);
	if (ret)
		goto out;
	for (f = 0; f < tot; f++) {
		cells[f] = cell_names(doc[f], &ncells[f]);
		if (!cells[f]) {
			fprintf(stderr, PFX "out of memory\n");
			ret = EX_IO;
			goto out;
		}
	}
	describe(doc[0], ncells[0], res->about[0]);
	describe(doc[nb], ncells[nb], res->about[1]);
	ret = cmp_provenance(doc[0], doc[nb], name[0], name[nb], res);
	if (!ret && stats)
		ret = side_provenance(doc, nb, name, "BASE", res);
	if (!ret && stats)
		ret = side_provenance(doc + nb, nn, name + nb, "NEW", res);
	if (ret)
		goto out;
	for (j = 0; j < res->nwarn; j++)
		fprintf(stderr, PFX "warning: %s\n", res->warn[j]);
	for (f = 0; f < tot; f++)
		note_interrupted(doc[f], label[f], name[f]);
	if (!o->base_cell != !o->new_cell) {
		fprintf(stderr, PFX "--base-cell and --new-cell go together\n");
		ret = EX_USAGE;
		goto out;
	}
	if (o->base_cell) {
		for (f = 0; f < tot; f++) {
			const char *want = f < nb ? o->base_cell : o->new_cell;

			if (!has_name(cells[f], ncells[f], want)) {
				fprintf(stderr, PFX "missing cell: '%s' is not in %s %s\n",
					want, label[f], name[f]);
				missing++;
			}
		}
	} else {
		missing += same_cells(cells[0], ncells[0], "BASE", name[0],
				      cells[nb], ncells[nb], "NEW", name[nb]);
		for (f = 1; f < tot; f++)
			if (f != nb)
				missing += same_cells(cells[f < nb ? 0 : nb],
						      ncells[f < nb ? 0 : nb],
						      label[f], name[f < nb ? 0 : nb],
						      cells[f], ncells[f],
						      label[f], name[f]);
	}
	if (missing) {
		ret = EX_MISMATCH;
		goto out;
	}
	if (stats) {
		res->floor_p = cs_perm_floor((size_t)nb, (size_t)nn,
					     CS_PERM_RESAMPLES, o->seed);
		if (res->floor_p < 0) {
			fprintf(stderr, PFX "out of memory\n");
			ret = EX_IO;
			goto out;
		}
		res->underpowered = res->floor_p >= o->alpha;
		for (j = 2; res->underpowered && !res->enough && j <= 40; j++)
			if (cs_perm_floor((size_t)j, (size_t)j, CS_PERM_RESAMPLES,
					  o->seed) < o->alpha)
				res->enough = j;
		if (res->underpowered)
			fprintf(stderr, PFX "UNDERPOWERED: %s\n", power_line(res, o, err, sizeof(err)));
	}
	for (i = 0; i < (o->base_cell ? 1 : ncells[0]); i++) {
		const char *cb = o->base_cell ? o->base_cell : cells[0][i];
		const char *cn = o->base_cell ? o->new_cell : cells[0][i];

		for (j = 0; j < nm; j++) {
			struct cmp_row r;
			int absent = 0, zero = 0;

			memset(&r, 0, sizeof(r));
			r.m = pick[j];
			if (strcmp(cb, cn))
				snprintf(r.cell, sizeof(r.cell), "%s vs %s", cb, cn);
			else
				snprintf(r.cell, sizeof(r.cell), "%s", cb);
			for (f = 0; f < tot; f++) {
				if (kind[0] == CMP_KVM ?
				    kvm_side(doc[f], r.m, label[f], name[f], &sd[f]) :
				    runs_side(doc[f], f < nb ? cb : cn, r.m, label[f],
					      name[f], &sd[f])) {
					ret = EX_BADJSON;
					goto out;
				}
				absent += !sd[f].present;
				zero += sd[f].present && sd[f].median <= 0;
				val[f] = sd[f].median;
			}
			if (absent == tot && !o->metrics) {
				fprintf(stderr, PFX "note: %s %s is in %s: not compared\n",
					r.cell, r.m->name,
					stats ? "none of the files" : "neither file");
				continue;
			}
			if (absent || (zero && zero < tot)) {
				for (f = 0; f < tot; f++)
					if (!sd[f].present)
						fprintf(stderr, PFX "missing metric: %s %s is not in %s %s\n",
							r.cell, r.m->name, label[f], name[f]);
					else if (!absent && sd[f].median <= 0)
						fprintf(stderr, PFX "missing metric: %s %s has no samples (0) in %s %s\n",
							r.cell, r.m->name, label[f], name[f]);
				missing++;
				continue;
			}
			if (!stats) {
				r.base = sd[0];
				r.new_ = sd[1];
				r.n_base = r.n_new = 1;
				r.v = cmp_judge(&r.base, &r.new_, r.m->higher,
						o->max_ratio, &r.ratio, &r.spread);
			} else if (judge_stats(&r, val, nb, nn, o, res)) {
				fprintf(stderr, PFX "out of memory\n");
				ret = EX_IO;
				goto out;
			}
			if (add_row(res, &cap, &r)) {
				ret = EX_IO;
				goto out;
			}
		}
	}
	if (missing) {
		ret = EX_MISMATCH;
	} else if (!res->n) {
		fprintf(stderr, PFX "nothing to compare: no metric of %s in both %s and %s\n",
			o->base_cell ? "these cells" : "any cell", name[0], name[nb]);
		ret = EX_MISMATCH;
	}
out:
	free(pick);
	for (f = 0; cells && f < tot; f++)
		free(cells[f]);
	free(cells);
	free(ncells);
	free(doc);
	free(name);
	free(label);
	free(kind);
	free(sd);
	free(val);
	if (ret)
		cmp_result_free(res);
	return ret;
}

int cmp_docs(const struct json *b, const struct json *n, const char *bname,
	     const char *nname, const struct cmp_opts *o, struct cmp_result *res)
{
	struct cmp_opts one = *o;

	one.nbases = one.nnews = 0;
	return cmp_files(&b, 1, &bname, &n, 1, &nname, &one, res);
}

void cmp_result_free(struct cmp_result *res)
{
	free(res->row);
	res->row = NULL;
	res->n = 0;
}

static char *fmt_val(const struct cmp_metric *m, double v, char *b, size_t len)
{
	if (m->ns && v >= 0 && v < 1.8e19)
		return fmt_ns((unsigned long long)(v + 0.5), b, len);
	snprintf(b, len, "%.6g", v);
	return b;
}

static char *fmt_x(double r, char *b, size_t len)
{
	if (isinf(r))
		snprintf(b, len, "inf");
	else
		snprintf(b, len, "%.3gx", r);
	return b;
}

static char *fmt_spread(const struct cmp_side *s, char *b, size_t len)
{
	if (!s->has_spread)
		return strcpy(b, "-");
	return fmt_x(s->q25 > 0 ? s->q75 / s->q25 : INFINITY, b, len);
}

static const char *method(enum cmp_kind k)
{
	return k == CMP_KVM ?
	       "median: the summary's NAME_p50 over the VMs (exits_per_sec: the summary value); spread: p75/p25 of the hist NAME buckets" :
	       "median: of the cell's runs (as the boot table shows it); spread: p75/p25 over the runs (2 or more)";
}

/* The statistical mode's outputs. */
static const char *stats_method(enum cmp_kind k, char *buf, size_t len,
				const struct cmp_opts *o)
{
	snprintf(buf, len,
		 "one sample per file: %s; a side: the median of its files; p: two-sided permutation test of median(NEW) - median(BASE), %d random relabellings, seed %llu; 95%% CI: bootstrap percentile interval of median(NEW)/median(BASE), %d resamples a side; regression/improvement: p < %g and worse/better by %g or more",
		 k == CMP_KVM ? "the summary's NAME_p50 (exits_per_sec: the summary value)" :
		 "the median of the cell's runs", CS_PERM_RESAMPLES, o->seed,
		 CS_BOOT_RESAMPLES, o->alpha, o->min_effect);
	return buf;
}

static void list_files(FILE *f, const char *const *names, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? ", " : "", names[i]);
}

static char *fmt_p(double p, char *b, size_t len)
{
	if (isnan(p))
		return strcpy(b, "-");
	snprintf(b, len, "%.2g", p);
	return b;
}

static char *fmt_ci(const struct cmp_row *r, char *b, size_t len)
{
	char lo[24], hi[24];

	if (isnan(r->ci_low))
		return strcpy(b, "-");
	snprintf(b, len, "%s..%s", fmt_x(r->ci_low, lo, sizeof(lo)),
		 fmt_x(r->ci_high, hi, sizeof(hi)));
	return b;
}

static void write_table_stats(FILE *f, const struct cmp_result *res,
			      const struct cmp_opts *o)
{
	static const char *const head[] = {
		"cell", "metric", "better", "n base", "n new", "base", "new",
		"new/base", "95% CI", "p", "verdict",
	};
	struct table t;
	char b[64], line[700];
	int i, row;

	fprintf(f, "compare (%s, statistical): BASE (%d files) ",
		cmp_kind_name[res->kind], o->nbases);
	list_files(f, o->bases, o->nbases);
	fprintf(f, "\n%*s NEW  (%d files) ", (int)strlen(cmp_kind_name[res->kind]) + 23,
		"", o->nnews);
	list_files(f, o->news, o->nnews);
	fprintf(f, "\nBASE measured on %s (the first BASE file)\nNEW  measured on %s (the first NEW file)\n",
		res->prov[0], res->prov[1]);
	for (i = 0; i < res->nwarn; i++)
		fprintf(f, "warning: %s\n", res->warn[i]);
	fprintf(f, "%s\n", stats_method(res->kind, line, sizeof(line), o));
	if (res->underpowered)
		fprintf(f, "UNDERPOWERED: %s\n", power_line(res, o, line, sizeof(line)));
	if (table_init(&t, 11, head))
		return;
	for (i = 0; i < res->n; i++) {
		const struct cmp_row *r = &res->row[i];

		row = table_row(&t);
		if (row < 0) {
			fprintf(f, "(out of memory for the table)\n");
			break;
		}
		table_set(&t, row, 0, r->cell);
		table_set(&t, row, 1, r->m->name);
		table_set(&t, row, 2, r->m->higher ? "higher" : "lower");
		snprintf(b, sizeof(b), "%d", r->n_base);
		table_set(&t, row, 3, b);
		snprintf(b, sizeof(b), "%d", r->n_new);
		table_set(&t, row, 4, b);
		table_set(&t, row, 5, fmt_val(r->m, r->base.median, b, sizeof(b)));
		table_set(&t, row, 6, fmt_val(r->m, r->new_.median, b, sizeof(b)));
		table_set(&t, row, 7, r->v == CMP_NODATA ? "-" :
			  fmt_x(r->ratio, b, sizeof(b)));
		table_set(&t, row, 8, fmt_ci(r, b, sizeof(b)));
		table_set(&t, row, 9, fmt_p(r->p, b, sizeof(b)));
		table_set(&t, row, 10, cmp_verdict_name[r->v]);
	}
	table_print(&t, f);
	table_free(&t);
	fprintf(f, "regression %d, improvement %d, pass %d, underpowered %d, no data %d (alpha %g, min effect %g: regression/improvement = p < alpha and new/base worse/better by that much; pass = no significant change; smallest possible p with %d vs %d files: %.3g)\n",
		res->count[CMP_REGRESSION], res->count[CMP_IMPROVEMENT],
		res->count[CMP_PASS], res->count[CMP_UNDERPOWERED],
		res->count[CMP_NODATA], o->alpha, o->min_effect, o->nbases,
		o->nnews, res->floor_p);
}

void cmp_write_table(FILE *f, const struct cmp_result *res,
		     const struct cmp_opts *o)
{
	static const char *const head[] = {
		"cell", "metric", "better", "base", "new", "new/base",
		"spread base", "spread new", "verdict",
	};
	struct table t;
	char b[48];
	int i, row;

	if (res->stats) {
		write_table_stats(f, res, o);
		return;
	}
	fprintf(f, "compare (%s): BASE %s (%s)\n%*s NEW  %s (%s)\n",
		cmp_kind_name[res->kind], o->base, res->about[0],
		(int)strlen(cmp_kind_name[res->kind]) + 11, "", o->new_,
		res->about[1]);
	fprintf(f, "BASE measured on %s\nNEW  measured on %s\n", res->prov[0],
		res->prov[1]);
	for (i = 0; i < res->nwarn; i++)
		fprintf(f, "warning: %s\n", res->warn[i]);
	fprintf(f, "%s\n", method(res->kind));
	if (table_init(&t, 9, head))
		return;
	for (i = 0; i < res->n; i++) {
		const struct cmp_row *r = &res->row[i];

		row = table_row(&t);
		if (row < 0) {
			fprintf(f, "(out of memory for the table)\n");
			break;
		}
		table_set(&t, row, 0, r->cell);
		table_set(&t, row, 1, r->m->name);
		table_set(&t, row, 2, r->m->higher ? "higher" : "lower");
		table_set(&t, row, 3, fmt_val(r->m, r->base.median, b, sizeof(b)));
		table_set(&t, row, 4, fmt_val(r->m, r->new_.median, b, sizeof(b)));
		table_set(&t, row, 5, r->v == CMP_NODATA ? "-" :
			  fmt_x(r->ratio, b, sizeof(b)));
		table_set(&t, row, 6, fmt_spread(&r->base, b, sizeof(b)));
		table_set(&t, row, 7, fmt_spread(&r->new_, b, sizeof(b)));
		table_set(&t, row, 8, cmp_verdict_name[r->v]);
	}
	table_print(&t, f);
	table_free(&t);
	fprintf(f, "regression %d, improvement %d, noisy %d, pass %d, no data %d (threshold %gx: regression/improvement = new/base worse/better than %gx; noisy = a side's spread over %gx and the two p25..p75 ranges overlap)\n",
		res->count[CMP_REGRESSION], res->count[CMP_IMPROVEMENT],
		res->count[CMP_NOISY], res->count[CMP_PASS],
		res->count[CMP_NODATA], o->max_ratio, o->max_ratio, o->max_ratio);
}

/* A number of the report: %.10g as before; null when unknown or not finite. */
static json_t *json_num(double v, int known)
{
	return known ? jw_real(v, 10) : json_null();
}

/* An array of @n strings; NULL when out of memory. */
static json_t *json_strings(const char *const *s, int n)
{
	json_t *a = json_array();
	int i;

	for (i = 0; a && i < n; i++)
		if (jw_push(a, jw_str(s[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *row_json(const struct cmp_result *res, const struct cmp_row *r,
			const struct cmp_opts *o)
{
	json_t *j = json_object();

	if (!j || jw_set(j, "cell", jw_str(r->cell)) ||
	    jw_set(j, "metric", jw_str(r->m->name)) ||
	    jw_set(j, "better", jw_str(r->m->higher ? "higher" : "lower")) ||
	    jw_set(j, "base", json_num(r->base.median, 1)) ||
	    jw_set(j, "new", json_num(r->new_.median, 1)) ||
	    jw_set(j, "ratio", json_num(r->ratio, r->v != CMP_NODATA)) ||
	    jw_set(j, "base_spread",
		   json_num(r->base.q25 > 0 ? r->base.q75 / r->base.q25 : NAN,
			    r->base.has_spread)) ||
	    jw_set(j, "new_spread",
		   json_num(r->new_.q25 > 0 ? r->new_.q75 / r->new_.q25 : NAN,
			    r->new_.has_spread)) ||
	    (res->stats &&
	     (jw_set(j, "n_base", json_integer(r->n_base)) ||
	      jw_set(j, "n_new", json_integer(r->n_new)) ||
	      jw_set(j, "p", json_num(r->p, 1)) ||
	      jw_set(j, "ci_low", json_num(r->ci_low, 1)) ||
	      jw_set(j, "ci_high", json_num(r->ci_high, 1)) ||
	      jw_set(j, "test", jw_str("permutation of medians")) ||
	      jw_set(j, "resamples", json_integer(CS_PERM_RESAMPLES)) ||
	      jw_set(j, "seed", jw_u64(o->seed)))) ||
	    jw_set(j, "verdict", jw_str(cmp_verdict_name[r->v]))) {
		json_decref(j);
		return NULL;
	}
	return j;
}

/* The "compare" object; NULL when out of memory. */
static json_t *compare_json(const struct cmp_result *res,
			    const struct cmp_opts *o)
{
	json_t *c = json_object(), *warn = NULL, *rows = NULL, *totals = NULL;
	char m[700];
	int i, bad = !c;

	if (!bad)
		bad = jw_set(c, "kind", jw_str(cmp_kind_name[res->kind])) ||
		      jw_set(c, "base", jw_str(o->base)) ||
		      jw_set(c, "new", jw_str(o->new_));
	if (!bad && res->stats)
		bad = jw_set(c, "mode", jw_str("statistical")) ||
		      jw_set(c, "base_files", json_strings(o->bases, o->nbases)) ||
		      jw_set(c, "new_files", json_strings(o->news, o->nnews)) ||
		      jw_set(c, "alpha", jw_real(o->alpha, 6)) ||
		      jw_set(c, "min_effect", jw_real(o->min_effect, 6)) ||
		      jw_set(c, "test", jw_str("permutation of medians")) ||
		      jw_set(c, "resamples", json_integer(CS_PERM_RESAMPLES)) ||
		      jw_set(c, "bootstrap_resamples", json_integer(CS_BOOT_RESAMPLES)) ||
		      jw_set(c, "seed", jw_u64(o->seed)) ||
		      jw_set(c, "smallest_p", jw_real(res->floor_p, 6)) ||
		      jw_set(c, "underpowered", json_boolean(res->underpowered)) ||
		      jw_set(c, "method", jw_str(stats_method(res->kind, m, sizeof(m), o)));
	else if (!bad)
		bad = jw_set(c, "mode", jw_str("ratio of medians")) ||
		      jw_set(c, "max_ratio", jw_real(o->max_ratio, 6)) ||
		      jw_set(c, "method", jw_str(method(res->kind)));
	if (!bad)
		bad = jw_set(c, "base_measured_on", jw_str(res->prov[0])) ||
		      jw_set(c, "new_measured_on", jw_str(res->prov[1])) ||
		      !(warn = json_array()) || !(rows = json_array()) ||
		      !(totals = json_object());
	for (i = 0; !bad && i < res->nwarn; i++)
		bad = jw_push(warn, jw_str(res->warn[i]));
	if (!bad) {
		bad = jw_set(c, "warnings", warn);
		warn = NULL;
	}
	for (i = 0; !bad && i < res->n; i++)
		bad = jw_push(rows, row_json(res, &res->row[i], o));
	for (i = 0; !bad && i < CMP_VERDICTS; i++)
		bad = jw_set(totals, cmp_verdict_name[i], json_integer(res->count[i]));
	/* each taken by jw_set, even when it fails */
	if (!bad) {
		bad = jw_set(c, "rows", rows);
		rows = NULL;
	}
	if (!bad) {
		bad = jw_set(c, "totals", totals);
		totals = NULL;
	}
	json_decref(warn);
	json_decref(rows);
	json_decref(totals);
	if (!bad)
		bad = jw_set(c, "pass", json_boolean(!res->count[CMP_REGRESSION]));
	if (bad) {
		json_decref(c);
		return NULL;
	}
	return c;
}

int cmp_write_json(FILE *f, const struct cmp_result *res,
		   const struct cmp_opts *o)
{
	json_t *doc = json_object();

	errno = 0;
	if (doc && (jw_set(doc, "tool", jw_str("iobus-stress")) ||
		    (provenance_self() &&
		     jw_set(doc, "provenance", provenance_json(provenance_self()))) ||
		    jw_set(doc, "compare", compare_json(res, o)))) {
		json_decref(doc);
		doc = NULL;
	}
	return jw_dump(doc, f);
}

void cmp_write_tap(FILE *f, const struct cmp_result *res,
		   const struct cmp_opts *o)
{
	char b1[48], b2[48], b3[48], b4[48], b5[48], line[400], name[200];
	struct ktap t;
	int i;

	ktap_start(&t, f);
	if (res->stats) {
		ktap_diag(&t, "compare (%s) statistical: BASE %d files (first %s) NEW %d files (first %s), alpha %g, min effect %g, seed %llu",
			  cmp_kind_name[res->kind], o->nbases, o->base,
			  o->nnews, o->new_, o->alpha, o->min_effect, o->seed);
		if (res->underpowered)
			ktap_diag(&t, "UNDERPOWERED: %s",
				  power_line(res, o, line, sizeof(line)));
	} else {
		ktap_diag(&t, "compare (%s) BASE %s NEW %s, threshold %gx",
			  cmp_kind_name[res->kind], o->base, o->new_,
			  o->max_ratio);
	}
	ktap_plan(&t, res->n);
	for (i = 0; i < res->n; i++) {
		const struct cmp_row *r = &res->row[i];

		if (res->stats)
			fprintf(f, "# %s %s: base %s new %s ratio %s 95%% CI %s p %s (%d|%d files): %s\n",
				r->cell, r->m->name,
				fmt_val(r->m, r->base.median, b1, sizeof(b1)),
				fmt_val(r->m, r->new_.median, b2, sizeof(b2)),
				r->v == CMP_NODATA ? "-" : fmt_x(r->ratio, b3, sizeof(b3)),
				fmt_ci(r, b4, sizeof(b4)), fmt_p(r->p, b5, sizeof(b5)),
				r->n_base, r->n_new, cmp_verdict_name[r->v]);
		else
			fprintf(f, "# %s %s: base %s new %s ratio %s spread %s|%s: %s\n",
				r->cell, r->m->name,
				fmt_val(r->m, r->base.median, b1, sizeof(b1)),
				fmt_val(r->m, r->new_.median, b2, sizeof(b2)),
				r->v == CMP_NODATA ? "-" : fmt_x(r->ratio, b3, sizeof(b3)),
				fmt_spread(&r->base, b4, sizeof(b4)),
				fmt_spread(&r->new_, b5, sizeof(b5)),
				cmp_verdict_name[r->v]);
		snprintf(name, sizeof(name), "%s %s", r->cell, r->m->name);
		switch (r->v) {
		case CMP_REGRESSION:
			ktap_result(&t, 0, name, NULL);
			break;
		case CMP_NOISY:
		case CMP_NODATA:
		case CMP_UNDERPOWERED:
			ktap_skip(&t, name, "%s", cmp_verdict_name[r->v]);
			break;
		default:
			ktap_result(&t, 1, name, NULL);
		}
	}
	ktap_totals(&t);
}

/* Flush and close @f (stdout is only flushed); 0, or -1 after a line. */
/* Flush (and close) @f; @failed: its writer failed with that errno. */
static int finish(FILE *f, const char *what, int failed)
{
	int bad;

	errno = 0;
	bad = fflush(f) != 0 || ferror(f);
	if (failed && !bad) {
		bad = 1;
		errno = failed;
	}
	if (f != stdout && f != stderr && fclose(f) && !bad)
		bad = 1;
	if (bad)
		fprintf(stderr, PFX "cannot write %s: %s\n", what,
			errno ? strerror(errno) : "write error");
	return bad ? -1 : 0;
}

static void name_regressions(const struct cmp_result *res,
			     const struct cmp_opts *o)
{
	char b[48], pb[24];
	int i, k = 0;

	if (res->stats)
		fprintf(stderr, PFX "%d regression%s (p < %g, worse by %g or more):",
			res->count[CMP_REGRESSION],
			res->count[CMP_REGRESSION] == 1 ? "" : "s", o->alpha,
			o->min_effect);
	else
		fprintf(stderr, PFX "%d regression%s beyond %gx:",
			res->count[CMP_REGRESSION],
			res->count[CMP_REGRESSION] == 1 ? "" : "s", o->max_ratio);
	for (i = 0; i < res->n; i++) {
		if (res->row[i].v != CMP_REGRESSION)
			continue;
		fprintf(stderr, "%s %s %s %s", k++ ? "," : "",
			res->row[i].cell, res->row[i].m->name,
			fmt_x(res->row[i].ratio, b, sizeof(b)));
		if (res->stats)
			fprintf(stderr, " (p %s)", fmt_p(res->row[i].p, pb, sizeof(pb)));
	}
	fputc('\n', stderr);
}

int cmp_main(const struct cmp_opts *o)
{
	const char *const *bn = o->nbases ? o->bases : &o->base;
	const char *const *nn = o->nbases ? o->news : &o->new_;
	int nb = o->nbases ? o->nbases : 1, nw = o->nbases ? o->nnews : 1;
	struct json **doc;
	struct cmp_result res;
	FILE *human = o->tap || (o->json && !strcmp(o->json, "-")) ? stderr : stdout;
	FILE *jf;
	char err[300];
	int ret = EX_OK, i, failed;

	doc = calloc((size_t)(nb + nw), sizeof(*doc));
	if (!doc) {
		fprintf(stderr, PFX "out of memory\n");
		return EX_IO;
	}
	for (i = 0; i < nb + nw && !ret; i++) {
		const char *path = i < nb ? bn[i] : nn[i - nb];

		ret = json_load(path, &doc[i], err, sizeof(err));
		if (ret)
			fprintf(stderr, PFX "%s %s: %s\n", i < nb ? "BASE" : "NEW",
				path, err);
	}
	if (!ret)
		ret = cmp_files((const struct json *const *)doc, nb, bn,
				(const struct json *const *)doc + nb, nw, nn, o,
				&res);
	for (i = 0; i < nb + nw; i++)
		json_free(doc[i]);
	free(doc);
	if (ret)
		return ret;
	cmp_write_table(human, &res, o);
	if (o->json) {
		jf = strcmp(o->json, "-") ? fopen(o->json, "w") : stdout;
		if (!jf) {
			fprintf(stderr, PFX "cannot open JSON output %s: %s\n",
				o->json, strerror(errno));
			ret = EX_IO;
		} else {
			failed = cmp_write_json(jf, &res, o) ?
				 (errno ? errno : EIO) : 0;
			if (finish(jf, strcmp(o->json, "-") ? o->json : "JSON to stdout",
				   failed))
				ret = EX_IO;
		}
	}
	if (o->tap) {
		cmp_write_tap(stdout, &res, o);
		if (finish(stdout, "KTAP to stdout", 0))
			ret = EX_IO;
	}
	if (finish(human, "the table", 0) && !ret)
		ret = EX_IO;
	if (!ret && res.count[CMP_REGRESSION]) {
		name_regressions(&res, o);
		ret = EX_FAIL;
	}
	cmp_result_free(&res);
	return ret;
}

/* "  kvm:        a, b, ..." wrapped at 79 columns. */
static void usage_metrics(FILE *f, const char *kind, const struct cmp_metric *m)
{
	int col = fprintf(f, "  %-12s", kind), first = 1;

	for (; m->name; m++, first = 0) {
		int len = (int)strlen(m->name) + 1;

		if (!first)
			col += fprintf(f, ",%s", col + 1 + len > 79 ? "" : " ");
		if (!first && col + len > 79)
			col = fprintf(f, "\n%14s", "") - 1;
		col += fprintf(f, "%s", m->name);
	}
	fputc('\n', f);
}

void compare_usage(FILE *f)
{
	fprintf(f,
		"usage: iobus-stress compare [--max-ratio R] [--metrics LIST]\n"
		"                            [--base-cell NAME --new-cell NAME]\n"
		"                            [--json FILE|-] [--tap] BASE.json NEW.json\n"
		"       iobus-stress compare [--alpha A] [--min-effect E] [--seed N]\n"
		"                            [--metrics LIST] [--base-cell NAME --new-cell NAME]\n"
		"                            [--json FILE|-] [--tap]\n"
		"                            --base F --base F [...] --new F --new F [...]\n"
		"The regression gate: compare two result files of the same kind (the JSON of\n"
		"`kvm`; of `boot`; of `run`/`matrix`, which compare with each other), told\n"
		"apart by their content.  Per cell and metric: the median of BASE and NEW, the\n"
		"ratio NEW/BASE, the spread of each side, and a verdict:\n"
		"  regression   worse than R (lower-is-better: ratio > R; higher: ratio < 1/R)\n"
		"  improvement  better than R the other way\n"
		"  noisy        a side's spread is over R and the two p25..p75 ranges overlap:\n"
		"               the repeats cannot tell a change of R (neither pass nor fail)\n"
		"  pass         within R both ways;  no data: 0 samples on both sides\n"
		"Median and spread: kvm: the summary's NAME_p50 (the median over the VMs) and\n"
		"p75/p25 of the hist NAME buckets (bucket middles); exits_per_sec: the summary\n"
		"value, no spread.  boot, run/matrix: the median of the runs of a cell (as the\n"
		"boot table shows it) and p75/p25 over those runs (none with one run);\n"
		"interrupted runs are left out, with a note.\n"
		"Metrics (all lower is better, in ns, except exits_per_sec: higher is better):\n");
	usage_metrics(f, "kvm", kvm_metrics);
	usage_metrics(f, "boot", boot_metrics);
	usage_metrics(f, "run/matrix", cells_metrics);
	fprintf(f,
		"--max-ratio R   the threshold, a decimal > 1 (default 2)\n"
		"--metrics LIST  compare only these (comma-separated; unknown names are an error)\n"
		"--base-cell A --new-cell B  compare cell A of BASE with cell B of NEW (boot:\n"
		"                a strategy, e.g. sync-expedited vs call-srcu of one file;\n"
		"                kvm: the cell is `kvm`)\n"
		"--json FILE|-, --tap  the rows as JSON, or KTAP (one test point per cell x\n"
		"                metric: regressions not ok, noisy and no data SKIP); the table\n"
		"                then goes to stderr\n"
		"Statistical mode (--base/--new, 2+ files a side, all of one kind): each file's\n"
		"median (as above) is one sample; a side's value is the median of its files.\n"
		"p: two-sided permutation test of median(NEW) - median(BASE), 9999 random\n"
		"relabellings from a seeded xorshift64* (reproducible); 95%% CI: bootstrap\n"
		"percentile interval of median(NEW)/median(BASE), 10000 resamples a side.\n"
		"  regression   p < A and NEW worse by E or more (ratio >= 1+E; higher-is-\n"
		"               better: ratio <= 1/(1+E)); improvement: as much better\n"
		"  pass         no significant change;  no data: 0 samples in every file\n"
		"  underpowered too few files: even NEW beyond every BASE file cannot give\n"
		"               p < A (3 vs 3: 0.2; 8 vs 8 needed at 0.01); said on stderr\n"
		"--alpha A       significance level, 0.001..0.5 (default 0.01)\n"
		"--min-effect E  the smallest change judged, 0..100 (default 0.05: 5%%)\n"
		"--seed N        the PRNG seed (default 20261204)\n"
		"Within a side, files that differ in kernel or provenance are a warning each.\n"
		"exit codes: 0 no regression, 1 a regression (named on stderr), 2 bad flag,\n"
		"unknown metric, different kinds, or a missing cell or metric (one line each),\n"
		"9 a file cannot be read or written, 11 a file is not JSON or not a result\n");
}

/* --base and --new's files, each a list; every file once. */
struct files {
	const char **bases, **news, **all;
	int nbases, nnews, nall;
};

/* A file of --base/--new: not a flag swallowed as its value, not twice. */
static int add_file(void *ctx, const struct opt *o, const char *path,
		    char *err, size_t len)
{
	struct files *f = ctx;
	int base = !strcmp(o->name, "base"), i;

	if (!strncmp(path, "--", 2)) {
		snprintf(err, len, "--%s needs a file name, got '%s' (a flag?)",
			 o->name, path);
		return -1;
	}
	for (i = 0; i < f->nall; i++)
		if (!strcmp(f->all[i], path)) {
			snprintf(err, len, "%s is given twice: each file is one sample",
				 path);
			return -1;
		}
	f->all[f->nall++] = path;
	if (base)
		f->bases[f->nbases++] = path;
	else
		f->news[f->nnews++] = path;
	return 0;
}

int cmd_compare(int argc, char **argv)
{
	struct cmp_opts o = { .max_ratio = 2, .alpha = CMP_ALPHA,
			      .min_effect = CMP_MIN_EFFECT,
			      .seed = CS_DEFAULT_SEED };
	struct files f = {
		.bases = calloc((size_t)argc + 1, sizeof(*f.bases)),
		.news = calloc((size_t)argc + 1, sizeof(*f.news)),
		.all = calloc((size_t)argc + 1, sizeof(*f.all)),
	};
	int ret = EX_USAGE, ratio_set = 0, stats_set = 0, help = 0, next;
	const struct opt tab[] = {
		{ .name = "base", .kind = OPT_CALL, .call = add_file },
		{ .name = "new", .kind = OPT_CALL, .call = add_file },
		/* p is at least 1/(resamples+1) = 0.0001 */
		{ .name = "alpha", .kind = OPT_DECIMAL, .dst = &o.alpha,
		  .lo = 0.001, .hi = 0.5, .set = &stats_set,
		  .what = "a decimal from 0.001 to 0.5" },
		{ .name = "min-effect", .kind = OPT_DECIMAL, .dst = &o.min_effect,
		  .lo = 0, .hi = 100, .set = &stats_set,
		  .what = "a decimal from 0 to 100: 0.05 is 5%" },
		{ .name = "seed", .kind = OPT_U64, .dst = &o.seed, .max = ~0ULL,
		  .set = &stats_set, .what = "a decimal integer below 2^64" },
		{ .name = "max-ratio", .kind = OPT_DECIMAL, .dst = &o.max_ratio,
		  .lo = 1, .hi = 1000, .flags = OPT_ABOVE, .set = &ratio_set,
		  .what = "a decimal > 1, at most 1000" },
		{ .name = "metrics", .kind = OPT_STRING, .dst = &o.metrics },
		{ .name = "base-cell", .kind = OPT_STRING, .dst = &o.base_cell },
		{ .name = "new-cell", .kind = OPT_STRING, .dst = &o.new_cell },
		{ .name = "json", .kind = OPT_FILE, .dst = &o.json,
		  .flags = OPT_STDOUT },
		{ .name = "tap", .kind = OPT_FLAG, .dst = &o.tap },
		{ .name = "help", .kind = OPT_FLAG, .dst = &help, .short_name = 'h',
		  .flags = OPT_STOP },
	};
	/* files anywhere: compare A.json --json - B.json */
	const struct opts_how how = { .cmd = "compare", .max_args = -1,
				      .permute = 1, .ctx = &f };
	char err[512];

	if (!f.bases || !f.news || !f.all) {
		fprintf(stderr, PFX "out of memory\n");
		ret = EX_IO;
		goto out;
	}
	if (opts_parse(tab, sizeof(tab) / sizeof(tab[0]), &how, argc, argv, err,
		       sizeof(err), &next)) {
		fprintf(stderr, PFX "%s (see iobus-stress compare --help)\n", err);
		goto out;
	}
	if (help) {
		compare_usage(stdout);
		ret = finish(stdout, "the usage", 0) ? EX_IO : EX_OK;
		goto out;
	}
	o.nbases = f.nbases;
	o.nnews = f.nnews;
	if ((o.nbases || o.nnews) && argc - next) {
		fprintf(stderr, PFX "give the files either as BASE.json NEW.json or with --base/--new, not both (got %d positional file%s)\n",
			argc - next, argc - next == 1 ? "" : "s");
		goto out;
	}
	if (o.nbases || o.nnews) {
		if (o.nbases < 2 || o.nnews < 2) {
			fprintf(stderr, PFX "the statistical mode (--base/--new) needs 2 or more files on each side, got %d BASE and %d NEW; for one file a side: iobus-stress compare BASE.json NEW.json\n",
				o.nbases, o.nnews);
			goto out;
		}
		if (ratio_set) {
			fprintf(stderr, PFX "--max-ratio is the two-file mode's threshold; with --base/--new the verdict is --alpha and --min-effect\n");
			goto out;
		}
		o.bases = f.bases;
		o.news = f.news;
		o.base = f.bases[0];
		o.new_ = f.news[0];
	} else if (argc - next != 2) {
		fprintf(stderr, PFX "needs BASE.json and NEW.json, got %d file%s (see iobus-stress compare --help)\n",
			argc - next, argc - next == 1 ? "" : "s");
		goto out;
	} else if (stats_set) {
		fprintf(stderr, PFX "--alpha, --min-effect and --seed are for the statistical mode (--base F --base F ... --new F --new F ...)\n");
		goto out;
	} else {
		o.base = argv[next];
		o.new_ = argv[next + 1];
	}
	if (o.tap && o.json && !strcmp(o.json, "-")) {
		fprintf(stderr, PFX "only one output can go to stdout (--tap, --json -)\n");
		goto out;
	}
	if (!o.base_cell != !o.new_cell) {
		fprintf(stderr, PFX "--base-cell and --new-cell go together\n");
		goto out;
	}
	ret = cmp_main(&o);
out:
	free(f.bases);
	free(f.news);
	free(f.all);
	return ret;
}
