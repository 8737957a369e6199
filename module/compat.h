/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SRCU APIs that differ between the kernels iobus_stress builds on.  Kbuild
 * detects each one by its declaration in the kernel's headers and defines
 * IBS_HAVE_<API>; this header turns that into private helpers whose cost on
 * each kernel is exactly what that kernel implies.
 */
#ifndef IOBUS_STRESS_COMPAT_H
#define IOBUS_STRESS_COMPAT_H

#include <linux/bug.h>
#include <linux/compiler.h>
#include <linux/srcu.h>

/*
 * The barrier KVM's kvm_io_bus read helper puts after srcu_read_lock()
 * (Linux 6.18: smp_mb__after_srcu_read_lock()).  Where the kernel has the
 * helper, use it: on Tree SRCU it is empty, because __srcu_read_lock()
 * already ends with smp_mb() ("B").  Where it lacks the helper (6.1), the
 * same holds: 6.1's Tree SRCU __srcu_read_lock() ends with the same
 * smp_mb(), so the helper adds nothing either; a second full barrier here
 * would make ns_per_exit incomparable across kernels.  Tiny SRCU is UP
 * only, where a compiler barrier orders everything.
 */
#if defined(IBS_HAVE_MB_AFTER_SRCU_READ_LOCK)
#define IBS_COMPAT_MB_AFTER_LOCK "smp_mb__after_srcu_read_lock"
static inline void ibs_mb_after_srcu_read_lock(void)
{
	smp_mb__after_srcu_read_lock();
}
#elif defined(CONFIG_TREE_SRCU)
#define IBS_COMPAT_MB_AFTER_LOCK "none(tree-srcu-lock-has-mb)"
static inline void ibs_mb_after_srcu_read_lock(void)
{
}
#else
#define IBS_COMPAT_MB_AFTER_LOCK "barrier(tiny-srcu)"
static inline void ibs_mb_after_srcu_read_lock(void)
{
	barrier();
}
#endif

/*
 * srcu_expedite_current() (Tree SRCU; exported by the 7.3 kernel, absent
 * from 6.1 and 6.12): makes the grace period in progress expedited.
 * reclaim=expedite-current needs it; config.c refuses that value with
 * -EOPNOTSUPP where it is missing, so the stub is never reached.
 */
#ifdef IBS_HAVE_SRCU_EXPEDITE_CURRENT
#define IBS_COMPAT_EXPEDITE_CURRENT "yes"
#define IBS_HAS_EXPEDITE_CURRENT true
static inline void ibs_srcu_expedite_current(struct srcu_struct *ssp)
{
	srcu_expedite_current(ssp);
}
#else
#define IBS_COMPAT_EXPEDITE_CURRENT "no"
#define IBS_HAS_EXPEDITE_CURRENT false
static inline void ibs_srcu_expedite_current(struct srcu_struct *ssp)
{
	WARN_ON_ONCE(1);
}
#endif

/* srcu_read_lock_fast(): detected and reported only (readers do not use it). */
#ifdef IBS_HAVE_SRCU_READ_LOCK_FAST
#define IBS_COMPAT_READ_LOCK_FAST "yes"
#else
#define IBS_COMPAT_READ_LOCK_FAST "no"
#endif

/* What was detected, for modinfo (compat=) and the load-time pr_info. */
#define IBS_COMPAT_STR							\
	"mb_after_srcu_read_lock=" IBS_COMPAT_MB_AFTER_LOCK		\
	" srcu_expedite_current=" IBS_COMPAT_EXPEDITE_CURRENT		\
	" srcu_read_lock_fast=" IBS_COMPAT_READ_LOCK_FAST

#endif /* IOBUS_STRESS_COMPAT_H */
