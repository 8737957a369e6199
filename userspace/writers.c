// SPDX-License-Identifier: GPL-2.0
/* JSON, CSV and KTAP writers of results. */
#include <string.h>

#include "result.h"

const char *const result_hist_names[RESULT_HISTS] = {
	"register", "reclaim", "probe", "vcpu_create",
};

int hist_parse(struct hist *h, const char *text)
{
	const char *line = text;
	unsigned long long lo, hi, c;

	h->n = 0;
	while (line && *line) {
		if (*line != '#' &&
		    sscanf(line, "%llu %llu %llu", &lo, &hi, &c) == 3 &&
		    h->n < HIST_MAX_BUCKETS) {
			h->lower[h->n] = lo;
			h->count[h->n] = c;
			h->n++;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return h->n;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

void write_json(FILE *f, const struct result *r, int n)
{
	int i;
	size_t k;

	fprintf(f, "{\"tool\": \"iobus-stress\", \"runs\": [");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
		json_string(f, r[i].name);
		fprintf(f, ", \"pass\": %s, \"why\": ",
			r[i].pass ? "true" : "false");
		json_string(f, r[i].why);
		fprintf(f, ", \"stats\": {");
		for (k = 0; k < r[i].st.n; k++) {
			fprintf(f, "%s", k ? ", " : "");
			json_string(f, r[i].st.key[k]);
			fprintf(f, ": ");
			if (stats_is_num(&r[i].st, k))
				fprintf(f, "%s", r[i].st.value[k]);
			else
				json_string(f, r[i].st.value[k]);
		}
		fprintf(f, "}}");
	}
	fprintf(f, "\n]}\n");
}

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* Columns: name, pass, then the stats keys of the first result. */
void write_csv(FILE *f, const struct result *r, int n)
{
	int i;
	size_t k;
	const char *v;

	if (!n)
		return;
	fputs("name,pass", f);
	for (k = 0; k < r[0].st.n; k++) {
		fputc(',', f);
		csv_field(f, r[0].st.key[k]);
	}
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		csv_field(f, r[i].name);
		fprintf(f, ",%d", r[i].pass);
		for (k = 0; k < r[0].st.n; k++) {
			fputc(',', f);
			v = stats_get(&r[i].st, r[0].st.key[k]);
			csv_field(f, v ? v : "");
		}
		fputc('\n', f);
	}
}

int write_tap(FILE *f, const struct result *r, int n)
{
	int i, failed = 0;

	fprintf(f, "KTAP version 1\n1..%d\n", n);
	for (i = 0; i < n; i++) {
		fprintf(f, "# %s: stale=%llu gp=%llu dev=%llu expect=%s verdict=%s\n",
			r[i].name,
			stats_num(&r[i].st, "stale_observations", 0),
			stats_num(&r[i].st, "gp_violations", 0),
			stats_num(&r[i].st, "device_violations", 0),
			stats_get(&r[i].st, "expect") ?: "?",
			stats_get(&r[i].st, "verdict") ?: "?");
		if (!r[i].pass) {
			fprintf(f, "# %s: %s\n", r[i].name, r[i].why);
			failed++;
		}
		fprintf(f, "%sok %d %s\n", r[i].pass ? "" : "not ", i + 1,
			r[i].name);
	}
	fprintf(f, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
		n - failed, failed);
	return failed ? 1 : 0;
}

void write_tap_skip(FILE *f, const char *reason)
{
	fprintf(f, "KTAP version 1\n1..0 # SKIP %s\n", reason);
}
