// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of the bus operations (copy-insert, copy-remove, lookup, the
 * range limit, injected -ENOMEM), the histogram buckets and the config
 * parser.  Built only when the kernel has KUnit built in (Kbuild checks
 * CONFIG_KUNIT=y); KUnit runs the suite when the module is loaded and
 * prints KTAP on the console.
 *
 * kunit_break=1 corrupts one expectation (bus_insert_lookup expects a
 * sixth range), so that a checker can see a failing case reported as
 * "not ok".
 */
#include <kunit/test.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "iobus_stress.h"

static bool kunit_break;
module_param(kunit_break, bool, 0444);
MODULE_PARM_DESC(kunit_break, "KUnit: corrupt one expectation (test of the test report)");

static struct ibs_dev ibs_kt_devs[8];

static struct ibs_instance *ibs_kt_inst(struct kunit *test)
{
	struct ibs_instance *inst = kunit_kzalloc(test, sizeof(*inst),
						  GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, inst);
	return inst;
}

static void ibs_kt_free_bus(void *bus)
{
	kfree(bus);
}

/* Hand @bus to KUnit: freed when the test ends, pass or fail. */
static struct ibs_bus *ibs_kt_own(struct kunit *test, struct ibs_bus *bus)
{
	int ret;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, bus);
	ret = kunit_add_action_or_reset(test, ibs_kt_free_bus, bus);
	KUNIT_ASSERT_EQ(test, ret, 0);
	return bus;
}

static bool ibs_kt_sorted(const struct ibs_bus *bus)
{
	int i;

	for (i = 1; i < bus->dev_count; i++)
		if (bus->range[i - 1].addr > bus->range[i].addr)
			return false;
	return true;
}

/* Five devices inserted out of order: 0x10, 0x20, ..., 0x50, 8 bytes each. */
static struct ibs_bus *ibs_kt_five(struct kunit *test,
				   struct ibs_instance *inst)
{
	static const u64 addrs[] = { 0x50, 0x10, 0x30, 0x20, 0x40 };
	struct ibs_bus *bus = ibs_kt_own(test, ibs_bus_alloc(inst, 0));
	size_t i;

	for (i = 0; i < ARRAY_SIZE(addrs); i++)
		bus = ibs_kt_own(test, ibs_bus_copy_insert(inst, bus, addrs[i],
							   8, &ibs_kt_devs[i]));
	return bus;
}

static void bus_insert_lookup(struct kunit *test)
{
	struct ibs_instance *inst = ibs_kt_inst(test);
	struct ibs_bus *bus = ibs_kt_five(test, inst);
	int idx;

	KUNIT_EXPECT_EQ(test, bus->dev_count, kunit_break ? 6 : 5);
	KUNIT_EXPECT_EQ(test, bus->gen, 5ULL);
	KUNIT_EXPECT_TRUE(test, ibs_kt_sorted(bus));
	/* exact, inside, straddling the end, below, above */
	idx = ibs_bus_first(bus, 0x30, 4);
	KUNIT_ASSERT_GE(test, idx, 0);
	KUNIT_EXPECT_PTR_EQ(test, bus->range[idx].dev, &ibs_kt_devs[2]);
	idx = ibs_bus_first(bus, 0x34, 4);
	KUNIT_ASSERT_GE(test, idx, 0);
	KUNIT_EXPECT_EQ(test, bus->range[idx].addr, 0x30ULL);
	KUNIT_EXPECT_EQ(test, ibs_bus_first(bus, 0x36, 4), -ENOENT);
	KUNIT_EXPECT_EQ(test, ibs_bus_first(bus, 0x8, 4), -ENOENT);
	KUNIT_EXPECT_EQ(test, ibs_bus_first(bus, 0x58, 4), -ENOENT);
}

static void bus_duplicate_remove(struct kunit *test)
{
	struct ibs_instance *inst = ibs_kt_inst(test);
	struct ibs_bus *bus = ibs_kt_five(test, inst);
	int idx;

	/* A second range at 0x30 sorts after the first; lookup finds the first. */
	bus = ibs_kt_own(test, ibs_bus_copy_insert(inst, bus, 0x30, 8,
						   &ibs_kt_devs[5]));
	idx = ibs_bus_first(bus, 0x30, 4);
	KUNIT_EXPECT_EQ(test, idx, 2);
	KUNIT_EXPECT_PTR_EQ(test, bus->range[2].dev, &ibs_kt_devs[2]);
	KUNIT_EXPECT_PTR_EQ(test, bus->range[3].dev, &ibs_kt_devs[5]);
	/* Remove keeps the order; the duplicate then answers the lookup. */
	bus = ibs_kt_own(test, ibs_bus_copy_remove(inst, bus, &ibs_kt_devs[2]));
	KUNIT_EXPECT_EQ(test, bus->dev_count, 5);
	KUNIT_EXPECT_EQ(test, bus->gen, 7ULL);
	KUNIT_EXPECT_TRUE(test, ibs_kt_sorted(bus));
	idx = ibs_bus_first(bus, 0x30, 4);
	KUNIT_ASSERT_GE(test, idx, 0);
	KUNIT_EXPECT_PTR_EQ(test, bus->range[idx].dev, &ibs_kt_devs[5]);
	/* Removing a device that is not on the bus is -ENOENT. */
	KUNIT_EXPECT_EQ(test, PTR_ERR(ibs_bus_copy_remove(inst, bus,
							  &ibs_kt_devs[2])),
			-ENOENT);
}

static void bus_enomem(struct kunit *test)
{
	struct ibs_instance *inst = ibs_kt_inst(test);
	struct ibs_bus *bus = ibs_kt_five(test, inst);
	struct ibs_bus *new;

	/*
	 * A failed allocation leaves the old bus untouched: insert returns
	 * -ENOMEM; remove returns NULL, which the caller publishes as
	 * upstream's kvm_io_bus_unregister_dev() does.
	 */
	inst->fail_every = 1;
	new = ibs_bus_copy_insert(inst, bus, 0x60, 8, &ibs_kt_devs[6]);
	KUNIT_EXPECT_EQ(test, PTR_ERR(new), -ENOMEM);
	new = ibs_bus_copy_remove(inst, bus, &ibs_kt_devs[0]);
	KUNIT_EXPECT_NULL(test, new);
	inst->fail_every = 0;
	KUNIT_EXPECT_EQ(test, bus->dev_count, 5);
	KUNIT_EXPECT_EQ(test, bus->gen, 5ULL);
}

static void bus_limit(struct kunit *test)
{
	struct ibs_instance *inst = ibs_kt_inst(test);
	struct ibs_bus *bus;
	int i;

	bus = ibs_kt_own(test, ibs_bus_alloc(inst, IBS_MAX_RANGES));
	for (i = 0; i < IBS_MAX_RANGES; i++)
		bus->range[i] = (struct ibs_range){ .addr = 16 * i, .len = 8 };
	KUNIT_EXPECT_EQ(test, PTR_ERR(ibs_bus_copy_insert(inst, bus,
							  16 * IBS_MAX_RANGES,
							  8, NULL)),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, ibs_bus_first(bus, 16 * (IBS_MAX_RANGES - 1), 4),
			IBS_MAX_RANGES - 1);
	KUNIT_EXPECT_EQ(test, ibs_bus_first(bus, 0, 4), 0);
}

/* Every value falls in its bucket, buckets are <= 1/32 wide, in order. */
static void hist_buckets(struct kunit *test)
{
	unsigned int idx, prev = 0;
	u64 v, lo, hi;

	for (v = 0; v < (1ULL << 40); v = v < 100 ? v + 1 : v + v / 7) {
		idx = ibs_hist_index(v);
		lo = ibs_hist_lower(idx);
		hi = ibs_hist_upper(idx);
		KUNIT_ASSERT_LE_MSG(test, lo, v, "v=%llu idx=%u", v, idx);
		KUNIT_ASSERT_GE_MSG(test, hi, v, "v=%llu idx=%u", v, idx);
		if (v >= IBS_HIST_SUB)
			KUNIT_ASSERT_LE_MSG(test, (hi - lo) * 32, lo,
					    "v=%llu idx=%u", v, idx);
		KUNIT_ASSERT_GE_MSG(test, idx, prev, "v=%llu", v);
		prev = idx;
	}
	KUNIT_EXPECT_EQ(test, ibs_hist_index(U64_MAX), IBS_HIST_BUCKETS - 1);
	KUNIT_EXPECT_EQ(test, ibs_hist_upper(IBS_HIST_BUCKETS - 1), U64_MAX);
	/* Exact below IBS_HIST_SUB. */
	KUNIT_EXPECT_EQ(test, ibs_hist_index(IBS_HIST_SUB - 1),
			IBS_HIST_SUB - 1);
	KUNIT_EXPECT_EQ(test, ibs_hist_lower(IBS_HIST_SUB - 1),
			(u64)IBS_HIST_SUB - 1);
}

static int ibs_kt_parse(struct kunit *test, struct ibs_config *c,
			const char *s)
{
	char *buf = kunit_kstrdup(test, s, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, buf);
	return ibs_config_parse(c, buf);
}

/* A write is applied whole or not at all; ranges and names are checked. */
static void config_parse(struct kunit *test)
{
	struct ibs_config c;

	ibs_config_defaults(&c);
	KUNIT_EXPECT_EQ(test, c.readers, 2U);
	KUNIT_EXPECT_EQ(test, ibs_kt_parse(test, &c, "readers=3 pattern=cached"),
			0);
	KUNIT_EXPECT_EQ(test, c.readers, 3U);
	KUNIT_EXPECT_EQ(test, c.pattern, (u32)IBS_PAT_CACHED);
	KUNIT_EXPECT_EQ(test, ibs_kt_parse(test, &c, "readers=4 reclaim=bogus"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ibs_kt_parse(test, &c, "readers=65"), -EINVAL);
	KUNIT_EXPECT_EQ(test, ibs_kt_parse(test, &c, "duration_ms=4294967295"),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ibs_kt_parse(test, &c, "readers"), -EINVAL);
	/* Nothing of the refused writes was applied. */
	KUNIT_EXPECT_EQ(test, c.readers, 3U);
	KUNIT_EXPECT_EQ(test, c.reclaim, (u32)IBS_RC_CALL_SRCU);
	KUNIT_EXPECT_EQ(test, c.duration_ms, 0U);
	KUNIT_EXPECT_EQ(test, ibs_kt_parse(test, &c, "defaults seed=0x10"), 0);
	KUNIT_EXPECT_EQ(test, c.readers, 2U);
	KUNIT_EXPECT_EQ(test, c.seed, 16ULL);
}

static struct kunit_case ibs_kunit_cases[] = {
	KUNIT_CASE(bus_insert_lookup),
	KUNIT_CASE(bus_duplicate_remove),
	KUNIT_CASE(bus_enomem),
	KUNIT_CASE(bus_limit),
	KUNIT_CASE(hist_buckets),
	KUNIT_CASE(config_parse),
	{}
};

static struct kunit_suite ibs_kunit_suite = {
	.name = "iobus_stress",
	.test_cases = ibs_kunit_cases,
};

kunit_test_suite(ibs_kunit_suite);
