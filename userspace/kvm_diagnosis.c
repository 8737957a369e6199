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

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Quantile @q of @n samples by samples_quantile()'s rule: index
 * (size_t)(q * (n - 1) + 0.5) of the sorted copy, the lower median at 0.5.
 */
static uint64_t quantile(const uint64_t *v, size_t n, double q)
{
	uint64_t *c = malloc(n * sizeof(*c)), m;
	size_t i = q == 0.5 ? (n - 1) / 2 : (size_t)(q * (n - 1) + 0.5);

	if (!c)
		return 0;
	memcpy(c, v, n * sizeof(*c));
	qsort(c, n, sizeof(*c), cmp_u64);
	m = c[i];
	free(c);
	return m;
}

int kd_diagnose(const struct kd_input *in, struct kd_result *out)
{
	double jiffy_ns, thr_present, thr_absent;
	uint64_t fastest;
	char a[16], b[16], qa[16], qb[16], ex[16], dea[24], hz[300];
	const char *what;
	size_t i;
	int n;

	memset(out, 0, sizeof(*out));
	if (!in->n)
		return -1;
	out->with_q = quantile(in->with_reg, in->n, KD_QUANTILE);
	out->without_q = quantile(in->without, in->n, KD_QUANTILE);
	out->with_p50 = quantile(in->with_reg, in->n, 0.5);
	out->without_p50 = quantile(in->without, in->n, 0.5);
	out->ratio = (double)out->with_q /
		     (double)(out->without_q ? out->without_q : 1);
	out->excess_ns = (int64_t)out->with_q - (int64_t)out->without_q;
	jiffy_ns = in->hz ? 1e9 / in->hz : 1e6;
	out->jiffies = out->excess_ns / jiffy_ns;
	thr_present = 0.5 * jiffy_ns;
	thr_absent = 0.25 * jiffy_ns;
	/* control VMs more than half a jiffy slower than the fastest one */
	fastest = quantile(in->without, in->n, 0);
	for (i = 0; i < in->n; i++)
		out->slow_controls += in->without[i] > fastest + thr_present;
	if (in->n < KD_MIN_VMS ||		/* too few to tell */
	    2 * out->slow_controls > in->n ||	/* too noisy to tell */
	    out->without_q > thr_present)	/* a baseline as slow as a GP */
		out->v = KD_INCONCLUSIVE;
	else if (out->ratio >= KD_PRESENT_RATIO && out->excess_ns >= thr_present)
		out->v = KD_PRESENT;
	else if (out->ratio < KD_ABSENT_RATIO || out->excess_ns < thr_absent)
		out->v = KD_ABSENT;
	else
		out->v = KD_INCONCLUSIVE;

	fmt_ns(out->with_p50, a, sizeof(a));
	fmt_ns(out->without_p50, b, sizeof(b));
	fmt_ns(out->with_q, qa, sizeof(qa));
	fmt_ns(out->without_q, qb, sizeof(qb));
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
		     "diagnosis: %s: 1st memslot update after %u registrations %s vs %s with none (medians; lower quartiles %s vs %s: %.1fx, %zu VMs each); deassign with a guest running %s; %s",
		     what, in->early, a, b, qa, qb, out->ratio, in->n, dea, hz);
	if (n < 0 || (size_t)n >= sizeof(out->line))
		return 0;
	if (out->v == KD_PRESENT)
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": a VM that registers ioeventfds before its first memslot update waits about %s more (%.1f jiffies), for a normal SRCU grace period",
			 ex, out->jiffies);
	else if (out->v == KD_INCONCLUSIVE && in->n < KD_MIN_VMS)
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": %zu VMs per side, at least %d needed (--repeat)",
			 in->n, KD_MIN_VMS);
	else if (out->v == KD_INCONCLUSIVE && 2 * out->slow_controls > in->n)
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": too noisy: %zu of %zu control VMs took over half a jiffy more than the fastest (a busy host?); rerun on a quieter one or with a larger --repeat",
			 out->slow_controls, in->n);
	else if (out->v == KD_INCONCLUSIVE && out->without_q > thr_present)
		snprintf(out->line + n, sizeof(out->line) - n,
			 ": the control's own first memslot update takes %s, over half a jiffy: too slow a baseline to show a grace period's wait (a busy host?)",
			 qb);
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
