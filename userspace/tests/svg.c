// SPDX-License-Identifier: GPL-2.0
/* The SVG: every series of a 5 x 5 matrix drawn in its own style. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "result.h"

/* The legend's style strings ("stroke=... [stroke-dasharray=...]") */
static int legend_styles(const char *svg, char styles[][64], int max)
{
	const char *p = svg;
	int n = 0;

	while ((p = strstr(p, "stroke-width=\"3\" ")) && n < max) {
		const char *e;

		p += strlen("stroke-width=\"3\" ");
		e = strstr(p, "/>");
		assert_non_null(e);
		assert_true(e - p < 64);
		memcpy(styles[n], p, (size_t)(e - p));
		styles[n][e - p] = '\0';
		n++;
	}
	return n;
}

static void draw(int n, char **out)
{
	struct result *r = calloc((size_t)n, sizeof(*r));
	size_t len;
	FILE *f;
	int i;

	assert_non_null(r);
	for (i = 0; i < n; i++) {
		snprintf(r[i].name, sizeof(r[i].name), "reclaim-%d/pattern-%d",
			 i / 5, i % 5);
		r[i].hist[0].n = 1;
		r[i].hist[0].lower[0] = 1000 * (i + 1);
		r[i].hist[0].count[0] = 10;
	}
	f = open_memstream(out, &len);
	assert_non_null(f);
	write_svg(f, r, n, "t");
	assert_int_equal(fclose(f), 0);
	free(r);
}

static void test_distinct_styles(void **state)
{
	char styles[64][64], *svg;
	int i, j, n;

	(void)state;
	draw(25, &svg);
	n = legend_styles(svg, styles, 64);
	assert_int_equal(n, 25);
	for (i = 0; i < n; i++)
		for (j = 0; j < i; j++)
			if (!strcmp(styles[i], styles[j]))
				fail_msg("series %d and %d share style %s", j,
					 i, styles[i]);
	assert_null(strstr(svg, "styles repeat"));
	free(svg);
	/* beyond what the styles can tell apart: said, not silent */
	draw(41, &svg);
	assert_non_null(strstr(svg, "41 series: styles repeat after 40"));
	free(svg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distinct_styles),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
