// SPDX-License-Identifier: GPL-2.0
/*
 * Run configuration: one table of keys, used by the debugfs config file and
 * by the module parameters.  A write is validated completely before any of
 * it is applied.
 */
#define pr_fmt(fmt) "iobus_stress: " fmt

#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "compat.h"
#include "iobus_stress.h"

struct ibs_config ibs_cfg;

static const char * const workload_names[] = { "churn", "boot", NULL };
static const char * const reclaim_names[] = {
	"sync-expedited", "sync", "call-srcu", "expedited-worker", "poll",
	"hybrid", "unsafe", "expedite-current", NULL
};

static const char * const unregister_names[] = { "sync", "async", NULL };
static const char * const pattern_names[] = { "exit", "block", "cached", NULL };
static const char * const barrier_names[] = { "none", "mb", NULL };
static const char * const guest_sync_names[] = { "acquire", "relaxed", NULL };
static const char * const vcpu_sync_names[] = { "first", "all", NULL };
static const char * const probe_mode_names[] = { "periodic", "back-to-back", NULL };

struct ibs_key {
	const char *name;
	size_t off;
	bool wide;			/* u64 rather than u32 */
	u64 lo, hi;			/* number keys: the allowed range */
	const char * const *names;	/* enum keys: the allowed names */
	u64 def;
};

#define U32KEY(n, l, h, d) \
	{ .name = #n, .off = offsetof(struct ibs_config, n), \
	  .lo = l, .hi = h, .def = d }
#define ENUMKEY(n, d) \
	{ .name = #n, .off = offsetof(struct ibs_config, n), \
	  .names = n##_names, .def = d }

static const struct ibs_key ibs_keys[] = {
	U32KEY(instances, 1, 64, 1),
	U32KEY(writers, 1, 16, 1),
	U32KEY(readers, 0, 64, 2),
	U32KEY(devices, 1, 2 * IBS_MAX_RANGES, 32),	/* > 1000: -ENOSPC */
	U32KEY(early_devices, 0, 2 * IBS_MAX_RANGES, 6),
	ENUMKEY(workload, IBS_WL_CHURN),
	ENUMKEY(reclaim, IBS_RC_CALL_SRCU),
	ENUMKEY(unregister, IBS_UNREG_SYNC),
	ENUMKEY(pattern, IBS_PAT_EXIT),
	U32KEY(block_len, 1, 100000, 64),
	ENUMKEY(barrier, IBS_BAR_MB),
	ENUMKEY(guest_sync, IBS_GS_RELAXED),
	U32KEY(max_pending, 0, 10000000, 0),
	U32KEY(quarantine, 0, 1000000, 4096),
	U32KEY(probe_us, 0, 10000000, 0),
	ENUMKEY(probe_mode, IBS_PM_PERIODIC),
	U32KEY(write_delay_us, 0, 10000000, 0),
	U32KEY(bind_readers, 0, 1, 0),
	U32KEY(timed_loops, 0, IBS_MAX_TIMED_LOOPS, 0),
	U32KEY(fail_alloc_every, 0, 1000000, 0),
	ENUMKEY(vcpu_sync, IBS_VS_FIRST),
	U32KEY(ioeventfd_pct, 0, 100, 0),
	U32KEY(duration_ms, 0, 86400000, 0),
	{ .name = "seed", .off = offsetof(struct ibs_config, seed), .wide = true,
	  .lo = 0, .hi = U64_MAX, .def = 1 },
};

const char *ibs_reclaim_name(u32 reclaim)
{
	return reclaim < IBS_RC_NR ? reclaim_names[reclaim] : "?";
}

const char *ibs_pattern_name(u32 pattern)
{
	return pattern <= IBS_PAT_CACHED ? pattern_names[pattern] : "?";
}

static u64 ibs_key_get(const struct ibs_config *c, const struct ibs_key *k)
{
	const void *p = (const char *)c + k->off;

	return k->wide ? *(const u64 *)p : *(const u32 *)p;
}

static void ibs_key_set(struct ibs_config *c, const struct ibs_key *k, u64 v)
{
	void *p = (char *)c + k->off;

	if (k->wide)
		*(u64 *)p = v;
	else
		*(u32 *)p = v;
}

void ibs_config_defaults(struct ibs_config *c)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ibs_keys); i++)
		ibs_key_set(c, &ibs_keys[i], ibs_keys[i].def);
}

static int ibs_key_parse(const struct ibs_key *k, const char *val, u64 *v)
{
	int i;

	if (k->names) {
		i = match_string(k->names, -1, val);
		if (i < 0)
			return -EINVAL;
		*v = i;
		return 0;
	}
	if (kstrtou64(val, 0, v) || *v < k->lo || *v > k->hi)
		return -EINVAL;
	return 0;
}

static void ibs_key_warn(const struct ibs_key *k, const char *val)
{
	int i;

	if (k->names) {
		char allowed[128] = "";

		for (i = 0; k->names[i]; i++)
			snprintf(allowed + strlen(allowed),
				 sizeof(allowed) - strlen(allowed), "%s%s",
				 i ? "|" : "", k->names[i]);
		pr_warn("config: bad value '%s' for %s (allowed: %s)\n",
			val, k->name, allowed);
	} else {
		pr_warn("config: bad value '%s' for %s (allowed: %llu..%llu)\n",
			val, k->name, k->lo, k->hi);
	}
}

/* Rules between keys, checked on the whole candidate configuration. */
static int ibs_config_check(const struct ibs_config *c)
{
	if (c->reclaim == IBS_RC_EXPEDITE_CURRENT &&
	    !IBS_HAS_EXPEDITE_CURRENT) {
		pr_warn("config: reclaim=expedite-current needs srcu_expedite_current(), which this kernel does not have\n");
		return -EOPNOTSUPP;
	}
	if (c->probe_mode == IBS_PM_BACK_TO_BACK && c->probe_us) {
		pr_warn("config: probe_mode=back-to-back does not sleep between probes: probe_us must be 0\n");
		return -EINVAL;
	}
	if (c->timed_loops && c->pattern != IBS_PAT_EXIT) {
		pr_warn("config: timed_loops times pattern=exit's exits only\n");
		return -EINVAL;
	}
	if (c->instances * (c->writers + c->readers + 3) > 512) {
		pr_warn("config: instances * (writers + readers) too large (at most 512 threads)\n");
		return -EINVAL;
	}
	return 0;
}

/*
 * Parse whitespace-separated key=value tokens in @buf (modified) into @c;
 * the token "defaults" resets every key before the ones that follow it.
 * Nothing is written to @c unless every token is valid.
 */
int ibs_config_parse(struct ibs_config *c, char *buf)
{
	struct ibs_config tmp = *c;
	char *tok, *val;
	size_t i;
	u64 v;
	int ret;

	while ((tok = strsep(&buf, " \t\n")) != NULL) {
		if (!*tok)
			continue;
		if (!strcmp(tok, "defaults")) {
			ibs_config_defaults(&tmp);
			continue;
		}
		val = strchr(tok, '=');
		if (!val) {
			pr_warn("config: '%s' is not key=value\n", tok);
			return -EINVAL;
		}
		*val++ = '\0';
		for (i = 0; i < ARRAY_SIZE(ibs_keys); i++)
			if (!strcmp(tok, ibs_keys[i].name))
				break;
		if (i == ARRAY_SIZE(ibs_keys)) {
			pr_warn("config: unknown key '%s'\n", tok);
			return -EINVAL;
		}
		ret = ibs_key_parse(&ibs_keys[i], val, &v);
		if (ret) {
			ibs_key_warn(&ibs_keys[i], val);
			return ret;
		}
		ibs_key_set(&tmp, &ibs_keys[i], v);
	}
	ret = ibs_config_check(&tmp);
	if (ret)
		return ret;
	*c = tmp;
	return 0;
}

/* Every key as "key<sep>value", one per line. */
void ibs_config_show(struct seq_file *m, const struct ibs_config *c,
		     const char *sep)
{
	const struct ibs_key *k;
	size_t i;
	u64 v;

	for (i = 0; i < ARRAY_SIZE(ibs_keys); i++) {
		k = &ibs_keys[i];
		v = ibs_key_get(c, k);
		if (k->names)
			seq_printf(m, "%s%s%s\n", k->name, sep, k->names[v]);
		else
			seq_printf(m, "%s%s%llu\n", k->name, sep, v);
	}
}
