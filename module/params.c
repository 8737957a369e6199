// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: the initial run configuration (every debugfs config
 * key, same names, same validation) plus autostart for boot-time runs.
 * Unset parameters keep the defaults of config.c.
 */
#define pr_fmt(fmt) "iobus_stress: " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/sysfs.h>

#include "iobus_stress.h"

/*
 * A uint parameter that remembers whether it was given, so that every
 * value, UINT_MAX included, reaches the config validator (no value of the
 * type doubles as "unset").  Its text goes to ibs_config_parse() as given.
 */
struct ibs_uparam {
	char val[24];
	bool set;
};

static int ibs_uparam_set(const char *val, const struct kernel_param *kp)
{
	struct ibs_uparam *p = kp->arg;
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 0, &v);
	if (ret)
		return ret;
	snprintf(p->val, sizeof(p->val), "%u", v);
	p->set = true;
	return 0;
}

static int ibs_uparam_get(char *buf, const struct kernel_param *kp)
{
	const struct ibs_uparam *p = kp->arg;

	return sysfs_emit(buf, "%s\n", p->set ? p->val : "");
}

static const struct kernel_param_ops ibs_uparam_ops = {
	.set = ibs_uparam_set,
	.get = ibs_uparam_get,
};

static struct ibs_uparam instances;
module_param_cb(instances, &ibs_uparam_ops, &instances, 0444);
__MODULE_PARM_TYPE(instances, "uint");
MODULE_PARM_DESC(instances, "VMs, each with own srcu_struct, bus, slots_lock (1..64, default 1)");

static struct ibs_uparam writers;
module_param_cb(writers, &ibs_uparam_ops, &writers, 0444);
__MODULE_PARM_TYPE(writers, "uint");
MODULE_PARM_DESC(writers, "ioctl threads per VM, serialised by slots_lock (1..16, default 1)");

static struct ibs_uparam readers;
module_param_cb(readers, &ibs_uparam_ops, &readers, 0444);
__MODULE_PARM_TYPE(readers, "uint");
MODULE_PARM_DESC(readers, "vCPU threads per VM (0..64, default 2)");

static struct ibs_uparam devices;
module_param_cb(devices, &ibs_uparam_ops, &devices, 0444);
__MODULE_PARM_TYPE(devices, "uint");
MODULE_PARM_DESC(devices, "ranges on the bus in steady state / after boot (1..1000, default 32)");

static struct ibs_uparam early_devices;
module_param_cb(early_devices, &ibs_uparam_ops, &early_devices, 0444);
__MODULE_PARM_TYPE(early_devices, "uint");
MODULE_PARM_DESC(early_devices, "workload=boot: devices registered before any vCPU (default 6)");

static char *workload;
module_param(workload, charp, 0444);
MODULE_PARM_DESC(workload, "churn|boot (default churn)");

static char *reclaim;
module_param(reclaim, charp, 0444);
MODULE_PARM_DESC(reclaim, "sync-expedited|sync|call-srcu|expedited-worker|poll|hybrid|unsafe|expedite-current");

static char *unregister;
module_param(unregister, charp, 0444);
MODULE_PARM_DESC(unregister, "sync|async (default sync; async is a negative control)");

static char *pattern;
module_param(pattern, charp, 0444);
MODULE_PARM_DESC(pattern, "exit|block|cached (default exit)");

static struct ibs_uparam block_len;
module_param_cb(block_len, &ibs_uparam_ops, &block_len, 0444);
__MODULE_PARM_TYPE(block_len, "uint");
MODULE_PARM_DESC(block_len, "accesses per SRCU section, block/cached (1..100000, default 64)");

static char *barrier;
module_param(barrier, charp, 0444);
MODULE_PARM_DESC(barrier, "none|mb: barrier after srcu_read_lock() (default mb)");

static char *guest_sync;
module_param(guest_sync, charp, 0444);
MODULE_PARM_DESC(guest_sync, "acquire|relaxed: the guest's load of the completed generation (default relaxed, a plain load)");

static struct ibs_uparam max_pending;
module_param_cb(max_pending, &ibs_uparam_ops, &max_pending, 0444);
__MODULE_PARM_TYPE(max_pending, "uint");
MODULE_PARM_DESC(max_pending, "retired, unfreed buses per VM before writers wait; 0 = unbounded");

static struct ibs_uparam quarantine;
module_param_cb(quarantine, &ibs_uparam_ops, &quarantine, 0444);
__MODULE_PARM_TYPE(quarantine, "uint");
MODULE_PARM_DESC(quarantine, "0 = kfree freed objects at once (for KASAN); else keep them poisoned until an SRCU grace period (default 4096)");

static struct ibs_uparam probe_us;
module_param_cb(probe_us, &ibs_uparam_ops, &probe_us, 0444);
__MODULE_PARM_TYPE(probe_us, "uint");
MODULE_PARM_DESC(probe_us, "period (us) of a timed synchronize_srcu_expedited(); 0 = off");

static char *probe_mode;
module_param(probe_mode, charp, 0444);
MODULE_PARM_DESC(probe_mode, "periodic|back-to-back: a probe every probe_us, or one synchronize_srcu_expedited() after the other (probe_us=0) (default periodic)");

static struct ibs_uparam write_delay_us;
module_param_cb(write_delay_us, &ibs_uparam_ops, &write_delay_us, 0444);
__MODULE_PARM_TYPE(write_delay_us, "uint");
MODULE_PARM_DESC(write_delay_us, "pause (us) between a writer's operations (default 0)");

static struct ibs_uparam bind_readers;
module_param_cb(bind_readers, &ibs_uparam_ops, &bind_readers, 0444);
__MODULE_PARM_TYPE(bind_readers, "uint");
MODULE_PARM_DESC(bind_readers, "1 = bind reader i to the i-th online CPU (default 0)");

static struct ibs_uparam timed_loops;
module_param_cb(timed_loops, &ibs_uparam_ops, &timed_loops, 0444);
__MODULE_PARM_TYPE(timed_loops, "uint");
MODULE_PARM_DESC(timed_loops, "exits per timed loop, interrupts off, as refscale times its loop: ns_per_exit is then the loops' time (pattern=exit; 0 = off, ns_per_exit is the run time)");

static struct ibs_uparam fail_alloc_every;
module_param_cb(fail_alloc_every, &ibs_uparam_ops, &fail_alloc_every, 0444);
__MODULE_PARM_TYPE(fail_alloc_every, "uint");
MODULE_PARM_DESC(fail_alloc_every, "fail every Nth bus allocation with -ENOMEM; 0 = never");

static char *vcpu_sync;
module_param(vcpu_sync, charp, 0444);
MODULE_PARM_DESC(vcpu_sync, "first|all: which vCPU creations do the memslot-swap expedited sync (default first, as x86)");

static struct ibs_uparam ioeventfd_pct;
module_param_cb(ioeventfd_pct, &ibs_uparam_ops, &ioeventfd_pct, 0444);
__MODULE_PARM_TYPE(ioeventfd_pct, "uint");
MODULE_PARM_DESC(ioeventfd_pct, "percent of devices that are ioeventfds, outside the 1000-range limit (0..100, default 0)");

static struct ibs_uparam duration_ms;
module_param_cb(duration_ms, &ibs_uparam_ops, &duration_ms, 0444);
__MODULE_PARM_TYPE(duration_ms, "uint");
MODULE_PARM_DESC(duration_ms, "stop the run after this many ms; 0 = at stop or rmmod");

static char *seed;
module_param(seed, charp, 0444);
MODULE_PARM_DESC(seed, "u64 seed of every thread's random sequence (default 1)");

static bool autostart;
module_param(autostart, bool, 0444);
MODULE_PARM_DESC(autostart, "start a run at load; it ends after duration_ms, 'End of test'");

/*
 * Not a config key: a KCSAN negative control, fixed for the module's life
 * (iobus_stress.h, README KCSAN).  Validated by ibs_params_apply(): an
 * unknown name, or any value but none on a kernel without CONFIG_KCSAN,
 * refuses the load.
 */
static char *kcsan_break;
module_param(kcsan_break, charp, 0444);
MODULE_PARM_DESC(kcsan_break, "none|publish|gen|gen-wmb|block-rmb|deref: remove one ordering, for KCSAN to report (CONFIG_KCSAN kernels only; default none)");

static const char * const kcsan_break_names[] = {
	[IBS_KB_NONE] = "none",
	[IBS_KB_PUBLISH] = "publish",
	[IBS_KB_GEN] = "gen",
	[IBS_KB_GEN_WMB] = "gen-wmb",
	[IBS_KB_BLOCK_RMB] = "block-rmb",
	[IBS_KB_DEREF] = "deref",
};

u32 ibs_kcsan_break;

static int ibs_kcsan_break_apply(void)
{
	int i;

	if (!kcsan_break)
		return 0;
	i = match_string(kcsan_break_names, ARRAY_SIZE(kcsan_break_names),
			 kcsan_break);
	if (i < 0) {
		pr_warn("parameter kcsan_break: bad value '%s' (allowed: none, publish, gen, gen-wmb, block-rmb, deref)\n",
			kcsan_break);
		return -EINVAL;
	}
	if (i != IBS_KB_NONE && !IS_ENABLED(CONFIG_KCSAN)) {
		pr_warn("parameter kcsan_break=%s needs a CONFIG_KCSAN kernel\n",
			kcsan_break);
		return -EOPNOTSUPP;
	}
	ibs_kcsan_break = i;
	if (i != IBS_KB_NONE)
		pr_warn("kcsan_break=%s: a negative control, this module is broken on purpose\n",
			kcsan_break);
	return 0;
}

/*
 * Not a config key: how long a negative control's writer waits for a
 * reader to hold what it is about to free (writer.c, ibs_wait_holder()).
 * 0 turns the wait off: the controls as they were, which missed by chance
 * (a control of the controls: README, Negative controls).
 */
unsigned int ibs_hold_wait_us = 4000;
module_param_named(hold_wait_us, ibs_hold_wait_us, uint, 0444);
MODULE_PARM_DESC(hold_wait_us, "negative controls: the writer waits at most this long (us) for a reader holding what it frees (0..1000000, 0: no wait; default 4000)");

static void ibs_put_uint(char *buf, size_t size, size_t *len, const char *key,
			 const struct ibs_uparam *p)
{
	if (p->set)
		*len += scnprintf(buf + *len, size - *len, "%s=%s ", key, p->val);
}

/* A string parameter is one token: no blank may smuggle in another key. */
static int ibs_put_str(char *buf, size_t size, size_t *len, const char *key,
		       const char *v)
{
	if (!v)
		return 0;
	if (strpbrk(v, " \t\n")) {
		pr_warn("parameter %s='%s' contains a blank\n", key, v);
		return -EINVAL;
	}
	*len += scnprintf(buf + *len, size - *len, "%s=%s ", key, v);
	return 0;
}

/* Apply the parameters given at load to ibs_cfg. */
int ibs_params_apply(bool *start)
{
	size_t size = 2048, len = 0;
	char *buf;
	int ret = 0;

	buf = kzalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	ibs_put_uint(buf, size, &len, "instances", &instances);
	ibs_put_uint(buf, size, &len, "writers", &writers);
	ibs_put_uint(buf, size, &len, "readers", &readers);
	ibs_put_uint(buf, size, &len, "devices", &devices);
	ibs_put_uint(buf, size, &len, "early_devices", &early_devices);
	ret |= ibs_put_str(buf, size, &len, "workload", workload);
	ret |= ibs_put_str(buf, size, &len, "reclaim", reclaim);
	ret |= ibs_put_str(buf, size, &len, "unregister", unregister);
	ret |= ibs_put_str(buf, size, &len, "pattern", pattern);
	ibs_put_uint(buf, size, &len, "block_len", &block_len);
	ret |= ibs_put_str(buf, size, &len, "barrier", barrier);
	ret |= ibs_put_str(buf, size, &len, "guest_sync", guest_sync);
	ibs_put_uint(buf, size, &len, "max_pending", &max_pending);
	ibs_put_uint(buf, size, &len, "quarantine", &quarantine);
	ibs_put_uint(buf, size, &len, "probe_us", &probe_us);
	ret |= ibs_put_str(buf, size, &len, "probe_mode", probe_mode);
	ibs_put_uint(buf, size, &len, "write_delay_us", &write_delay_us);
	ibs_put_uint(buf, size, &len, "bind_readers", &bind_readers);
	ibs_put_uint(buf, size, &len, "timed_loops", &timed_loops);
	ibs_put_uint(buf, size, &len, "fail_alloc_every", &fail_alloc_every);
	ret |= ibs_put_str(buf, size, &len, "vcpu_sync", vcpu_sync);
	ibs_put_uint(buf, size, &len, "ioeventfd_pct", &ioeventfd_pct);
	ibs_put_uint(buf, size, &len, "duration_ms", &duration_ms);
	ret |= ibs_put_str(buf, size, &len, "seed", seed);
	ibs_config_defaults(&ibs_cfg);
	if (!ret)
		ret = ibs_config_parse(&ibs_cfg, buf);
	kfree(buf);
	if (!ret)
		ret = ibs_kcsan_break_apply();
	if (!ret && ibs_hold_wait_us > IBS_HOLD_WAIT_US_MAX) {
		pr_warn("parameter hold_wait_us=%u: above %u\n",
			ibs_hold_wait_us, IBS_HOLD_WAIT_US_MAX);
		ret = -EINVAL;
	}
	*start = autostart;
	return ret;
}
