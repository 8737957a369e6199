// SPDX-License-Identifier: GPL-2.0
/*
 * The diagnosis of `iobus-stress kvm` against numbers taken from outside
 * the code: the regression report's (Firecracker, kvm list, 2026-02-13:
 * 0.137 ms -> 25.2 ms at HZ=100) and this project's own measurements
 * (docs/diagnosis.md).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "kvm_diagnosis.h"

static struct kd_result r;

static int diag(const uint64_t *a, const uint64_t *b, size_t n,
		unsigned int early, unsigned int hz)
{
	struct kd_input in = { a, b, n, early, 8000000, hz, "test" };

	return kd_diagnose(&in, &r);
}

static void test_present(void **state)
{
	/* 20 us without, 7.7 ms with, at HZ=250 (a host of this project) */
	uint64_t a[] = { 7760000, 7700000, 7900000, 7600000, 7800000 };
	uint64_t b[] = { 21100, 20000, 30000, 19000, 25000 };

	(void)state;
	assert_int_equal(diag(a, b, 5, 6, 250), 0);
	assert_int_equal(r.v, KD_PRESENT);
	assert_true(r.ratio > 380 && r.ratio < 390);
	assert_int_equal(r.with_q, 7700000);
	assert_int_equal(r.without_q, 20000);
	assert_non_null(strstr(r.line, "regression present"));
	assert_non_null(strstr(r.line, "HZ=250"));
	assert_non_null(strstr(r.line, "1.9 jiffies"));
	/* Firecracker's report: 0.137 ms -> 25.2 ms at HZ=100 */
	a[0] = a[1] = a[2] = a[3] = a[4] = 25200000;
	b[0] = b[1] = b[2] = b[3] = b[4] = 137000;
	assert_int_equal(diag(a, b, 5, 6, 100), 0);
	assert_int_equal(r.v, KD_PRESENT);
	assert_non_null(strstr(r.line, "2.5 jiffies"));
}

static void test_absent(void **state)
{
	/* 6.1 under QEMU TCG: both a few hundred us, noisy */
	uint64_t a[] = { 310000, 250000, 900000, 280000, 260000 };
	uint64_t b[] = { 240000, 300000, 260000, 250000, 270000 };

	(void)state;
	assert_int_equal(diag(a, b, 5, 6, 250), 0);
	assert_int_equal(r.v, KD_ABSENT);
	assert_non_null(strstr(r.line, "regression absent"));
	/* the --early 0 control says what it is */
	assert_int_equal(diag(a, b, 5, 0, 250), 0);
	assert_int_equal(r.v, KD_ABSENT);
	assert_non_null(strstr(r.line, "--early 0"));
}

static void test_excess_floor(void **state)
{
	/* 30x but only 0.6 ms more at HZ=100 (10 ms jiffy): not a normal GP */
	uint64_t a[] = { 620000, 600000, 610000, 615000, 605000 };
	uint64_t b[] = { 20000, 20000, 20000, 20000, 20000 };

	(void)state;
	assert_int_equal(diag(a, b, 5, 6, 100), 0);
	assert_int_equal(r.v, KD_ABSENT);
	/* the same at HZ=1000 (1 ms jiffy): more than half a jiffy */
	assert_int_equal(diag(a, b, 5, 6, 1000), 0);
	assert_int_equal(r.v, KD_PRESENT);
	/* HZ unknown: 1 ms is taken as the jiffy */
	assert_int_equal(diag(a, b, 5, 6, 0), 0);
	assert_int_equal(r.v, KD_PRESENT);
	assert_non_null(strstr(r.line, "HZ unknown"));
}

static void test_inconclusive(void **state)
{
	/* 3x and 2 ms more at HZ=250: between the bounds */
	uint64_t a[] = { 3000000, 3000000, 3000000, 3000000, 3000000 };
	uint64_t b[] = { 1000000, 1000000, 1000000, 1000000, 1000000 };

	(void)state;
	assert_int_equal(diag(a, b, 5, 6, 250), 0);
	assert_int_equal(r.v, KD_INCONCLUSIVE);
	assert_non_null(strstr(r.line, "between the bounds"));
}

static void test_lower_quartile(void **state)
{
	/*
	 * One run of 7.3 under QEMU TCG with a kernel build beside it
	 * (2026-12-04): two control VMs were descheduled (14.7 ms, 3.4 ms).
	 * The median of the pairs' ratios is 3.1x (inconclusive); the lower
	 * quartiles (6.56 ms vs 1.18 ms: the 2nd of 5) say present.
	 */
	uint64_t a[] = { 7660000, 6970000, 6730000, 6170000, 6560000 };
	uint64_t b[] = { 14670000, 1180000, 2200000, 650000, 3430000 };

	(void)state;
	assert_int_equal(diag(a, b, 5, 6, 250), 0);
	assert_int_equal(r.with_q, 6560000);
	assert_int_equal(r.without_q, 1180000);
	assert_true(r.ratio > 5.55 && r.ratio < 5.57);
	assert_int_equal(r.v, KD_PRESENT);
	/* the medians, for the reader */
	assert_int_equal(r.with_p50, 6730000);
	assert_int_equal(r.without_p50, 2200000);
	assert_non_null(strstr(r.line, "6.73ms vs 2.20ms with none"));
	/* n = 4: index (size_t)(0.25 * 3 + 0.5) = 1, the 2nd smallest */
	assert_int_equal(diag(a, b, 4, 6, 250), 0);
	assert_int_equal(r.with_q, 6730000);
	assert_int_equal(r.without_q, 1180000);
	assert_int_equal(diag(a, b, 0, 6, 250), -1);
}

static void test_noisy(void **state)
{
	/*
	 * 6.12 under QEMU TCG beside a kernel build (calibration 5.3x, HZ not
	 * found), the --early 0 control: no registration on either side, yet
	 * the lower quartiles say 5.8x (4.24 ms vs 0.73 ms), a false
	 * "present"; 9 of 15 control VMs took over half a jiffy (1 ms taken)
	 * more than the fastest: too noisy to tell.
	 */
	uint64_t a[] = { 13240000, 560000, 2340000, 4300000, 400000, 2370000,
			 5200000, 8260000, 8430000, 30480000, 4860000, 8280000,
			 4420000, 8490000, 4240000 };
	uint64_t b[] = { 630000, 5010000, 820000, 400000, 350000, 9430000,
			 5360000, 2320000, 5310000, 730000, 12770000, 9470000,
			 10430000, 9350000, 700000 };

	(void)state;
	assert_int_equal(diag(a, b, 15, 0, 0), 0);
	assert_true(r.ratio > 5.8 && r.ratio < 5.82);
	assert_int_equal(r.slow_controls, 9);
	assert_int_equal(r.v, KD_INCONCLUSIVE);
	assert_non_null(strstr(r.line, "too noisy: 9 of 15 control VMs"));
	/* at HZ=100 half a jiffy is 5 ms: 6 slow, not noisy; 3.5 ms more
	 * is under half a jiffy but over a quarter: between the bounds */
	assert_int_equal(diag(a, b, 15, 0, 100), 0);
	assert_int_equal(r.slow_controls, 6);
	assert_int_equal(r.v, KD_INCONCLUSIVE);
	assert_null(strstr(r.line, "too noisy"));
}

static void test_slow_baseline(void **state)
{
	/*
	 * 7.3 under QEMU TCG beside a kernel build: every fresh VM waited
	 * ~5.5 ms, registrations or not (q25 5.84 ms vs 5.53 ms: 1.1x, a
	 * false "absent" on a kernel with the regression).  A control that
	 * slow cannot show a grace period's wait.
	 */
	uint64_t a[] = { 6320000, 5840000, 7100000, 5700000, 6900000 };
	uint64_t b[] = { 5630000, 5530000, 5600000, 5500000, 5700000 };

	(void)state;
	assert_int_equal(diag(a, b, 5, 6, 250), 0);
	assert_int_equal(r.slow_controls, 0);
	assert_int_equal(r.v, KD_INCONCLUSIVE);
	assert_non_null(strstr(r.line, "too slow a baseline"));
}

static void test_too_few(void **state)
{
	/* 6.12's --early 0 control, --repeat 3, under a 5x-loaded host */
	uint64_t a[] = { 4651610, 12655630, 398810, 5000000, 6000000 };
	uint64_t b[] = { 7558330, 424540, 366810, 400000, 410000 };

	(void)state;
	assert_int_equal(diag(a, b, 3, 0, 250), 0);
	assert_int_equal(r.v, KD_INCONCLUSIVE);
	assert_non_null(strstr(r.line, "3 VMs per side, at least 5 needed"));
	/* five is enough to decide (here wrongly, as the load made it: the
	 * reason make check asserts QEMU diagnoses on a quiet host only) */
	assert_int_equal(diag(a, b, 5, 0, 250), 0);
	assert_int_equal(r.v, KD_PRESENT);
}

static void test_parse(void **state)
{
	(void)state;
	assert_int_equal(kd_parse("present"), KD_PRESENT);
	assert_int_equal(kd_parse("absent"), KD_ABSENT);
	assert_int_equal(kd_parse("inconclusive"), -1);
	assert_int_equal(kd_parse(""), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_present),
		cmocka_unit_test(test_absent),
		cmocka_unit_test(test_excess_floor),
		cmocka_unit_test(test_inconclusive),
		cmocka_unit_test(test_lower_quartile),
		cmocka_unit_test(test_noisy),
		cmocka_unit_test(test_slow_baseline),
		cmocka_unit_test(test_too_few),
		cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
