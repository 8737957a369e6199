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

/* splitmix64 to seed, xorshift64* to step: reproducible per thread. */
u64 ibs_rng_seed(u64 seed, int instance, int role, int idx)
{
	u64 z = seed + 0x9e3779b97f4a7c15ULL *
		(1 + ((u64)instance << 32 | (u64)role << 16 | (u64)idx));

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z ? z : 1;
}

u64 ibs_rng_next(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* "The ioctl returned": make generation @gen visible to the guest. */
static void ibs_publish(struct ibs_instance *inst, u64 gen, u64 addr,
			bool added)
{
	struct ibs_pub *p = &inst->ring[gen % IBS_PUB_RING];

	/* A seqcount-like entry; ibs_observe() reads it gen, data, gen. */
	WRITE_ONCE(p->gen, 0);
	smp_wmb();	/* invalidate before rewriting */
	WRITE_ONCE(p->addr, addr);
	WRITE_ONCE(p->added, added);
	smp_wmb();	/* data before the generation that validates it */
	WRITE_ONCE(p->gen, gen);
	if (ibs_run.cfg.guest_sync == IBS_GS_RELAXED)
		WRITE_ONCE(inst->completed_gen, gen);
	else	/* the new bus before "the ioctl returned"; pairs with observe */
		smp_store_release(&inst->completed_gen, gen);
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

/* kvm_io_bus_register_dev() with the configured reclaim. */
static int ibs_register(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	struct ibs_bus *old, *new;
	struct ibs_dev *dev;
	u64 addr, t0;

	ibs_wait_backlog(w);
	mutex_lock(&inst->slots_lock);
	addr = inst->next_addr;
	inst->next_addr += 2 * IBS_DEV_LEN;
	mutex_unlock(&inst->slots_lock);

	dev = ibs_dev_alloc(inst, addr);
	if (!dev) {
		ibs_count_err(w, -ENOMEM);
		return -ENOMEM;
	}
	t0 = ktime_get_ns();
	mutex_lock(&inst->slots_lock);
	old = rcu_dereference_protected(inst->bus,
					lockdep_is_held(&inst->slots_lock));
	if (inst->nr_devs >= ibs_run.cfg.devices) {
		/* Another writer filled the bus meanwhile. */
		mutex_unlock(&inst->slots_lock);
		ibs_dev_free(inst, dev);
		return -EAGAIN;
	}
	new = ibs_bus_copy_insert(inst, old, addr, IBS_DEV_LEN, dev);
	if (IS_ERR(new)) {
		mutex_unlock(&inst->slots_lock);
		ibs_count_err(w, PTR_ERR(new));
		ibs_dev_free(inst, dev);
		return PTR_ERR(new);
	}
	rcu_assign_pointer(inst->bus, new);
	ibs_retire(inst, old);
	inst->devs[inst->nr_devs++] = dev;
	ibs_publish(inst, new->gen, addr, true);
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
 */
static int ibs_unregister(struct ibs_writer *w)
{
	struct ibs_instance *inst = w->inst;
	struct ibs_bus *old, *new;
	struct ibs_dev *dev;
	u32 i;
	u64 t0 = ktime_get_ns();

	mutex_lock(&inst->slots_lock);
	if (!inst->nr_devs) {
		mutex_unlock(&inst->slots_lock);
		return -ENOENT;
	}
	i = ibs_rng_next(&w->rng) % inst->nr_devs;
	dev = inst->devs[i];
	old = rcu_dereference_protected(inst->bus,
					lockdep_is_held(&inst->slots_lock));
	new = ibs_bus_copy_remove(inst, old, dev);
	if (IS_ERR(new)) {
		mutex_unlock(&inst->slots_lock);
		ibs_count_err(w, PTR_ERR(new));
		return PTR_ERR(new);
	}
	inst->devs[i] = inst->devs[--inst->nr_devs];
	rcu_assign_pointer(inst->bus, new);
	ibs_retire_as(inst, old, ibs_run.cfg.unregister == IBS_UNREG_ASYNC ?
			   IBS_RC_CALL_SRCU : IBS_RC_SYNC_EXPEDITED);
	ibs_publish(inst, new->gen, dev->addr, false);
	mutex_unlock(&inst->slots_lock);
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

	while (!kthread_should_stop() && READ_ONCE(inst->nr_devs) < devices) {
		ibs_register(w);
		ibs_writer_pause();
	}
	while (!kthread_should_stop()) {
		if (READ_ONCE(inst->nr_devs) >= devices)
			ibs_unregister(w);
		ibs_register(w);
		ibs_writer_pause();
	}
}

/*
 * vCPU creation: the memslot swap's synchronize_srcu_expedited(), timed.
 * Returns its latency.
 */
static u64 ibs_create_vcpu(struct ibs_instance *inst, int i)
{
	struct ibs_reader *r = &inst->readers[i];
	u64 t0 = ktime_get_ns(), dt;

	synchronize_srcu_expedited(&inst->srcu);
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
		ibs_register(w);
	t1 = ktime_get_ns();
	for (i = 0; i < c->readers && !kthread_should_stop(); i++) {
		dt = ibs_create_vcpu(inst, i);
		if (!i)
			first = dt;
	}
	t2 = ktime_get_ns();
	while (!kthread_should_stop() && READ_ONCE(inst->nr_devs) < c->devices) {
		ibs_register(w);
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
