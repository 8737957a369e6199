// SPDX-License-Identifier: GPL-2.0
/* Human reports of run, matrix and boot. */
#include <stdlib.h>
#include <string.h>

#include "expect.h"
#include "report.h"
#include "stats.h"
#include "table.h"

static const char *ns(const struct result *r, const char *key, char *buf)
{
	return fmt_ns(stats_num(&r->st, key, 0), buf, 16);
}

static const char *num(const struct result *r, const char *key, char *buf)
{
	return fmt_count(stats_num(&r->st, key, 0), buf, 16);
}

void report_run(FILE *f, const struct result *r)
{
	static const char *const head[] = {
		"metric", "count", "p50", "p90", "p99", "max",
	};
	static const char *const metrics[] = {
		"register", "unregister", "reclaim", "probe", "vcpu_create",
		"boot",
	};
	char key[64], b[16];
	struct table t;
	size_t i;
	int row;

	table_init(&t, 6, head);
	for (i = 0; i < sizeof(metrics) / sizeof(metrics[0]); i++) {
		snprintf(key, sizeof(key), "%s_count", metrics[i]);
		if (!stats_num(&r->st, key, 0))
			continue;
		row = table_row(&t);
		table_set(&t, row, 0, metrics[i]);
		table_set(&t, row, 1, num(r, key, b));
		snprintf(key, sizeof(key), "%s_ns_p50", metrics[i]);
		table_set(&t, row, 2, ns(r, key, b));
		snprintf(key, sizeof(key), "%s_ns_p90", metrics[i]);
		table_set(&t, row, 3, ns(r, key, b));
		snprintf(key, sizeof(key), "%s_ns_p99", metrics[i]);
		table_set(&t, row, 4, ns(r, key, b));
		snprintf(key, sizeof(key), "%s_ns_max", metrics[i]);
		table_set(&t, row, 5, ns(r, key, b));
	}
	fprintf(f, "%s: %s ms, reclaim=%s pattern=%s readers=%s writers=%s instances=%s\n",
		r->name, stats_get(&r->st, "elapsed_ms") ?: "?",
		stats_get(&r->st, "reclaim") ?: "?",
		stats_get(&r->st, "pattern") ?: "?",
		stats_get(&r->st, "readers") ?: "?",
		stats_get(&r->st, "writers") ?: "?",
		stats_get(&r->st, "instances") ?: "?");
	table_print(&t, f);
	table_free(&t);
	fprintf(f, "exits %s (%s/s, %s per exit), registers %s, unregisters %s, enomem %s\n",
		num(r, "exits", key), num(r, "exits_per_sec", b),
		fmt_ns(stats_num(&r->st, "ns_per_exit", 0), key + 32, 16),
		stats_get(&r->st, "registers") ?: "?",
		stats_get(&r->st, "unregisters") ?: "?",
		stats_get(&r->st, "enomem") ?: "?");
	fprintf(f, "stale_observations %llu (worst %llu gens)  gp_violations %llu  device_violations %llu  pending_peak %llu (%llu bytes)  leaked %s\n",
		stats_num(&r->st, "stale_observations", 0),
		stats_num(&r->st, "stale_observations_worst_gens", 0),
		stats_num(&r->st, "gp_violations", 0),
		stats_num(&r->st, "device_violations", 0),
		stats_num(&r->st, "pending_peak", 0),
		stats_num(&r->st, "pending_peak_bytes", 0),
		stats_get(&r->st, "leaked") ?: "?");
	fprintf(f, "expect %s (basis %s)  verdict %s  => %s (%s)\n",
		stats_get(&r->st, "expect") ?: "?",
		stats_get(&r->st, "expect_basis") ?: "?",
		stats_get(&r->st, "verdict") ?: "?",
		r->outcome == OUT_PASS ? "PASS" : r->outcome == OUT_FAIL ? "FAIL" :
		outcome_name(r->outcome), r->why);
}

void report_matrix(FILE *f, const struct result *r, int n)
{
	static const char *const head[] = {
		"reclaim", "pattern", "stale", "gp", "dev", "reg p50",
		"reg p99", "reclaim p50", "reclaim p99", "probe p50",
		"pend peak", "exits/s", "expected", "basis", "verdict",
	};
	char b[16];
	struct table t;
	int i, row;

	table_init(&t, 15, head);
	for (i = 0; i < n; i++) {
		const char *unreg = stats_get(&r[i].st, "unregister");
		char rc[40];

		row = table_row(&t);
		snprintf(rc, sizeof(rc), "%s%s",
			 stats_get(&r[i].st, "reclaim") ?: "?",
			 unreg && !strcmp(unreg, "async") ? "+async-unreg" : "");
		table_set(&t, row, 0, rc);
		table_set(&t, row, 1, stats_get(&r[i].st, "pattern") ?: "?");
		table_set(&t, row, 2, num(&r[i], "stale_observations", b));
		table_set(&t, row, 3, num(&r[i], "gp_violations", b));
		table_set(&t, row, 4, num(&r[i], "device_violations", b));
		table_set(&t, row, 5, ns(&r[i], "register_ns_p50", b));
		table_set(&t, row, 6, ns(&r[i], "register_ns_p99", b));
		table_set(&t, row, 7, ns(&r[i], "reclaim_ns_p50", b));
		table_set(&t, row, 8, ns(&r[i], "reclaim_ns_p99", b));
		table_set(&t, row, 9, ns(&r[i], "probe_ns_p50", b));
		table_set(&t, row, 10, num(&r[i], "pending_peak", b));
		table_set(&t, row, 11, num(&r[i], "exits_per_sec", b));
		table_set(&t, row, 12, stats_get(&r[i].st, "expect") ?: "?");
		basis_letters(stats_get(&r[i].st, "expect_basis"), b, sizeof(b));
		table_set(&t, row, 13, b);
		table_set(&t, row, 14, r[i].outcome == OUT_FAIL ? "FAIL" :
			  outcome_name(r[i].outcome));
	}
	table_print(&t, f);
	table_free(&t);
	fprintf(f, "%s\n", BASIS_LEGEND);
	for (i = 0; i < n; i++)
		if (r[i].outcome != OUT_PASS)
			fprintf(f, "%s %s: %s\n", r[i].outcome == OUT_FAIL ?
				"FAIL" : outcome_name(r[i].outcome), r[i].name,
				r[i].why);
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The @q quantile (0 min, 0.5 median, 1 max) of @key over @cnt results
 * from r[first] (one cell's repetitions).
 */
static unsigned long long quantile(const struct result *r, int first,
				   int cnt, const char *key, double q)
{
	unsigned long long *v, out;
	int i, n = cnt;

	v = n > 0 ? malloc(n * sizeof(*v)) : NULL;
	if (!v)
		return 0;	/* no runs (or no memory): shown as 0 */
	for (i = 0; i < n; i++)
		v[i] = stats_num(&r[first + i].st, key, 0);
	qsort(v, n, sizeof(v[0]), cmp_ull);
	out = v[q >= 1 ? n - 1 : (int)(q * n)];
	free(v);
	return out;
}

static unsigned long long median(const struct result *r, int first, int cnt,
				 const char *key)
{
	return quantile(r, first, cnt, key, 0.5);
}

void report_boot(FILE *f, const struct result *r, int n)
{
	static const char *const head[] = {
		"reclaim", "runs", "register p50", "x", "1st vCPU", "x",
		"vCPU p50", "x", "boot total", "x", "early", "vcpus", "late",
		"1st vCPU range",
	};
	/* NR_RATIO keys shown with a ratio to sync-expedited, then plain. */
	static const char *const keys[] = {
		"register_ns_p50", "boot_vcpu1_ns", "vcpu_create_ns_p50",
		"boot_ns", "boot_early_ns", "boot_vcpu_ns", "boot_late_ns",
	};
	enum { NR_RATIO = 4, NR_KEYS = 7 };
	unsigned long long base[NR_RATIO] = { 0 }, v[NR_KEYS];
	char b[16], lo[16], hi[16], range[40];
	struct table t;
	int i, j, k, row;

	for (i = 0; i < n; i = j) {
		for (j = i; j < n && !strcmp(r[j].name, r[i].name); j++)
			;
		if (!strcmp(r[i].name, "sync-expedited"))
			for (k = 0; k < NR_RATIO; k++)
				base[k] = median(r, i, j - i, keys[k]);
	}
	table_init(&t, 3 + 2 * NR_RATIO + NR_KEYS - NR_RATIO, head);
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && !strcmp(r[j].name, r[i].name); j++)
			;
		for (k = 0; k < NR_KEYS; k++)
			v[k] = median(r, i, j - i, keys[k]);
		row = table_row(&t);
		table_set(&t, row, 0, r[i].name);
		snprintf(b, sizeof(b), "%d", j - i);
		table_set(&t, row, 1, b);
		for (k = 0; k < NR_RATIO; k++) {
			table_set(&t, row, 2 + 2 * k, fmt_ns(v[k], b, sizeof(b)));
			table_set(&t, row, 3 + 2 * k,
				  fmt_ratio(v[k], base[k], b, sizeof(b)));
		}
		for (k = NR_RATIO; k < NR_KEYS; k++)
			table_set(&t, row, 2 + NR_RATIO + k,
				  fmt_ns(v[k], b, sizeof(b)));
		snprintf(range, sizeof(range), "%s-%s",
			 fmt_ns(quantile(r, i, j - i, keys[1], 0), lo, sizeof(lo)),
			 fmt_ns(quantile(r, i, j - i, keys[1], 1), hi, sizeof(hi)));
		table_set(&t, row, 2 + NR_RATIO + NR_KEYS, range);
	}
	fprintf(f, "boot model: devices=%s early_devices=%s readers=%s (medians; x = ratio to sync-expedited)\n",
		n ? stats_get(&r[0].st, "devices") ?: "?" : "?",
		n ? stats_get(&r[0].st, "early_devices") ?: "?" : "?",
		n ? stats_get(&r[0].st, "readers") ?: "?" : "?");
	table_print(&t, f);
	table_free(&t);
	/* The 1st vCPU rows that could not have come out otherwise. */
	for (i = 0, k = 0; i < n; i = j) {
		const char *basis = stats_get(&r[i].st, "boot_vcpu1_basis");

		for (j = i; j < n && !strcmp(r[j].name, r[i].name); j++)
			;
		if (!basis || strncmp(basis, "construction(", 13))
			continue;
		fprintf(f, "%s%s %s", k++ ? ", " : "1st vCPU by construction, not a finding: ",
			r[i].name, basis + 12);
	}
	if (k)
		fprintf(f, "; the rest measured (boot_vcpu1_basis)\n");
}
