// SPDX-License-Identifier: GPL-2.0
/*
 * Results: per-thread and per-instance counters summed on read, and the
 * debugfs stats file ("key: value" lines, names documented in docs/interface.md).
 */
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/seq_file.h>

#include "iobus_stress.h"

static void ibs_detector_add(struct ibs_detector *sum,
			     const struct ibs_detector *d)
{
	u64 first = READ_ONCE(d->first_ns);

	sum->count += READ_ONCE(d->count);
	if (first && (!sum->first_ns || first < sum->first_ns))
		sum->first_ns = first;
	sum->worst = max(sum->worst, READ_ONCE(d->worst));
}

void ibs_totals_collect(struct ibs_totals *t)
{
	const struct ibs_config *c = &ibs_run.cfg;
	u32 i, j;

	memset(t, 0, sizeof(*t));
	for (i = 0; ibs_run.inst && i < c->instances; i++) {
		struct ibs_instance *inst = &ibs_run.inst[i];

		for (j = 0; inst->writers && j < c->writers; j++) {
			struct ibs_writer *w = &inst->writers[j];

			t->registers += READ_ONCE(w->registers);
			t->unregisters += READ_ONCE(w->unregisters);
			t->enomem += READ_ONCE(w->enomem);
			t->enospc += READ_ONCE(w->enospc);
			t->pending_waits += READ_ONCE(w->pending_waits);
		}
		for (j = 0; inst->readers && j < c->readers; j++) {
			struct ibs_reader *r = &inst->readers[j];

			t->exits += READ_ONCE(r->exits);
			t->sections += READ_ONCE(r->sections);
			/* Every access that did not stop at a freed bus. */
			t->insns += READ_ONCE(r->hits) +
				    READ_ONCE(r->misses) +
				    READ_ONCE(r->null_bus);
			t->hits += READ_ONCE(r->hits);
			t->misses += READ_ONCE(r->misses);
			t->reader_run_ns += READ_ONCE(r->run_ns);
			ibs_detector_add(&t->stale, &r->stale);
			ibs_detector_add(&t->gp, &r->gp);
			ibs_detector_add(&t->dev, &r->dev);
		}
		t->pending += atomic_long_read(&inst->pending);
		t->pending_bytes += atomic_long_read(&inst->pending_bytes);
		t->pending_peak = max(t->pending_peak,
				      atomic_long_read(&inst->pending_peak));
		t->pending_peak_bytes =
			max(t->pending_peak_bytes,
			    atomic_long_read(&inst->pending_peak_bytes));
		t->buses_allocated += atomic_long_read(&inst->buses_allocated);
		t->buses_freed += atomic_long_read(&inst->buses_freed);
		t->devs_allocated += atomic_long_read(&inst->devs_allocated);
		t->devs_freed += atomic_long_read(&inst->devs_freed);
		/* Pairs with ibs_boot(): phase times are set. */
		if (smp_load_acquire(&inst->boot_done)) {
			t->boot_early_ns = max(t->boot_early_ns,
					       inst->boot_early_ns);
			t->boot_vcpu_ns = max(t->boot_vcpu_ns,
					      inst->boot_vcpu_ns);
			t->boot_vcpu1_ns = max(t->boot_vcpu1_ns,
					       inst->boot_vcpu1_ns);
			t->boot_late_ns = max(t->boot_late_ns,
					      inst->boot_late_ns);
		}
	}
	ibs_model_collect(t);
	t->leaked = t->buses_allocated - t->buses_freed + t->devs_allocated -
		    t->devs_freed;
}

static void ibs_show_detector(struct seq_file *m, const char *name,
			      const char *worst_unit,
			      const struct ibs_detector *d)
{
	seq_printf(m, "%s: %llu\n", name, d->count);
	seq_printf(m, "%s_first_ns: %llu\n", name, d->first_ns);
	seq_printf(m, "%s_worst_%s: %llu\n", name, worst_unit, d->worst);
}

static void ibs_show_hist(struct seq_file *m, int metric)
{
	const char *n = ibs_metric_names[metric];
	struct ibs_hist_sum s;

	ibs_hist_summarize(&ibs_run.hist[metric], &s);
	seq_printf(m, "%s_count: %llu\n", n, s.count);
	seq_printf(m, "%s_ns_min: %llu\n", n, s.min);
	seq_printf(m, "%s_ns_mean: %llu\n", n,
		   s.count ? div64_u64(s.sum, s.count) : 0);
	seq_printf(m, "%s_ns_p25: %llu\n", n, s.p25);
	seq_printf(m, "%s_ns_p50: %llu\n", n, s.p50);
	seq_printf(m, "%s_ns_p90: %llu\n", n, s.p90);
	seq_printf(m, "%s_ns_p99: %llu\n", n, s.p99);
	seq_printf(m, "%s_ns_p999: %llu\n", n, s.p999);
	seq_printf(m, "%s_ns_max: %llu\n", n, s.max);
}

/* Called with ibs_lock held. */
void ibs_stats_show(struct seq_file *m)
{
	u32 state = READ_ONCE(ibs_run.state);
	const struct ibs_config *c = state == IBS_IDLE ? &ibs_cfg : &ibs_run.cfg;
	u64 elapsed = ibs_elapsed_ns();
	struct ibs_expect e;
	struct ibs_totals t;
	char buf[160];
	int i;

	ibs_totals_collect(&t);
	seq_printf(m, "state: %s\n", ibs_state_name(state));
	seq_printf(m, "elapsed_ms: %llu\n", div_u64(elapsed, NSEC_PER_MSEC));
	ibs_config_show(m, c, ": ");
	seq_printf(m, "registers: %llu\n", t.registers);
	seq_printf(m, "unregisters: %llu\n", t.unregisters);
	seq_printf(m, "enomem: %llu\n", t.enomem);
	seq_printf(m, "enospc: %llu\n", t.enospc);
	seq_printf(m, "exits: %llu\n", t.exits);
	seq_printf(m, "sections: %llu\n", t.sections);
	seq_printf(m, "instructions: %llu\n", t.insns);
	seq_printf(m, "hits: %llu\n", t.hits);
	seq_printf(m, "misses: %llu\n", t.misses);
	/* exits * NSEC_PER_SEC would overflow u64 after 1.8e10 exits. */
	seq_printf(m, "exits_per_sec: %llu\n",
		   elapsed ? mul_u64_u64_div_u64(t.exits, NSEC_PER_SEC, elapsed) :
			     0);
	seq_printf(m, "ns_per_exit: %llu\n",
		   t.exits ? div64_u64(t.reader_run_ns, t.exits) : 0);
	ibs_show_detector(m, "stale_observations", "gens", &t.stale);
	ibs_show_detector(m, "gp_violations", "ns", &t.gp);
	ibs_show_detector(m, "device_violations", "ns", &t.dev);
	seq_printf(m, "pending: %ld\n", t.pending);
	seq_printf(m, "pending_bytes: %ld\n", t.pending_bytes);
	seq_printf(m, "pending_peak: %ld\n", t.pending_peak);
	seq_printf(m, "pending_peak_bytes: %ld\n", t.pending_peak_bytes);
	seq_printf(m, "pending_waits: %llu\n", t.pending_waits);
	seq_printf(m, "buses_allocated: %ld\n", t.buses_allocated);
	seq_printf(m, "buses_freed: %ld\n", t.buses_freed);
	seq_printf(m, "devices_allocated: %ld\n", t.devs_allocated);
	seq_printf(m, "devices_freed: %ld\n", t.devs_freed);
	seq_printf(m, "leaked: %ld\n", state == IBS_DONE ? t.leaked : 0);
	for (i = 0; i < IBS_M_NR; i++)
		ibs_show_hist(m, i);
	seq_printf(m, "boot_ns: %llu\n",
		   t.boot_early_ns + t.boot_vcpu_ns + t.boot_late_ns);
	seq_printf(m, "boot_early_ns: %llu\n", t.boot_early_ns);
	seq_printf(m, "boot_vcpu_ns: %llu\n", t.boot_vcpu_ns);
	seq_printf(m, "boot_vcpu1_ns: %llu\n", t.boot_vcpu1_ns);
	seq_printf(m, "boot_late_ns: %llu\n", t.boot_late_ns);
	seq_printf(m, "boot_vcpu1_basis: %s\n",
		   ibs_reclaim_ops[c->reclaim].vcpu1_basis);
	ibs_model_show(m, &t);
	ibs_expect_for(c, &e);
	ibs_expect_str(&e, buf, sizeof(buf));
	seq_printf(m, "expect: %s\n", buf);
	ibs_basis_str(&e, buf, sizeof(buf));
	seq_printf(m, "expect_basis: %s\n", buf);
	if (state == IBS_IDLE)
		seq_puts(m, "verdict: none\n");
	else if (state != IBS_DONE)
		seq_puts(m, "verdict: pending\n");
	else
		seq_printf(m, "verdict: %s\n", ibs_run.verdict);
}
