// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU log-linear latency histograms (see hist.h).
 */
#include <linux/bitops.h>
#include <linux/irqflags.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "hist.h"

unsigned int ibs_hist_index(u64 v)
{
	unsigned int e;

	if (v < IBS_HIST_SUB)
		return v;
	e = fls64(v) - 1;	/* e >= IBS_HIST_SUB_BITS */
	return (e - IBS_HIST_SUB_BITS + 1) * IBS_HIST_SUB +
	       ((v >> (e - IBS_HIST_SUB_BITS)) & (IBS_HIST_SUB - 1));
}

u64 ibs_hist_lower(unsigned int idx)
{
	unsigned int grp = idx / IBS_HIST_SUB, sub = idx % IBS_HIST_SUB;

	if (!grp)
		return sub;
	return (u64)(IBS_HIST_SUB + sub) << (grp - 1);
}

u64 ibs_hist_upper(unsigned int idx)
{
	if (idx + 1 >= IBS_HIST_BUCKETS)
		return U64_MAX;
	return ibs_hist_lower(idx + 1) - 1;
}

int ibs_hist_init(struct ibs_hist *h)
{
	h->pcpu = alloc_percpu(struct ibs_hist_cpu);
	if (!h->pcpu)
		return -ENOMEM;
	ibs_hist_reset(h);
	return 0;
}

void ibs_hist_destroy(struct ibs_hist *h)
{
	free_percpu(h->pcpu);
	h->pcpu = NULL;
}

/*
 * Not concurrent with ibs_hist_add() (no run) nor with the readers: every
 * caller and reader of a run's histograms holds ibs_lock.
 */
void ibs_hist_reset(struct ibs_hist *h)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct ibs_hist_cpu *c = per_cpu_ptr(h->pcpu, cpu);

		memset(c, 0, sizeof(*c));
		c->min = U64_MAX;
	}
}

void ibs_hist_add(struct ibs_hist *h, u64 ns)
{
	struct ibs_hist_cpu *c;
	unsigned long flags;
	unsigned int idx;

	/* Writers run in kthreads, reclaim also in SRCU callbacks. */
	local_irq_save(flags);
	c = this_cpu_ptr(h->pcpu);
	/*
	 * Only this CPU writes its slot (irqs off), so the plain reads are
	 * exact; the stores are marked because summaries read concurrently.
	 */
	idx = ibs_hist_index(ns);
	WRITE_ONCE(c->bucket[idx], c->bucket[idx] + 1);
	WRITE_ONCE(c->count, c->count + 1);
	WRITE_ONCE(c->sum, c->sum + ns);
	if (ns < c->min)
		WRITE_ONCE(c->min, ns);
	if (ns > c->max)
		WRITE_ONCE(c->max, ns);
	local_irq_restore(flags);
}

/* Value at quantile q/1000: the midpoint of the bucket holding it. */
static u64 ibs_hist_quantile(const u64 *b, u64 count, unsigned int q,
			     u64 lowest, u64 highest)
{
	u64 rank = div_u64(count * q + 999, 1000), seen = 0;
	unsigned int i;

	if (!rank)
		rank = 1;
	for (i = 0; i < IBS_HIST_BUCKETS; i++) {
		seen += b[i];
		if (seen >= rank) {
			u64 lo = ibs_hist_lower(i), hi = ibs_hist_upper(i);
			u64 mid = lo + (hi - lo) / 2;

			return clamp(mid, lowest, highest);
		}
	}
	return highest;
}

void ibs_hist_summarize(struct ibs_hist *h, struct ibs_hist_sum *s)
{
	u64 *b;
	int cpu;
	unsigned int i;

	memset(s, 0, sizeof(*s));
	s->min = U64_MAX;
	b = kcalloc(IBS_HIST_BUCKETS, sizeof(*b), GFP_KERNEL);
	if (!b)
		return;
	for_each_possible_cpu(cpu) {
		struct ibs_hist_cpu *c = per_cpu_ptr(h->pcpu, cpu);

		for (i = 0; i < IBS_HIST_BUCKETS; i++)
			b[i] += READ_ONCE(c->bucket[i]);
		s->count += READ_ONCE(c->count);
		s->sum += READ_ONCE(c->sum);
		s->min = min(s->min, READ_ONCE(c->min));
		s->max = max(s->max, READ_ONCE(c->max));
	}
	if (s->count) {
		s->p25 = ibs_hist_quantile(b, s->count, 250, s->min, s->max);
		s->p50 = ibs_hist_quantile(b, s->count, 500, s->min, s->max);
		s->p90 = ibs_hist_quantile(b, s->count, 900, s->min, s->max);
		s->p99 = ibs_hist_quantile(b, s->count, 990, s->min, s->max);
		s->p999 = ibs_hist_quantile(b, s->count, 999, s->min, s->max);
	} else {
		s->min = 0;
	}
	kfree(b);
}

/* One non-empty bucket per line: "lower_ns upper_ns count". */
void ibs_hist_show(struct seq_file *m, struct ibs_hist *h)
{
	unsigned int i;
	int cpu;

	seq_puts(m, "# lower_ns upper_ns count\n");
	for (i = 0; i < IBS_HIST_BUCKETS; i++) {
		u64 n = 0;

		for_each_possible_cpu(cpu)
			n += READ_ONCE(per_cpu_ptr(h->pcpu, cpu)->bucket[i]);
		if (n)
			seq_printf(m, "%llu %llu %llu\n", ibs_hist_lower(i),
				   ibs_hist_upper(i), n);
	}
}
