// SPDX-License-Identifier: GPL-2.0
/*
 * The mock bus: the copy-insert / copy-remove / bsearch of kvm_io_bus
 * (virt/kvm/kvm_main.c in Linux 6.1), and the mock devices on it.
 */
#include <linux/bsearch.h>
#include <linux/ktime.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "iobus_stress.h"

/* Same order as kvm_io_bus_cmp(): by address, then by end. */
static int ibs_range_cmp(const struct ibs_range *r1, const struct ibs_range *r2)
{
	u64 e1 = r1->addr + r1->len, e2 = r2->addr + r2->len;

	if (r1->addr < r2->addr)
		return -1;
	if (e1 > e2)
		return 1;
	return 0;
}

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
	bus->state = IBS_BUS_LIVE;
	bus->dev_count = count;
	bus->gen = 0;
	bus->retire_ns = 0;
	bus->freed_ns = 0;
	bus->poll_cookie = 0;
	bus->inst = inst;
	atomic_long_inc(&inst->buses_allocated);
	return bus;
}

/*
 * kvm_io_bus_register_dev(): a copy one range larger with the new range in
 * order.  Returns the new bus (generation old + 1) or ERR_PTR(-ENOSPC or
 * -ENOMEM).
 */
struct ibs_bus *ibs_bus_copy_insert(struct ibs_instance *inst,
				    const struct ibs_bus *old, u64 addr,
				    int len, struct ibs_dev *dev)
{
	struct ibs_range r = { .addr = addr, .len = len, .dev = dev };
	struct ibs_bus *new;
	int i;

	if (old->dev_count > IBS_MAX_RANGES - 1)
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
	new->gen = old->gen + 1;
	return new;
}

/*
 * kvm_io_bus_unregister_dev(): a copy one range smaller without @dev.
 * Returns ERR_PTR(-ENOENT) if @dev is not on the bus, or -ENOMEM.
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
		return ERR_PTR(-ENOMEM);
	memcpy(new->range, old->range, i * sizeof(old->range[0]));
	memcpy(new->range + i, old->range + i + 1,
	       (old->dev_count - i - 1) * sizeof(old->range[0]));
	new->gen = old->gen + 1;
	return new;
}

/*
 * kvm_io_bus_get_first_dev(): index of the first range covering
 * [addr, addr + len), or -ENOENT.
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
	dev->magic = IBS_DEV_MAGIC_LIVE;
	dev->addr = addr;
	atomic_long_inc(&inst->devs_allocated);
	return dev;
}

/* Poison the device and hand it to the quarantine. */
void ibs_dev_free(struct ibs_instance *inst, struct ibs_dev *dev)
{
	WRITE_ONCE(dev->freed_ns, ktime_get_ns());
	/* Pairs with the reader's acquire of magic: freed_ns is visible. */
	smp_store_release(&dev->magic, IBS_DEV_MAGIC_FREED);
	ibs_quarantine_put(inst, &dev->q);
}
