// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>

#include "expect.h"

/* Check one "name=0", "name>0" or "name=any" clause against @count. */
static int clause_ok(const char *expect, const char *name,
		     unsigned long long count, char *why, size_t len)
{
	const char *p = strstr(expect, name);

	if (!p) {
		snprintf(why, len, "expect string lacks %s", name);
		return -1;
	}
	p += strlen(name);
	if (!strncmp(p, "=any", 4))
		return 1;
	if (!strncmp(p, "=0", 2)) {
		if (count == 0)
			return 1;
		snprintf(why, len, "%s=%llu, expected 0", name, count);
		return 0;
	}
	if (!strncmp(p, ">0", 2)) {
		if (count > 0)
			return 1;
		snprintf(why, len, "%s=0, expected >0", name);
		return 0;
	}
	snprintf(why, len, "cannot parse expect clause for %s", name);
	return -1;
}

int cell_passes(const struct stats *s, char *why, size_t len)
{
	const char *expect = stats_get(s, "expect");
	const char *verdict = stats_get(s, "verdict");
	const char *leaked = stats_get(s, "leaked");

	if (!expect || !verdict || !leaked) {
		snprintf(why, len, "stats lack expect/verdict/leaked");
		return 0;
	}
	if (clause_ok(expect, "stale",
		      stats_num(s, "stale_observations", 0), why, len) != 1 ||
	    clause_ok(expect, "gp", stats_num(s, "gp_violations", 0), why,
		      len) != 1 ||
	    clause_ok(expect, "dev", stats_num(s, "device_violations", 0), why,
		      len) != 1)
		return 0;
	if (strcmp(leaked, "0")) {
		snprintf(why, len, "leaked %s objects", leaked);
		return 0;
	}
	if (strcmp(verdict, "pass")) {
		snprintf(why, len, "module verdict: %s", verdict);
		return 0;
	}
	snprintf(why, len, "as expected");
	return 1;
}
