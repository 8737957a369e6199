// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"

static void test_ns(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(fmt_ns(0, b, sizeof(b)), "0ns");
	assert_string_equal(fmt_ns(950, b, sizeof(b)), "950ns");
	assert_string_equal(fmt_ns(1500, b, sizeof(b)), "1.50us");
	assert_string_equal(fmt_ns(12345, b, sizeof(b)), "12.3us");
	assert_string_equal(fmt_ns(123456, b, sizeof(b)), "123us");
	assert_string_equal(fmt_ns(20100000, b, sizeof(b)), "20.1ms");
	assert_string_equal(fmt_ns(3000000000ULL, b, sizeof(b)), "3.00s");
	assert_string_equal(fmt_ns(4000000000000ULL, b, sizeof(b)), "4000s");
}

static void test_count_ratio(void **state)
{
	char b[16];

	(void)state;
	assert_string_equal(fmt_count(999, b, sizeof(b)), "999");
	assert_string_equal(fmt_count(12345, b, sizeof(b)), "12.3k");
	assert_string_equal(fmt_count(17820736, b, sizeof(b)), "17.8M");
	assert_string_equal(fmt_ratio(2, 1, b, sizeof(b)), "2.00x");
	assert_string_equal(fmt_ratio(150, 1, b, sizeof(b)), "150x");
	assert_string_equal(fmt_ratio(1, 0, b, sizeof(b)), "-");
}

static void test_table(void **state)
{
	static const char *const head[] = { "a", "long header" };
	struct table t;
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int r;

	(void)state;
	table_init(&t, 2, head);
	r = table_row(&t);
	table_set(&t, r, 0, "wide cell");
	table_set(&t, r, 1, "x");
	table_set(&t, 5, 0, "ignored");	/* out of range */
	table_print(&t, f);
	fclose(f);
	assert_string_equal(out, "a          long header\nwide cell  x          \n");
	free(out);
	/* Rows grow: no silent cap (the old one dropped row 65 on). */
	for (r = 0; r < 200; r++)
		assert_int_equal(table_row(&t), r + 1);
	table_set(&t, 200, 0, "last");
	assert_string_equal(t.cell[200][0], "last");
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ns),
		cmocka_unit_test(test_count_ratio),
		cmocka_unit_test(test_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
