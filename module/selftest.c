// SPDX-License-Identifier: GPL-2.0
/*
 * In-kernel self-test of the bus operations and the histogram buckets
 * (debugfs control "selftest"), runnable on any kernel, KUnit or not.
 */
#include <linux/slab.h>

#include "iobus_stress.h"

struct ibs_st {
	int passed;
	int failed;
};

static void ibs_st_check(struct ibs_st *st, bool ok, const char *what,
			 int line)
{
	if (ok) {
		st->passed++;
		return;
	}
	st->failed++;
	pr_err(IBS_NAME ": selftest: selftest.c:%d: %s\n", line, what);
}

#define IBS_CHECK(st, cond) ibs_st_check(st, cond, #cond, __LINE__)

static struct ibs_dev ibs_st_devs[8];

static struct ibs_bus *ibs_st_insert(struct ibs_instance *inst,
				     struct ibs_bus *bus, u64 addr, int len,
				     struct ibs_dev *dev)
{
	struct ibs_bus *new = ibs_bus_copy_insert(inst, bus, addr, len, dev);

	if (IS_ERR(new))
		return new;
	kfree(bus);
	return new;
}

static bool ibs_st_sorted(const struct ibs_bus *bus)
{
	int i;

	for (i = 1; i < bus->dev_count; i++)
		if (bus->range[i - 1].addr > bus->range[i].addr)
			return false;
	return true;
}

static void ibs_st_bus(struct ibs_st *st, struct ibs_instance *inst)
{
	static const u64 addrs[] = { 0x50, 0x10, 0x30, 0x20, 0x40 };
	struct ibs_bus *bus, *new;
	size_t i;
	int idx;

	bus = ibs_bus_alloc(inst, 0);
	if (!bus) {
		st->failed++;
		return;
	}
	for (i = 0; i < ARRAY_SIZE(addrs); i++) {
		new = ibs_st_insert(inst, bus, addrs[i], 8, &ibs_st_devs[i]);
		IBS_CHECK(st, !IS_ERR(new));
		if (IS_ERR(new))
			goto out;
		bus = new;
	}
	IBS_CHECK(st, bus->dev_count == 5);
	IBS_CHECK(st, bus->gen == 5);
	IBS_CHECK(st, ibs_st_sorted(bus));
	/* Lookup: exact, inside, straddling the end, below, above. */
	idx = ibs_bus_first(bus, 0x30, 4);
	IBS_CHECK(st, idx >= 0 && bus->range[idx].dev == &ibs_st_devs[2]);
	idx = ibs_bus_first(bus, 0x34, 4);
	IBS_CHECK(st, idx >= 0 && bus->range[idx].addr == 0x30);
	IBS_CHECK(st, ibs_bus_first(bus, 0x36, 4) == -ENOENT);
	IBS_CHECK(st, ibs_bus_first(bus, 0x8, 4) == -ENOENT);
	IBS_CHECK(st, ibs_bus_first(bus, 0x58, 4) == -ENOENT);
	/* Duplicates: a second range at 0x30 sorts after, lookup finds first. */
	new = ibs_st_insert(inst, bus, 0x30, 8, &ibs_st_devs[5]);
	IBS_CHECK(st, !IS_ERR(new));
	if (IS_ERR(new))
		goto out;
	bus = new;
	idx = ibs_bus_first(bus, 0x30, 4);
	IBS_CHECK(st, idx == 2 && bus->range[idx].dev == &ibs_st_devs[2]);
	IBS_CHECK(st, bus->range[3].dev == &ibs_st_devs[5]);
	/* Remove keeps order; removing an absent device is -ENOENT. */
	new = ibs_bus_copy_remove(inst, bus, &ibs_st_devs[2]);
	IBS_CHECK(st, !IS_ERR(new));
	if (IS_ERR(new))
		goto out;
	kfree(bus);
	bus = new;
	IBS_CHECK(st, bus->dev_count == 5 && ibs_st_sorted(bus));
	idx = ibs_bus_first(bus, 0x30, 4);
	IBS_CHECK(st, idx >= 0 && bus->range[idx].dev == &ibs_st_devs[5]);
	IBS_CHECK(st, PTR_ERR(ibs_bus_copy_remove(inst, bus, &ibs_st_devs[2])) ==
		      -ENOENT);
	/* -ENOMEM from the allocation is returned, the old bus untouched. */
	inst->fail_every = 1;
	new = ibs_bus_copy_insert(inst, bus, 0x60, 8, &ibs_st_devs[6]);
	inst->fail_every = 0;
	IBS_CHECK(st, PTR_ERR(new) == -ENOMEM);
	IBS_CHECK(st, bus->dev_count == 5);
out:
	kfree(bus);
}

static void ibs_st_limit(struct ibs_st *st, struct ibs_instance *inst)
{
	struct ibs_bus *bus, *new;
	int i;

	bus = ibs_bus_alloc(inst, IBS_MAX_RANGES);
	if (!bus) {
		st->failed++;
		return;
	}
	for (i = 0; i < IBS_MAX_RANGES; i++)
		bus->range[i] = (struct ibs_range){ .addr = 16 * i, .len = 8 };
	new = ibs_bus_copy_insert(inst, bus, 16 * IBS_MAX_RANGES, 8, NULL);
	IBS_CHECK(st, PTR_ERR(new) == -ENOSPC);
	IBS_CHECK(st, ibs_bus_first(bus, 16 * (IBS_MAX_RANGES - 1), 4) ==
		      IBS_MAX_RANGES - 1);
	IBS_CHECK(st, ibs_bus_first(bus, 0, 4) == 0);
	kfree(bus);
}

static void ibs_st_hist(struct ibs_st *st)
{
	u64 v, lo, hi;
	bool ok = true, monotonic = true;
	unsigned int idx, prev = 0;

	for (v = 0; v < (1ULL << 40); v = v < 100 ? v + 1 : v + v / 7) {
		idx = ibs_hist_index(v);
		lo = ibs_hist_lower(idx);
		hi = ibs_hist_upper(idx);
		if (lo > v || hi < v || (v >= IBS_HIST_SUB && (hi - lo) * 32 > lo))
			ok = false;
		if (idx < prev)
			monotonic = false;
		prev = idx;
	}
	IBS_CHECK(st, ok);
	IBS_CHECK(st, monotonic);
	IBS_CHECK(st, ibs_hist_index(U64_MAX) == IBS_HIST_BUCKETS - 1);
}

int ibs_selftest(void)
{
	struct ibs_instance *inst;
	struct ibs_st st = { 0 };

	inst = kzalloc(sizeof(*inst), GFP_KERNEL);
	if (!inst)
		return -ENOMEM;
	ibs_st_bus(&st, inst);
	ibs_st_limit(&st, inst);
	ibs_st_hist(&st);
	kfree(inst);
	pr_info(IBS_NAME ": selftest: %d passed, %d failed\n", st.passed,
		st.failed);
	return st.failed ? -EIO : 0;
}
