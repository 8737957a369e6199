// SPDX-License-Identifier: GPL-2.0
/* Config keys of the module (module/config.c), their flags and validation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_keys.h"
#include "num.h"

const char *const reclaim_names[] = {
	"sync-expedited", "sync", "call-srcu", "expedited-worker", "poll",
	"hybrid", "expedite-current", "unsafe", NULL,
};
const char *const pattern_names[] = { "exit", "block", "cached", NULL };
static const char *const workload_names[] = { "churn", "boot", NULL };
static const char *const unregister_names[] = { "sync", "async", NULL };
static const char *const barrier_names[] = { "none", "mb", NULL };
static const char *const guest_sync_names[] = { "acquire", "relaxed", NULL };
static const char *const vcpu_sync_names[] = { "first", "all", NULL };
static const char *const probe_mode_names[] = { "periodic", "back-to-back", NULL };

/*
 * Strategies only some kernels' modules offer (e.g. a 7.3-only one): a
 * default matrix or boot skips them, with a line, when the module rejects
 * them; named with --reclaim, a rejection is an error.
 */
/* Strategies a module may lack (its kernel lacks the API): skipped, loudly. */
static const char *const reclaim_optional[] = { "expedite-current", NULL };

int reclaim_is_optional(const char *name)
{
	const char *const *p;

	for (p = reclaim_optional; *p; p++)
		if (!strcmp(*p, name))
			return 1;
	return 0;
}

int reclaim_is_control(const char *name)
{
	return !strcmp(name, "unsafe");
}

const struct key_spec key_specs[] = {
	{ "instances", 1, 64, NULL },
	{ "writers", 1, 16, NULL },
	{ "readers", 0, 64, NULL },
	{ "devices", 1, 2000, NULL },
	{ "early_devices", 0, 2000, NULL },
	{ "workload", 0, 0, workload_names },
	{ "reclaim", 0, 0, reclaim_names },
	{ "unregister", 0, 0, unregister_names },
	{ "pattern", 0, 0, pattern_names },
	{ "block_len", 1, 100000, NULL },
	{ "barrier", 0, 0, barrier_names },
	{ "guest_sync", 0, 0, guest_sync_names },
	{ "max_pending", 0, 10000000, NULL },
	{ "quarantine", 0, 1000000, NULL },
	{ "probe_us", 0, 10000000, NULL },
	{ "probe_mode", 0, 0, probe_mode_names },
	{ "write_delay_us", 0, 10000000, NULL },
	{ "bind_readers", 0, 1, NULL },
	{ "timed_loops", 0, 10000, NULL },
	{ "fail_alloc_every", 0, 1000000, NULL },
	{ "vcpu_sync", 0, 0, vcpu_sync_names },
	{ "ioeventfd_pct", 0, 100, NULL },
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

const char *key_flag(const struct key_spec *k, char *buf, size_t len)
{
	size_t i;

	for (i = 0; k->name[i] && i + 1 < len; i++)
		buf[i] = k->name[i] == '_' ? '-' : k->name[i];
	buf[i] = '\0';
	return buf;
}

const char *key_values(const struct key_spec *k, char *buf, size_t len)
{
	size_t i, pos = 0;

	buf[0] = '\0';
	for (i = 0; k->values && k->values[i] && pos < len; i++)
		pos += snprintf(buf + pos, len - pos, "%s%s", i ? "|" : "",
				k->values[i]);
	return buf;
}

static int enum_has(const char *const *values, const char *v)
{
	for (; *values; values++)
		if (!strcmp(*values, v))
			return 1;
	return 0;
}

int key_validate(const struct key_spec *k, const char *value, char *err,
		 size_t errlen)
{
	unsigned long long v;
	char vals[256], flag[64];

	key_flag(k, flag, sizeof(flag));
	if (k->values) {
		if (strlen(value) < 64 && enum_has(k->values, value))
			return 0;
		snprintf(err, errlen, "bad value '%s' for --%s (allowed: %s)",
			 value, flag, key_values(k, vals, sizeof(vals)));
		return -1;
	}
	if (!parse_u64(value, k->min, k->max, &v))
		return 0;
	snprintf(err, errlen,
		 "bad value '%s' for --%s (allowed: decimal %llu..%llu)",
		 value, flag, k->min, k->max);
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
		if (s->n == sizeof(s->key) / sizeof(s->key[0])) {
			snprintf(err, errlen, "too many keys (%zu)", s->n);
			return -1;
		}
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

int list_parse(const struct key_spec *k, const char *list, char (**items)[64],
	       char *err, size_t errlen)
{
	char *buf = strdup(list), *tok, *save = NULL;
	char (*out)[64] = NULL, (*grown)[64];
	int n = 0;

	*items = NULL;
	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (key_validate(k, tok, err, errlen))
			goto bad;
		grown = realloc(out, (n + 1) * sizeof(*out));
		if (!grown) {
			snprintf(err, errlen, "out of memory");
			goto bad;
		}
		out = grown;
		snprintf(out[n++], 64, "%s", tok);
	}
	free(buf);
	if (!n) {
		snprintf(err, errlen, "empty list for --%s", k->name);
		free(out);
		return -1;
	}
	*items = out;
	return n;
bad:
	free(buf);
	free(out);
	return -1;
}
