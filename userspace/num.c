// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "num.h"

int parse_u64(const char *s, unsigned long long min, unsigned long long max,
	      unsigned long long *out)
{
	unsigned long long v;
	const char *p;
	char *end;

	if (!s || !*s)
		return -1;
	for (p = s; *p; p++)
		if (*p < '0' || *p > '9')
			return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_seconds_ms(const char *s, unsigned int max_ms, unsigned int *ms)
{
	unsigned long long whole, ms_total = 0;
	const char *dot, *p;
	unsigned long long scale = 100;
	char intpart[24];
	size_t n;

	if (!s || !*s)
		return -1;
	dot = s;
	while (*dot >= '0' && *dot <= '9')
		dot++;
	n = dot - s;
	if (*dot && *dot != '.')
		return -1;
	if (!n && (!*dot || !dot[1]))
		return -1;		/* "" or "." */
	if (n >= sizeof(intpart))
		return -1;
	if (n) {
		for (p = s; p < dot; p++)
			intpart[p - s] = *p;
		intpart[n] = '\0';
		if (parse_u64(intpart, 0, max_ms / 1000 + 1, &whole))
			return -1;
		ms_total = whole * 1000;
	}
	if (*dot) {
		for (p = dot + 1; *p; p++) {
			if (*p < '0' || *p > '9')
				return -1;
			ms_total += (*p - '0') * scale;	/* sub-ms digits: scale 0 */
			scale /= 10;
		}
		if (dot[1] == '\0')
			return -1;		/* "1." */
	}
	if (!ms_total || ms_total > max_ms)
		return -1;
	*ms = (unsigned int)ms_total;
	return 0;
}

int parse_decimal(const char *s, double lo, double hi, double *out)
{
	const char *p = s;
	double v;

	if (!s || *p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p || p - s > 20)
		return -1;
	v = strtod(s, NULL);
	if (!(v >= lo && v <= hi))
		return -1;
	*out = v;
	return 0;
}
