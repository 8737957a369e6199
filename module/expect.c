// SPDX-License-Identifier: GPL-2.0
/*
 * The expected-outcome table, in one place, and the verdict against it.
 *
 *   reclaim                  pattern      stale  gp   dev
 *   any correct strategy     exit, block  0      0    0
 *   sync-expedited, sync     cached       0      0    0
 *   call-srcu, expedited-    cached       >0     0    0   (the review's
 *     worker, poll, hybrid                                  ordering concern)
 *   unsafe                   any          any    >0   any
 *   unregister=async         any          any    0    >0
 *
 * A ">0" cell needs readers and pressure: with readers=0 or the boot model
 * (a short run) it is relaxed to "any".  guest_sync=relaxed gives up the
 * ordering the "0" cells rely on, so it relaxes them to "any" as well.
 */
#include <linux/kernel.h>

#include "iobus_stress.h"

static bool ibs_reclaim_is_async(u32 reclaim)
{
	return reclaim == IBS_RC_CALL_SRCU || reclaim == IBS_RC_EXPEDITED_WORKER ||
	       reclaim == IBS_RC_POLL || reclaim == IBS_RC_HYBRID ||
	       reclaim == IBS_RC_EXPEDITE_CURRENT;
}

void ibs_expect_for(const struct ibs_config *c, struct ibs_expect *e)
{
	bool unsafe = c->reclaim == IBS_RC_UNSAFE;
	bool async_unreg = c->unregister == IBS_UNREG_ASYNC;
	bool may_miss = !c->readers || c->workload == IBS_WL_BOOT;

	e->gp = unsafe ? IBS_EXP_FIRE : IBS_EXP_ZERO;
	e->dev = async_unreg ? IBS_EXP_FIRE : IBS_EXP_ZERO;
	if (unsafe && !async_unreg)
		e->dev = IBS_EXP_ANY;
	if (unsafe || async_unreg)
		e->stale = IBS_EXP_ANY;
	else if (c->pattern == IBS_PAT_CACHED && ibs_reclaim_is_async(c->reclaim))
		e->stale = IBS_EXP_FIRE;
	else if (c->guest_sync == IBS_GS_RELAXED)
		e->stale = IBS_EXP_ANY;
	else
		e->stale = IBS_EXP_ZERO;
	if (may_miss) {
		if (e->stale == IBS_EXP_FIRE)
			e->stale = IBS_EXP_ANY;
		if (e->gp == IBS_EXP_FIRE)
			e->gp = IBS_EXP_ANY;
		if (e->dev == IBS_EXP_FIRE)
			e->dev = IBS_EXP_ANY;
	}
}

static const char *ibs_kind(u8 kind)
{
	return kind == IBS_EXP_ZERO ? "=0" : kind == IBS_EXP_FIRE ? ">0" : "=any";
}

int ibs_expect_str(const struct ibs_expect *e, char *buf, size_t len)
{
	return scnprintf(buf, len, "stale%s,gp%s,dev%s", ibs_kind(e->stale),
			 ibs_kind(e->gp), ibs_kind(e->dev));
}

/* Append "name=N (expected K)" to @buf when @n contradicts @kind. */
static bool ibs_check(u8 kind, u64 n, const char *name, bool finished,
		      char *buf, size_t len, size_t *pos)
{
	if (kind == IBS_EXP_ZERO && n) {
		*pos += scnprintf(buf + *pos, len - *pos, " %s=%llu(expected 0)",
				  name, n);
		return false;
	}
	if (kind == IBS_EXP_FIRE && !n && finished) {
		*pos += scnprintf(buf + *pos, len - *pos, " %s=0(expected >0)",
				  name);
		return false;
	}
	return true;
}

/*
 * "pass", "fail: <reasons>", or while running "pending" (nothing
 * contradicts the table yet).  Returns true for pass or pending.
 */
bool ibs_verdict(const struct ibs_config *c, const struct ibs_totals *t,
		 bool finished, char *buf, size_t len)
{
	struct ibs_expect e;
	size_t pos;
	bool ok = true;

	ibs_expect_for(c, &e);
	pos = scnprintf(buf, len, "fail:");
	ok &= ibs_check(e.stale, t->stale.count, "stale_observations",
			finished, buf, len, &pos);
	ok &= ibs_check(e.gp, t->gp.count, "gp_violations", finished, buf,
			len, &pos);
	ok &= ibs_check(e.dev, t->dev.count, "device_violations", finished,
			buf, len, &pos);
	if (finished && t->leaked) {
		pos += scnprintf(buf + pos, len - pos, " leaked=%ld", t->leaked);
		ok = false;
	}
	if (ok)
		scnprintf(buf, len, finished ? "pass" : "pending");
	return ok;
}
