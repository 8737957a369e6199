// SPDX-License-Identifier: GPL-2.0
/*
 * Reclaim strategies for the bus an update replaced (config "reclaim").
 *
 *   sync-expedited    synchronize_srcu_expedited(), then free (Linux <= 6.17)
 *   sync              synchronize_srcu(), then free
 *   call-srcu         call_srcu() deferred free (Linux 6.18)
 *   expedited-worker  batch on a list; a work item runs one
 *                     synchronize_srcu_expedited() per batch, then frees it
 *   poll              start_poll_synchronize_srcu() cookie; the reaper
 *                     thread frees once poll_state_synchronize_srcu() agrees
 *   hybrid            sync-expedited while no reader (vCPU) exists,
 *                     call-srcu once one does
 *   unsafe            free at once, no grace period (negative control)
 *   expedite-current  call_srcu(), then srcu_expedite_current(): the
 *                     in-tree primitive closest to the call_srcu_expedited()
 *                     RFC (kernels that export it; see compat.h)
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/slab.h>

#include "compat.h"
#include "iobus_stress.h"

static void ibs_pending_add(struct ibs_instance *inst, long bytes)
{
	long n = atomic_long_inc_return(&inst->pending);
	long b = atomic_long_add_return(bytes, &inst->pending_bytes);
	long peak;

	peak = atomic_long_read(&inst->pending_peak);
	while (n > peak && !atomic_long_try_cmpxchg(&inst->pending_peak, &peak, n))
		;
	peak = atomic_long_read(&inst->pending_peak_bytes);
	while (b > peak &&
	       !atomic_long_try_cmpxchg(&inst->pending_peak_bytes, &peak, b))
		;
}

/*
 * The end of a bus in three steps, so that the unsafe writer (writer.c,
 * ibs_replace_unsafe()) can do the slow part (the clock is an emulated
 * HPET read under QEMU) before it waits for a reader to hold the bus, and
 * poison it right after it saw one: begin records the reclaim latency and
 * sets freed_ns, the poison is the release store of state, end quarantines.
 */
u64 ibs_bus_free_begin(struct ibs_bus *bus)
{
	struct ibs_instance *inst = bus->q.inst;
	u64 now = ktime_get_ns();

	ibs_hist_add(&ibs_run.hist[IBS_M_RECLAIM], now - bus->retire_ns);
	atomic_long_dec(&inst->pending);
	atomic_long_sub(ibs_bus_bytes(bus), &inst->pending_bytes);
	WRITE_ONCE(bus->freed_ns, now);
	return now;
}

void ibs_bus_free_end(struct ibs_bus *bus)
{
	struct ibs_instance *inst = bus->q.inst;

	ibs_quarantine_put(inst, &bus->q);
	wake_up(&inst->pending_wq);
}

/* The end of a bus: record reclaim latency, poison, quarantine. */
void ibs_bus_free(struct ibs_bus *bus)
{
	ibs_bus_free_begin(bus);
	/* Pairs with the reader's acquire of state: freed_ns is visible. */
	smp_store_release(&bus->state, IBS_BUS_FREED);
	ibs_bus_free_end(bus);
}

static void ibs_bus_free_cb(struct rcu_head *rcu)
{
	ibs_bus_free(container_of(rcu, struct ibs_bus, rcu));
}

void ibs_ew_work(struct work_struct *work)
{
	struct ibs_instance *inst = container_of(work, struct ibs_instance,
						 ew_work);
	struct ibs_bus *bus, *tmp;
	LIST_HEAD(batch);

	spin_lock_irq(&inst->reclaim_lock);
	list_splice_init(&inst->ew_list, &batch);
	spin_unlock_irq(&inst->reclaim_lock);
	if (list_empty(&batch))
		return;
	synchronize_srcu_expedited(&inst->srcu);
	list_for_each_entry_safe(bus, tmp, &batch, q.node) {
		list_del_init(&bus->q.node);
		ibs_bus_free(bus);
	}
}

/* Free every bus at the head of the poll list whose grace period ended. */
static bool ibs_reap(struct ibs_instance *inst)
{
	struct ibs_bus *bus;
	bool any = false;

	for (;;) {
		spin_lock_irq(&inst->reclaim_lock);
		bus = list_first_entry_or_null(&inst->poll_list,
					       struct ibs_bus, q.node);
		if (bus && poll_state_synchronize_srcu(&inst->srcu,
						       bus->poll_cookie))
			list_del_init(&bus->q.node);
		else
			bus = NULL;
		spin_unlock_irq(&inst->reclaim_lock);
		if (!bus)
			return any;
		ibs_bus_free(bus);
		any = true;
	}
}

int ibs_reaper_thread(void *arg)
{
	struct ibs_instance *inst = arg;

	while (!kthread_should_stop()) {
		if (!ibs_reap(inst))
			usleep_range(200, 400);
	}
	return 0;
}

/*
 * Called by the writer under slots_lock after rcu_assign_pointer() of the
 * bus that replaces @old: register uses the configured strategy,
 * unregister sync-expedited (or call-srcu with unregister=async).
 */
void ibs_retire_begin(struct ibs_instance *inst, struct ibs_bus *old)
{
	old->retire_ns = ktime_get_ns();
	WRITE_ONCE(old->state, IBS_BUS_RETIRED);
	ibs_pending_add(inst, ibs_bus_bytes(old));
}

static void ibs_rc_sync_expedited(struct ibs_instance *inst,
				  struct ibs_bus *old)
{
	synchronize_srcu_expedited(&inst->srcu);
	ibs_bus_free(old);
}

static void ibs_rc_sync(struct ibs_instance *inst, struct ibs_bus *old)
{
	synchronize_srcu(&inst->srcu);
	ibs_bus_free(old);
}

static void ibs_rc_call_srcu(struct ibs_instance *inst, struct ibs_bus *old)
{
	call_srcu(&inst->srcu, &old->rcu, ibs_bus_free_cb);
}

static void ibs_rc_expedite_current(struct ibs_instance *inst,
				    struct ibs_bus *old)
{
	call_srcu(&inst->srcu, &old->rcu, ibs_bus_free_cb);
	ibs_srcu_expedite_current(&inst->srcu);
}

static bool ibs_rc_has_expedite_current(void)
{
	return IBS_HAS_EXPEDITE_CURRENT;
}

/*
 * srcu_expedite_current() keeps a callback of its own that may requeue
 * itself once (state REPOST -> PENDING) behind the teardown's barrier; a
 * second barrier waits for that one, which no longer requeues (PENDING ->
 * IDLE), so cleanup_srcu_struct() finds no callback.
 */
static void ibs_rc_expedite_current_flush(struct ibs_instance *inst)
{
	srcu_barrier(&inst->srcu);
}

static void ibs_rc_expedited_worker(struct ibs_instance *inst,
				    struct ibs_bus *old)
{
	spin_lock_irq(&inst->reclaim_lock);
	list_add_tail(&old->q.node, &inst->ew_list);
	spin_unlock_irq(&inst->reclaim_lock);
	queue_work(system_unbound_wq, &inst->ew_work);
}

static void ibs_rc_poll(struct ibs_instance *inst, struct ibs_bus *old)
{
	/* Cookies grow; writers are serialised, so the list is sorted. */
	old->poll_cookie = start_poll_synchronize_srcu(&inst->srcu);
	spin_lock_irq(&inst->reclaim_lock);
	list_add_tail(&old->q.node, &inst->poll_list);
	spin_unlock_irq(&inst->reclaim_lock);
}

/* What the reaper has not freed yet: one grace period covers it all. */
static void ibs_rc_poll_flush(struct ibs_instance *inst)
{
	if (!list_empty(&inst->poll_list)) {
		synchronize_srcu(&inst->srcu);
		ibs_reap(inst);
	}
}

static void ibs_rc_hybrid(struct ibs_instance *inst, struct ibs_bus *old)
{
	if (atomic_read(&inst->nr_vcpus))
		ibs_rc_call_srcu(inst, old);
	else
		ibs_rc_sync_expedited(inst, old);
}

/* Registers go through ibs_replace_unsafe() (writer.c); this is the rest. */
static void ibs_rc_unsafe(struct ibs_instance *inst, struct ibs_bus *old)
{
	ibs_bus_free(old);
}

/*
 * The strategies, one entry each, indexed by config "reclaim" (keys.h
 * lists their names in this order; ibs_config_init() reads them).  Adding
 * one is an entry here, its name in keys.h and IBS_RC_*, its expected
 * outcome (deferred, control) for the driver's table, and vcpu1_basis:
 * sync strategies waited for each registration's own grace period, so
 * none is pending at the first vCPU's expedited sync (no-pending-gp);
 * hybrid synchronizes while no vCPU exists, so it is sync-expedited there
 * (sync-before-vcpu).
 */
#define IBS_NO_PENDING "construction(no-pending-gp)"
#define IBS_MEASURED "measured"

const struct ibs_reclaim_ops ibs_reclaim_ops[IBS_RC_NR] = {
	[IBS_RC_SYNC_EXPEDITED] = { .name = "sync-expedited",
				    .vcpu1_basis = IBS_NO_PENDING,
				    .retire = ibs_rc_sync_expedited },
	[IBS_RC_SYNC] = { .name = "sync", .vcpu1_basis = IBS_NO_PENDING,
			  .retire = ibs_rc_sync },
	[IBS_RC_CALL_SRCU] = { .name = "call-srcu", .deferred = true,
			       .vcpu1_basis = IBS_MEASURED,
			       .retire = ibs_rc_call_srcu },
	[IBS_RC_EXPEDITED_WORKER] = { .name = "expedited-worker",
				      .deferred = true,
				      .vcpu1_basis = IBS_MEASURED,
				      .retire = ibs_rc_expedited_worker },
	[IBS_RC_POLL] = { .name = "poll", .deferred = true, .reaper = true,
			  .vcpu1_basis = IBS_MEASURED,
			  .retire = ibs_rc_poll, .flush = ibs_rc_poll_flush },
	[IBS_RC_HYBRID] = { .name = "hybrid", .deferred = true,
			    .vcpu1_basis = "construction(sync-before-vcpu)",
			    .retire = ibs_rc_hybrid },
	[IBS_RC_UNSAFE] = { .name = "unsafe", .control = true,
			    .vcpu1_basis = IBS_MEASURED,
			    .retire = ibs_rc_unsafe },
	[IBS_RC_EXPEDITE_CURRENT] = { .name = "expedite-current",
				      .deferred = true,
				      .available = ibs_rc_has_expedite_current,
				      .needs = "srcu_expedite_current()",
				      .vcpu1_basis = IBS_MEASURED,
				      .retire = ibs_rc_expedite_current,
				      .flush = ibs_rc_expedite_current_flush },
};

void ibs_retire_as(struct ibs_instance *inst, struct ibs_bus *old,
		   u32 reclaim)
{
	ibs_retire_begin(inst, old);
	ibs_reclaim_ops[reclaim].retire(inst, old);
}

void ibs_retire(struct ibs_instance *inst, struct ibs_bus *old)
{
	ibs_retire_as(inst, old, ibs_run.cfg.reclaim);
}

/*
 * Teardown, after every writer stopped: finish all deferred reclaim of
 * @inst so that nothing of it is pending when the srcu_struct goes.
 */
void ibs_reclaim_flush(struct ibs_instance *inst)
{
	const struct ibs_reclaim_ops *ops = &ibs_reclaim_ops[ibs_run.cfg.reclaim];

	flush_work(&inst->ew_work);
	srcu_barrier(&inst->srcu);
	if (ops->flush)
		ops->flush(inst);
	WARN_ON_ONCE(!list_empty(&inst->poll_list));
	WARN_ON_ONCE(!list_empty(&inst->ew_list));
}
