// SPDX-License-Identifier: GPL-2.0
/*
 * Quarantine: freed buses and devices are poisoned (state/magic say
 * "freed") and kept here for a while before the real kfree(), so that a
 * reader that still holds one sees the poison and the detectors count it,
 * without relying on KASAN.  With quarantine=0 the kfree() is immediate and
 * a use after free is KASAN's to report.
 */
#include <linux/slab.h>

#include "iobus_stress.h"

static void ibs_qobj_kfree(struct ibs_instance *inst, struct ibs_qobj *obj,
			   bool is_dev)
{
	kfree(obj);
	if (is_dev)
		atomic_long_inc(&inst->devs_freed);
	else
		atomic_long_inc(&inst->buses_freed);
}

static bool ibs_qobj_is_dev(struct ibs_qobj *obj)
{
	/* Both kinds start with the qobj; the device's magic follows it. */
	return READ_ONCE(container_of(obj, struct ibs_dev, q)->magic) ==
	       IBS_DEV_MAGIC_FREED;
}

void ibs_quarantine_put(struct ibs_instance *inst, struct ibs_qobj *obj)
{
	struct ibs_qobj *victim = NULL;
	unsigned long flags;

	BUILD_BUG_ON(offsetof(struct ibs_dev, q) != 0);
	BUILD_BUG_ON(offsetof(struct ibs_bus, q) != 0);
	BUILD_BUG_ON(offsetof(struct ibs_dev, magic) !=
		     offsetof(struct ibs_bus, state));

	spin_lock_irqsave(&inst->q_lock, flags);
	list_add_tail(&obj->node, &inst->q_list);
	if (++inst->q_len > ibs_run.cfg.quarantine) {
		victim = list_first_entry(&inst->q_list, struct ibs_qobj, node);
		list_del(&victim->node);
		inst->q_len--;
	}
	spin_unlock_irqrestore(&inst->q_lock, flags);
	if (victim)
		ibs_qobj_kfree(inst, victim, ibs_qobj_is_dev(victim));
}

void ibs_quarantine_drain(struct ibs_instance *inst)
{
	struct ibs_qobj *obj, *tmp;
	unsigned long flags;
	LIST_HEAD(list);

	spin_lock_irqsave(&inst->q_lock, flags);
	list_splice_init(&inst->q_list, &list);
	inst->q_len = 0;
	spin_unlock_irqrestore(&inst->q_lock, flags);
	list_for_each_entry_safe(obj, tmp, &list, node) {
		list_del(&obj->node);
		ibs_qobj_kfree(inst, obj, ibs_qobj_is_dev(obj));
	}
}
