// SPDX-License-Identifier: GPL-2.0
/*
 * Quarantine: a freed bus or device is poisoned at once (its state or magic
 * says "freed") and kfree()d only after an SRCU grace period of its
 * instance that started after the poisoning.  Every reader that can still
 * hold the object is inside a read-side section that began before that
 * grace period, so it keeps seeing the poison however long its section
 * lasts (block_len=100000 included) and the detectors count it; no reader
 * can see the memory recycled.  Teardown waits for the pending kfree()s
 * with srcu_barrier() (ibs_quarantine_drain()).
 *
 * With quarantine=0 the kfree() is immediate and a use after free is
 * KASAN's to report.  Any other value means "by grace period".
 */
#include <linux/slab.h>

#include "iobus_stress.h"

static void ibs_qobj_kfree(struct ibs_qobj *obj)
{
	struct ibs_instance *inst = obj->inst;
	u32 type = obj->type;

	kfree(obj);
	if (type == IBS_Q_DEV)
		atomic_long_inc(&inst->devs_freed);
	else
		atomic_long_inc(&inst->buses_freed);
}

static void ibs_qobj_kfree_cb(struct rcu_head *rcu)
{
	struct ibs_qobj *obj = container_of(rcu, struct ibs_qobj, qrcu);
	struct ibs_instance *inst = obj->inst;

	ibs_qobj_kfree(obj);
	atomic_long_dec(&inst->q_pending);
}

/* Called after the caller poisoned @obj. */
void ibs_quarantine_put(struct ibs_instance *inst, struct ibs_qobj *obj)
{
	BUILD_BUG_ON(offsetof(struct ibs_dev, q) != 0);
	BUILD_BUG_ON(offsetof(struct ibs_bus, q) != 0);

	WARN_ON_ONCE(obj->inst != inst ||
		     (obj->type != IBS_Q_BUS && obj->type != IBS_Q_DEV));
	if (!ibs_run.cfg.quarantine) {
		ibs_qobj_kfree(obj);
		return;
	}
	atomic_long_inc(&inst->q_pending);
	call_srcu(&inst->srcu, &obj->qrcu, ibs_qobj_kfree_cb);
}

/*
 * Teardown, after the writers stopped and ibs_reclaim_flush() ran (whose
 * callbacks may have queued more objects here): wait for every pending
 * kfree().
 */
void ibs_quarantine_drain(struct ibs_instance *inst)
{
	srcu_barrier(&inst->srcu);
	WARN_ON_ONCE(atomic_long_read(&inst->q_pending));
}
