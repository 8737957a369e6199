// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

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

static void test_hist_parse(void **state)
{
	(void)state;
	assert_int_equal(r[0].hist[0].n, 2);
	assert_int_equal(r[0].hist[0].lower[1], 20000);
	assert_int_equal(r[0].hist[0].count[0], 3);
}

static void test_json(void **state)
{
	char *s = capture(write_json, 2);

	(void)state;
	assert_non_null(strstr(s, "{\"tool\": \"iobus-stress\", \"runs\": ["));
	assert_non_null(strstr(s, "\"stale_observations\": 12,"));	/* number */
	assert_non_null(strstr(s, "\"reclaim\": \"call-srcu\""));	/* string */
	assert_non_null(strstr(s, "\"name\": \"say \\\"hi\\\", <x>\""));
	assert_non_null(strstr(s, "\"pass\": false"));
	assert_non_null(strstr(s, "\n]}\n"));
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
	s = capture(write_json, 1);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
