// SPDX-License-Identifier: GPL-2.0
/*
 * compare_stats: the permutation test of medians against p counted here
 * by hand (every relabelling listed), identical sides, the bootstrap
 * interval around a known ratio, the smallest p of a design, and the
 * PRNG's reproducibility.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_stats.h"

#define assert_near(x, want, tol) do { \
		double x_ = (x), w_ = (want); \
		if (!(fabs(x_ - w_) <= (tol))) \
			fail_msg("%s = %.6g, want %.6g +- %g", #x, x_, w_, (double)(tol)); \
	} while (0)

/* The exact two-sided p, every relabelling of 4 + 4 samples listed. */
static double exact_p_4v4(const double *b, const double *n)
{
	double pool[8], s[4], t[4], d, db, dn;
	int mask, i, count = 0, total = 0;

	memcpy(pool, b, 4 * sizeof(*b));
	memcpy(pool + 4, n, 4 * sizeof(*n));
	d = cs_median(n, 4, t) - cs_median(b, 4, s);
	for (mask = 0; mask < 256; mask++) {
		double x[4], y[4];
		int nx = 0, ny = 0;

		if (__builtin_popcount((unsigned)mask) != 4)
			continue;
		for (i = 0; i < 8; i++) {
			if (mask & (1 << i))
				x[nx++] = pool[i];
			else
				y[ny++] = pool[i];
		}
		db = cs_median(x, 4, s);
		dn = cs_median(y, 4, t);
		total++;
		count += fabs(dn - db) >= fabs(d) * (1 - 1e-9);
	}
	assert_int_equal(total, 70);
	return (double)count / total;
}

static void test_median(void **state)
{
	double v[] = { 5, 1, 4, 2 }, s[4];

	(void)state;
	assert_true(cs_median(v, 4, s) == 3);		/* (2 + 4) / 2 */
	assert_true(cs_median(v, 3, s) == 4);		/* 1 4 5 */
	assert_true(cs_median(v, 1, s) == 5);
	assert_true(v[0] == 5 && v[1] == 1);		/* not reordered */
}

static void test_rng(void **state)
{
	struct cs_rng a, b;
	int i, hist[10] = { 0 };

	(void)state;
	cs_rng_seed(&a, 7);
	cs_rng_seed(&b, 7);
	for (i = 0; i < 1000; i++)
		assert_true(cs_rng_next(&a) == cs_rng_next(&b));
	cs_rng_seed(&b, 8);
	assert_true(cs_rng_next(&a) != cs_rng_next(&b));
	cs_rng_seed(&a, 0);			/* 0 is a seed like any */
	assert_true(cs_rng_next(&a) != 0);
	for (i = 0; i < 100000; i++)
		hist[cs_rng_below(&a, 10)]++;
	for (i = 0; i < 10; i++)
		assert_in_range(hist[i], 9500, 10500);
}

/*
 * 4 vs 4 fully separated.  With means the exact p would be 2/70 (only the
 * observed split and its mirror are as extreme); with medians it is 4/70:
 * BASE {1,2,3,11} against NEW {4,12,13,14} keeps both medians (2.5, 12.5),
 * and so does its mirror.  Listed here by hand and counted by the test.
 */
static void test_perm_separated(void **state)
{
	const double b[] = { 1, 2, 3, 4 }, n[] = { 11, 12, 13, 14 };
	double p, exact = exact_p_4v4(b, n);

	(void)state;
	assert_near(exact, 4.0 / 70, 1e-12);
	p = cs_perm_median_p(b, 4, n, 4, CS_PERM_RESAMPLES, CS_DEFAULT_SEED);
	/* binomial sd of the estimate: sqrt(p (1-p) / 9999) = 0.0023 */
	assert_near(p, exact, 0.008);
	/* the same seed, the same p; the direction does not matter */
	assert_true(p == cs_perm_median_p(b, 4, n, 4, CS_PERM_RESAMPLES,
					  CS_DEFAULT_SEED));
	assert_near(cs_perm_median_p(n, 4, b, 4, CS_PERM_RESAMPLES, 99), exact, 0.008);
}

/* Overlapping sides: p from the listing, estimate within 4 sd. */
static void test_perm_overlap(void **state)
{
	const double b[] = { 10, 14, 9, 21 }, n[] = { 13, 25, 18, 30 };
	double exact = exact_p_4v4(b, n);

	(void)state;
	assert_true(exact > 0.1 && exact < 0.9);
	assert_near(cs_perm_median_p(b, 4, n, 4, CS_PERM_RESAMPLES, 1), exact,
		    4 * sqrt(exact * (1 - exact) / CS_PERM_RESAMPLES));
}

static void test_perm_identical(void **state)
{
	const double b[] = { 300, 310, 290, 305, 295, 900 };
	double n[6];
	int i;

	(void)state;
	assert_true(cs_perm_median_p(b, 6, b, 6, CS_PERM_RESAMPLES, 3) == 1);
	/* the same values in another order and one outlier moved: p near 1 */
	for (i = 0; i < 6; i++)
		n[i] = b[5 - i];
	n[0] = 3000;
	assert_true(cs_perm_median_p(b, 6, n, 6, CS_PERM_RESAMPLES, 3) > 0.9);
	assert_true(cs_perm_median_p(b, 0, n, 6, CS_PERM_RESAMPLES, 3) == -1);
}

/* 8 files ~0.3 ms against 8 ~7 ms: every NEW above every BASE, p at the
 * floor of 8 vs 8 (40/12870 = 0.0031, see test_floor). */
static void test_perm_regression(void **state)
{
	const double b[] = { 300e3, 310e3, 290e3, 305e3, 295e3, 301e3, 302e3, 298e3 };
	const double n[] = { 7.0e6, 6.8e6, 7.2e6, 6.9e6, 7.1e6, 6.7e6, 7.3e6, 6.95e6 };
	double p = cs_perm_median_p(b, 8, n, 8, CS_PERM_RESAMPLES, CS_DEFAULT_SEED);

	(void)state;
	assert_near(p, 40.0 / 12870, 0.0025);
	assert_true(p < 0.01);
}

/*
 * The limit of a test of medians: one BASE file at 30 ms (a descheduled
 * boot), above every NEW file.  The medians hardly move (0.30 ms vs 7 ms),
 * but 608 of the 12870 relabellings (counted by listing them) now reach
 * the observed difference: p = 0.047, no significance at 0.01 with 8 vs 8.
 * Estimated over 20 seeds: within 2 sd of the mean's error.
 */
static void test_perm_outlier(void **state)
{
	const double b[] = { 300e3, 310e3, 290e3, 305e3, 295e3, 30e6, 302e3, 298e3 };
	const double n[] = { 7.0e6, 6.8e6, 7.2e6, 6.9e6, 7.1e6, 6.7e6, 7.3e6, 6.95e6 };
	double sum = 0, exact = 608.0 / 12870;
	int k;

	(void)state;
	for (k = 0; k < 20; k++)
		sum += cs_perm_median_p(b, 8, n, 8, CS_PERM_RESAMPLES, (uint64_t)k);
	assert_near(sum / 20, exact,
		    3 * sqrt(exact * (1 - exact) / CS_PERM_RESAMPLES / 20));
}

/* @k samples evenly spread in log space over median/1.3 .. median*1.3,
 * shuffled: their median is exactly @median. */
static void spread(double *v, size_t k, double median, struct cs_rng *r)
{
	size_t i, j;

	for (i = 0; i < k; i++)
		v[i] = median * exp(0.26 * ((2.0 * (double)i + 1) / (double)k - 1));
	for (i = k - 1; i > 0; i--) {
		double t = v[i];

		j = cs_rng_below(r, i + 1);
		v[i] = v[j];
		v[j] = t;
	}
}

static void test_boot_ci(void **state)
{
	double b[64], n[64], lo8, hi8, lo64, hi64;
	struct cs_rng r;

	(void)state;
	cs_rng_seed(&r, 5);
	spread(b, 9, 100, &r);
	spread(n, 9, 150, &r);		/* the true ratio: 1.5 */
	assert_int_equal(cs_boot_ratio_ci(b, 9, n, 9, CS_BOOT_RESAMPLES,
					  CS_DEFAULT_SEED, 0.95, &lo8, &hi8), 0);
	spread(b, 63, 100, &r);
	spread(n, 63, 150, &r);
	assert_int_equal(cs_boot_ratio_ci(b, 63, n, 63, CS_BOOT_RESAMPLES,
					  CS_DEFAULT_SEED, 0.95, &lo64, &hi64), 0);
	assert_true(lo8 < 1.5 && 1.5 < hi8);
	assert_true(lo64 < 1.5 && 1.5 < hi64);
	assert_true(lo8 > 1 && hi8 < 2.2);
	/* 7x the samples: about sqrt(7) narrower; at least 2x */
	assert_true((hi64 - lo64) * 2 < hi8 - lo8);
	/* identical sides: the interval holds 1 */
	assert_int_equal(cs_boot_ratio_ci(b, 9, b, 9, CS_BOOT_RESAMPLES, 1, 0.95,
					  &lo8, &hi8), 0);
	assert_true(lo8 < 1 && 1 < hi8);
	assert_int_equal(cs_boot_ratio_ci(b, 0, b, 8, CS_BOOT_RESAMPLES, 1, 0.95,
					  &lo8, &hi8), -1);
}

static void test_binom(void **state)
{
	(void)state;
	assert_true(cs_binom(8, 4) == 70);
	assert_true(cs_binom(6, 3) == 20);
	assert_true(cs_binom(16, 8) == 12870);
	assert_true(cs_binom(3, 5) == 0);
}

/* The smallest p of a design, against counts derived by hand: with k
 * odd vs k, NEW above BASE, a relabelling keeps both medians when BASE
 * keeps its lower half and median and takes (k-1)/2 of the k-1 samples
 * between the medians: C(k-1, (k-1)/2) ways, twice with the mirror. */
static void test_floor(void **state)
{
	(void)state;
	assert_near(cs_perm_floor(3, 3, CS_PERM_RESAMPLES, 1), 4.0 / 20, 1e-12);
	assert_near(cs_perm_floor(5, 5, CS_PERM_RESAMPLES, 1), 12.0 / 252, 1e-12);
	assert_near(cs_perm_floor(7, 7, CS_PERM_RESAMPLES, 1), 40.0 / 3432, 1e-12);
	assert_near(cs_perm_floor(4, 4, CS_PERM_RESAMPLES, 1), 4.0 / 70, 1e-12);
	assert_near(cs_perm_floor(8, 8, CS_PERM_RESAMPLES, 1), 40.0 / 12870, 1e-12);
	assert_near(cs_perm_floor(2, 2, CS_PERM_RESAMPLES, 1), 2.0 / 6, 1e-12);
	/* at or above 1/C and 2/C with equal sides */
	assert_true(cs_perm_floor(6, 6, CS_PERM_RESAMPLES, 1) >= 2 / cs_binom(12, 6));
	assert_true(cs_perm_floor(3, 9, CS_PERM_RESAMPLES, 1) >= 1 / cs_binom(12, 3));
	/* too many to list (C(40, 20) = 1.4e11): estimated, and tiny */
	assert_true(cs_perm_floor(20, 20, CS_PERM_RESAMPLES, 1) < 0.001);
	assert_true(cs_perm_floor(0, 3, CS_PERM_RESAMPLES, 1) == -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_median),
		cmocka_unit_test(test_rng),
		cmocka_unit_test(test_perm_separated),
		cmocka_unit_test(test_perm_overlap),
		cmocka_unit_test(test_perm_identical),
		cmocka_unit_test(test_perm_regression),
		cmocka_unit_test(test_perm_outlier),
		cmocka_unit_test(test_boot_ci),
		cmocka_unit_test(test_binom),
		cmocka_unit_test(test_floor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
