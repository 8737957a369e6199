// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>

#include "stats.h"

static struct stats st;

static void test_parse_basic(void **state)
{
	(void)state;
	assert_int_equal(stats_parse(&st, "state: done\nregisters: 42\nexpect: stale>0,gp=0,dev=0\n"), 3);
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
	stats_parse(&st, "future_key: 9\nregisters: 1\n");
	assert_int_equal(stats_num(&st, "future_key", 0), 9);
	assert_int_equal(stats_num(&st, "registers", 0), 1);
}

static void test_truncated(void **state)
{
	(void)state;
	/* A file cut mid-line: the last complete pair counts, the rest not. */
	assert_int_equal(stats_parse(&st, "registers: 5\nexits: 12"), 2);
	assert_int_equal(stats_num(&st, "exits", 0), 12);
	assert_int_equal(stats_parse(&st, "registers: 5\nexi"), 1);
	assert_int_equal(stats_parse(&st, ""), 0);
	assert_int_equal(stats_parse(&st, "garbage line\n: empty key\nk: \n"), 1);
	assert_string_equal(stats_get(&st, "k"), "");
	assert_int_equal(stats_num(&st, "k", 3), 3);
}

static void test_is_num(void **state)
{
	(void)state;
	stats_parse(&st, "a: 12\nb: -3\nc: 1x\nd: pass\n");
	assert_true(stats_is_num(&st, 0));
	assert_true(stats_is_num(&st, 1));
	assert_false(stats_is_num(&st, 2));
	assert_false(stats_is_num(&st, 3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_basic),
		cmocka_unit_test(test_unknown_keys_kept),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_is_num),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
