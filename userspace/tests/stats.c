// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

static struct stats st;
static char err[256];

static void test_parse_basic(void **state)
{
	(void)state;
	assert_int_equal(stats_parse(&st, "state: done\nregisters: 42\nexpect: stale>0,gp=0,dev=0\n", err, sizeof(err)), 3);
	assert_string_equal(stats_get(&st, "state"), "done");
	assert_int_equal(stats_num(&st, "registers", 7), 42);
	assert_string_equal(stats_get(&st, "expect"), "stale>0,gp=0,dev=0");
	assert_null(stats_get(&st, "nope"));
	assert_int_equal(stats_num(&st, "nope", 7), 7);
	assert_int_equal(stats_num(&st, "state", 7), 7);	/* not a number */
}

static void test_unknown_keys_kept(void **state)
{
	(void)state;
	assert_int_equal(stats_parse(&st, "future_key: 9\nregisters: 1\n", err, sizeof(err)), 2);
	assert_int_equal(stats_num(&st, "future_key", 0), 9);
	assert_int_equal(stats_num(&st, "registers", 0), 1);
}

static void test_truncated(void **state)
{
	(void)state;
	/* Nothing is dropped silently: a line that is not "key: value" fails. */
	assert_int_equal(stats_parse(&st, "registers: 5\nexits: 12", err, sizeof(err)), 2);
	assert_int_equal(stats_num(&st, "exits", 0), 12);
	assert_int_equal(stats_parse(&st, "registers: 5\nexi", err, sizeof(err)), -1);
	assert_non_null(strstr(err, "not 'key: value': exi"));
	assert_int_equal(stats_parse(&st, "", err, sizeof(err)), 0);
	assert_int_equal(stats_parse(&st, "\n\nk: \n", err, sizeof(err)), 1);
	assert_string_equal(stats_get(&st, "k"), "");
	assert_int_equal(stats_num(&st, "k", 3), 3);
	assert_int_equal(stats_parse(&st, ": empty key\n", err, sizeof(err)), -1);
}

static void test_numbers_decimal(void **state)
{
	(void)state;
	stats_parse(&st, "a: 12\nb: -3\nc: 1x\nd: 010\ne: 0x10\n", err, sizeof(err));
	assert_int_equal(stats_num(&st, "a", 7), 12);
	assert_int_equal(stats_num(&st, "b", 7), 7);
	assert_int_equal(stats_num(&st, "c", 7), 7);
	assert_int_equal(stats_num(&st, "d", 7), 10);
	assert_int_equal(stats_num(&st, "e", 7), 7);
}

/* The caps fail loudly: more keys, longer values, more buckets. */
static void test_caps_loud(void **state)
{
	static struct hist h;
	size_t cap = (STATS_MAX + 1) * 16 + HIST_MAX_BUCKETS * 16 + 400;
	char *text = malloc(cap), *p = text;
	int i;

	(void)state;
	for (i = 0; i <= STATS_MAX; i++)
		p += sprintf(p, "k%d: %d\n", i, i);
	assert_int_equal(stats_parse(&st, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 256 keys"));
	p = text;
	p += sprintf(p, "v: ");
	memset(p, 'x', STATS_VALUE_LEN);
	p[STATS_VALUE_LEN] = '\0';
	assert_int_equal(stats_parse(&st, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "too long"));
	p = text;
	for (i = 0; i <= HIST_MAX_BUCKETS; i++)
		p += sprintf(p, "%d %d 1\n", i, i + 1);
	assert_int_equal(hist_parse(&h, text, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "more than 2048 buckets"));
	assert_int_equal(hist_parse(&h, "# c\n1 2 3\n4 5 6\n", err, sizeof(err)), 2);
	assert_int_equal(hist_parse(&h, "1 2\n", err, sizeof(err)), -1);
	assert_int_equal(hist_parse(&h, "1 2 3 4\n", err, sizeof(err)), -1);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_unknown_keys_kept),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_numbers_decimal),
		cmocka_unit_test(test_caps_loud),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
