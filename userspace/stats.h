/* SPDX-License-Identifier: GPL-2.0 */
/* The module's stats file ("key: value" lines) and hist/<metric> files. */
#ifndef IOBUS_STATS_H
#define IOBUS_STATS_H

#include <stddef.h>

#define STATS_MAX 256
#define STATS_KEY_LEN 48
#define STATS_VALUE_LEN 256

struct stats {
	size_t n;
	char key[STATS_MAX][STATS_KEY_LEN];
	char value[STATS_MAX][STATS_VALUE_LEN];
};

/*
 * Parse @text: "key: value" lines, blank lines skipped.  Returns the
 * number of keys, or -1 with @err naming the line when a line is not
 * "key: value", a key or value is too long, or there are more than
 * STATS_MAX keys: nothing is dropped silently.
 */
int stats_parse(struct stats *s, const char *text, char *err, size_t errlen);
const char *stats_get(const struct stats *s, const char *key);
/* Numeric (decimal) value of @key, or @def when absent or not a number. */
unsigned long long stats_num(const struct stats *s, const char *key,
			     unsigned long long def);

#define HIST_MAX_BUCKETS 2048

struct hist {
	int n;
	unsigned long long lower[HIST_MAX_BUCKETS];
	unsigned long long count[HIST_MAX_BUCKETS];
};

/*
 * Parse a hist/<metric> file ("lower upper count" lines, '#' comments);
 * the number of buckets, or -1 with @err (a bad line, too many buckets).
 */
int hist_parse(struct hist *h, const char *text, char *err, size_t errlen);

#endif
