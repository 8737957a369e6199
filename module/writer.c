// SPDX-License-Identifier: GPL-2.0
/*
 * Writers: the "VMM ioctls" that register and unregister devices on an
 * instance's bus, serialised by its slots_lock, as kvm_io_bus_register_dev()
 * and kvm_io_bus_unregister_dev() do.  Writer 0 of each instance also plays
 * the VM boot model (workload=boot).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>

#include "iobus_stress.h"

/* splitmix64 to seed (ibs_rng_next() steps): reproducible per thread. */
u64 ibs_rng_seed(u64 seed, int instance, int role, int idx)
{
	u64 z = seed + 0x9e3779b97f4a7c15ULL *
		(1 + ((u64)instance << 32 | (u64)role << 16 | (u64)idx));

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

/*
 * Publications that happened while a reader's cached section held an older
 * bus: the opportunities pattern=cached has to see a stale bus.  Racy by
 * up to one section boundary (the reader's held_gen is read without
 * ordering against its section), which only blurs the count's last unit.
 */
static void ibs_count_exposures(struct ibs_instance *inst, u64 gen)
{
	u32 i;
	u64 held;

	if (ibs_run.cfg.pattern != IBS_PAT_CACHED || !inst->readers)
		return;
	for (i = 0; i < ibs_run.cfg.readers; i++) {
		held = READ_ONCE(inst->readers[i].held_gen);
		if (held && held - 1 < gen)
			WRITE_ONCE(inst->cached_exposures,
				   inst->cached_exposures + 1);
	}
}

/*
 * Publish @bus as the instance's bus: rcu_assign_pointer(), whose release
 * orders the bus's contents before it.  kcsan_break=publish makes it a
 * plain store: no release, and a data race with every reader's
 * srcu_dereference() that KCSAN must report.
 */
static noinline void ibs_set_bus(struct ibs_instance *inst,
				 struct ibs_bus *bus)
{
	if (ibs_kcsan_broken(IBS_KB_PUBLISH)) {
		*(struct ibs_bus __force **)&inst->bus = bus;
		return;
	}
	rcu_assign_pointer(inst->bus, bus);
}

/*
 * kcsan_break=gen: ibs_publish() without its smp_wmb()s and with a plain
 * store of completed_gen (whatever guest_sync says), so nothing orders the
 * bus before the generation; gen-wmb keeps the marked store and drops only
 * the smp_wmb()s.  The ring entry keeps its marked stores.
 */
static void ibs_publish_broken(struct ibs_instance *inst, struct ibs_pub *p,
			       u64 gen, u64 addr, bool added)
{
	WRITE_ONCE(p->gen, 0);
	WRITE_ONCE(p->addr, addr);
	WRITE_ONCE(p->added, added);
	WRITE_ONCE(p->gen, gen);
	if (ibs_kcsan_broken(IBS_KB_GEN))
		inst->completed_gen = gen;
	else
		WRITE_ONCE(inst->completed_gen, gen);
	ibs_count_exposures(inst, gen);
}

/*
 * "The ioctl returned": make generation @gen visible to the guest.  Called
 * under slots_lock after the bus of @gen was published (or NULL was).
 *
 * The store of completed_gen is ordered after the rcu_assign_pointer() of
 * the bus by the first smp_wmb() below, whatever guest_sync says;
 * guest_sync=acquire only adds a release the reader's acquire pairs with.
 */
static noinline void ibs_publish(struct ibs_instance *inst, u64 gen,
				 u64 addr, bool added)
{
	struct ibs_pub *p = &inst->ring[gen % IBS_PUB_RING];

	if (ibs_kcsan_broken(IBS_KB_GEN) || ibs_kcsan_broken(IBS_KB_GEN_WMB)) {
		ibs_publish_broken(inst, p, gen, addr, added);
		return;
	}
	/* A seqcount-like entry; ibs_observe_addr() reads it gen, data, gen. */
	WRITE_ONCE(p->gen, 0);
	smp_wmb();	/* invalidate before rewriting; and the bus before all */
	WRITE_ONCE(p->addr, addr);
	WRITE_ONCE(p->added, added);
	smp_wmb();	/* data before the generation that validates it */
	WRITE_ONCE(p->gen, gen);
	if (ibs_run.cfg.guest_sync == IBS_GS_RELAXED)
		WRITE_ONCE(inst->completed_gen, gen);
	else	/* pairs with ibs_observe_gen()'s acquire */
		smp_store_release(&inst->completed_gen, gen);
	ibs_count_exposures(inst, gen);
}

/*
 * The negative controls' writer side (reader.c, "Exposures").  How many
 * readers hold @obj, a bus (@dev false) or a device; @idle (if not NULL)
 * gets how many are between sections (they may still pick @obj up).
 * The caller poisoned @obj and ran smp_mb() first when it counts an
 * exposure: the writer's half of the store-buffering pattern.
 */
static u32 ibs_holders(struct ibs_instance *inst, const void *obj, bool dev,
		       u32 *idle)
{
	u32 i, n = 0;

	for (i = 0; inst->readers && i < ibs_run.cfg.readers; i++) {
		struct ibs_reader *r = &inst->readers[i];
		const void *held = dev ? (const void *)READ_ONCE(r->held_dev) :
					 (const void *)READ_ONCE(r->held_bus);

		n += held == obj;
		/*
		 * Between sections.  Not "no device yet": a section whose
		 * bus was freed under it stops before every dispatch and
		 * would never take one (quarantine-gp: every async wait ran
		 * to its timeout, a quarter of the frees).
		 */
		if (idle)
			*idle += !READ_ONCE(r->held_bus);
	}
	return n;
}

/*
 * Before a control's free: wait, at most hold_wait_us (module parameter;
 * 0: no wait, the controls as they were before), until a reader holds
 * @obj, so that the free lands inside its section.  A hint only (no
 * barrier): the exposure is counted after the poison.  A wait that ends
 * without a holder (timeout, or no reader can pick @obj up) is counted in
 * hold_timeouts; a stop ends the wait at once.  Under slots_lock, which the
 * readers never take; preemptible, and cond_resched()s on 6.1's voluntary
 * preemption.
 */
static void ibs_wait_holder(struct ibs_writer *w, const void *obj, bool dev)
{
	struct ibs_instance *inst = w->inst;
	unsigned long end;
	u32 n = 0;

	if (!ibs_hold_wait_us || !atomic_read(&inst->nr_vcpus))
		return;
	end = jiffies + usecs_to_jiffies(ibs_hold_wait_us) + 1;
	for (;;) {
		u32 idle = 0;

		if (ibs_holders(inst, obj, dev, &idle))
			return;
		/*
		 * Every reader inside a section holding something else (a
		 * long cached section on an older bus): none can pick @obj
		 * up before it ends, so waiting would only slow the writer.
		 */
		if (!idle || time_after(jiffies, end) ||
		    kthread_should_stop()) {
			WRITE_ONCE(w->hold_timeouts, w->hold_timeouts + 1);
			return;
		}
		cpu_relax();
		if (!(++n % 256))
			cond_resched();
	}
}

/*
 * unregister=async (negative control): a device a reader holds now, if
 * one is on the bus, else the random one (index @i), so that the wait for
 * a holder mostly ends at once.  Under slots_lock.
 */
static u32 ibs_pick_held(struct ibs_instance *inst, u32 i)
{
	u32 j, k;

	for (j = 0; inst->readers && j < ibs_run.cfg.readers; j++) {
		struct ibs_dev *held = READ_ONCE(inst->readers[j].held_dev);

		for (k = 0; held && k < inst->nr_devs; k++)
			if (inst->devs[k] == held)
				return k;
	}
	return i;
}

/*
 * reclaim=unsafe (negative control): replace @old by @new and free @old at
 * once, no grace period, while a reader holds it if one can be found in
 * hold_wait_us.  Publication and poison follow the wait with nothing slow
 * between them (the clock reads are done before: freed_ns and the reclaim
 * latency include the wait), because an exit section holds its bus for
 * about a microsecond.  Under slots_lock.
 */
static void ibs_replace_unsafe(struct ibs_writer *w, struct ibs_bus *old,
			       struct ibs_bus *new)
{
	struct ibs_instance *inst = w->inst;

	ibs_retire_begin(inst, old);
	ibs_bus_free_begin(old);
	ibs_wait_holder(w, old, false);
	ibs_set_bus(inst, new);
	/* Pairs with the reader's acquire of state: freed_ns is visible. */
	smp_store_release(&old->state, IBS_BUS_FREED);
	smp_mb();	/* the poison before the holders' scan (SB, reader.c) */
	if (ibs_holders(inst, old, false, NULL))
		WRITE_ONCE(w->gp_exposures, w->gp_exposures + 1);
	ibs_bus_free_end(old);
}

static void ibs_wait_backlog(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	u32 limit = ibs_run.cfg.max_pending;

	if (!limit || atomic_long_read(&inst->pending) < limit)
		return;
	WRITE_ONCE(w->pending_waits, w->pending_waits + 1);
	while (atomic_long_read(&inst->pending) >= limit &&
	       !kthread_should_stop())
		wait_event_timeout(inst->pending_wq,
				   atomic_long_read(&inst->pending) < limit ||
				   kthread_should_stop(), HZ / 10);
}

static void ibs_count_err(struct ibs_writer *w, long err)
{
	if (err == -ENOMEM)
		WRITE_ONCE(w->enomem, w->enomem + 1);
	else if (err == -ENOSPC)
		WRITE_ONCE(w->enospc, w->enospc + 1);
}

/*
 * A new device at a random place on the bus, so that registrations insert
 * anywhere in the sorted array, not only at its end.  An MMIO device covers
 * [addr, addr + 8); an ioeventfd (ioeventfd_pct of them) starts at such a
 * slot, with len 4 or 0 (any length), and accepts only its datamatch:
 * ranges overlap, and the dispatch has to go past declining ioeventfds.
 *
 * Not at addr + 4: kvm_io_bus_cmp() is no total order when a len 0 range
 * starts inside a longer one ((X+4, 0) compares equal to (X, 8) but not
 * to an access at X), so such an ioeventfd can sort between the MMIO range
 * and the access's first match, and the access misses the MMIO device
 * (measured: 22362 dispatch_misses in 4 s).  Upstream shares that order;
 * KVM's kernel MMIO devices do not overlap ioeventfds that way.
 */
static struct ibs_dev *ibs_new_dev(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	const struct ibs_config *c = &ibs_run.cfg;
	u64 slots = max_t(u64, 2 * c->devices, 64);
	u64 x = ibs_rng_next(&w->rng);
	struct ibs_dev *dev;

	/* next_addr is the instance's base address (main.c). */
	dev = ibs_dev_alloc(inst, inst->next_addr +
			    (x % slots) * 2 * IBS_DEV_LEN);
	if (!dev)
		return NULL;
	x = ibs_rng_next(&w->rng);
	if (x % 100 < c->ioeventfd_pct) {
		dev->kind = IBS_DEV_IOEVENTFD;
		dev->len = (x >> 9 & 1) ? 0 : IBS_ACCESS_LEN;
		dev->datamatch = x >> 10 & 3;
	}
	return dev;
}

/*
 * A NULL bus (after an unregister -ENOMEM) stays NULL in KVM: every later
 * kvm_io_bus_register_dev() returns -ENOMEM.  The model counts that
 * -ENOMEM, then installs an empty bus, as a VMM that recreated the VM would
 * get, so that the run goes on.  Under slots_lock.
 */
static void ibs_recreate_bus(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	struct ibs_bus *bus = ibs_bus_alloc(inst, 0);

	if (!bus)
		return;
	bus->gen = inst->completed_gen + 1;
	ibs_set_bus(inst, bus);
	ibs_publish(inst, bus->gen, 0, false);
}

/*
 * kvm_io_bus_register_dev() with the configured reclaim.  Returns 0,
 * -ENOMEM (allocation failed, or the bus is NULL), -ENOSPC (1000
 * non-ioeventfd ranges) or -EAGAIN (devices reached meanwhile).
 */
static int ibs_register(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	struct ibs_bus *old, *new;
	struct ibs_dev *dev;
	u64 t0;

	ibs_wait_backlog(w);
	dev = ibs_new_dev(w);
	if (!dev) {
		ibs_count_err(w, -ENOMEM);
		return -ENOMEM;
	}
	t0 = ktime_get_ns();
	mutex_lock(&inst->slots_lock);
	old = rcu_dereference_protected(inst->bus,
					lockdep_is_held(&inst->slots_lock));
	if (!old) {
		ibs_count_err(w, -ENOMEM);
		ibs_recreate_bus(w);
		mutex_unlock(&inst->slots_lock);
		ibs_dev_free(inst, dev);
		return -ENOMEM;
	}
	if (inst->nr_devs >= ibs_run.cfg.devices) {
		/* Another writer filled the bus meanwhile. */
		mutex_unlock(&inst->slots_lock);
		ibs_dev_free(inst, dev);
		return -EAGAIN;
	}
	new = ibs_bus_copy_insert(inst, old, dev->addr, dev->len, dev);
	if (IS_ERR(new)) {
		mutex_unlock(&inst->slots_lock);
		ibs_count_err(w, PTR_ERR(new));
		ibs_dev_free(inst, dev);
		return PTR_ERR(new);
	}
	if (ibs_reclaim_ops[ibs_run.cfg.reclaim].control) {
		ibs_replace_unsafe(w, old, new);
	} else {
		ibs_set_bus(inst, new);
		ibs_retire(inst, old);
	}
	inst->devs[inst->nr_devs] = dev;
	/* Pairs with the lockless READ_ONCE()s of the churn and boot loops. */
	WRITE_ONCE(inst->nr_devs, inst->nr_devs + 1);
	ibs_publish(inst, new->gen, dev->addr, true);
	mutex_unlock(&inst->slots_lock);
	ibs_hist_add(&ibs_run.hist[IBS_M_REGISTER], ktime_get_ns() - t0);
	WRITE_ONCE(w->registers, w->registers + 1);
	return 0;
}

/*
 * kvm_io_bus_unregister_dev() of a random device: always synchronous for
 * the bus with unregister=sync (the caller then frees the device, so the
 * wait protects the device); unregister=async defers the bus and frees the
 * device at once (negative control).
 *
 * When the smaller copy cannot be allocated, both Linux 6.1 and 7.3
 * publish a NULL bus, synchronize_srcu_expedited(), and destroy the old
 * bus with every device on it (kvm_io_bus_destroy()), returning -ENOMEM.
 * So does the model; readers see NULL until the next register.
 */
static int ibs_unregister(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	struct ibs_bus *old, *new;
	struct ibs_dev *dev;
	u32 i, n, reclaim;
	u64 t0 = ktime_get_ns(), gen;
	bool async;

	mutex_lock(&inst->slots_lock);
	old = rcu_dereference_protected(inst->bus,
					lockdep_is_held(&inst->slots_lock));
	if (!inst->nr_devs || !old) {
		mutex_unlock(&inst->slots_lock);
		return -ENOENT;
	}
	i = ibs_rng_next(&w->rng) % inst->nr_devs;
	if (ibs_run.cfg.unregister == IBS_UNREG_ASYNC)
		i = ibs_pick_held(inst, i);
	dev = inst->devs[i];
	new = ibs_bus_copy_remove(inst, old, dev);
	if (IS_ERR(new)) {
		mutex_unlock(&inst->slots_lock);
		return PTR_ERR(new);
	}
	gen = old->gen + 1;	/* @old may be freed by the retire */
	async = ibs_run.cfg.unregister == IBS_UNREG_ASYNC && new;
	reclaim = ibs_run.cfg.unregister == IBS_UNREG_ASYNC ?
		  IBS_RC_CALL_SRCU : IBS_RC_SYNC_EXPEDITED;
	if (async) {
		/* As ibs_replace_unsafe(), for the device. */
		WRITE_ONCE(dev->freed_ns, ktime_get_ns());
		ibs_wait_holder(w, dev, true);
	}
	ibs_set_bus(inst, new);
	if (async) {
		/*
		 * unregister=async (negative control): the device goes at
		 * once, before the old bus is even retired.
		 */
		ibs_dev_poison(dev);
		smp_mb();	/* the poison before the holders' scan (SB) */
		if (ibs_holders(inst, dev, true, NULL))
			WRITE_ONCE(w->device_exposures,
				   w->device_exposures + 1);
	}
	ibs_retire_as(inst, old, reclaim);
	if (!new) {
		/* kvm_io_bus_destroy(): every device of the old bus goes. */
		n = inst->nr_devs;
		WRITE_ONCE(inst->nr_devs, 0);
		ibs_publish(inst, gen, 0, false);
		for (i = 0; i < n; i++)
			ibs_dev_free(inst, inst->devs[i]);
		mutex_unlock(&inst->slots_lock);
		ibs_count_err(w, -ENOMEM);
		WRITE_ONCE(w->null_publishes, w->null_publishes + 1);
		return -ENOMEM;
	}
	inst->devs[i] = inst->devs[inst->nr_devs - 1];
	WRITE_ONCE(inst->nr_devs, inst->nr_devs - 1);
	ibs_publish(inst, new->gen, dev->addr, false);
	mutex_unlock(&inst->slots_lock);
	if (async)	/* poisoned above */
		ibs_quarantine_put(inst, &dev->q);
	else
		ibs_dev_free(inst, dev);	/* the caller destroys the device */
	ibs_hist_add(&ibs_run.hist[IBS_M_UNREGISTER], ktime_get_ns() - t0);
	WRITE_ONCE(w->unregisters, w->unregisters + 1);
	return 0;
}

static void ibs_writer_pause(void)
{
	u32 us = ibs_run.cfg.write_delay_us;

	if (us)
		ibs_sleep_us(us);
	else
		cond_resched();
}

static void ibs_churn(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	u32 devices = ibs_run.cfg.devices;
	int err = 0;

	/*
	 * Grow to @devices, then unregister one and register one forever.
	 * A full bus (-ENOSPC: devices beyond 1000 non-ioeventfd ranges)
	 * counts as full.
	 */
	while (!kthread_should_stop()) {
		if (READ_ONCE(inst->nr_devs) >= devices || err == -ENOSPC)
			ibs_unregister(w);
		err = ibs_register(w);
		ibs_writer_pause();
	}
}

/*
 * KVM_CREATE_VCPU on x86, timed; returns its latency.  Only the first
 * creation of a VM does a memslot swap: kvm_arch_vcpu_create() ->
 * kvm_create_lapic() -> kvm_alloc_apic_access_page() installs the APIC
 * access page with __x86_set_memory_region() under slots_lock, whose
 * kvm_swap_active_memslots() does synchronize_srcu_expedited().  Later
 * creations find the page and do no SRCU sync.  vcpu_sync=all makes every
 * creation sync (the model before, a pessimistic bound).
 */
static u64 ibs_create_vcpu(struct ibs_instance *inst, int i)
{
	struct ibs_reader *r = &inst->readers[i];
	u64 t0 = ktime_get_ns(), dt;

	if (!i || ibs_run.cfg.vcpu_sync == IBS_VS_ALL) {
		mutex_lock(&inst->slots_lock);
		synchronize_srcu_expedited(&inst->srcu);
		mutex_unlock(&inst->slots_lock);
	}
	dt = ktime_get_ns() - t0;
	ibs_hist_add(&ibs_run.hist[IBS_M_VCPU_CREATE], dt);
	atomic_inc(&inst->nr_vcpus);
	wake_up_process(r->task);
	return dt;
}

static void ibs_boot(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	const struct ibs_config *c = &ibs_run.cfg;
	u64 t0 = ktime_get_ns(), t1, t2, t3, first = 0, dt;
	u32 i;

	while (!kthread_should_stop() && READ_ONCE(inst->nr_devs) < c->early_devices &&
	       READ_ONCE(inst->nr_devs) < c->devices)
		if (ibs_register(w) == -ENOSPC)
			break;
	t1 = ktime_get_ns();
	for (i = 0; i < c->readers && !kthread_should_stop(); i++) {
		dt = ibs_create_vcpu(inst, i);
		if (!i)
			first = dt;
	}
	t2 = ktime_get_ns();
	while (!kthread_should_stop() && READ_ONCE(inst->nr_devs) < c->devices) {
		if (ibs_register(w) == -ENOSPC)
			break;
		ibs_writer_pause();
	}
	t3 = ktime_get_ns();
	if (kthread_should_stop())
		return;
	inst->boot_early_ns = t1 - t0;
	inst->boot_vcpu_ns = t2 - t1;
	inst->boot_vcpu1_ns = first;
	inst->boot_late_ns = t3 - t2;
	ibs_hist_add(&ibs_run.hist[IBS_M_BOOT], t3 - t0);
	/* Pairs with stats: the phase times are visible once boot_done is. */
	smp_store_release(&inst->boot_done, true);
	if (atomic_dec_and_test(&ibs_run.boots_pending))
		wake_up(&ibs_run.wq);
}

int ibs_writer_thread(void *arg)
{
	struct ibs_writer *w = arg;

	if (ibs_run.cfg.workload == IBS_WL_BOOT) {
		if (w->id == 0)
			ibs_boot(w);
	} else {
		ibs_churn(w);
	}
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ / 10);
	return 0;
}
