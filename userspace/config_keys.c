// SPDX-License-Identifier: GPL-2.0
/* Config keys of the module (module/keys.h), their flags and validation. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_keys.h"
#include "num.h"

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

/*
 * The keys: module/keys.h, the module's own list, expanded here as in the
 * module (config.c), so that the driver checks a value with the ranges and
 * names the module will; keys_compare() checks, at run time, that the
 * loaded module's keys file says the same (a module of another version).
 */
#define IBS_NUM(n, ...)		char n
#define IBS_U64(n, ...)		char n
#define IBS_ENUM(n, ...)	char n
struct key_count {
#include "../module/keys.h"
};
#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM

struct key_spec key_specs[sizeof(struct key_count)];
const size_t n_key_specs = sizeof(struct key_count);

/* An enum key's names: keys.h's "a|b|c" split, NULL-terminated. */
static const char *const *split_names(const char *list)
{
	size_t n = 2, i = 0;
	const char **v;
	const char *q;
	char *copy, *p, *tok;

	for (q = list; *q; q++)
		n += *q == '|';
	v = calloc(n, sizeof(*v));
	copy = strdup(list);
	if (!v || !copy) {
		fputs("iobus-stress: out of memory\n", stderr);
		exit(9);
	}
	for (tok = copy; tok; tok = p) {
		p = strchr(tok, '|');
		if (p)
			*p++ = '\0';
		v[i++] = tok;
	}
	return v;
}

const char *const *reclaim_names;
const char *const *pattern_names;

/* Matrix order: keys.h's, with the negative controls last. */
static const char *const *matrix_order(const char *const *names)
{
	size_t n = 0, i, k = 0;
	const char **v;

	while (names[n])
		n++;
	v = calloc(n + 1, sizeof(*v));
	if (!v) {
		fputs("iobus-stress: out of memory\n", stderr);
		exit(9);
	}
	for (i = 0; i < n; i++)
		if (!reclaim_is_control(names[i]))
			v[k++] = names[i];
	for (i = 0; i < n; i++)
		if (reclaim_is_control(names[i]))
			v[k++] = names[i];
	return v;
}

__attribute__((constructor)) static void keys_fill(void)
{
	struct key_spec *k = key_specs;

#define IBS_NUM(n, l, h, ...) (*k++ = (struct key_spec){ #n, (l), (h), NULL })
#define IBS_U64(n, ...) (*k++ = (struct key_spec){ #n, 0, ~0ULL, NULL })
#define IBS_ENUM(n, l, ...) (*k++ = (struct key_spec){ #n, 0, 0, split_names(l) })
#include "../module/keys.h"
#undef IBS_NUM
#undef IBS_U64
#undef IBS_ENUM
	reclaim_names = matrix_order(key_find("reclaim")->values);
	pattern_names = key_find("pattern")->values;
}

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

/* One difference more into @err (the first 3 are named, the rest counted). */
static void keys_diff(char *err, size_t errlen, int *n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void keys_diff(char *err, size_t errlen, int *n, const char *fmt, ...)
{
	size_t pos = strlen(err);
	va_list ap;

	if (++*n > 3 || pos >= errlen)
		return;
	if (pos)
		pos += snprintf(err + pos, errlen - pos, "; ");
	if (pos >= errlen)
		return;
	va_start(ap, fmt);
	vsnprintf(err + pos, errlen - pos, fmt, ap);
	va_end(ap);
}

int keys_compare(const char *text, char *err, size_t errlen)
{
	char line[1024], here[512], *f[6], *p, *end;
	unsigned char seen[sizeof(struct key_count)] = { 0 };
	const struct key_spec *k;
	unsigned long long lo, hi;
	size_t i, len, lineno = 0;
	int n = 0, j;

	err[0] = '\0';
	while (*text) {
		len = strcspn(text, "\n");
		lineno++;
		if (len >= sizeof(line)) {
			snprintf(err, errlen, "keys line %zu is longer than %zu bytes",
				 lineno, sizeof(line) - 1);
			return -1;
		}
		memcpy(line, text, len);
		line[len] = '\0';
		text += len + (text[len] == '\n');
		for (j = 0, p = line; j < 6 && p; j++) {
			f[j] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = '\0';
		}
		if (j < 6 || (strcmp(f[1], "enum") && strcmp(f[1], "u32") &&
			      strcmp(f[1], "u64"))) {
			snprintf(err, errlen, "keys line %zu is not 'name<TAB>type<TAB>allowed<TAB>default<TAB>unit<TAB>help'",
				 lineno);
			return -1;
		}
		for (i = 0; i < n_key_specs && strcmp(key_specs[i].name, f[0]); i++)
			;
		if (i == n_key_specs) {
			keys_diff(err, errlen, &n, "%s: in the module only", f[0]);
			continue;
		}
		k = &key_specs[i];
		seen[i] = 1;
		if (!strcmp(f[1], "enum")) {
			if (!k->values)
				keys_diff(err, errlen, &n, "%s: a name list in the module (%s), a number here",
					  f[0], f[2]);
			else if (strcmp(f[2], key_values(k, here, sizeof(here))))
				keys_diff(err, errlen, &n, "%s: %s in the module, %s here",
					  f[0], f[2], here);
			continue;
		}
		if (k->values) {
			keys_diff(err, errlen, &n, "%s: a number in the module (%s), names here",
				  f[0], f[2]);
			continue;
		}
		lo = strtoull(f[2], &end, 10);
		if (end == f[2] || strncmp(end, "..", 2)) {
			snprintf(err, errlen, "keys line %zu: range '%s' is not LO..HI",
				 lineno, f[2]);
			return -1;
		}
		p = end + 2;
		hi = strtoull(p, &end, 10);
		if (end == p || *end) {
			snprintf(err, errlen, "keys line %zu: range '%s' is not LO..HI",
				 lineno, f[2]);
			return -1;
		}
		if (lo != k->min || hi != k->max)
			keys_diff(err, errlen, &n, "%s: %llu..%llu in the module, %llu..%llu here",
				  f[0], lo, hi, k->min, k->max);
	}
	for (i = 0; i < n_key_specs; i++)
		if (!seen[i])
			keys_diff(err, errlen, &n, "%s: here only",
				  key_specs[i].name);
	if (n > 3) {
		len = strlen(err);
		snprintf(err + len, errlen - len, "; %d more", n - 3);
	}
	return n ? 1 : 0;
}
