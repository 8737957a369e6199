// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "result.h"

static struct result r[2];

static int setup(void **state)
{
	(void)state;
	memset(r, 0, sizeof(r));
	snprintf(r[0].name, sizeof(r[0].name), "call-srcu/cached");
	stats_parse(&r[0].st, "reclaim: call-srcu\nstale_observations: 12\ngp_violations: 0\ndevice_violations: 0\nexpect: stale>0,gp=0,dev=0\nverdict: pass\n");
	r[0].pass = 1;
	snprintf(r[0].why, sizeof(r[0].why), "as expected");
	hist_parse(&r[0].hist[0], "# lower_ns upper_ns count\n1000 1031 3\n20000 20479 1\n");
	snprintf(r[1].name, sizeof(r[1].name), "say \"hi\", <x>");
	stats_parse(&r[1].st, "reclaim: a,b\nstale_observations: 0\ngp_violations: 0\ndevice_violations: 0\nexpect: stale>0,gp=0,dev=0\nverdict: fail: stale_observations=0(expected >0)\n");
	r[1].pass = 0;
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
	assert_non_null(strstr(s, "name,pass,reclaim,stale_observations,"));
	assert_non_null(strstr(s, "\ncall-srcu/cached,1,call-srcu,12,"));
	assert_non_null(strstr(s, "\n\"say \"\"hi\"\", <x>\",0,\"a,b\",0,"));
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
}

static void test_svg(void **state)
{
	char *out = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int lines = 0;

	(void)state;
	write_svg(f, r, 2, "t <1>");
	fclose(f);
	assert_non_null(strstr(out, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_non_null(strstr(out, "t &lt;1&gt;"));
	assert_non_null(strstr(out, "register latency"));
	assert_non_null(strstr(out, "reclaim latency"));
	assert_non_null(strstr(out, "latency (log scale)"));
	assert_non_null(strstr(out, "share of samples"));
	assert_non_null(strstr(out, ">1us<"));	/* decade labels */
	assert_non_null(strstr(out, ">10us<"));
	assert_non_null(strstr(out, "say \"hi\", &lt;x&gt;"));	/* legend */
	for (p = out; (p = strstr(p, "<polyline")); p++)
		lines++;
	assert_int_equal(lines, 1);	/* only r[0] has samples */
	assert_non_null(strstr(out, "</svg>\n"));
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
