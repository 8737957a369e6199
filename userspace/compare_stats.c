// SPDX-License-Identifier: GPL-2.0
/*
 * The statistics of compare's statistical mode (compare_stats.h): a
 * permutation test of the difference of medians, a bootstrap interval of
 * the ratio of medians, and the smallest p a design can give.  Medians,
 * not means: under QEMU TCG one descheduled VM moves a latency 10-50x,
 * which drags a mean and leaves a median where it was.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "compare_stats.h"

/* Two |d| closer than this (relative) are a tie: the same medians
 * reached by a different order of additions. */
#define CS_TIE 1e-9

void cs_rng_seed(struct cs_rng *r, uint64_t seed)
{
	uint64_t z = seed + 0x9e3779b97f4a7c15ULL;	/* splitmix64 */

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	r->s = z ? z : 0x9e3779b97f4a7c15ULL;
}

uint64_t cs_rng_next(struct cs_rng *r)
{
	uint64_t x = r->s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

size_t cs_rng_below(struct cs_rng *r, size_t n)
{
	uint64_t lim = UINT64_MAX - UINT64_MAX % (uint64_t)n, x;

	do
		x = cs_rng_next(r);
	while (x >= lim);
	return (size_t)(x % (uint64_t)n);
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The median of @v, sorted here in place. */
static double median_sort(double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_dbl);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double cs_median(const double *v, size_t n, double *scratch)
{
	memcpy(scratch, v, n * sizeof(*v));
	return median_sort(scratch, n);
}

static int at_least(double ds, double d)
{
	return fabs(ds) >= fabs(d) * (1 - CS_TIE);
}

double cs_perm_median_p(const double *b, size_t nb, const double *n, size_t nn,
			int resamples, uint64_t seed)
{
	size_t tot = nb + nn, i, j;
	double *pool, *work, d;
	struct cs_rng r;
	long count = 0;
	int k;

	if (!nb || !nn || resamples < 1)
		return -1;
	pool = malloc(tot * sizeof(*pool));
	work = malloc(tot * sizeof(*work));
	if (!pool || !work) {
		free(pool);
		free(work);
		return -1;
	}
	memcpy(pool, b, nb * sizeof(*b));
	memcpy(pool + nb, n, nn * sizeof(*n));
	memcpy(work, pool, tot * sizeof(*pool));
	d = median_sort(work + nb, nn) - median_sort(work, nb);
	if (d == 0) {
		free(pool);
		free(work);
		return 1;
	}
	cs_rng_seed(&r, seed);
	for (k = 0; k < resamples; k++) {
		/* a uniform relabelling: Fisher-Yates on the pool */
		for (i = tot - 1; i > 0; i--) {
			double t;

			j = cs_rng_below(&r, i + 1);
			t = pool[i];
			pool[i] = pool[j];
			pool[j] = t;
		}
		memcpy(work, pool, tot * sizeof(*pool));
		count += at_least(median_sort(work + nb, nn) -
				  median_sort(work, nb), d);
	}
	free(pool);
	free(work);
	return (double)(count + 1) / (double)(resamples + 1);
}

/* The percentile @q of sorted @v (linear between neighbours). */
static double pct(const double *v, size_t n, double q)
{
	double x = q * (double)(n - 1);
	size_t i = (size_t)x;

	if (i + 1 >= n)
		return v[n - 1];
	return v[i] + (x - (double)i) * (v[i + 1] - v[i]);
}

static double resample_median(const double *v, size_t n, double *work,
			      struct cs_rng *r)
{
	size_t i;

	for (i = 0; i < n; i++)
		work[i] = v[cs_rng_below(r, n)];
	return median_sort(work, n);
}

int cs_boot_ratio_ci(const double *b, size_t nb, const double *n, size_t nn,
		     int resamples, uint64_t seed, double level, double *lo,
		     double *hi)
{
	double *ratio, *work;
	struct cs_rng r;
	int k;

	if (!nb || !nn || resamples < 2)
		return -1;
	ratio = malloc((size_t)resamples * sizeof(*ratio));
	work = malloc((nb > nn ? nb : nn) * sizeof(*work));
	if (!ratio || !work) {
		free(ratio);
		free(work);
		return -1;
	}
	cs_rng_seed(&r, seed);
	for (k = 0; k < resamples; k++) {
		double mb = resample_median(b, nb, work, &r);
		double mn = resample_median(n, nn, work, &r);

		ratio[k] = mb > 0 ? mn / mb : INFINITY;
	}
	qsort(ratio, (size_t)resamples, sizeof(*ratio), cmp_dbl);
	*lo = pct(ratio, (size_t)resamples, (1 - level) / 2);
	*hi = pct(ratio, (size_t)resamples, 1 - (1 - level) / 2);
	free(ratio);
	free(work);
	return 0;
}

double cs_binom(size_t n, size_t k)
{
	double c = 1;
	size_t i;

	if (k > n)
		return 0;
	if (k > n - k)
		k = n - k;
	for (i = 1; i <= k; i++)
		c = c * (double)(n - k + i) / (double)i;
	return floor(c + 0.5);
}

/* Median of the sorted values at the ascending positions @idx[0..k). */
static double median_at(const size_t *idx, size_t k)
{
	return k % 2 ? (double)idx[k / 2] :
	       ((double)idx[k / 2 - 1] + (double)idx[k / 2]) / 2;
}

double cs_perm_floor(size_t nb, size_t nn, int resamples, uint64_t seed)
{
	size_t tot = nb + nn, *c, *rest, i, j, k;
	double total = cs_binom(tot, nb), d, count = 0;

	if (!nb || !nn)
		return -1;
	if (!(total <= 2e6)) {
		/* too many relabellings to list: the same estimate as a row's */
		double *v = malloc(tot * sizeof(*v)), p;

		if (!v)
			return -1;
		for (i = 0; i < tot; i++)
			v[i] = (double)i;
		p = cs_perm_median_p(v, nb, v + nb, nn, resamples, seed);
		free(v);
		return p;
	}
	c = malloc(nb * sizeof(*c));
	rest = malloc(nn * sizeof(*rest));
	if (!c || !rest) {
		free(c);
		free(rest);
		return -1;
	}
	/* the values are 0 .. tot-1: BASE the lowest nb, NEW the rest */
	for (i = 0; i < nb; i++)
		c[i] = i;
	for (i = 0; i < nn; i++)
		rest[i] = nb + i;
	d = median_at(rest, nn) - median_at(c, nb);
	for (;;) {
		for (i = 0, j = 0, k = 0; i < tot; i++) {
			if (j < nb && c[j] == i)
				j++;
			else
				rest[k++] = i;
		}
		count += at_least(median_at(rest, nn) - median_at(c, nb), d);
		/* the next nb-subset in lexicographic order */
		for (i = nb; i-- > 0;)
			if (c[i] != i + tot - nb)
				break;
		if (i == (size_t)-1)
			break;
		c[i]++;
		for (j = i + 1; j < nb; j++)
			c[j] = c[j - 1] + 1;
	}
	free(c);
	free(rest);
	return count / total;
}
