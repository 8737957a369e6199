// SPDX-License-Identifier: GPL-2.0
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "expect.h"

static struct stats st;
static char why[320];
static char err[256];

/* @exposures: "cached_exposures: 3\n..." lines, or "" for none. */
static int cellx(const char *expect, int stale, int gp, int dev, int leaked,
		 const char *verdict, const char *exposures)
{
	char buf[512];

	snprintf(buf, sizeof(buf),
		 "stale_observations: %d\ngp_violations: %d\ndevice_violations: %d\nleaked: %d\nexpect: %s\nverdict: %s\n%s",
		 stale, gp, dev, leaked, expect, verdict, exposures);
	assert_true(stats_parse(&st, buf, err, sizeof(err)) > 0);
	return cell_judge(&st, why, sizeof(why));
}

#define NO_EXPOSURES "cached_exposures: 3\ngp_exposures: 0\ndevice_exposures: 0\n"

static int cell(const char *expect, int stale, int gp, int dev, int leaked,
		const char *verdict)
{
	return cellx(expect, stale, gp, dev, leaked, verdict, NO_EXPOSURES);
}

static void test_cells(void **state)
{
	(void)state;
	assert_int_equal(cell("stale=0,gp=0,dev=0", 0, 0, 0, 0, "pass"), OUT_PASS);
	assert_int_equal(cell("stale>0,gp=0,dev=0", 5, 0, 0, 0, "pass"), OUT_PASS);
	assert_int_equal(cell("stale>0,gp=0,dev=0", 0, 0, 0, 0, "pass"), OUT_FAIL);
	assert_string_equal(why, "stale=0, expected >0");
	assert_int_equal(cell("stale=0,gp=0,dev=0", 3, 0, 0, 0, "pass"), OUT_FAIL);
	assert_string_equal(why, "stale=3, expected 0");
	assert_int_equal(cell("stale=any,gp>0,dev=any", 9, 1, 4, 0, "pass"), OUT_PASS);
	assert_int_equal(cell("stale=any,gp=0,dev>0", 0, 0, 0, 0, "pass"), OUT_FAIL);
	/* The driver does not take the module's word alone, nor ignore it. */
	assert_int_equal(cell("stale=0,gp=0,dev=0", 0, 0, 0, 0, "fail: x"), OUT_FAIL);
	assert_non_null(strstr(why, "module verdict"));
	assert_int_equal(cell("stale=0,gp=0,dev=0", 0, 0, 0, 2, "pass"), OUT_FAIL);
	assert_string_equal(why, "leaked 2 objects");
	assert_int_equal(cell("garbage", 0, 0, 0, 0, "pass"), OUT_FAIL);
	stats_parse(&st, "verdict: pass\n", err, sizeof(err));
	assert_int_equal(cell_judge(&st, why, sizeof(why)), OUT_FAIL);
	/* inconclusive: not a failure, not a pass, and only for a ">0" claim */
	assert_int_equal(cell("stale>0,gp=0,dev=0", 0, 0, 0, 0, "inconclusive"),
			 OUT_INCONCLUSIVE);
	assert_non_null(strstr(why, "inconclusive"));
	assert_int_equal(cell("stale>0,gp=0,dev=0", 4, 0, 0, 0, "inconclusive"),
			 OUT_INCONCLUSIVE);
	assert_int_equal(cell("stale>0,gp=0,dev=0", 0, 1, 0, 0, "inconclusive"),
			 OUT_FAIL);
	assert_int_equal(cell("stale=0,gp=0,dev=0", 2, 0, 0, 0, "inconclusive"),
			 OUT_FAIL);
	assert_int_equal(cell("stale>0,gp=0,dev=0", 0, 0, 0, 1, "inconclusive"),
			 OUT_FAIL);
	/* The controls: inconclusive only when no exposure happened. */
	assert_int_equal(cell("stale=any,gp>0,dev=any", 0, 0, 0, 0,
			      "inconclusive: gp_exposures=0"), OUT_INCONCLUSIVE);
	assert_int_equal(cell("stale=any,gp=0,dev>0", 0, 0, 0, 0,
			      "inconclusive: device_exposures=0"),
			 OUT_INCONCLUSIVE);
	assert_int_equal(cellx("stale=any,gp>0,dev=any", 0, 0, 0, 0,
			       "inconclusive: gp_exposures=0",
			       "gp_exposures: 7\n"), OUT_FAIL);
	assert_string_equal(why,
			    "inconclusive with gp_exposures=7: the condition happened");
	assert_int_equal(cellx("stale=any,gp=0,dev>0", 0, 0, 0, 0,
			       "inconclusive", "device_exposures: 1\n"),
			 OUT_FAIL);
	assert_int_equal(cellx("stale>0,gp=0,dev=0", 0, 0, 0, 0,
			       "inconclusive", "cached_exposures: 16\n"),
			 OUT_FAIL);
	assert_int_equal(cellx("stale=any,gp>0,dev=any", 0, 0, 0, 0,
			       "inconclusive", ""), OUT_FAIL);
	assert_string_equal(why, "inconclusive, but stats lack gp_exposures");
	/* A fired control passes whatever its exposures say. */
	assert_int_equal(cellx("stale=any,gp>0,dev=any", 0, 3, 0, 0, "pass",
			       "gp_exposures: 0\n"), OUT_PASS);
}

static void test_basis_letters(void **state)
{
	char b[16];

	(void)state;
	basis_letters("stale=construction(read-lock-mb),gp=srcu(grace-period),dev=srcu(synchronize)",
		      b, sizeof(b));
	assert_string_equal(b, "C/S/S");
	basis_letters("stale=measured,gp=construction(hold),dev=measured", b,
		      sizeof(b));
	assert_string_equal(b, "M/C/M");
	/* "gp=" inside another name is not the gp clause */
	basis_letters("stale=srcu(x),xgp=measured,gp=construction(hold),dev=bogus",
		      b, sizeof(b));
	assert_string_equal(b, "S/C/?");
	basis_letters("stale=construction(cached)", b, sizeof(b));
	assert_string_equal(b, "C/?/?");
	basis_letters(NULL, b, sizeof(b));
	assert_string_equal(b, "?/?/?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_basis_letters),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
