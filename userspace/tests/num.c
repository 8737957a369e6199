// SPDX-License-Identifier: GPL-2.0
/* The one number parser: decimal digits; seconds to whole milliseconds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "num.h"

static void test_u64(void **state)
{
	unsigned long long v = 99;

	(void)state;
	assert_int_equal(parse_u64("010", 0, 100, &v), 0);
	assert_int_equal(v, 10);
	assert_int_equal(parse_u64("0x10", 0, 100, &v), -1);
	assert_int_equal(parse_u64("-1", 0, 100, &v), -1);
	assert_int_equal(parse_u64("+1", 0, 100, &v), -1);
	assert_int_equal(parse_u64(" 1", 0, 100, &v), -1);
	assert_int_equal(parse_u64("1 ", 0, 100, &v), -1);
	assert_int_equal(parse_u64("", 0, 100, &v), -1);
	assert_int_equal(parse_u64(NULL, 0, 100, &v), -1);
	assert_int_equal(parse_u64("101", 0, 100, &v), -1);
	assert_int_equal(parse_u64("0", 1, 100, &v), -1);
	assert_int_equal(parse_u64("18446744073709551615", 0, ~0ULL, &v), 0);
	assert_int_equal(parse_u64("18446744073709551616", 0, ~0ULL, &v), -1);
}

static void test_seconds(void **state)
{
	unsigned int ms = 7;

	(void)state;
	assert_int_equal(parse_seconds_ms("2.5", 86400000, &ms), 0);
	assert_int_equal(ms, 2500);
	assert_int_equal(parse_seconds_ms("0.001", 86400000, &ms), 0);
	assert_int_equal(ms, 1);
	assert_int_equal(parse_seconds_ms(".5", 86400000, &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(parse_seconds_ms("010", 86400000, &ms), 0);
	assert_int_equal(ms, 10000);
	/* 0.0004 s would become 0 ms: "never stop" to the module */
	assert_int_equal(parse_seconds_ms("0.0004", 86400000, &ms), -1);
	assert_int_equal(parse_seconds_ms("0", 86400000, &ms), -1);
	assert_int_equal(parse_seconds_ms("1e3", 86400000, &ms), -1);
	assert_int_equal(parse_seconds_ms("-1", 86400000, &ms), -1);
	assert_int_equal(parse_seconds_ms("1.", 86400000, &ms), -1);
	assert_int_equal(parse_seconds_ms(".", 86400000, &ms), -1);
	assert_int_equal(parse_seconds_ms("86400", 86400000, &ms), 0);
	assert_int_equal(parse_seconds_ms("86400.001", 86400000, &ms), -1);
	assert_int_equal(parse_seconds_ms("inf", 86400000, &ms), -1);
}

static void test_decimal(void **state)
{
	double v = -1;

	(void)state;
	assert_int_equal(parse_decimal("0.05", 0, 100, &v), 0);
	assert_true(v > 0.0499 && v < 0.0501);
	assert_int_equal(parse_decimal("2", 0, 100, &v), 0);
	assert_true(v == 2);
	assert_int_equal(parse_decimal("1e1", 0, 100, &v), -1);
	assert_int_equal(parse_decimal("0x10", 0, 100, &v), -1);
	assert_int_equal(parse_decimal("-1", -5, 100, &v), -1);
	assert_int_equal(parse_decimal(".5", 0, 100, &v), -1);
	assert_int_equal(parse_decimal("5.", 0, 100, &v), -1);
	assert_int_equal(parse_decimal("", 0, 100, &v), -1);
	assert_int_equal(parse_decimal("nan", 0, 100, &v), -1);
	assert_int_equal(parse_decimal("100.5", 0, 100, &v), -1);
	assert_int_equal(parse_decimal("0.0001", 0.001, 0.5, &v), -1);
	assert_int_equal(parse_decimal("000000000000000000001", 0, 100, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_u64),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_decimal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
