// SPDX-License-Identifier: GPL-2.0
/*
 * Run configuration: the keys of keys.h as one table, used by the debugfs
 * config and keys files and by the module parameters.  A write is
 * validated completely before any of it is applied.
 */
#define pr_fmt(fmt) "iobus_stress: " fmt

#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "compat.h"
#include "iobus_stress.h"

struct ibs_config ibs_cfg;

static const char * const workload_names[] = { "churn", "boot", NULL };
/* The strategies' names, from their ops (reclaim.c), at load. */
static const char *reclaim_names[IBS_RC_NR + 1] __ro_after_init;

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
	const char * const *names;	/* enum keys: the allowed names, */
	const char *list;		/* and as keys.h lists them */
	const char *def_name;		/* enum keys: the default's name */
	u64 def;			/* number keys: the default */
	const char *unit, *help;
};

/* As many keys as keys.h lists: one char each. */
#define IBS_NUM(n, ...)		char n
#define IBS_U64(n, ...)		char n
#define IBS_ENUM(n, ...)	char n
struct ibs_key_count {
#include "keys.h"
};

#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM
#define IBS_NKEYS sizeof(struct ibs_key_count)

/* keys.h, filled in by ibs_config_init() at load. */
static struct ibs_key ibs_keys[IBS_NKEYS] __ro_after_init;

/* Enum keys' defaults, as indices, found by ibs_config_init(). */
static u64 ibs_key_enum_def[IBS_NKEYS] __ro_after_init;

/*
 * At load: every enum key's names as keys.h lists them, in its order (the
 * index is the value the code compares with), and its default among them.
 */
int __init ibs_config_init(void)
{
	struct ibs_key *k = ibs_keys;
	size_t i, len;
	int j, d;

	for (i = 0; i < IBS_RC_NR; i++)
		reclaim_names[i] = ibs_reclaim_ops[i].name;

#define IBS_NUM(n, l, h, d, u, hlp)					\
	(*k++ = (struct ibs_key){ .name = #n,				\
		.off = offsetof(struct ibs_config, n),			\
		.lo = (l), .hi = (h), .def = (d), .unit = (u), .help = (hlp) })
#define IBS_U64(n, d, hlp)						\
	(*k++ = (struct ibs_key){ .name = #n,				\
		.off = offsetof(struct ibs_config, n), .wide = true,	\
		.hi = U64_MAX, .def = (d), .unit = "", .help = (hlp) })
#define IBS_ENUM(n, l, d, hlp)						\
	(*k++ = (struct ibs_key){ .name = #n,				\
		.off = offsetof(struct ibs_config, n),			\
		.names = n##_names, .list = (l), .def_name = (d),	\
		.unit = "", .help = (hlp) })
#include "keys.h"
#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM

	for (i = 0; i < ARRAY_SIZE(ibs_keys); i++) {
		const char *p;

		k = &ibs_keys[i];
		if (!k->names)
			continue;
		p = k->list;
		for (j = 0; k->names[j]; j++) {
			len = strlen(k->names[j]);
			if (strncmp(p, k->names[j], len) ||
			    (p[len] != '|' && p[len] != '\0'))
				goto bad;
			p += len + (p[len] == '|');
		}
		if (*p)
			goto bad;
		d = match_string(k->names, -1, k->def_name);
		if (d < 0)
			goto bad;
		ibs_key_enum_def[i] = d;
	}
	/* keys.h states numbers as literals (modinfo); they meet the code's. */
	for (i = 0; i < ARRAY_SIZE(ibs_keys); i++) {
		k = &ibs_keys[i];
		if ((!strcmp(k->name, "devices") ||
		     !strcmp(k->name, "early_devices")) &&
		    k->hi != 2 * IBS_MAX_RANGES)
			goto bad_range;
		if (!strcmp(k->name, "timed_loops") &&
		    k->hi != IBS_MAX_TIMED_LOOPS)
			goto bad_range;
	}
	return 0;
bad_range:
	pr_err("keys.h: %s up to %llu, the code's limit differs\n", k->name,
	       k->hi);
	return -EINVAL;
bad:
	pr_err("keys.h lists %s as '%s': not its names in config.c, or no default '%s'\n",
	       k->name, k->list, k->def_name);
	return -EINVAL;
}

const char *ibs_reclaim_name(u32 reclaim)
{
	return reclaim < IBS_RC_NR ? ibs_reclaim_ops[reclaim].name : "?";
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
		ibs_key_set(c, &ibs_keys[i], ibs_keys[i].names ?
			    ibs_key_enum_def[i] : ibs_keys[i].def);
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
	const struct ibs_reclaim_ops *ops = &ibs_reclaim_ops[c->reclaim];

	if (ops->available && !ops->available()) {
		pr_warn("config: reclaim=%s needs %s, which this kernel does not have\n",
			ops->name, ops->needs);
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

/*
 * The debugfs keys file: one line per key, tab-separated: name, type
 * (u32, u64, enum), allowed values (LO..HI, or the names joined by '|'),
 * default, unit ("-" for none), help.
 */
void ibs_config_keys_show(struct seq_file *m)
{
	const struct ibs_key *k;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ibs_keys); i++) {
		k = &ibs_keys[i];
		if (k->names)
			seq_printf(m, "%s\tenum\t%s\t%s\t-\t%s\n", k->name,
				   k->list, k->def_name, k->help);
		else
			seq_printf(m, "%s\t%s\t%llu..%llu\t%llu\t%s\t%s\n",
				   k->name, k->wide ? "u64" : "u32", k->lo,
				   k->hi, k->def, *k->unit ? k->unit : "-",
				   k->help);
	}
}
