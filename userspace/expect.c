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

/*
 * An unmet ">0" clause is inconclusive only when the run's own counts say
 * its condition never happened: fewer than @min[i] exposures (module
 * expect.c: a cached section holding an older bus at 16 publications; an
 * unsafe free of a bus, an async free of a device while a reader held it).
 * The module's "inconclusive" alone is not taken.  Returns 1 when the
 * claim may stay undecided, 0 (with @why) when not.
 */
static int undecided_ok(const struct stats *s, int i, char *why, size_t len)
{
	static const char *const exposures[] = {
		"cached_exposures", "gp_exposures", "device_exposures",
	};
	static const unsigned long long min[] = { 16, 1, 1 };
	unsigned long long n;

	if (!stats_get(s, exposures[i])) {
		snprintf(why, len, "inconclusive, but stats lack %s",
			 exposures[i]);
		return 0;
	}
	n = stats_num(s, exposures[i], ~0ULL);
	if (n < min[i])
		return 1;
	snprintf(why, len, "inconclusive with %s=%llu: the condition happened",
		 exposures[i], n);
	return 0;
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
			if (!undecided_ok(s, i, why, len))
				return OUT_FAIL;
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

void basis_letters(const char *basis, char *buf, size_t len)
{
	static const char *const clause[] = { "stale=", "gp=", "dev=" };
	char l[3];
	const char *p;
	int i;

	for (i = 0; i < 3; i++) {
		p = basis ? strstr(basis, clause[i]) : NULL;
		/* a clause name at the start or after a comma only */
		while (p && p != basis && p[-1] != ',')
			p = strstr(p + 1, clause[i]);
		if (p)
			p += strlen(clause[i]);
		l[i] = !p ? '?' :
		       !strncmp(p, "construction(", 13) ? 'C' :
		       !strncmp(p, "srcu(", 5) ? 'S' :
		       !strncmp(p, "measured", 8) ? 'M' : '?';
	}
	snprintf(buf, len, "%c/%c/%c", l[0], l[1], l[2]);
}
