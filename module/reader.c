// SPDX-License-Identifier: GPL-2.0
/*
 * Readers: the "vCPUs".  Each access reads the completed generation first
 * (the guest reading "the ioctl returned"), then looks up devices on the
 * bus and dispatches to them, checking on the way that the bus is not
 * older than what the guest already saw (stale_observations), not freed
 * (gp_violations), and that the device is alive (device_violations).
 *
 *   pattern=exit    one SRCU section per access (KVM's MMIO exit:
 *                   kvm_io_bus_write() -> kvm_get_bus_srcu())
 *   pattern=block   one section over block_len accesses, re-reading the bus
 *                   before each (handle_invalid_guest_state() as merged)
 *   pattern=cached  one section over block_len accesses with the bus
 *                   dereferenced once (what the merged change forbids)
 *
 * The orderings the stale check relies on (guest_sync=relaxed, the
 * default: the guest's load of completed_gen is a plain load, as a real
 * guest's is):
 *
 *  W. Writer: the bus store (rcu_assign_pointer() in writer.c) before the
 *     completed_gen store: the first smp_wmb() of ibs_publish() (and every
 *     reclaim strategy but unsafe runs a full barrier in between anyway:
 *     synchronize_srcu*() or call_srcu()'s srcu_read_lock()).
 *  E. pattern=exit: the completed_gen load before the bus load: the
 *     smp_mb() ("B") inside srcu_read_lock() of Tree SRCU (6.1 and 7.3:
 *     __srcu_read_lock()).  barrier=mb adds ibs_mb_after_srcu_read_lock()
 *     (compat.h): the kernel's smp_mb__after_srcu_read_lock(), a no-op
 *     upstream (it documents B), and a no-op on 6.1 too, which lacks it
 *     but has the same B.  So exit is 0 with either barrier.
 *  B. pattern=block: the load before the bus load of each access: the
 *     smp_rmb() that barrier=mb puts there (handle_invalid_guest_state()'s
 *     barrier as merged).  With barrier=none nothing orders them: the
 *     table says "any" (x86 keeps loads in order, so expect 0 there).
 *  C. pattern=cached: nothing can order a load against a bus loaded
 *     earlier; stale > 0 is the demonstration that the bus in hand must
 *     not outlive the section (see expect.c).
 *
 * The address the guest last added is read from the publication ring
 * after the bus load (ibs_observe_addr()), so that the ring's own
 * smp_rmb()s do not order the completed_gen load before the bus load and
 * stand in for E or B.  With guest_sync=acquire the load is
 * smp_load_acquire(), which orders it by itself: the "0" cells are then
 * true by construction.
 *
 * The module parameter kcsan_break (params.c) removes one of these
 * orderings at a time, on a KCSAN kernel only: W (gen, gen-wmb), B
 * (block-rmb), the release that publishes a bus's contents (publish) and
 * the readers' srcu_dereference() (deref); docs/kcsan.md says which of
 * them KCSAN reports.
 *
 * Exposures (the negative controls only: reclaim=unsafe, unregister=async;
 * r->track).  A control's ">0" claim can only be met if the writer frees a
 * bus (unsafe) or a device (async) while a reader holds it; with
 * pattern=exit that was rare enough that 2-3 s runs missed one time in
 * two.  So the reader publishes what it holds: held_bus, the bus of its
 * section (block: of its current access), and held_dev, the first device
 * its section dispatched to.  The writer waits (hold_wait_us at most) for a
 * reader to hold what it is about to free, frees it, and counts an
 * exposure if a reader still holds it (writer.c).  Both sides are the
 * store-buffering pattern, each with a full barrier:
 *
 *     writer (ibs_holders())            reader (ibs_unhold(), ibs_hold_bus())
 *     poison: store state/magic         store held_bus/held_dev (let go)
 *     smp_mb()                          smp_mb()
 *     load held_bus/held_dev            load state/magic of what it held
 *
 * At least one of the two loads sees the other side's store.  So when the
 * writer saw a reader still holding the object after the poison (an
 * exposure), that reader's check after letting go sees the poison and
 * counts a violation: every exposure is caught, and a control run with
 * exposures > 0 and no violation is a detector failure, not bad luck.
 * The check is inside the section, so the object is still in quarantine.
 * The reader's store of what it starts to hold needs no barrier: it is a
 * hint for the writer's wait; a writer that misses it counts no exposure.
 * The correct strategies do none of this: their hot path only tests
 * r->track.
 *
 * There is no "older than a bus this reader used before" check: loads of
 * one location (inst->bus) by one CPU cannot go backwards (coherence), and
 * buses are published in generation order under slots_lock.
 */
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/sched.h>

#include "compat.h"
#include "iobus_stress.h"

#define IBS_CLOCK_EVERY	16	/* reader batches between two run_ns updates */

static void ibs_detect(struct ibs_detector *d, u64 amount)
{
	if (!d->count)
		WRITE_ONCE(d->first_ns, max_t(u64, ibs_since_start(), 1));
	WRITE_ONCE(d->count, d->count + 1);
	if (amount > d->worst)
		WRITE_ONCE(d->worst, amount);
}

/* The guest's view: the last generation whose ioctl returned. */
static ibs_kcsan_noinline u64 ibs_observe_gen(struct ibs_instance *inst,
					      bool relaxed)
{
	if (relaxed)
		return READ_ONCE(inst->completed_gen);
	/* Pairs with ibs_publish()'s release: the bus of the result is out. */
	return smp_load_acquire(&inst->completed_gen);
}

/*
 * The address the guest added at generation @cg, or 0 when it removed one
 * or the ring entry moved on.  Called after the bus load (see the top).
 */
static u64 ibs_observe_addr(struct ibs_instance *inst, u64 cg)
{
	struct ibs_pub *p = &inst->ring[cg % IBS_PUB_RING];
	u64 g1, g2, a;
	bool added;

	g1 = READ_ONCE(p->gen);
	smp_rmb();	/* pairs with the second smp_wmb() of ibs_publish() */
	a = READ_ONCE(p->addr);
	added = READ_ONCE(p->added);
	smp_rmb();	/* pairs with the first smp_wmb() of ibs_publish() */
	g2 = READ_ONCE(p->gen);
	return (g1 == cg && g2 == cg && added) ? a : 0;
}

/*
 * Whether @bus is poisoned; counts a gp violation if so.  A bus this
 * section saw poisoned that reads live again, or with another generation
 * (a bus is never given a new one), was kfree()d and reused under the
 * reader: the quarantine did not cover the section.  With quarantine=0
 * that is expected (the reuse is KASAN's to report): counted, no WARN.
 */
static noinline bool ibs_bus_freed_slow(struct ibs_reader *r,
					struct ibs_bus *bus, u32 state)
{
	if (unlikely(r->freed_seen == bus) &&
	    (state != IBS_BUS_FREED || READ_ONCE(bus->gen) != r->freed_gen)) {
		WRITE_ONCE(r->recycled, r->recycled + 1);
		WARN_ONCE(ibs_run.cfg.quarantine, IBS_NAME ": a freed bus was reused under a reader's SRCU section\n");
		r->freed_seen = NULL;
	}
	if (state != IBS_BUS_FREED)
		return false;
	if (r->freed_seen != bus) {
		r->freed_seen = bus;
		r->freed_gen = READ_ONCE(bus->gen);
	}
	ibs_detect(&r->gp, ktime_get_ns() - READ_ONCE(bus->freed_ns));
	return true;
}

/* Inline: twice per access, and almost always a live bus never seen freed. */
static __always_inline bool ibs_bus_freed(struct ibs_reader *r,
					  struct ibs_bus *bus)
{
	/* Pairs with ibs_bus_free(): freed_ns is set when state says so. */
	u32 state = smp_load_acquire(&bus->state);

	if (likely(state != IBS_BUS_FREED && r->freed_seen != bus))
		return false;
	return ibs_bus_freed_slow(r, bus, state);
}

/* A device this section dispatched to: freed meanwhile? (see the top) */
static void ibs_dev_freed_check(struct ibs_reader *r, struct ibs_dev *dev)
{
	/* Pairs with ibs_dev_poison(). */
	if (smp_load_acquire(&dev->magic) != IBS_DEV_MAGIC_LIVE)
		ibs_detect(&r->dev, ktime_get_ns() - READ_ONCE(dev->freed_ns));
}

/*
 * Controls: @bus is the bus of this access.  Letting go of the previous
 * one (block, after a publication) is the reader's side of the
 * store-buffering pattern at the top: store, smp_mb(), check.
 */
static void ibs_hold_bus(struct ibs_reader *r, struct ibs_bus *bus)
{
	struct ibs_bus *prev = r->held_bus;

	if (prev == bus)
		return;
	WRITE_ONCE(r->held_bus, bus);
	if (!prev)
		return;
	smp_mb();	/* let go of @prev before reading its state */
	if (r->freed_seen != prev)
		ibs_bus_freed(r, prev);
}

/* Controls, at the end of a section, before srcu_read_unlock(). */
static void ibs_unhold(struct ibs_reader *r)
{
	struct ibs_bus *bus = r->held_bus;
	struct ibs_dev *dev = r->held_dev;

	if (!bus && !dev)
		return;
	WRITE_ONCE(r->held_bus, NULL);
	WRITE_ONCE(r->held_dev, NULL);
	smp_mb();	/* let go of both before reading their state */
	if (bus && r->freed_seen != bus)
		ibs_bus_freed(r, bus);
	if (dev)
		ibs_dev_freed_check(r, dev);
}

/*
 * kvm_iodevice_write() of one device: false when @dev declines (an
 * ioeventfd whose datamatch differs), so the dispatch goes on.
 */
static bool ibs_dev_write(struct ibs_reader *r, struct ibs_dev *dev, u32 val)
{
	if (dev->kind == IBS_DEV_IOEVENTFD && dev->datamatch != val) {
		WRITE_ONCE(r->declines, r->declines + 1);
		return false;
	}
	WRITE_ONCE(r->hits, r->hits + 1);
	if (!dev->len)
		WRITE_ONCE(r->zero_len_hits, r->zero_len_hits + 1);
	return true;
}

/*
 * __kvm_io_bus_write(): every range comparing equal to the access, from
 * the first, until one device accepts.  Returns 1 on a hit, 0 when no
 * device accepted, -1 when a freed device on the way (a device violation)
 * ended the dispatch.
 */
static int ibs_dispatch(struct ibs_reader *r, struct ibs_bus *bus,
			u64 addr, u32 val)
{
	struct ibs_range key = { .addr = addr, .len = IBS_ACCESS_LEN };
	struct ibs_dev *dev;
	bool declined = false;
	int idx;

	idx = ibs_bus_first(bus, addr, IBS_ACCESS_LEN);
	if (idx < 0)
		return 0;
	while (idx < bus->dev_count &&
	       ibs_range_cmp(&key, &bus->range[idx]) == 0) {
		dev = bus->range[idx++].dev;
		/* Pairs with ibs_dev_free(). */
		if (smp_load_acquire(&dev->magic) != IBS_DEV_MAGIC_LIVE) {
			ibs_detect(&r->dev,
				   ktime_get_ns() - READ_ONCE(dev->freed_ns));
			if (r->held_dev == dev)	/* counted: no second check */
				WRITE_ONCE(r->held_dev, NULL);
			return -1;
		}
		if (unlikely(r->track) && !r->held_dev)
			WRITE_ONCE(r->held_dev, dev);	/* a hint: no barrier */
		if (ibs_dev_write(r, dev, val)) {
			if (declined)
				WRITE_ONCE(r->hits_past_decline,
					   r->hits_past_decline + 1);
			return 1;
		}
		declined = true;
	}
	return 0;
}

/*
 * One emulated access through @bus after the guest observed @cg.  One
 * random draw per access: bit 0 picks the target, bits 1-2 are the value
 * written, the high half picks a device on the bus.
 */
static void ibs_access(struct ibs_reader *r, struct ibs_bus *bus, u64 cg)
{
	u64 rnd = ibs_rng_next(&r->rng), addr = 0;
	bool aimed_mmio = false;
	int hit = 0;
	u32 j;

	if (ibs_bus_freed(r, bus))
		return;
	if (bus->gen < cg)
		ibs_detect(&r->stale, cg - bus->gen);
	/*
	 * Half of the accesses go to what the guest just learned was added
	 * (read from the ring only for those), the rest, and those whose
	 * generation added nothing, to any device on the bus in hand (which
	 * is how a reader with an old bus reaches a device that was
	 * unregistered since).
	 */
	if (!(rnd & 1))
		addr = ibs_observe_addr(r->inst, cg);
	if (!addr && bus->dev_count) {
		/* Multiply-shift, not a division: uniform enough. */
		j = reciprocal_scale(rnd >> 32, bus->dev_count);
		addr = bus->range[j].addr;
		/* An MMIO range starting at addr always accepts this access. */
		aimed_mmio = bus->range[j].len == IBS_DEV_LEN;
	}
	if (addr)
		hit = ibs_dispatch(r, bus, addr, (rnd >> 1) & 3);
	if (hit <= 0)
		WRITE_ONCE(r->misses, r->misses + 1);
	if (!hit && aimed_mmio)
		WRITE_ONCE(r->dispatch_misses, r->dispatch_misses + 1);
	ibs_bus_freed(r, bus);
}

/*
 * kvm_io_bus_write()/kvm_get_bus_srcu() of 7.3 returns -ENOMEM on a NULL
 * bus (after an unregister -ENOMEM); so does the model, counting it.
 */
static bool ibs_bus_null(struct ibs_reader *r, struct ibs_bus *bus)
{
	if (bus)
		return false;
	WRITE_ONCE(r->null_bus, r->null_bus + 1);
	return true;
}

/*
 * Inside a block or cached section: cond_resched() every
 * IBS_RESCHED_SECTION accesses (SRCU readers may sleep; KVM's
 * handle_invalid_guest_state() schedules inside its section too), so that
 * block_len=100000 no longer runs 6.4M accesses between two.  Not more
 * often: a reader preempted inside its section holds up every grace
 * period until it runs again, which would change what the default
 * sections (64 accesses, shorter than handle_invalid_guest_state()'s 130)
 * measure.  Returns true when the thread should stop.
 */
static bool ibs_reader_resched(struct ibs_reader *r)
{
	if (++r->since_resched < IBS_RESCHED_SECTION)
		return false;
	r->since_resched = 0;
	cond_resched();
	return kthread_should_stop();
}

/*
 * The bus, inside a read-side section: srcu_dereference().
 * kcsan_break=deref makes it a plain load, racing with the writers'
 * rcu_assign_pointer(), for KCSAN to report.
 */
static ibs_kcsan_noinline struct ibs_bus *ibs_get_bus(struct ibs_instance *inst)
{
	if (ibs_kcsan_broken(IBS_KB_DEREF))
		return *(struct ibs_bus __force **)&inst->bus;
	return srcu_dereference(inst->bus, &inst->srcu);
}

/* kvm_io_bus_write(): the read helper is barrier + srcu_dereference(). */
static void ibs_exit_once(struct ibs_reader *r, const struct ibs_config *c)
{
	struct ibs_instance *inst = r->inst;
	struct ibs_bus *bus;
	u64 cg;
	int idx;

	cg = ibs_observe_gen(inst, c->guest_sync == IBS_GS_RELAXED);
	idx = srcu_read_lock(&inst->srcu);	/* E: its smp_mb() */
	r->freed_seen = NULL;
	if (c->barrier == IBS_BAR_MB)
		ibs_mb_after_srcu_read_lock();
	bus = ibs_get_bus(inst);
	if (!ibs_bus_null(r, bus)) {
		if (unlikely(r->track))
			ibs_hold_bus(r, bus);
		ibs_access(r, bus, cg);
	}
	if (unlikely(r->track))
		ibs_unhold(r);
	srcu_read_unlock(&inst->srcu, idx);
}

/* One read-side section of block_len accesses; returns how many it made. */
static u32 ibs_exit_block(struct ibs_reader *r, const struct ibs_config *c)
{
	struct ibs_instance *inst = r->inst;
	bool cached = c->pattern == IBS_PAT_CACHED;
	bool relaxed = c->guest_sync == IBS_GS_RELAXED;
	struct ibs_bus *bus = NULL;
	u64 cg;
	u32 i;
	int idx;

	idx = srcu_read_lock(&inst->srcu);
	r->freed_seen = NULL;
	if (c->barrier == IBS_BAR_MB)
		ibs_mb_after_srcu_read_lock();
	if (cached) {
		bus = ibs_get_bus(inst);
		/* For the writer's cached_exposures; gen + 1 so 0 is "none". */
		if (bus)
			WRITE_ONCE(r->held_gen, bus->gen + 1);
		if (bus && unlikely(r->track))
			ibs_hold_bus(r, bus);
	}
	for (i = 0; i < c->block_len; i++) {
		cg = ibs_observe_gen(inst, relaxed);
		if (!cached) {
			/* kcsan_break=block-rmb drops it (a control). */
			if (c->barrier == IBS_BAR_MB &&
			    !ibs_kcsan_broken(IBS_KB_BLOCK_RMB))
				smp_rmb();	/* B: handle_invalid_guest_state() */
			bus = ibs_get_bus(inst);
			if (bus && unlikely(r->track))
				ibs_hold_bus(r, bus);
		}
		if (!ibs_bus_null(r, bus))
			ibs_access(r, bus, cg);
		if (ibs_reader_resched(r)) {
			i++;
			break;
		}
	}
	WRITE_ONCE(r->held_gen, 0);
	if (unlikely(r->track))
		ibs_unhold(r);
	srcu_read_unlock(&inst->srcu, idx);
	return i;
}

/*
 * timed_loops: @n exits with interrupts disabled between two
 * ktime_get_mono_fast_ns(), as refscale's ref_scale_reader() times its
 * read-side loop: no interrupt, softirq or other task is in the time.
 * Returns the loop's ns.  Nothing in an exit sleeps.
 */
static u64 ibs_exit_loop_timed(struct ibs_reader *r,
			       const struct ibs_config *c, u32 n)
{
	unsigned long flags;
	u64 t0, t1;

	local_irq_save(flags);
	t0 = ktime_get_mono_fast_ns();
	while (n--)
		ibs_exit_once(r, c);
	t1 = ktime_get_mono_fast_ns();
	local_irq_restore(flags);
	return t1 - t0;
}

/*
 * run_ns, over which stats.c divides exits for ns_per_exit: the thread's
 * run time, or with timed_loops the sum of its timed loops.
 */
int ibs_reader_thread(void *arg)
{
	struct ibs_reader *r = arg;
	const struct ibs_config *c = &ibs_run.cfg;
	bool timed = c->timed_loops;	/* only with pattern=exit (config.c) */
	u64 t0 = ktime_get_ns();
	u32 n, batches = 0;

	r->track = ibs_control_run(c);
	while (!kthread_should_stop()) {
		if (timed) {
			n = c->timed_loops;
			WRITE_ONCE(r->run_ns,
				   r->run_ns + ibs_exit_loop_timed(r, c, n));
			cond_resched();
			WRITE_ONCE(r->sections, r->sections + n);
		} else if (c->pattern == IBS_PAT_EXIT) {
			for (n = 0; n < IBS_RESCHED_EVERY; n++)
				ibs_exit_once(r, c);
			cond_resched();
			WRITE_ONCE(r->sections, r->sections + n);
		} else {
			/* One section, n exits in it; cond_resched()s inside. */
			n = ibs_exit_block(r, c);
			WRITE_ONCE(r->sections, r->sections + 1);
			/* Between sections: once IBS_RESCHED_EVERY accesses ran. */
			if (r->since_resched >= IBS_RESCHED_EVERY) {
				r->since_resched = 0;
				cond_resched();
			}
		}
		WRITE_ONCE(r->exits, r->exits + n);
		/* The clock is an emulated HPET read under QEMU: not per batch. */
		if (!timed && !(++batches % IBS_CLOCK_EVERY))
			WRITE_ONCE(r->run_ns, ktime_get_ns() - t0);
	}
	if (!timed)
		WRITE_ONCE(r->run_ns, ktime_get_ns() - t0);
	return 0;
}
