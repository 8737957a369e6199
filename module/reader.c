// SPDX-License-Identifier: GPL-2.0
/*
 * Readers: the "vCPUs".  Each exit reads the completed generation first
 * (the guest's own synchronisation with the VMM), then looks up a device
 * on the bus and dispatches to it, checking on the way that the bus is not
 * older than what the guest already saw (stale_observations), not freed
 * (gp_violations), and that the device is alive (device_violations).
 *
 *   pattern=exit    one SRCU section per access (KVM's MMIO exit)
 *   pattern=block   one section over block_len accesses, re-reading the bus
 *                   before each (handle_invalid_guest_state() as merged)
 *   pattern=cached  one section over block_len accesses with the bus
 *                   dereferenced once (what the merged change forbids)
 */
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "compat.h"
#include "iobus_stress.h"

static void ibs_detect(struct ibs_detector *d, u64 amount)
{
	if (!d->count)
		WRITE_ONCE(d->first_ns, max_t(u64, ibs_since_start(), 1));
	WRITE_ONCE(d->count, d->count + 1);
	if (amount > d->worst)
		WRITE_ONCE(d->worst, amount);
}

/*
 * The guest's view: the last generation whose ioctl returned, and the
 * address it added (0 when it removed one or the ring entry moved on).
 */
static u64 ibs_observe(struct ibs_instance *inst, bool relaxed, u64 *addr)
{
	struct ibs_pub *p;
	u64 cg, g1, g2, a;
	bool added;

	if (relaxed)
		cg = READ_ONCE(inst->completed_gen);
	else	/* pairs with ibs_publish(): the bus of cg is published */
		cg = smp_load_acquire(&inst->completed_gen);
	p = &inst->ring[cg % IBS_PUB_RING];
	g1 = READ_ONCE(p->gen);
	smp_rmb();	/* pairs with the second smp_wmb() of ibs_publish() */
	a = READ_ONCE(p->addr);
	added = READ_ONCE(p->added);
	smp_rmb();	/* pairs with the first smp_wmb() of ibs_publish() */
	g2 = READ_ONCE(p->gen);
	*addr = (g1 == cg && g2 == cg && added) ? a : 0;
	return cg;
}

static bool ibs_bus_freed(struct ibs_reader *r, struct ibs_bus *bus)
{
	/* Pairs with ibs_bus_free(): freed_ns is set when state says so. */
	if (smp_load_acquire(&bus->state) != IBS_BUS_FREED)
		return false;
	ibs_detect(&r->gp, ktime_get_ns() - READ_ONCE(bus->freed_ns));
	return true;
}

/* One emulated access through @bus after the guest observed @cg. */
static void ibs_access(struct ibs_reader *r, struct ibs_bus *bus, u64 cg,
		       u64 addr)
{
	struct ibs_dev *dev;
	int idx;

	if (ibs_bus_freed(r, bus))
		return;
	if (bus->gen < cg || bus->gen < r->last_gen)
		ibs_detect(&r->stale, max(cg, r->last_gen) - bus->gen);
	else
		r->last_gen = bus->gen;
	/*
	 * Half of the accesses go to what the guest just learned was added,
	 * the rest to any device on the bus in hand (which is how a reader
	 * with an old bus reaches a device that was unregistered since).
	 */
	if ((!addr || (ibs_rng_next(&r->rng) & 1)) && bus->dev_count)
		addr = bus->range[ibs_rng_next(&r->rng) % bus->dev_count].addr;
	idx = addr ? ibs_bus_first(bus, addr, IBS_ACCESS_LEN) : -ENOENT;
	if (idx < 0) {
		WRITE_ONCE(r->misses, r->misses + 1);
	} else {
		dev = bus->range[idx].dev;
		/* Pairs with ibs_dev_free(). */
		if (smp_load_acquire(&dev->magic) != IBS_DEV_MAGIC_LIVE) {
			ibs_detect(&r->dev,
				   ktime_get_ns() - READ_ONCE(dev->freed_ns));
		} else {
			WRITE_ONCE(r->hits, r->hits + 1);
		}
	}
	ibs_bus_freed(r, bus);
	WRITE_ONCE(r->insns, r->insns + 1);
}

/* kvm_io_bus_write(): the read helper is barrier + srcu_dereference(). */
static void ibs_exit_once(struct ibs_reader *r, const struct ibs_config *c)
{
	struct ibs_instance *inst = r->inst;
	struct ibs_bus *bus;
	u64 cg, addr;
	int idx;

	cg = ibs_observe(inst, c->guest_sync == IBS_GS_RELAXED, &addr);
	idx = srcu_read_lock(&inst->srcu);
	if (c->barrier == IBS_BAR_MB)
		ibs_mb_after_srcu_read_lock();
	bus = srcu_dereference(inst->bus, &inst->srcu);
	ibs_access(r, bus, cg, addr);
	srcu_read_unlock(&inst->srcu, idx);
}

static void ibs_exit_block(struct ibs_reader *r, const struct ibs_config *c)
{
	struct ibs_instance *inst = r->inst;
	bool cached = c->pattern == IBS_PAT_CACHED;
	struct ibs_bus *bus = NULL;
	u64 cg, addr;
	u32 i;
	int idx;

	idx = srcu_read_lock(&inst->srcu);
	if (c->barrier == IBS_BAR_MB)
		ibs_mb_after_srcu_read_lock();
	if (cached)
		bus = srcu_dereference(inst->bus, &inst->srcu);
	for (i = 0; i < c->block_len; i++) {
		cg = ibs_observe(inst, c->guest_sync == IBS_GS_RELAXED, &addr);
		if (!cached) {
			if (c->barrier == IBS_BAR_MB)
				smp_rmb();	/* handle_invalid_guest_state() */
			bus = srcu_dereference(inst->bus, &inst->srcu);
		}
		ibs_access(r, bus, cg, addr);
	}
	srcu_read_unlock(&inst->srcu, idx);
}

int ibs_reader_thread(void *arg)
{
	struct ibs_reader *r = arg;
	const struct ibs_config *c = &ibs_run.cfg;
	u64 t0 = ktime_get_ns();
	int n;

	while (!kthread_should_stop()) {
		for (n = 0; n < 64; n++) {
			if (c->pattern == IBS_PAT_EXIT)
				ibs_exit_once(r, c);
			else
				ibs_exit_block(r, c);
		}
		WRITE_ONCE(r->exits, r->exits + n);
		WRITE_ONCE(r->run_ns, ktime_get_ns() - t0);
		cond_resched();
	}
	return 0;
}
