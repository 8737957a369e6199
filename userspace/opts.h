/* SPDX-License-Identifier: GPL-2.0 */
/* Config keys of the module, their flags and validation. */
#ifndef IOBUS_OPTS_H
#define IOBUS_OPTS_H

#include <stddef.h>

#define OPT_MAX_KEYS 32

struct key_spec {
	const char *name;
	unsigned long long min, max;	/* numeric keys */
	const char *values;		/* enum keys: "a|b|c", else NULL */
};

extern const struct key_spec key_specs[];
extern const size_t n_key_specs;

/* The key=value pairs a user gave, already validated. */
struct kv_set {
	size_t n;
	const char *key[OPT_MAX_KEYS];
	char value[OPT_MAX_KEYS][64];
};

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
/* Split "a,b,c" checking each item against @k; returns count or -1. */
int list_parse(const struct key_spec *k, const char *list, char items[][64],
	       int max, char *err, size_t errlen);

#endif
