// SPDX-License-Identifier: GPL-2.0
/*
 * Quarantine: a freed bus or device is poisoned at once (its state or magic
 * says "freed") and kfree()d only after an SRCU grace period of its
 * instance that started after the poisoning.  Every reader that can still
 * hold the object is inside a read-side section that began before that
 * grace period, so it keeps seeing the poison however long its section
 * lasts (block_len=100000 included) and the detectors count it; no reader
 * can see the memory recycled.
 *
 * The quarantine must not change what it measures: call_srcu() here would
 * start a normal grace period after every free, and an expedited sync
 * (vCPU creation, the probe) would then wait behind it even with
 * reclaim=sync-expedited.  So each object takes a cookie with
 * get_state_synchronize_srcu(), which starts nothing, and is freed once
 * poll_state_synchronize_srcu() says a grace period the run started anyway
 * has passed (every register with a correct strategy and every unregister
 * waits for or queues one).  Only the negative controls (reclaim=unsafe,
 * unregister=async), where nothing else guarantees one and latency is not
 * the point, use start_poll_synchronize_srcu().  Objects are freed in FIFO
 * order from ibs_quarantine_put(), and all of them at teardown after a
 * synchronize_srcu() (ibs_quarantine_drain()).
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

/* Free the objects at the head whose grace period has passed. */
static void ibs_quarantine_reap(struct ibs_instance *inst)
{
	struct ibs_qobj *obj;
	unsigned long flags;

	for (;;) {
		spin_lock_irqsave(&inst->q_lock, flags);
		obj = list_first_entry_or_null(&inst->q_list, struct ibs_qobj,
					       node);
		if (obj && poll_state_synchronize_srcu(&inst->srcu,
						       obj->cookie)) {
			list_del(&obj->node);
		} else {
			obj = NULL;
		}
		spin_unlock_irqrestore(&inst->q_lock, flags);
		if (!obj)
			return;
		ibs_qobj_kfree(obj);
	}
}

/* Called after the caller poisoned @obj. */
void ibs_quarantine_put(struct ibs_instance *inst, struct ibs_qobj *obj)
{
	const struct ibs_config *c = &ibs_run.cfg;
	unsigned long flags;

	BUILD_BUG_ON(offsetof(struct ibs_dev, q) != 0);
	BUILD_BUG_ON(offsetof(struct ibs_bus, q) != 0);

	WARN_ON_ONCE(obj->inst != inst ||
		     (obj->type != IBS_Q_BUS && obj->type != IBS_Q_DEV));
	if (!c->quarantine) {
		ibs_qobj_kfree(obj);
		return;
	}
	if (ibs_control_run(c))
		obj->cookie = start_poll_synchronize_srcu(&inst->srcu);
	else
		obj->cookie = get_state_synchronize_srcu(&inst->srcu);
	spin_lock_irqsave(&inst->q_lock, flags);
	list_add_tail(&obj->node, &inst->q_list);
	spin_unlock_irqrestore(&inst->q_lock, flags);
	ibs_quarantine_reap(inst);
}

/*
 * Teardown, after every reader and writer stopped and ibs_reclaim_flush()
 * ran: one more grace period, then everything goes.
 */
void ibs_quarantine_drain(struct ibs_instance *inst)
{
	struct ibs_qobj *obj, *tmp;
	unsigned long flags;
	LIST_HEAD(list);

	synchronize_srcu(&inst->srcu);
	spin_lock_irqsave(&inst->q_lock, flags);
	list_splice_init(&inst->q_list, &list);
	spin_unlock_irqrestore(&inst->q_lock, flags);
	list_for_each_entry_safe(obj, tmp, &list, node) {
		list_del(&obj->node);
		WARN_ON_ONCE(!poll_state_synchronize_srcu(&inst->srcu,
							  obj->cookie));
		ibs_qobj_kfree(obj);
	}
}
