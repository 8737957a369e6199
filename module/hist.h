/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Log-linear latency histograms: values below 32 ns are exact, above that
 * each power of two is split into 32 buckets, so a bucket is at most 1/32
 * (3.2%) of its lower bound wide.  Storage is per CPU; updates are
 * interrupt-safe and never allocate; readers sum over CPUs.
 */
#ifndef IOBUS_STRESS_HIST_H
#define IOBUS_STRESS_HIST_H

#include <linux/bits.h>
#include <linux/types.h>
#include <linux/seq_file.h>

#define IBS_HIST_SUB_BITS	5
#define IBS_HIST_SUB		BIT(IBS_HIST_SUB_BITS)
#define IBS_HIST_BUCKETS	((64 - IBS_HIST_SUB_BITS + 1) * IBS_HIST_SUB)

struct ibs_hist_cpu {
	u64 bucket[IBS_HIST_BUCKETS];
	u64 count;
	u64 sum;
	u64 min;
	u64 max;
};

struct ibs_hist {
	struct ibs_hist_cpu __percpu *pcpu;
};

/* A summary of a histogram summed over all CPUs. */
struct ibs_hist_sum {
	u64 count;
	u64 sum;
	u64 min;
	u64 max;
	u64 p25, p50, p90, p99, p999;
};

int ibs_hist_init(struct ibs_hist *h);
void ibs_hist_destroy(struct ibs_hist *h);
void ibs_hist_reset(struct ibs_hist *h);
void ibs_hist_add(struct ibs_hist *h, u64 ns);
void ibs_hist_summarize(struct ibs_hist *h, struct ibs_hist_sum *s);
void ibs_hist_show(struct seq_file *m, struct ibs_hist *h);
unsigned int ibs_hist_index(u64 v);
u64 ibs_hist_lower(unsigned int idx);
u64 ibs_hist_upper(unsigned int idx);

#endif /* IOBUS_STRESS_HIST_H */
