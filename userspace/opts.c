// SPDX-License-Identifier: GPL-2.0
/* Config keys of the module (module/config.c), their flags and validation. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "opts.h"

const struct key_spec key_specs[] = {
	{ "instances", 1, 64, NULL },
	{ "writers", 1, 16, NULL },
	{ "readers", 0, 64, NULL },
	{ "devices", 1, 1000, NULL },
	{ "early_devices", 0, 1000, NULL },
	{ "workload", 0, 0, "churn|boot" },
	{ "reclaim", 0, 0,
	  "sync-expedited|sync|call-srcu|expedited-worker|poll|hybrid|unsafe|"
	  "expedite-current" },
	{ "unregister", 0, 0, "sync|async" },
	{ "pattern", 0, 0, "exit|block|cached" },
	{ "block_len", 1, 100000, NULL },
	{ "barrier", 0, 0, "none|mb" },
	{ "guest_sync", 0, 0, "acquire|relaxed" },
	{ "max_pending", 0, 10000000, NULL },
	{ "quarantine", 0, 1000000, NULL },
	{ "probe_us", 0, 10000000, NULL },
	{ "write_delay_us", 0, 10000000, NULL },
	{ "bind_readers", 0, 1, NULL },
	{ "fail_alloc_every", 0, 1000000, NULL },
	{ "duration_ms", 0, 86400000, NULL },
	{ "seed", 0, 18446744073709551615ULL, NULL },
};
const size_t n_key_specs = sizeof(key_specs) / sizeof(key_specs[0]);

/* Accepts "block_len", "block-len", "--block-len". */
const struct key_spec *key_find(const char *flag)
{
	char name[64];
	size_t i;

	while (*flag == '-')
		flag++;
	if (strlen(flag) >= sizeof(name))
		return NULL;
	for (i = 0; flag[i]; i++)
		name[i] = flag[i] == '-' ? '_' : flag[i];
	name[i] = '\0';
	for (i = 0; i < n_key_specs; i++)
		if (!strcmp(key_specs[i].name, name))
			return &key_specs[i];
	return NULL;
}

static int enum_has(const char *values, const char *v)
{
	size_t n = strlen(v);
	const char *p = values;

	while (p) {
		if (!strncmp(p, v, n) && (p[n] == '|' || p[n] == '\0'))
			return 1;
		p = strchr(p, '|');
		if (p)
			p++;
	}
	return 0;
}

int key_validate(const struct key_spec *k, const char *value, char *err,
		 size_t errlen)
{
	unsigned long long v;
	char *end;
	const char *p;

	if (!*value || strlen(value) >= 64)
		goto bad;
	if (k->values) {
		if (enum_has(k->values, value))
			return 0;
		snprintf(err, errlen, "bad value '%s' for --%s (allowed: %s)",
			 value, k->name, k->values);
		return -1;
	}
	for (p = value; *p; p++)
		if (!isdigit((unsigned char)*p) &&
		    !(p == value + 1 && (*p == 'x' || *p == 'X') &&
		      value[0] == '0'))
			goto bad;
	errno = 0;
	v = strtoull(value, &end, 0);
	if (errno || *end || v < k->min || v > k->max)
		goto bad;
	return 0;
bad:
	if (k->values)
		snprintf(err, errlen, "bad value '%s' for --%s (allowed: %s)",
			 value, k->name, k->values);
	else
		snprintf(err, errlen,
			 "bad value '%s' for --%s (allowed: %llu..%llu)",
			 value, k->name, k->min, k->max);
	return -1;
}

int kv_set_put(struct kv_set *s, const char *key, const char *value,
	       char *err, size_t errlen)
{
	const struct key_spec *k = key_find(key);
	size_t i;

	if (!k) {
		snprintf(err, errlen, "unknown option --%s", key);
		return -1;
	}
	if (key_validate(k, value, err, errlen))
		return -1;
	for (i = 0; i < s->n; i++)
		if (s->key[i] == k->name)
			break;
	if (i == s->n) {
		if (s->n == OPT_MAX_KEYS)
			return -1;
		s->key[s->n++] = k->name;
	}
	snprintf(s->value[i], sizeof(s->value[i]), "%s", value);
	return 0;
}

const char *kv_set_get(const struct kv_set *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->key[i], key))
			return s->value[i];
	return NULL;
}

int kv_set_format(const struct kv_set *s, char *buf, size_t len)
{
	size_t i, pos;
	int n;

	n = snprintf(buf, len, "defaults");
	if (n < 0 || (size_t)n >= len)
		return -1;
	pos = n;
	for (i = 0; i < s->n; i++) {
		n = snprintf(buf + pos, len - pos, " %s=%s", s->key[i],
			     s->value[i]);
		if (n < 0 || (size_t)n >= len - pos)
			return -1;
		pos += n;
	}
	return 0;
}

int list_parse(const struct key_spec *k, const char *list, char items[][64],
	       int max, char *err, size_t errlen)
{
	char buf[512], *tok, *save = NULL;
	int n = 0;

	if (strlen(list) >= sizeof(buf)) {
		snprintf(err, errlen, "list for --%s too long", k->name);
		return -1;
	}
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == max) {
			snprintf(err, errlen, "too many items for --%s",
				 k->name);
			return -1;
		}
		if (key_validate(k, tok, err, errlen))
			return -1;
		snprintf(items[n++], 64, "%s", tok);
	}
	if (!n) {
		snprintf(err, errlen, "empty list for --%s", k->name);
		return -1;
	}
	return n;
}
