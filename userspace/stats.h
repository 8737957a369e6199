/* SPDX-License-Identifier: GPL-2.0 */
/* The module's stats file: "key: value" lines. */
#ifndef IOBUS_STATS_H
#define IOBUS_STATS_H

#include <stddef.h>

#define STATS_MAX 256

struct stats {
	size_t n;
	char key[STATS_MAX][48];
	char value[STATS_MAX][96];
};

/* Parse @text; lines that are not "key: value" are skipped. Returns n. */
size_t stats_parse(struct stats *s, const char *text);
const char *stats_get(const struct stats *s, const char *key);
/* Numeric value of @key, or @def when absent or not a number. */
unsigned long long stats_num(const struct stats *s, const char *key,
			     unsigned long long def);
/* 1 if the value of @key is an unsigned integer. */
int stats_is_num(const struct stats *s, size_t i);

#endif
