// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_read.h"
#include "output.h"
#include "provenance.h"

static char err[256];

static struct result r[2];

static int setup(void **state)
{
	(void)state;
	memset(r, 0, sizeof(r));
	snprintf(r[0].name, sizeof(r[0].name), "call-srcu/cached");
	stats_parse(&r[0].st, "reclaim: call-srcu\nstale_observations: 12\ngp_violations: 0\ndevice_violations: 0\nexpect: stale>0,gp=0,dev=0\nverdict: pass\n", err, sizeof(err));
	r[0].outcome = OUT_PASS;
	snprintf(r[0].why, sizeof(r[0].why), "as expected");
	hist_parse(&r[0].hist[0], "# lower_ns upper_ns count\n1000 1031 3\n20000 20479 1\n", err, sizeof(err));
	snprintf(r[1].name, sizeof(r[1].name), "say \"hi\", <x>");
	stats_parse(&r[1].st, "reclaim: a,b\nstale_observations: 0\ngp_violations: 0\ndevice_violations: 0\nexpect: stale>0,gp=0,dev=0\nverdict: fail: stale_observations=0(expected >0)\n", err, sizeof(err));
	r[1].outcome = OUT_FAIL;
	snprintf(r[1].why, sizeof(r[1].why), "stale=0, expected >0");
	return 0;
}

static char *capture(void (*fn)(FILE *, const struct result *, int), int n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	fn(f, r, n);
	fclose(f);
	return out;
}

/* write_json's text (it must succeed). */
static char *capture_json(int n)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_int_equal(write_json(f, r, n), 0);
	fclose(f);
	return out;
}

static void test_hist_parse(void **state)
{
	(void)state;
	assert_int_equal(r[0].hist[0].n, 2);
	assert_int_equal(r[0].hist[0].lower[1], 20000);
	assert_int_equal(r[0].hist[0].count[0], 3);
}

static void test_json(void **state)
{
	static const char head[] = "{\n \"tool\": \"iobus-stress\",\n \"runs\": [\n  {\n   \"name\": ";
	char *s = capture_json(2);

	(void)state;
	/* JSON_INDENT(1): a member or item per line, "KEY": VALUE */
	assert_true(!strncmp(s, head, strlen(head)));
	assert_non_null(strstr(s, "\"stale_observations\": 12,"));	/* number */
	assert_non_null(strstr(s, "\"reclaim\": \"call-srcu\""));	/* string */
	assert_non_null(strstr(s, "\"name\": \"say \\\"hi\\\", <x>\""));
	assert_non_null(strstr(s, "\"pass\": false"));
	assert_string_equal(s + strlen(s) - 6, "\n ]\n}\n");	/* a newline at the end */
	free(s);
}

static void test_csv(void **state)
{
	char *s = capture(write_csv, 2);

	(void)state;
	assert_non_null(strstr(s, "name,pass,outcome,reclaim,stale_observations,"));
	assert_non_null(strstr(s, "\ncall-srcu/cached,1,pass,call-srcu,12,"));
	assert_non_null(strstr(s, "\n\"say \"\"hi\"\", <x>\",0,fail,\"a,b\",0,"));
	free(s);
}

static void test_tap(void **state)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	assert_int_equal(write_tap(f, r, 2), 1);
	fclose(f);
	assert_memory_equal(out, "KTAP version 1\n1..2\n", 20);
	assert_non_null(strstr(out, "\nok 1 call-srcu/cached\n"));
	assert_non_null(strstr(out, "\nnot ok 2 say"));
	assert_non_null(strstr(out, "# Totals: pass:1 fail:1"));
	free(out);
	f = open_memstream(&out, &len);
	assert_int_equal(write_tap(f, r, 1), 0);
	write_tap_skip(f, "not root");
	fclose(f);
	assert_non_null(strstr(out, "1..0 # SKIP not root\n"));
	free(out);
	/* inconclusive and interrupted cells are skips, not passes */
	r[0].outcome = OUT_INCONCLUSIVE;
	r[1].outcome = OUT_INTERRUPTED;
	snprintf(r[1].why, sizeof(r[1].why), "stopped by signal 2");
	f = open_memstream(&out, &len);
	assert_int_equal(write_tap(f, r, 2), 0);
	fclose(f);
	assert_non_null(strstr(out, "\nok 1 call-srcu/cached # SKIP inconclusive: as expected\n"));
	assert_non_null(strstr(out, "\nok 2 say \"hi\", <x> # SKIP interrupted: stopped by signal 2\n"));
	assert_non_null(strstr(out, "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:2"));
	free(out);
}

/* JSON numbers are JSON numbers; CSV quotes a carriage return. */
static void test_json_numbers_csv_cr(void **state)
{
	char *s;

	(void)state;
	assert_true(stats_parse(&r[0].st, "a: 007\nb: 0\nc: -3\nd: -03\ne: 12\nf: 1\r2\n",
				err, sizeof(err)) > 0);
	s = capture_json(1);
	assert_non_null(strstr(s, "\"a\": \"007\""));
	assert_non_null(strstr(s, "\"b\": 0,"));
	assert_non_null(strstr(s, "\"c\": -3,"));
	assert_non_null(strstr(s, "\"d\": \"-03\""));
	assert_non_null(strstr(s, "\"e\": 12,"));
	free(s);
	s = capture(write_csv, 1);
	assert_non_null(strstr(s, ",\"1\r2\"\n"));
	free(s);
}

/* A string no writer may change: quotes, backslash, controls, UTF-8. */
#define NASTY "q\"uote\\back\x01\x1f\t\n caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"

static struct json *parse(const char *s)
{
	struct json *j = NULL;
	char perr[200];

	if (json_parse(s, strlen(s), &j, perr, sizeof(perr)))
		fail_msg("not JSON: %s\n%s", perr, s);
	return j;
}

/* write_json read back by json_parse: every value as it was. */
static void test_json_round_trip(void **state)
{
	struct provenance p;
	char *argv[] = { "iobus-stress", "run", NASTY };
	const struct json *run, *st;
	struct json *j;
	char *s;

	(void)state;
	provenance_collect(&p, 3, argv, 0);
	provenance_set_self(&p);
	snprintf(r[0].name, sizeof(r[0].name), "%s", NASTY);
	snprintf(r[0].why, sizeof(r[0].why), "why: %s", NASTY);
	assert_true(stats_parse(&r[0].st, "reclaim: call-srcu\n"
				"exits: 9007199254740993\n"
				"top: 9223372036854775807\n"
				"over: 18446744073709551615\n"
				"huge: 123456789012345678901234567890\n"
				"neg: -42\nzero: 0\nlead: 007\nfrac: 0.5\n",
				err, sizeof(err)) > 0);
	r[1].outcome = OUT_INTERRUPTED;
	s = capture_json(2);
	provenance_set_self(NULL);
	j = parse(s);
	assert_int_equal(j->n, 3);
	assert_string_equal(j->key[0], "tool");
	assert_string_equal(j->key[1], "provenance");
	assert_string_equal(j->key[2], "runs");
	assert_string_equal(json_get(json_get(j, "provenance"), "command")->string,
			    "iobus-stress run " NASTY);
	assert_string_equal(json_get(json_get(j, "provenance"), "kernel")->string, p.kernel);
	assert_true(json_get(json_get(j, "provenance"), "cpus")->number == p.cpus);
	assert_int_equal(json_get(j, "runs")->n, 2);
	run = &json_get(j, "runs")->item[0];
	assert_int_equal(run->n, 5);
	assert_string_equal(run->key[4], "stats");
	assert_string_equal(json_get(run, "name")->string, NASTY);
	assert_string_equal(json_get(run, "why")->string, "why: " NASTY);
	assert_int_equal(json_get(run, "pass")->boolean, 1);
	assert_string_equal(json_get(run, "outcome")->string, "pass");
	st = json_get(run, "stats");
	assert_int_equal(st->n, 9);
	assert_string_equal(st->key[8], "frac");
	assert_string_equal(json_get(st, "reclaim")->string, "call-srcu");
	/* 64-bit counters: exact in the text; the reader's doubles as strtod's */
	assert_non_null(strstr(s, "\"exits\": 9007199254740993,"));
	assert_true(json_get(st, "exits")->number == 9007199254740993.0);
	assert_non_null(strstr(s, "\"top\": 9223372036854775807,"));
	assert_true(json_get(st, "top")->number == 9223372036854775807.0);
	/* over json_int_t and not exact as a double: its digits, a string */
	assert_string_equal(json_get(st, "over")->string, "18446744073709551615");
	assert_string_equal(json_get(st, "huge")->string, "123456789012345678901234567890");
	assert_true(json_get(st, "neg")->number == -42);
	assert_int_equal(json_get(st, "zero")->type, JV_NUMBER);
	assert_string_equal(json_get(st, "lead")->string, "007");
	assert_string_equal(json_get(st, "frac")->string, "0.5");
	run = &json_get(j, "runs")->item[1];
	assert_string_equal(json_get(run, "outcome")->string, "interrupted");
	assert_int_equal(json_get(run, "pass")->boolean, 0);
	json_free(j);
	free(s);
}

/* The helpers' rules, and every failure reaching the caller. */
static void test_jw_helpers(void **state)
{
	json_t *o = json_object(), *a = json_array();
	FILE *ro;
	char *s = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	assert_int_equal(jw_set(o, "int_max", jw_u64(INT64_MAX)), 0);
	assert_int_equal(jw_set(o, "two63", jw_u64(1ull << 63)), 0);
	assert_int_equal(jw_set(o, "e19", jw_u64(10000000000000000000ull)), 0);
	assert_int_equal(jw_set(o, "u64max", jw_u64(UINT64_MAX)), 0);
	assert_int_equal(jw_set(o, "g4", jw_num_text("1.5e-05")), 0);
	assert_int_equal(jw_set(o, "nan", jw_num_text("nan")), 0);
	assert_int_equal(jw_set(o, "r10", jw_real(2.0 / 3.0, 10)), 0);
	assert_int_equal(jw_set(o, "whole", jw_real(700000, 10)), 0);
	assert_int_equal(jw_set(o, "big", jw_real(1e15, 10)), 0);
	assert_int_equal(jw_set(o, "tenth", jw_real(0.1, 10)), 0);
	assert_int_equal(jw_set(o, "inf", jw_real(INFINITY, 10)), 0);
	assert_int_equal(jw_set(o, "bad\xff", jw_str("x\xe2\x82 \xc0\xaf \xed\xa0\x80 ok")), 0);
	/* a failed value, a duplicate key: -1, nothing replaced */
	assert_int_equal(jw_set(o, "x", NULL), -1);
	assert_int_equal(jw_set(o, "g4", json_integer(1)), -1);
	assert_int_equal(jw_push(a, NULL), -1);
	assert_int_equal(jw_push(a, json_integer(1)), 0);
	assert_int_equal(jw_set(o, "a", a), 0);
	f = open_memstream(&s, &len);
	assert_int_equal(jw_dump(json_incref(o), f), 0);
	fclose(f);
	assert_non_null(strstr(s, "\n \"int_max\": 9223372036854775807,\n"));
	assert_non_null(strstr(s, "\n \"two63\": \"9223372036854775808\",\n"));
	assert_non_null(strstr(s, "\n \"e19\": 1e19,\n"));
	assert_non_null(strstr(s, "\n \"u64max\": \"18446744073709551615\",\n"));
	assert_non_null(strstr(s, "\n \"g4\": 1.5e-5,\n"));
	assert_non_null(strstr(s, "\n \"nan\": null,\n"));
	assert_non_null(strstr(s, "\n \"r10\": 0.6666666667,\n"));
	assert_non_null(strstr(s, "\n \"whole\": 700000,\n"));
	assert_non_null(strstr(s, "\n \"big\": 1e15,\n"));
	assert_non_null(strstr(s, "\n \"tenth\": 0.1,\n"));
	assert_non_null(strstr(s, "\n \"inf\": null,\n"));
	/* not UTF-8: each bad byte one U+FFFD */
	assert_non_null(strstr(s, "\n \"bad\xef\xbf\xbd\": \"x\xef\xbf\xbd\xef\xbf\xbd "
			       "\xef\xbf\xbd\xef\xbf\xbd \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd ok\",\n"));
	assert_string_equal(s + strlen(s) - 3, "\n}\n");
	free(s);
	/* a failed build, a failed write: -1 with errno */
	errno = 0;
	assert_int_equal(jw_dump(NULL, stdout), -1);
	assert_int_not_equal(errno, 0);
	/* a value Jansson refuses to dump (built unchecked): the dump's own -1 */
	a = json_object();
	assert_int_equal(json_object_set_new_nocheck(a, "k", json_stringn_nocheck("\xff", 1)), 0);
	f = open_memstream(&s, &len);
	errno = 0;
	assert_int_equal(jw_dump(a, f), -1);
	assert_int_not_equal(errno, 0);
	fclose(f);
	free(s);
	ro = fopen("/dev/null", "r");
	assert_non_null(ro);
	errno = 0;
	assert_int_equal(jw_dump(o, ro), -1);
	assert_int_not_equal(errno, 0);
	fclose(ro);
}

/* Every output is opened first and every write checked, by path. */
static void test_outputs_errors(void **state)
{
	struct outputs o = { { NULL }, { NULL } };
	char *text = NULL;
	size_t len = 0;
	FILE *saved = stderr;

	(void)state;
	stderr = open_memstream(&text, &len);
	o.path[OUT_JSON] = "/nonexistent/x";
	assert_int_equal(outputs_open(&o), 9);
	o.path[OUT_JSON] = "/dev/full";
	o.path[OUT_CSV] = "/dev/null";
	assert_int_equal(outputs_open(&o), 0);
	assert_int_equal(outputs_write(&o, r, 1, "t"), 9);
	fclose(stderr);
	stderr = saved;
	assert_non_null(strstr(text, "cannot open JSON output /nonexistent/x: No such file"));
	assert_non_null(strstr(text, "cannot write JSON output /dev/full: No space left on device"));
	assert_null(strstr(text, "CSV"));
	free(text);
}

static int count(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s++)
		n++;
	return n;
}

static char *svg_of(const struct result *res, int n)
{
	static char *out;
	static size_t len;
	FILE *f = open_memstream(&out, &len);

	write_svg(f, res, n, "t <1>");
	fclose(f);
	return out;
}

/* x1 of the first element after @prefix. */
static double attr_x(const char *s, const char *prefix)
{
	const char *p = strstr(s, prefix);

	assert_non_null(p);
	p = strstr(p, "x1=\"") ? strstr(p, "x1=\"") + 4 : NULL;
	assert_non_null(p);
	return atof(p);
}

static double label_x(const char *s, const char *label)
{
	const char *p = strstr(s, label), *q;

	assert_non_null(p);
	for (q = p; q > s && strncmp(q, "<text x=\"", 9); q--)
		;
	return atof(q + 9);
}

static double label_y(const char *s, const char *label)
{
	const char *p = strstr(s, label), *q;

	assert_non_null(p);
	for (q = p; q > s && strncmp(q, " y=\"", 4); q--)
		;
	return atof(q + 4);
}

static void test_svg(void **state)
{
	static struct result rr[3];
	char *out;
	const char *p;
	double base;

	(void)state;
	out = svg_of(r, 2);
	assert_non_null(strstr(out, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(out, "t &lt;1&gt;"));
	/* Only the register histogram has samples: one panel. */
	assert_non_null(strstr(out, "register latency"));
	assert_null(strstr(out, "reclaim latency"));
	assert_null(strstr(out, "vCPU-create latency"));
	assert_non_null(strstr(out, "latency (log scale)"));
	assert_non_null(strstr(out, "share of samples"));
	assert_non_null(strstr(out, ">1us<"));	/* decade labels */
	assert_non_null(strstr(out, ">10us<"));
	assert_non_null(strstr(out, ">100us<"));
	assert_non_null(strstr(out, "say \"hi\", &lt;x&gt;"));	/* legend */
	assert_int_equal(count(out, "<polyline"), 1);	/* only r[0] */
	/* 3 of 4 samples at 1us: 75% share, y axis up to 100%. */
	assert_non_null(strstr(out, ">100%<"));
	/* The median marker lies between the 1us and 10us grid lines. */
	assert_true(attr_x(out, "class=\"p50\"") > label_x(out, ">1us<"));
	assert_true(attr_x(out, "class=\"p50\"") < label_x(out, ">10us<"));
	/* The step line starts and ends on the 0% baseline. */
	p = strstr(out, "points=\"");
	assert_non_null(p);
	base = label_y(out, ">0%<");
	assert_float_equal(atof(strchr(p, ',') + 1), base, 0.01);
	p = strchr(p + 8, '"');
	while (p[-1] != ',')
		p--;
	assert_float_equal(atof(p), base, 0.01);
	assert_non_null(strstr(out, "</svg>\n"));
	free(out);

	/* Repetitions of a cell are one series; a second metric adds a panel. */
	rr[0] = r[0];
	rr[1] = r[0];
	rr[2] = r[0];
	snprintf(rr[2].name, sizeof(rr[2].name), "sync-expedited");
	hist_parse(&rr[2].hist[3], "2000000 2000100 5\n", err, sizeof(err));
	out = svg_of(rr, 3);
	assert_int_equal(count(out, "call-srcu/cached</text>"), 1);
	assert_int_equal(count(out, "sync-expedited</text>"), 1);
	assert_non_null(strstr(out, "vCPU-create latency"));
	assert_int_equal(count(out, "<polyline"), 3);	/* 2 + 1 */
	assert_int_equal(count(out, "class=\"p50\""), 3);
	free(out);

	/* Nothing to plot: says so, draws no line. */
	memset(rr, 0, sizeof(rr));
	snprintf(rr[0].name, sizeof(rr[0].name), "empty");
	out = svg_of(rr, 1);
	assert_non_null(strstr(out, "no latency samples"));
	assert_int_equal(count(out, "<polyline"), 0);
	assert_non_null(strstr(out, "</svg>\n"));
	free(out);

	/* Buckets listed with no count: a panel with sane axes, no line. */
	hist_parse(&rr[0].hist[1], "1000 1031 0\n", err, sizeof(err));
	out = svg_of(rr, 1);
	assert_non_null(strstr(out, "reclaim latency"));
	assert_non_null(strstr(out, ">1us<"));
	assert_non_null(strstr(out, ">10ms<"));
	assert_null(strstr(out, ">?<"));
	assert_int_equal(count(out, "<polyline"), 0);
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_hist_parse, setup),
		cmocka_unit_test_setup(test_json, setup),
		cmocka_unit_test_setup(test_csv, setup),
		cmocka_unit_test_setup(test_tap, setup),
		cmocka_unit_test_setup(test_svg, setup),
		cmocka_unit_test_setup(test_json_numbers_csv_cr, setup),
		cmocka_unit_test_setup(test_outputs_errors, setup),
		cmocka_unit_test_setup(test_json_round_trip, setup),
		cmocka_unit_test(test_jw_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
