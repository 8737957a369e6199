// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters: the initial run configuration (every key of keys.h,
 * same names, same validation) plus autostart for boot-time runs.
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

/*
 * One parameter per key of keys.h, with its range, unit and default in
 * modinfo: numbers as ibs_uparam (their text goes to the validator), enum
 * names and the u64 seed as strings.  Three passes over keys.h: the
 * variables and parameters, their types, their descriptions.
 */
#define IBS_NUM(n, ...)							\
	static struct ibs_uparam ibs_p_##n;				\
	module_param_cb(n, &ibs_uparam_ops, &ibs_p_##n, 0444)
#define IBS_U64(n, ...)							\
	static char *ibs_p_##n;						\
	module_param_named(n, ibs_p_##n, charp, 0444)
#define IBS_ENUM(n, ...)						\
	static char *ibs_p_##n;						\
	module_param_named(n, ibs_p_##n, charp, 0444)
#include "keys.h"
#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM

#define IBS_NUM(n, ...)		__MODULE_PARM_TYPE(n, "uint")
#define IBS_U64(...)		static_assert(1)
#define IBS_ENUM(...)		static_assert(1)
#include "keys.h"
#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM

#define IBS_NUM(n, l, h, d, u, hlp)					\
	MODULE_PARM_DESC(n, hlp " (" #l ".." #h " " u ", default " #d ")")
#define IBS_U64(n, d, hlp)						\
	MODULE_PARM_DESC(n, hlp " (u64, default " #d ")")
#define IBS_ENUM(n, l, d, hlp)						\
	MODULE_PARM_DESC(n, l ": " hlp " (default " d ")")
#include "keys.h"
#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM

static bool autostart;
module_param(autostart, bool, 0444);
MODULE_PARM_DESC(autostart, "start a run at load; it ends after duration_ms, 'End of test'");

/*
 * Not a config key: a KCSAN negative control, fixed for the module's life
 * (iobus_stress.h, docs/kcsan.md).  Validated by ibs_params_apply(): an
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
 * (a control of the controls: docs/controls.md).
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
#define IBS_NUM(n, ...)	ibs_put_uint(buf, size, &len, #n, &ibs_p_##n)
#define IBS_U64(n, ...)	(ret |= ibs_put_str(buf, size, &len, #n, ibs_p_##n))
#define IBS_ENUM(n, ...) (ret |= ibs_put_str(buf, size, &len, #n, ibs_p_##n))
#include "keys.h"
#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM
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
