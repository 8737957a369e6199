/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Newer kernel APIs iobus_stress uses, with their Linux 6.1 equivalents.
 */
#ifndef IOBUS_STRESS_COMPAT_H
#define IOBUS_STRESS_COMPAT_H

#include <linux/srcu.h>

/*
 * Linux 6.18 added smp_mb__after_srcu_read_lock() for the kvm_io_bus read
 * helper.  Kbuild defines IBS_HAVE_MB_AFTER_SRCU_READ_LOCK when the
 * kernel's srcu.h has it (a feature test, so backports count too).
 */
#ifndef IBS_HAVE_MB_AFTER_SRCU_READ_LOCK
static inline void smp_mb__after_srcu_read_lock(void)
{
	/*
	 * A full barrier is the documented equivalent.  srcu_read_lock()
	 * already executes one in 6.1, so this costs time but changes no
	 * outcome there.
	 */
	smp_mb();
}
#endif

#endif /* IOBUS_STRESS_COMPAT_H */
