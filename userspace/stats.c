// SPDX-License-Identifier: GPL-2.0
/* Parsers of the module's stats and hist files. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "num.h"
#include "stats.h"

static size_t line_len(const char *line)
{
	const char *nl = strchr(line, '\n');

	return nl ? (size_t)(nl - line) : strlen(line);
}

int stats_parse(struct stats *s, const char *text, char *err, size_t errlen)
{
	const char *line = text, *colon;
	size_t len, klen, vlen;

	s->n = 0;
	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		len = line_len(line);
		if (!len)
			continue;
		colon = memmem(line, len, ": ", 2);
		if (!colon || colon == line) {
			snprintf(err, errlen, "stats line %d is not 'key: value': %.*s",
				 (int)s->n + 1, (int)(len > 60 ? 60 : len), line);
			return -1;
		}
		klen = colon - line;
		vlen = len - klen - 2;
		if (klen >= STATS_KEY_LEN || vlen >= STATS_VALUE_LEN) {
			snprintf(err, errlen, "stats line too long (key max %d, value max %d characters): %.*s",
				 STATS_KEY_LEN - 1, STATS_VALUE_LEN - 1,
				 (int)(klen > 60 ? 60 : klen), line);
			return -1;
		}
		if (s->n == STATS_MAX) {
			snprintf(err, errlen, "stats has more than %d keys",
				 STATS_MAX);
			return -1;
		}
		memcpy(s->key[s->n], line, klen);
		s->key[s->n][klen] = '\0';
		memcpy(s->value[s->n], colon + 2, vlen);
		s->value[s->n][vlen] = '\0';
		s->n++;
	}
	return (int)s->n;
}

const char *stats_get(const struct stats *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->key[i], key))
			return s->value[i];
	return NULL;
}

unsigned long long stats_num(const struct stats *s, const char *key,
			     unsigned long long def)
{
	unsigned long long n;

	if (parse_u64(stats_get(s, key), 0, ~0ULL, &n))
		return def;
	return n;
}

int hist_parse(struct hist *h, const char *text, char *err, size_t errlen)
{
	const char *line = text;
	char buf[128], *tok, *save;
	unsigned long long v[3];
	size_t len;
	int i;

	h->n = 0;
	for (; line && *line; line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		len = line_len(line);
		if (!len || *line == '#')
			continue;
		if (len >= sizeof(buf))
			goto bad;
		memcpy(buf, line, len);
		buf[len] = '\0';
		save = NULL;
		tok = strtok_r(buf, " ", &save);
		for (i = 0; i < 3; i++) {
			if (parse_u64(tok, 0, ~0ULL, &v[i]))
				goto bad;
			tok = strtok_r(NULL, " ", &save);
		}
		if (tok)
			goto bad;
		if (h->n == HIST_MAX_BUCKETS) {
			snprintf(err, errlen, "histogram has more than %d buckets",
				 HIST_MAX_BUCKETS);
			return -1;
		}
		h->lower[h->n] = v[0];
		h->count[h->n] = v[2];
		h->n++;
	}
	return h->n;
bad:
	snprintf(err, errlen, "histogram line is not 'lower upper count': %.*s",
		 (int)(len > 60 ? 60 : len), line);
	return -1;
}
