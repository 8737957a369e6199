// SPDX-License-Identifier: GPL-2.0
/* JSON, CSV and KTAP writers of results, and the outputs they go to. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "exit_codes.h"
#include "output.h"
#include "provenance.h"


static const char *const kind_name[OUT_KINDS] = { "JSON", "CSV", "SVG", "KTAP" };

static const char *shown(const char *path)
{
	return strcmp(path, "-") ? path : "stdout";
}

int outputs_use_stdout(const struct outputs *o)
{
	int k;

	for (k = 0; k < OUT_KINDS; k++)
		if (o->path[k] && !strcmp(o->path[k], "-"))
			return 1;
	return 0;
}

int outputs_open(struct outputs *o)
{
	int k;

	for (k = 0; k < OUT_KINDS; k++) {
		o->f[k] = NULL;
		if (!o->path[k])
			continue;
		o->f[k] = strcmp(o->path[k], "-") ? fopen(o->path[k], "w") :
			  stdout;
		if (!o->f[k]) {
			fprintf(stderr, "iobus-stress: cannot open %s output %s: %s\n",
				kind_name[k], o->path[k], strerror(errno));
			outputs_close(o);
			return EX_IO;
		}
	}
	return EX_OK;
}

/* Flush and close one output; 0 or -1 after a line naming its path. */
static int finish_one(struct outputs *o, int k)
{
	FILE *f = o->f[k];
	int bad;

	o->f[k] = NULL;
	errno = 0;
	bad = fflush(f) != 0 || ferror(f);
	if (f != stdout && fclose(f) && !bad)
		bad = 1;
	if (bad)
		fprintf(stderr, "iobus-stress: cannot write %s output %s: %s\n",
			kind_name[k], shown(o->path[k]),
			errno ? strerror(errno) : "write error");
	return bad ? -1 : 0;
}

int outputs_write(struct outputs *o, const struct result *r, int n,
		  const char *title)
{
	int k, ret = EX_OK;

	for (k = 0; k < OUT_KINDS; k++) {
		if (!o->f[k])
			continue;
		switch (k) {
		case OUT_JSON:
			write_json(o->f[k], r, n);
			break;
		case OUT_CSV:
			write_csv(o->f[k], r, n);
			break;
		case OUT_SVG:
			write_svg(o->f[k], r, n, title);
			break;
		case OUT_TAP:
			write_tap(o->f[k], r, n);
			break;
		}
		if (finish_one(o, k))
			ret = EX_IO;
	}
	return ret;
}

void outputs_close(struct outputs *o)
{
	int k;

	for (k = 0; k < OUT_KINDS; k++) {
		if (o->f[k] && o->f[k] != stdout)
			fclose(o->f[k]);
		o->f[k] = NULL;
	}
}

/* A JSON number: -?(0|[1-9][0-9]*) ("007" is not one). */
static int json_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		return s[1] == '\0';
	if (*s < '1' || *s > '9')
		return 0;
	for (s++; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

void json_string(FILE *f, const char *s)
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

	fprintf(f, "{\"tool\": \"iobus-stress\", ");
	if (provenance_self()) {
		provenance_write_json(f, provenance_self());
		fputs(",\n ", f);
	}
	fprintf(f, "\"runs\": [");
	for (i = 0; i < n; i++) {
		fprintf(f, "%s\n  {\"name\": ", i ? "," : "");
		json_string(f, r[i].name);
		fprintf(f, ", \"pass\": %s, \"outcome\": \"%s\", \"why\": ",
			r[i].outcome == OUT_PASS ? "true" : "false",
			outcome_name(r[i].outcome));
		json_string(f, r[i].why);
		fprintf(f, ", \"stats\": {");
		for (k = 0; k < r[i].st.n; k++) {
			fprintf(f, "%s", k ? ", " : "");
			json_string(f, r[i].st.key[k]);
			fprintf(f, ": ");
			if (json_number(r[i].st.value[k]))
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
	if (!strpbrk(s, ",\"\n\r")) {
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
	fputs("name,pass,outcome", f);
	for (k = 0; k < r[0].st.n; k++) {
		fputc(',', f);
		csv_field(f, r[0].st.key[k]);
	}
	fputc('\n', f);
	for (i = 0; i < n; i++) {
		csv_field(f, r[i].name);
		fprintf(f, ",%d,%s", r[i].outcome == OUT_PASS,
			outcome_name(r[i].outcome));
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
	int i, failed = 0, skipped = 0;

	fprintf(f, "KTAP version 1\n1..%d\n", n);
	for (i = 0; i < n; i++) {
		fprintf(f, "# %s: stale=%llu gp=%llu dev=%llu expect=%s verdict=%s\n",
			r[i].name,
			stats_num(&r[i].st, "stale_observations", 0),
			stats_num(&r[i].st, "gp_violations", 0),
			stats_num(&r[i].st, "device_violations", 0),
			stats_get(&r[i].st, "expect") ?: "?",
			stats_get(&r[i].st, "verdict") ?: "?");
		switch (r[i].outcome) {
		case OUT_PASS:
			fprintf(f, "ok %d %s\n", i + 1, r[i].name);
			break;
		case OUT_INCONCLUSIVE:
		case OUT_INTERRUPTED:
			skipped++;
			fprintf(f, "ok %d %s # SKIP %s: %s\n", i + 1, r[i].name,
				outcome_name(r[i].outcome), r[i].why);
			break;
		default:
			failed++;
			fprintf(f, "# %s: %s\nnot ok %d %s\n", r[i].name,
				r[i].why, i + 1, r[i].name);
		}
	}
	fprintf(f, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
		n - failed - skipped, failed, skipped);
	return failed ? 1 : 0;
}

void write_tap_skip(FILE *f, const char *reason)
{
	fprintf(f, "KTAP version 1\n1..0 # SKIP %s\n", reason);
}
