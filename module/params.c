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

static uint instances = IBS_UNSET;
module_param(instances, uint, 0444);
MODULE_PARM_DESC(instances, "VMs, each with own srcu_struct, bus, slots_lock (1..64, default 1)");

static uint writers = IBS_UNSET;
module_param(writers, uint, 0444);
MODULE_PARM_DESC(writers, "ioctl threads per VM, serialised by slots_lock (1..16, default 1)");

static uint readers = IBS_UNSET;
module_param(readers, uint, 0444);
MODULE_PARM_DESC(readers, "vCPU threads per VM (0..64, default 2)");

static uint devices = IBS_UNSET;
module_param(devices, uint, 0444);
MODULE_PARM_DESC(devices, "ranges on the bus in steady state / after boot (1..1000, default 32)");

static uint early_devices = IBS_UNSET;
module_param(early_devices, uint, 0444);
MODULE_PARM_DESC(early_devices, "workload=boot: devices registered before any vCPU (default 6)");

static char *workload;
module_param(workload, charp, 0444);
MODULE_PARM_DESC(workload, "churn|boot (default churn)");

static char *reclaim;
module_param(reclaim, charp, 0444);
MODULE_PARM_DESC(reclaim, "sync-expedited|sync|call-srcu|expedited-worker|poll|hybrid|unsafe");

static char *unregister;
module_param(unregister, charp, 0444);
MODULE_PARM_DESC(unregister, "sync|async (default sync; async is a negative control)");

static char *pattern;
module_param(pattern, charp, 0444);
MODULE_PARM_DESC(pattern, "exit|block|cached (default exit)");

static uint block_len = IBS_UNSET;
module_param(block_len, uint, 0444);
MODULE_PARM_DESC(block_len, "accesses per SRCU section, block/cached (1..100000, default 64)");

static char *barrier;
module_param(barrier, charp, 0444);
MODULE_PARM_DESC(barrier, "none|mb: barrier after srcu_read_lock() (default mb)");

static char *guest_sync;
module_param(guest_sync, charp, 0444);
MODULE_PARM_DESC(guest_sync, "acquire|relaxed: completed-generation ordering (default acquire)");

static uint max_pending = IBS_UNSET;
module_param(max_pending, uint, 0444);
MODULE_PARM_DESC(max_pending, "retired, unfreed buses per VM before writers wait; 0 = unbounded");

static uint quarantine = IBS_UNSET;
module_param(quarantine, uint, 0444);
MODULE_PARM_DESC(quarantine, "freed objects kept poisoned before kfree; 0 = none (default 4096)");

static uint probe_us = IBS_UNSET;
module_param(probe_us, uint, 0444);
MODULE_PARM_DESC(probe_us, "period (us) of a timed synchronize_srcu_expedited(); 0 = off");

static uint write_delay_us = IBS_UNSET;
module_param(write_delay_us, uint, 0444);
MODULE_PARM_DESC(write_delay_us, "pause (us) between a writer's operations (default 0)");

static uint bind_readers = IBS_UNSET;
module_param(bind_readers, uint, 0444);
MODULE_PARM_DESC(bind_readers, "1 = bind reader i to the i-th online CPU (default 0)");

static uint fail_alloc_every = IBS_UNSET;
module_param(fail_alloc_every, uint, 0444);
MODULE_PARM_DESC(fail_alloc_every, "fail every Nth bus allocation with -ENOMEM; 0 = never");

static uint duration_ms = IBS_UNSET;
module_param(duration_ms, uint, 0444);
MODULE_PARM_DESC(duration_ms, "stop the run after this many ms; 0 = at stop or rmmod");

static char *seed;
module_param(seed, charp, 0444);
MODULE_PARM_DESC(seed, "u64 seed of every thread's random sequence (default 1)");

static bool autostart;
module_param(autostart, bool, 0444);
MODULE_PARM_DESC(autostart, "start a run at load; it ends after duration_ms, 'End of test'");

static void ibs_put_uint(char *buf, size_t size, size_t *len, const char *key,
			 uint v)
{
	if (v != IBS_UNSET)
		*len += scnprintf(buf + *len, size - *len, "%s=%u ", key, v);
}

static void ibs_put_str(char *buf, size_t size, size_t *len, const char *key,
			const char *v)
{
	if (v)
		*len += scnprintf(buf + *len, size - *len, "%s=%s ", key, v);
}

/* Apply the parameters given at load to ibs_cfg. */
int ibs_params_apply(bool *start)
{
	size_t size = 2048, len = 0;
	char *buf;
	int ret;

	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ibs_put_uint(buf, size, &len, "instances", instances);
	ibs_put_uint(buf, size, &len, "writers", writers);
	ibs_put_uint(buf, size, &len, "readers", readers);
	ibs_put_uint(buf, size, &len, "devices", devices);
	ibs_put_uint(buf, size, &len, "early_devices", early_devices);
	ibs_put_str(buf, size, &len, "workload", workload);
	ibs_put_str(buf, size, &len, "reclaim", reclaim);
	ibs_put_str(buf, size, &len, "unregister", unregister);
	ibs_put_str(buf, size, &len, "pattern", pattern);
	ibs_put_uint(buf, size, &len, "block_len", block_len);
	ibs_put_str(buf, size, &len, "barrier", barrier);
	ibs_put_str(buf, size, &len, "guest_sync", guest_sync);
	ibs_put_uint(buf, size, &len, "max_pending", max_pending);
	ibs_put_uint(buf, size, &len, "quarantine", quarantine);
	ibs_put_uint(buf, size, &len, "probe_us", probe_us);
	ibs_put_uint(buf, size, &len, "write_delay_us", write_delay_us);
	ibs_put_uint(buf, size, &len, "bind_readers", bind_readers);
	ibs_put_uint(buf, size, &len, "fail_alloc_every", fail_alloc_every);
	ibs_put_uint(buf, size, &len, "duration_ms", duration_ms);
	ibs_put_str(buf, size, &len, "seed", seed);
	ibs_config_defaults(&ibs_cfg);
	ret = ibs_config_parse(&ibs_cfg, buf);
	kfree(buf);
	*start = autostart;
	return ret;
}
