/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's config keys, from the module's own list (module/keys.h):
 * names, ranges, the names of the reclaim strategies and reader patterns,
 * and validated key=value sets.
 */
#ifndef IOBUS_CONFIG_KEYS_H
#define IOBUS_CONFIG_KEYS_H

#include <stddef.h>

struct key_spec {
	const char *name;		/* as the module spells it: block_len */
	unsigned long long min, max;	/* numeric keys */
	const char *const *values;	/* enum keys (NULL-terminated), else NULL */
};

/* module/keys.h's keys, in its order (filled in before main()). */
extern struct key_spec key_specs[];
extern const size_t n_key_specs;

/* Reclaim strategies (the negative controls last) and reader patterns. */
extern const char *const *reclaim_names;
extern const char *const *pattern_names;
/* 1 for a negative control strategy (not part of the boot model). */
int reclaim_is_control(const char *name);
/* 1 for a strategy that only some kernels' modules offer. */
int reclaim_is_optional(const char *name);

/* The flag of a key: "block_len" -> "block-len" in @buf. */
const char *key_flag(const struct key_spec *k, char *buf, size_t len);
/* "a|b|c" of an enum key, in @buf. */
const char *key_values(const struct key_spec *k, char *buf, size_t len);

/* The key=value pairs a user gave, already validated: one per key. */
struct kv_set {
	size_t n;
	const char *key[64];
	char value[64][64];
};

/* Accepts "block_len", "block-len", "--block-len". */
const struct key_spec *key_find(const char *flag_or_key);
/* 0 if @value is valid for @k; else writes a reason to @err. */
int key_validate(const struct key_spec *k, const char *value, char *err,
		 size_t errlen);
/* Set (or replace) @key=@value after validating; 0 or -1 with @err. */
int kv_set_put(struct kv_set *s, const char *key, const char *value,
	       char *err, size_t errlen);
const char *kv_set_get(const struct kv_set *s, const char *key);
/* "defaults k1=v1 k2=v2 ..." as written to the module's config file. */
int kv_set_format(const struct kv_set *s, char *buf, size_t len);
/*
 * Split "a,b,c" checking each item against @k; returns the count (>= 1)
 * and a malloc'd array in @items, or -1 with @err.
 */
int list_parse(const struct key_spec *k, const char *list, char (**items)[64],
	       char *err, size_t errlen);

/*
 * Compare the loaded module's debugfs keys file (@text: per line name,
 * type, LO..HI or a|b|c, default, unit, help, tab-separated) with this
 * driver's keys.  0 when every name, range and enum list agree; 1 with the
 * first differences in @err ("devices: 1..1000 in the module, 1..2000
 * here; ..."), or -1 with @err naming a line that is not a keys line.
 */
int keys_compare(const char *text, char *err, size_t errlen);

#endif
