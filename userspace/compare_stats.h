/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The statistics of `iobus-stress compare --base ... --new ...`: a
 * permutation test of the difference of medians, a bootstrap confidence
 * interval of the ratio of medians, and the smallest p a design (n BASE
 * vs m NEW samples) can give.  Pure functions of their inputs and a seed:
 * the same samples and seed give the same numbers on every machine.
 */
#ifndef IOBUS_COMPARE_STATS_H
#define IOBUS_COMPARE_STATS_H

#include <stddef.h>
#include <stdint.h>

#define CS_PERM_RESAMPLES 9999		/* random relabellings */
#define CS_BOOT_RESAMPLES 10000		/* bootstrap resamples per side */
#define CS_DEFAULT_SEED 20261204ULL

/* xorshift64* (Vigna 2016); the seed is spread by splitmix64, so any
 * seed, 0 included, gives a good nonzero state. */
struct cs_rng {
	uint64_t s;
};

void cs_rng_seed(struct cs_rng *r, uint64_t seed);
uint64_t cs_rng_next(struct cs_rng *r);
/* Uniform in [0, n), n >= 1, without modulo bias. */
size_t cs_rng_below(struct cs_rng *r, size_t n);

/* The median of @v[0..n) (n >= 1; the mean of the two middle values when
 * n is even); @v is left as it was, @scratch holds n doubles. */
double cs_median(const double *v, size_t n, double *scratch);

/*
 * Two-sided permutation test of d = median(@n) - median(@b): @resamples
 * random relabellings of the pooled samples (@nb to BASE, the rest to
 * NEW), p = (count of |d*| >= |d| + 1) / (resamples + 1).  Identical
 * medians give 1.  -1 when a side is empty or memory runs out.
 */
double cs_perm_median_p(const double *b, size_t nb, const double *n, size_t nn,
			int resamples, uint64_t seed);

/*
 * Bootstrap percentile interval of median(@n) / median(@b) at @level
 * (0.95): @resamples times each side resampled with replacement.  All
 * samples must be > 0.  0, or -1 (empty side, memory).
 */
int cs_boot_ratio_ci(const double *b, size_t nb, const double *n, size_t nn,
		     int resamples, uint64_t seed, double level, double *lo,
		     double *hi);

/* C(n, k) as a double (inf beyond its range). */
double cs_binom(size_t n, size_t k);

/*
 * The smallest p of the permutation test of medians with @nb vs @nn
 * samples: its p for the most extreme data, every NEW sample above every
 * BASE sample (evenly spaced).  Exact (every relabelling enumerated) when
 * C(nb+nn, nb) <= 2e6, else estimated like cs_perm_median_p() with
 * @resamples and @seed.  Never below 1 / C(nb+nn, nb); with medians
 * usually well above 2 / C(nb+nn, nb), since swapping the outer samples
 * of the sides leaves both medians where they were (4 vs 4: 4/70, not
 * 2/70).  -1 when a side is empty or memory runs out.
 */
double cs_perm_floor(size_t nb, size_t nn, int resamples, uint64_t seed);

#endif
