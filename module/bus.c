// SPDX-License-Identifier: GPL-2.0
/*
 * The mock bus: the copy-insert / copy-remove / bsearch of kvm_io_bus
 * (virt/kvm/kvm_main.c; the same logic in Linux 6.1 and 7.3 apart from the
 * reclaim of the replaced bus, which is reclaim.c's), and the mock devices
 * on it.
 */
#include <linux/bsearch.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iobus_stress.h"

/* kvm_io_bus_sort_cmp() */
static int ibs_range_bsearch_cmp(const void *k, const void *p)
{
	return ibs_range_cmp(k, p);
}

/* Injected allocation failure (config fail_alloc_every), under slots_lock. */
static bool ibs_fail_alloc(struct ibs_instance *inst)
{
	if (!inst->fail_every)
		return false;
	return ++inst->alloc_calls % inst->fail_every == 0;
}

size_t ibs_bus_bytes(const struct ibs_bus *bus)
{
	return struct_size(bus, range, bus->dev_count);
}

struct ibs_bus *ibs_bus_alloc(struct ibs_instance *inst, int count)
{
	struct ibs_bus *bus;

	if (ibs_fail_alloc(inst))
		return NULL;
	bus = kmalloc(struct_size(bus, range, count), GFP_KERNEL_ACCOUNT);
	if (!bus)
		return NULL;
	INIT_LIST_HEAD(&bus->q.node);
	bus->q.inst = inst;
	bus->q.type = IBS_Q_BUS;
	bus->state = IBS_BUS_LIVE;
	bus->dev_count = count;
	bus->ioeventfd_count = 0;
	bus->gen = 0;
	bus->retire_ns = 0;
	bus->freed_ns = 0;
	bus->poll_cookie = 0;
	atomic_long_inc(&inst->buses_allocated);
	return bus;
}

static bool ibs_is_ioeventfd(const struct ibs_dev *dev)
{
	return dev && dev->kind == IBS_DEV_IOEVENTFD;
}

/*
 * kvm_io_bus_register_dev(): a copy one range larger with the new range in
 * order (the insertion loop of kvm_io_bus_register_dev()).  ioeventfds do
 * not count toward the limit ("exclude ioeventfd which is limited by
 * maximum fd"); kvm_assign_ioeventfd_idx() increments ioeventfd_count of
 * the new bus, done here in the copy.  Returns the new bus (generation
 * old + 1) or ERR_PTR(-ENOSPC or -ENOMEM).
 */
struct ibs_bus *ibs_bus_copy_insert(struct ibs_instance *inst,
				    const struct ibs_bus *old, u64 addr,
				    int len, struct ibs_dev *dev)
{
	struct ibs_range r = { .addr = addr, .len = len, .dev = dev };
	struct ibs_bus *new;
	int i;

	if (old->dev_count - old->ioeventfd_count > IBS_MAX_RANGES - 1)
		return ERR_PTR(-ENOSPC);
	new = ibs_bus_alloc(inst, old->dev_count + 1);
	if (!new)
		return ERR_PTR(-ENOMEM);
	for (i = 0; i < old->dev_count; i++)
		if (ibs_range_cmp(&old->range[i], &r) > 0)
			break;
	memcpy(new->range, old->range, i * sizeof(r));
	new->range[i] = r;
	memcpy(new->range + i + 1, old->range + i,
	       (old->dev_count - i) * sizeof(r));
	new->ioeventfd_count = old->ioeventfd_count + ibs_is_ioeventfd(dev);
	new->gen = old->gen + 1;
	return new;
}

/*
 * The copy of kvm_io_bus_unregister_dev(): one range smaller without @dev
 * (kvm_deassign_ioeventfd_idx() decrements ioeventfd_count).  Returns
 * ERR_PTR(-ENOENT) if @dev is not on the bus, or NULL when the allocation
 * fails: the caller then publishes NULL, as upstream does.
 */
struct ibs_bus *ibs_bus_copy_remove(struct ibs_instance *inst,
				    const struct ibs_bus *old,
				    struct ibs_dev *dev)
{
	struct ibs_bus *new;
	int i;

	for (i = 0; i < old->dev_count; i++)
		if (old->range[i].dev == dev)
			break;
	if (i == old->dev_count)
		return ERR_PTR(-ENOENT);
	new = ibs_bus_alloc(inst, old->dev_count - 1);
	if (!new)
		return NULL;
	memcpy(new->range, old->range, i * sizeof(old->range[0]));
	memcpy(new->range + i, old->range + i + 1,
	       (old->dev_count - i - 1) * sizeof(old->range[0]));
	new->ioeventfd_count = old->ioeventfd_count - ibs_is_ioeventfd(dev);
	new->gen = old->gen + 1;
	return new;
}

/*
 * kvm_io_bus_get_first_dev(): index of the first range that compares
 * equal to [addr, addr + len), or -ENOENT.
 */
int ibs_bus_first(const struct ibs_bus *bus, u64 addr, int len)
{
	struct ibs_range key = { .addr = addr, .len = len };
	const struct ibs_range *r;
	int off;

	r = bsearch(&key, bus->range, bus->dev_count, sizeof(key),
		    ibs_range_bsearch_cmp);
	if (!r)
		return -ENOENT;
	off = r - bus->range;
	while (off > 0 && ibs_range_cmp(&key, &bus->range[off - 1]) == 0)
		off--;
	return off;
}

struct ibs_dev *ibs_dev_alloc(struct ibs_instance *inst, u64 addr)
{
	struct ibs_dev *dev = kzalloc(sizeof(*dev), GFP_KERNEL_ACCOUNT);

	if (!dev)
		return NULL;
	INIT_LIST_HEAD(&dev->q.node);
	dev->q.inst = inst;
	dev->q.type = IBS_Q_DEV;
	dev->magic = IBS_DEV_MAGIC_LIVE;
	dev->kind = IBS_DEV_MMIO;
	dev->addr = addr;
	dev->len = IBS_DEV_LEN;
	atomic_long_inc(&inst->devs_allocated);
	return dev;
}

/* Poison the device: its freed_ns must be set already. */
void ibs_dev_poison(struct ibs_dev *dev)
{
	/* Pairs with the reader's acquire of magic: freed_ns is visible. */
	smp_store_release(&dev->magic, IBS_DEV_MAGIC_FREED);
}

/* Poison the device and hand it to the quarantine. */
void ibs_dev_free(struct ibs_instance *inst, struct ibs_dev *dev)
{
	WRITE_ONCE(dev->freed_ns, ktime_get_ns());
	ibs_dev_poison(dev);
	ibs_quarantine_put(inst, &dev->q);
}
