// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: the initial run configuration (every debugfs config
 * key, same names, same validation) plus autostart for boot-time runs.
 * Unset parameters keep the defaults of config.c.
 */
#include <linux/moduleparam.h>
#include <linux/slab.h>

#include "iobus_stress.h"

#define IBS_UNSET	UINT_MAX

#define IBS_UINT_PARAM(n, desc)						\
	static uint n = IBS_UNSET;					\
	module_param(n, uint, 0444);					\
	MODULE_PARM_DESC(n, desc)
#define IBS_ENUM_PARAM(n, desc)						\
	static char *n;							\
	module_param(n, charp, 0444);					\
	MODULE_PARM_DESC(n, desc)

IBS_UINT_PARAM(instances, "VMs, each with its own srcu_struct, bus and slots_lock (1..64, default 1)");
IBS_UINT_PARAM(writers, "ioctl threads per VM, serialised by slots_lock (1..16, default 1)");
IBS_UINT_PARAM(readers, "vCPU threads per VM (0..64, default 2)");
IBS_UINT_PARAM(devices, "ranges on the bus in steady state / at end of boot (1..1000, default 32)");
IBS_UINT_PARAM(early_devices, "workload=boot: devices registered before any vCPU (default 6)");
IBS_ENUM_PARAM(workload, "churn|boot (default churn)");
IBS_ENUM_PARAM(reclaim, "sync-expedited|sync|call-srcu|expedited-worker|poll|hybrid|unsafe (default call-srcu)");
IBS_ENUM_PARAM(unregister, "sync|async (default sync; async is a negative control)");
IBS_ENUM_PARAM(pattern, "exit|block|cached (default exit)");
IBS_UINT_PARAM(block_len, "accesses per SRCU section for block/cached (1..100000, default 64)");
IBS_ENUM_PARAM(barrier, "none|mb: smp_mb__after_srcu_read_lock() in the read helper (default mb)");
IBS_ENUM_PARAM(guest_sync, "acquire|relaxed: publication of the completed generation (default acquire)");
IBS_UINT_PARAM(max_pending, "retired-but-unfreed buses per VM before writers wait, 0 = unbounded (default 0)");
IBS_UINT_PARAM(quarantine, "freed objects kept poisoned before kfree, 0 = none, for KASAN (default 4096)");
IBS_UINT_PARAM(probe_us, "period in us of a timed synchronize_srcu_expedited() per VM, 0 = off (default 0)");
IBS_UINT_PARAM(write_delay_us, "pause in us between a writer's operations (default 0)");
IBS_UINT_PARAM(bind_readers, "1 = bind reader i to CPU i % nr_online (default 0)");
IBS_UINT_PARAM(fail_alloc_every, "fail every Nth bus allocation with -ENOMEM, 0 = never (default 0)");
IBS_UINT_PARAM(duration_ms, "stop the run after this many ms, 0 = at stop/rmmod (default 0)");
static char *seed;
module_param(seed, charp, 0444);
MODULE_PARM_DESC(seed, "u64 seed of every thread's random sequence (default 1)");

static bool autostart;
module_param(autostart, bool, 0444);
MODULE_PARM_DESC(autostart, "start a run at load; it ends after duration_ms with 'End of test'");

#define IBS_PUT_UINT(n)							\
	do {								\
		if (n != IBS_UNSET)					\
			len += scnprintf(buf + len, size - len,		\
					 #n "=%u ", n);			\
	} while (0)
#define IBS_PUT_STR(n)							\
	do {								\
		if (n)							\
			len += scnprintf(buf + len, size - len,		\
					 #n "=%s ", n);			\
	} while (0)

/* Apply the parameters given at load to ibs_cfg. */
int ibs_params_apply(bool *start)
{
	size_t size = 2048, len = 0;
	char *buf;
	int ret;

	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	IBS_PUT_UINT(instances);
	IBS_PUT_UINT(writers);
	IBS_PUT_UINT(readers);
	IBS_PUT_UINT(devices);
	IBS_PUT_UINT(early_devices);
	IBS_PUT_STR(workload);
	IBS_PUT_STR(reclaim);
	IBS_PUT_STR(unregister);
	IBS_PUT_STR(pattern);
	IBS_PUT_UINT(block_len);
	IBS_PUT_STR(barrier);
	IBS_PUT_STR(guest_sync);
	IBS_PUT_UINT(max_pending);
	IBS_PUT_UINT(quarantine);
	IBS_PUT_UINT(probe_us);
	IBS_PUT_UINT(write_delay_us);
	IBS_PUT_UINT(bind_readers);
	IBS_PUT_UINT(fail_alloc_every);
	IBS_PUT_UINT(duration_ms);
	IBS_PUT_STR(seed);
	ibs_config_defaults(&ibs_cfg);
	ret = ibs_config_parse(&ibs_cfg, buf);
	kfree(buf);
	*start = autostart;
	return ret;
}
