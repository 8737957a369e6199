// SPDX-License-Identifier: GPL-2.0
/* Parser of the module's stats file. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

size_t stats_parse(struct stats *s, const char *text)
{
	const char *line = text, *nl, *colon;
	size_t klen, vlen;

	s->n = 0;
	while (line && *line && s->n < STATS_MAX) {
		nl = strchr(line, '\n');
		colon = strstr(line, ": ");
		if (colon && (!nl || colon < nl)) {
			klen = colon - line;
			vlen = (nl ? (size_t)(nl - colon) : strlen(colon)) - 2;
			if (nl && !nl[0])
				vlen = 0;
			if (klen && klen < sizeof(s->key[0]) &&
			    vlen < sizeof(s->value[0])) {
				memcpy(s->key[s->n], line, klen);
				s->key[s->n][klen] = '\0';
				memcpy(s->value[s->n], colon + 2, vlen);
				s->value[s->n][vlen] = '\0';
				s->n++;
			}
		}
		line = nl ? nl + 1 : NULL;
	}
	return s->n;
}

const char *stats_get(const struct stats *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->key[i], key))
			return s->value[i];
	return NULL;
}

int stats_is_num(const struct stats *s, size_t i)
{
	const char *p = s->value[i];

	if (*p == '-')
		p++;
	if (!*p)
		return 0;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

unsigned long long stats_num(const struct stats *s, const char *key,
			     unsigned long long def)
{
	const char *v = stats_get(s, key);
	char *end;
	unsigned long long n;

	if (!v || !*v || !isdigit((unsigned char)*v))
		return def;
	n = strtoull(v, &end, 10);
	return *end ? def : n;
}
