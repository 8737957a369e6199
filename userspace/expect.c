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

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUT_PASS:
		return "pass";
	case OUT_INCONCLUSIVE:
		return "inconclusive";
	case OUT_INTERRUPTED:
		return "interrupted";
	default:
		return "fail";
	}
}

enum outcome cell_judge(const struct stats *s, char *why, size_t len)
{
	static const char *const clause[] = { "stale", "gp", "dev" };
	static const char *const count[] = {
		"stale_observations", "gp_violations", "device_violations",
	};
	const char *expect = stats_get(s, "expect");
	const char *verdict = stats_get(s, "verdict");
	const char *leaked = stats_get(s, "leaked");
	/* The module says "inconclusive: <why>". */
	int inconclusive = verdict && !strncmp(verdict, "inconclusive", 12);
	int i, ok, unmet_fire = 0;

	if (!expect || !verdict || !leaked) {
		snprintf(why, len, "stats lack expect/verdict/leaked");
		return OUT_FAIL;
	}
	for (i = 0; i < 3; i++) {
		ok = clause_ok(expect, clause[i], stats_num(s, count[i], 0),
			       why, len);
		if (ok == 0 && inconclusive && strstr(why, "expected >0")) {
			unmet_fire++;
			continue;
		}
		if (ok != 1)
			return OUT_FAIL;
	}
	if (strcmp(leaked, "0")) {
		snprintf(why, len, "leaked %s objects", leaked);
		return OUT_FAIL;
	}
	if (inconclusive) {
		snprintf(why, len, "module verdict: inconclusive%s",
			 unmet_fire ? " (a >0 claim neither met nor refuted)" : "");
		return OUT_INCONCLUSIVE;
	}
	if (strcmp(verdict, "pass")) {
		snprintf(why, len, "module verdict: %s", verdict);
		return OUT_FAIL;
	}
	snprintf(why, len, "as expected");
	return OUT_PASS;
}
