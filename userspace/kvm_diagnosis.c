// SPDX-License-Identifier: GPL-2.0
/* iobus-stress kvm: the one-line diagnosis (kvm_diagnosis.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_diagnosis.h"
#include "table.h"

const char *kd_name(enum kd_verdict v)
{
	return v == KD_PRESENT ? "present" : v == KD_ABSENT ? "absent" :
	       "inconclusive";
}

int kd_parse(const char *s)
{
	if (!strcmp(s, "present"))
		return KD_PRESENT;
	if (!strcmp(s, "absent"))
		return KD_ABSENT;
	return -1;
}

static int cmp_dbl(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The lower median, as samples_quantile(.., 0.5) takes it. */
static uint64_t median_u64(const uint64_t *v, size_t n)
{
	uint64_t *c = malloc(n * sizeof(*c)), m;

	if (!c)
		return 0;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_u64);
	m = c[(n - 1) / 2];
	free(c);
	return m;
}

int kd_diagnose(const struct kd_input *in, struct kd_result *out)
{
	double *r, jiffy_ns, thr_present, thr_absent;
	char a[16], b[16], ex[16], dea[24], hz[300];
	const char *what;
	size_t i;
	int n;

	memset(out, 0, sizeof(*out));
	if (!in->n)
		return -1;
	r = malloc(in->n * sizeof(*r));
	if (!r)
		return -1;
	for (i = 0; i < in->n; i++)
		r[i] = (double)in->with_reg[i] /
		       (double)(in->without[i] ? in->without[i] : 1);
	qsort(r, in->n, sizeof(*r), cmp_dbl);
	out->ratio = in->n % 2 ? r[in->n / 2] :
		     (r[in->n / 2 - 1] + r[in->n / 2]) / 2;
	free(r);
	out->with_p50 = median_u64(in->with_reg, in->n);
	out->without_p50 = median_u64(in->without, in->n);
	out->excess_ns = (int64_t)out->with_p50 - (int64_t)out->without_p50;
	jiffy_ns = in->hz ? 1e9 / in->hz : 1e6;
	out->jiffies = out->excess_ns / jiffy_ns;
	thr_present = 0.5 * jiffy_ns;
	thr_absent = 0.25 * jiffy_ns;
	if (out->ratio >= KD_PRESENT_RATIO && out->excess_ns >= thr_present)
		out->v = KD_PRESENT;
	else if (out->ratio < KD_ABSENT_RATIO || out->excess_ns < thr_absent)
		out->v = KD_ABSENT;
	else
		out->v = KD_INCONCLUSIVE;

	fmt_ns(out->with_p50, a, sizeof(a));
	fmt_ns(out->without_p50, b, sizeof(b));
	fmt_ns(out->excess_ns > 0 ? (uint64_t)out->excess_ns : 0, ex, sizeof(ex));
	if (in->run_deassign_p50)
		fmt_ns(in->run_deassign_p50, dea, sizeof(dea));
	else
		snprintf(dea, sizeof(dea), "not measured");
	if (in->hz)
		snprintf(hz, sizeof(hz), "HZ=%u (%s)", in->hz,
			 in->hz_source ? in->hz_source : "?");
	else
		snprintf(hz, sizeof(hz), "HZ unknown (%s; 1 ms taken as the jiffy)",
			 in->hz_source ? in->hz_source : "?");
	switch (out->v) {
	case KD_PRESENT:
		what = "regression present";
		break;
	case KD_ABSENT:
		what = "regression absent";
		break;
	default:
		what = "inconclusive";
		break;
	}
	n = snprintf(out->line, sizeof(out->line),
		     "diagnosis: %s: 1st memslot update after %u registrations %s vs %s with none (%.1fx, median of %zu paired VMs); deassign with a guest running %s; %s",
		     what, in->early, a, b, out->ratio, in->n, dea, hz);
	if (n < 0 || (size_t)n >= sizeof(out->line))
		return 0;
	if (out->v == KD_PRESENT)
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": a VM that registers ioeventfds before its first memslot update waits about %s more (%.1f jiffies), for a normal SRCU grace period",
			 ex, out->jiffies);
	else if (out->v == KD_INCONCLUSIVE)
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": %s more (%.1f jiffies), between the bounds; rerun with a larger --repeat",
			 ex, out->jiffies);
	else if (!in->early)
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": no registration before the first memslot update (--early 0, the control)");
	else
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": registering ioeventfds before the first memslot update costs no grace period here");
	return 0;
}
