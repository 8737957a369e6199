// SPDX-License-Identifier: GPL-2.0
/* JSON, CSV and KTAP writers of results, and the outputs they go to. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "ktap.h"
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

int outputs_finish(struct outputs *o, int k, int failed)
{
	FILE *f = o->f[k];
	int bad;

	o->f[k] = NULL;
	errno = 0;
	bad = fflush(f) != 0 || ferror(f);
	if (failed && !bad) {
		bad = 1;
		errno = failed;
	}
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
	int k, failed, ret = EX_OK;

	for (k = 0; k < OUT_KINDS; k++) {
		if (!o->f[k])
			continue;
		failed = 0;
		switch (k) {
		case OUT_JSON:
			if (write_json(o->f[k], r, n))
				failed = errno ? errno : EIO;
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
		if (outputs_finish(o, k, failed))
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

/* A JSON integer: -?(0|[1-9][0-9]*) ("007" is not one). */
static int json_integer_text(const char *s)
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

/* Any JSON number: an integer, then .digits, then e[+-]digits. */
static int json_number_text(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		s += strspn(s, "0123456789");
	else
		return 0;
	if (*s == '.') {
		s++;
		if (*s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		s += strspn(s, "0123456789");
	}
	return *s == '\0';
}

/* Bytes of the UTF-8 sequence at @s as Jansson accepts it; 0 when invalid. */
static size_t utf8_len(const unsigned char *s)
{
	unsigned int c = s[0], cp, n, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		n = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, cp = c & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)	/* the NUL too */
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

/* @s with every byte that is not UTF-8 as U+FFFD (malloc'd), or NULL. */
static char *utf8_fixed(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(3 * strlen(s) + 1), *o = out;
	size_t n;

	if (!out)
		return NULL;
	while (*p) {
		n = utf8_len(p);
		if (n) {
			memcpy(o, p, n);
			o += n;
			p += n;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = '\0';
	return out;
}

static int utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	for (; *p; p += n)
		if (!(n = utf8_len(p)))
			return 0;
	return 1;
}

json_t *jw_str(const char *s)
{
	json_t *v;
	char *fixed;

	if (utf8_ok(s))
		return json_string(s);
	fixed = utf8_fixed(s);
	if (!fixed)
		return NULL;
	v = json_string(fixed);
	free(fixed);
	return v;
}

json_t *jw_u64(uint64_t v)
{
	char b[32];
	double d = (double)v;

	if (v <= INT64_MAX)
		return json_integer((json_int_t)v);
	snprintf(b, sizeof(b), "%.*g", JW_REAL_DIGITS, d);
	if (d < 18446744073709551616.0 && (uint64_t)d == v && strtod(b, NULL) == d)
		return json_real(d);
	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	return json_string(b);
}

json_t *jw_num_text(const char *text)
{
	char *end;
	long long ll;
	unsigned long long ull;
	double d;

	if (json_integer_text(text)) {
		errno = 0;
		ll = strtoll(text, &end, 10);
		if (!errno && !*end)
			return json_integer(ll);
		errno = 0;
		ull = *text == '-' ? 0 : strtoull(text, &end, 10);
		if (*text != '-' && !errno && !*end)
			return jw_u64(ull);
		errno = 0;
		return json_string(text);	/* beyond 64 bits: its digits */
	}
	if (!json_number_text(text))
		return json_null();
	d = strtod(text, NULL);
	return isfinite(d) ? json_real(d) : json_null();
}

json_t *jw_real(double v, int digits)
{
	char b[40];

	if (!isfinite(v))
		return json_null();
	if (digits > JW_REAL_DIGITS)
		digits = JW_REAL_DIGITS;
	snprintf(b, sizeof(b), "%.*g", digits, v);
	return jw_num_text(b);
}

int jw_set(json_t *obj, const char *key, json_t *v)
{
	char *fixed = NULL;
	int ret;

	if (!v)
		return -1;
	if (!utf8_ok(key)) {
		fixed = utf8_fixed(key);
		if (!fixed) {
			json_decref(v);
			return -1;
		}
		key = fixed;
	}
	if (json_object_get(obj, key)) {
		json_decref(v);
		ret = -1;
	} else {
		ret = json_object_set_new(obj, key, v);
	}
	free(fixed);
	return ret;
}

int jw_push(json_t *arr, json_t *v)
{
	return v ? json_array_append_new(arr, v) : -1;
}

int jw_dump(json_t *doc, FILE *f)
{
	int bad;

	if (!doc) {
		if (!errno)
			errno = ENOMEM;
		return -1;
	}
	errno = 0;
	bad = json_dumpf(doc, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
			 JSON_REAL_PRECISION(JW_REAL_DIGITS)) ||
	      fputc('\n', f) == EOF;
	json_decref(doc);
	if (bad && !errno)
		errno = EIO;
	return bad ? -1 : 0;
}

/* One run: name, pass, outcome, why, stats (integers as JSON integers). */
static json_t *run_json(const struct result *r)
{
	json_t *o = json_object(), *st = json_object();
	const char *v;
	int bad = !o || !st;
	size_t k;

	if (!bad)
		bad = jw_set(o, "name", jw_str(r->name)) ||
		      jw_set(o, "pass", json_boolean(r->outcome == OUT_PASS)) ||
		      jw_set(o, "outcome", jw_str(outcome_name(r->outcome))) ||
		      jw_set(o, "why", jw_str(r->why));
	for (k = 0; !bad && k < r->st.n; k++) {
		v = r->st.value[k];
		bad = jw_set(st, r->st.key[k], json_integer_text(v) ?
			     jw_num_text(v) : jw_str(v));
	}
	if (!bad) {
		bad = jw_set(o, "stats", st);
		st = NULL;
	}
	json_decref(st);
	if (bad) {
		json_decref(o);
		return NULL;
	}
	return o;
}

int write_json(FILE *f, const struct result *r, int n)
{
	json_t *doc = json_object(), *runs = json_array();
	int i, bad = !doc || !runs;

	errno = 0;
	if (!bad)
		bad = jw_set(doc, "tool", jw_str("iobus-stress")) ||
		      (provenance_self() &&
		       jw_set(doc, "provenance", provenance_json(provenance_self())));
	for (i = 0; !bad && i < n; i++)
		bad = jw_push(runs, run_json(&r[i]));
	if (!bad) {
		bad = jw_set(doc, "runs", runs);
		runs = NULL;
	}
	json_decref(runs);
	if (bad) {
		json_decref(doc);
		doc = NULL;
	}
	return jw_dump(doc, f);
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
	struct ktap t;
	int i;

	ktap_start(&t, f);
	ktap_plan(&t, n);
	for (i = 0; i < n; i++) {
		ktap_diag(&t, "%s: stale=%llu gp=%llu dev=%llu expect=%s basis=%s verdict=%s",
			  r[i].name,
			stats_num(&r[i].st, "stale_observations", 0),
			stats_num(&r[i].st, "gp_violations", 0),
			stats_num(&r[i].st, "device_violations", 0),
			stats_get(&r[i].st, "expect") ?: "?",
			stats_get(&r[i].st, "expect_basis") ?: "?",
			stats_get(&r[i].st, "verdict") ?: "?");
		switch (r[i].outcome) {
		case OUT_PASS:
			ktap_result(&t, 1, r[i].name, NULL);
			break;
		case OUT_INCONCLUSIVE:
		case OUT_INTERRUPTED:
			ktap_skip(&t, r[i].name, "%s: %s",
				  outcome_name(r[i].outcome), r[i].why);
			break;
		default:
			ktap_diag(&t, "%s: %s", r[i].name, r[i].why);
			ktap_result(&t, 0, r[i].name, NULL);
		}
	}
	ktap_totals(&t);
	return t.fail ? 1 : 0;
}

void write_tap_skip(FILE *f, const char *reason)
{
	ktap_skip_all(f, reason);
}
