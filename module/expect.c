// SPDX-License-Identifier: GPL-2.0
/*
 * The expected-outcome table, in one place, and the verdict against it.
 *
 *   reclaim                  pattern      stale  gp   dev
 *   any correct strategy     exit, block  0      0    0
 *   sync-expedited, sync     cached       0      0    0
 *   call-srcu, expedited-    cached       >0*    0    0   (a demonstration
 *     worker, poll, hybrid                                  of the contract)
 *   unsafe                   any          any    >0   any
 *   unregister=async         any          any    0    >0  (unsafe: dev any)
 *
 * The "0" stale cells hold with the guest's plain load (guest_sync=relaxed,
 * the default) because of the barriers listed at the top of reader.c:
 * srcu_read_lock()'s smp_mb() for exit, barrier=mb's smp_rmb() for block.
 * block with barrier=none has nothing ordering the two loads: "any".
 * guest_sync=acquire orders them by itself and changes no cell.
 *
 * The unsafe and unregister=async ">0" cells are negative controls: they
 * need a free while a reader holds the object.  Their writer waits for
 * that, and counts it (gp_exposures, device_exposures); a run without one
 * is "inconclusive", a run with one and no violation fails (reader.c,
 * "Exposures": every exposure is caught).
 *
 * The cached ">0*" is not a property of the strategy: a cached section
 * goes stale whenever a publication lands while it holds the bus, so the
 * count is writer throughput times section length.  The verdict therefore
 * looks at cached_exposures, the publications the writer made while a
 * cached section held an older bus: stale > 0 passes; stale = 0 fails only
 * with at least IBS_CACHED_MIN_EXPOSURES of them, and is "inconclusive"
 * (not a failure) with fewer.  Compare strategies by stale per exposure,
 * never by the raw count.
 *
 * A ">0" cell needs readers and pressure: with readers=0 or the boot model
 * (a short run) it is relaxed to "any".
 *
 * Each clause also says why it holds (expect_basis), so that a count
 * which could not have come out otherwise is not read as a finding:
 *
 *   construction(read-lock-mb)  stale=0, exit: each access takes a fresh
 *                               section; srcu_read_lock()'s smp_mb() orders
 *                               the guest's load before the bus load,
 *                               whatever the strategy
 *   construction(acquire)       stale=0, block with guest_sync=acquire: the
 *                               guest's acquire load orders them by itself
 *   construction(rmb)           stale=0, block with barrier=mb: the smp_rmb()
 *                               before each dereference
 *   construction(cached)        stale>0, cached with deferred reclaim: the
 *                               section keeps the bus across a publication
 *   construction(hold)          gp>0 (unsafe), dev>0 (unregister=async): the
 *                               writer frees while a reader holds it
 *   srcu(synchronize)           stale=0 cached (sync strategies), dev=0:
 *                               the writer's synchronize_srcu*() waited for
 *                               the section
 *   srcu(grace-period)          gp=0: the old bus is freed after a grace
 *                               period, however the strategy waits for it
 *   measured                    "any": not judged; the count is the finding
 */
#include <linux/kernel.h>
#include <linux/seq_file.h>

#include "iobus_stress.h"

/* The basis of each clause of @e (the table above), from its kind. */
static void ibs_basis_for(const struct ibs_config *c, struct ibs_expect *e)
{
	if (e->stale == IBS_EXP_ANY)
		e->stale_why = IBS_WHY_MEASURED;
	else if (e->stale == IBS_EXP_FIRE)
		e->stale_why = IBS_WHY_CACHED;
	else if (c->pattern == IBS_PAT_CACHED)	/* only sync has stale=0 */
		e->stale_why = IBS_WHY_SRCU_SYNC;
	else if (c->pattern == IBS_PAT_EXIT)
		e->stale_why = IBS_WHY_LOCK_MB;
	else if (c->guest_sync == IBS_GS_ACQUIRE)
		e->stale_why = IBS_WHY_ACQUIRE;
	else
		e->stale_why = IBS_WHY_RMB;	/* block; barrier=none is "any" */
	e->gp_why = e->gp == IBS_EXP_ANY ? IBS_WHY_MEASURED :
		    e->gp == IBS_EXP_FIRE ? IBS_WHY_HOLD : IBS_WHY_SRCU_GP;
	e->dev_why = e->dev == IBS_EXP_ANY ? IBS_WHY_MEASURED :
		     e->dev == IBS_EXP_FIRE ? IBS_WHY_HOLD : IBS_WHY_SRCU_SYNC;
}

void ibs_expect_for(const struct ibs_config *c, struct ibs_expect *e)
{
	const struct ibs_reclaim_ops *ops = &ibs_reclaim_ops[c->reclaim];
	bool unsafe = ops->control;
	bool async_unreg = c->unregister == IBS_UNREG_ASYNC;
	bool may_miss = !c->readers || c->workload == IBS_WL_BOOT;

	e->gp = unsafe ? IBS_EXP_FIRE : IBS_EXP_ZERO;
	e->dev = async_unreg ? IBS_EXP_FIRE : IBS_EXP_ZERO;
	/*
	 * unsafe frees the bus in hand, so a reader mostly stops at the
	 * freed bus (gp) before it reaches a freed device: with
	 * unregister=async too, a KASAN run saw 671485 gp and 0 dev.
	 */
	if (unsafe)
		e->dev = IBS_EXP_ANY;
	if (unsafe || async_unreg)
		e->stale = IBS_EXP_ANY;
	else if (c->pattern == IBS_PAT_CACHED && ops->deferred)
		e->stale = IBS_EXP_FIRE;
	else if (c->pattern == IBS_PAT_BLOCK && c->barrier == IBS_BAR_NONE &&
		 c->guest_sync == IBS_GS_RELAXED)
		e->stale = IBS_EXP_ANY;
	else
		e->stale = IBS_EXP_ZERO;
	if (may_miss) {
		if (e->stale == IBS_EXP_FIRE)
			e->stale = IBS_EXP_ANY;
		if (e->gp == IBS_EXP_FIRE)
			e->gp = IBS_EXP_ANY;
		if (e->dev == IBS_EXP_FIRE)
			e->dev = IBS_EXP_ANY;
	}
	ibs_basis_for(c, e);
}

static const char *ibs_kind(u8 kind)
{
	return kind == IBS_EXP_ZERO ? "=0" : kind == IBS_EXP_FIRE ? ">0" : "=any";
}

int ibs_expect_str(const struct ibs_expect *e, char *buf, size_t len)
{
	return scnprintf(buf, len, "stale%s,gp%s,dev%s", ibs_kind(e->stale),
			 ibs_kind(e->gp), ibs_kind(e->dev));
}

static const char *const ibs_basis_names[] = {
	[IBS_WHY_MEASURED] = "measured",
	[IBS_WHY_SRCU_GP] = "srcu(grace-period)",
	[IBS_WHY_SRCU_SYNC] = "srcu(synchronize)",
	[IBS_WHY_LOCK_MB] = "construction(read-lock-mb)",
	[IBS_WHY_ACQUIRE] = "construction(acquire)",
	[IBS_WHY_RMB] = "construction(rmb)",
	[IBS_WHY_CACHED] = "construction(cached)",
	[IBS_WHY_HOLD] = "construction(hold)",
};

/* "stale=construction(read-lock-mb),gp=srcu(grace-period),dev=..." */
int ibs_basis_str(const struct ibs_expect *e, char *buf, size_t len)
{
	return scnprintf(buf, len, "stale=%s,gp=%s,dev=%s",
			 ibs_basis_names[e->stale_why],
			 ibs_basis_names[e->gp_why],
			 ibs_basis_names[e->dev_why]);
}

/* Append "name=N (expected K)" to @buf when @n contradicts @kind. */
static bool ibs_check(u8 kind, u64 n, const char *name, bool finished,
		      char *buf, size_t len, size_t *pos)
{
	if (kind == IBS_EXP_ZERO && n) {
		*pos += scnprintf(buf + *pos, len - *pos, " %s=%llu(expected 0)",
				  name, n);
		return false;
	}
	if (kind == IBS_EXP_FIRE && !n && finished) {
		*pos += scnprintf(buf + *pos, len - *pos, " %s=0(expected >0)",
				  name);
		return false;
	}
	return true;
}

/*
 * Downgrade a ">0" claim whose condition never happened to "any", and say
 * why in @why: the run cannot decide it.  The conditions: for cached
 * stale, IBS_CACHED_MIN_EXPOSURES publications while a section held an
 * older bus; for gp (unsafe) and dev (unregister=async), one free of a bus
 * or device while a reader held it (gp_exposures, device_exposures: every
 * such exposure is caught, reader.c "Exposures", so with one and no
 * violation the run fails).
 */
static void ibs_undecided(const struct ibs_config *c,
			  const struct ibs_totals *t, struct ibs_expect *e,
			  char *why, size_t len)
{
	size_t pos = 0;

	if (e->stale == IBS_EXP_FIRE && c->pattern == IBS_PAT_CACHED &&
	    !t->stale.count && t->cached_exposures < IBS_CACHED_MIN_EXPOSURES) {
		e->stale = IBS_EXP_ANY;
		pos += scnprintf(why + pos, len - pos,
				 " cached_exposures=%llu (<%d publications while a cached section held an older bus)",
				 t->cached_exposures, IBS_CACHED_MIN_EXPOSURES);
	}
	if (e->gp == IBS_EXP_FIRE && !t->gp.count && !t->gp_exposures) {
		e->gp = IBS_EXP_ANY;
		pos += scnprintf(why + pos, len - pos,
				 " gp_exposures=0 (no unsafe free while a reader held the bus)");
	}
	if (e->dev == IBS_EXP_FIRE && !t->dev.count && !t->device_exposures) {
		e->dev = IBS_EXP_ANY;
		scnprintf(why + pos, len - pos,
			  " device_exposures=0 (no device freed while a reader held it)");
	}
}

/*
 * "pass", "fail: <reasons>", "inconclusive: <why>" (a ">0" cell whose
 * condition never happened: ibs_undecided()), or while running "pending"
 * (nothing contradicts the table yet).  Returns true for pass, pending and
 * inconclusive: an inconclusive run is no failure.
 */
bool ibs_verdict(const struct ibs_config *c, const struct ibs_totals *t,
		 bool finished, char *buf, size_t len)
{
	struct ibs_expect e;
	char why[192] = "";
	size_t pos;
	bool ok = true;

	ibs_expect_for(c, &e);
	ibs_undecided(c, t, &e, why, sizeof(why));
	pos = scnprintf(buf, len, "fail:");
	ok &= ibs_check(e.stale, t->stale.count, "stale_observations",
			finished, buf, len, &pos);
	ok &= ibs_check(e.gp, t->gp.count, "gp_violations", finished, buf,
			len, &pos);
	if (e.gp == IBS_EXP_FIRE && !t->gp.count && finished)
		pos += scnprintf(buf + pos, len - pos, "(gp_exposures=%llu)",
				 t->gp_exposures);
	ok &= ibs_check(e.dev, t->dev.count, "device_violations", finished,
			buf, len, &pos);
	if (e.dev == IBS_EXP_FIRE && !t->dev.count && finished)
		pos += scnprintf(buf + pos, len - pos,
				 "(device_exposures=%llu)", t->device_exposures);
	if (finished && t->leaked) {
		pos += scnprintf(buf + pos, len - pos, " leaked=%ld", t->leaked);
		ok = false;
	}
	if (!ok)
		return false;
	if (finished && why[0]) {
		scnprintf(buf, len, "inconclusive:%s", why);
		return true;
	}
	scnprintf(buf, len, finished ? "pass" : "pending");
	return true;
}

/* The model's counters of the run (writer.c, reader.c). */
void ibs_model_collect(struct ibs_totals *t)
{
	const struct ibs_config *c = &ibs_run.cfg;
	u32 i, j;

	for (i = 0; ibs_run.inst && i < c->instances; i++) {
		struct ibs_instance *inst = &ibs_run.inst[i];

		t->cached_exposures += READ_ONCE(inst->cached_exposures);
		for (j = 0; inst->writers && j < c->writers; j++) {
			struct ibs_writer *w = &inst->writers[j];

			t->null_publishes += READ_ONCE(w->null_publishes);
			t->gp_exposures += READ_ONCE(w->gp_exposures);
			t->device_exposures += READ_ONCE(w->device_exposures);
			t->hold_timeouts += READ_ONCE(w->hold_timeouts);
		}
		for (j = 0; inst->readers && j < c->readers; j++) {
			struct ibs_reader *r = &inst->readers[j];

			t->null_bus += READ_ONCE(r->null_bus);
			t->dispatch_misses += READ_ONCE(r->dispatch_misses);
			t->zero_len_hits += READ_ONCE(r->zero_len_hits);
			t->declines += READ_ONCE(r->declines);
			t->hits_past_decline += READ_ONCE(r->hits_past_decline);
			t->recycled += READ_ONCE(r->recycled);
		}
	}
}

void ibs_model_show(struct seq_file *m, const struct ibs_totals *t)
{
	seq_printf(m, "cached_exposures: %llu\n", t->cached_exposures);
	seq_printf(m, "gp_exposures: %llu\n", t->gp_exposures);
	seq_printf(m, "device_exposures: %llu\n", t->device_exposures);
	seq_printf(m, "hold_timeouts: %llu\n", t->hold_timeouts);
	seq_printf(m, "null_publishes: %llu\n", t->null_publishes);
	seq_printf(m, "null_bus_accesses: %llu\n", t->null_bus);
	seq_printf(m, "dispatch_misses: %llu\n", t->dispatch_misses);
	seq_printf(m, "zero_len_hits: %llu\n", t->zero_len_hits);
	seq_printf(m, "declines: %llu\n", t->declines);
	seq_printf(m, "hits_past_decline: %llu\n", t->hits_past_decline);
	seq_printf(m, "recycled: %llu\n", t->recycled);
}
