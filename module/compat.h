/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Newer kernel APIs iobus_stress uses, with their Linux 6.1 equivalents.
 */
#ifndef IOBUS_STRESS_COMPAT_H
#define IOBUS_STRESS_COMPAT_H

#include <linux/version.h>
#include <linux/srcu.h>

/*
 * Linux 6.18 added smp_mb__after_srcu_read_lock() for the kvm_io_bus read
 * helper.  Older kernels do not have it; a full barrier is the documented
 * equivalent (it is what srcu_read_lock() itself executes in 6.1, so the
 * extra one costs time but changes no outcome on those kernels).
 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 18, 0)
static inline void smp_mb__after_srcu_read_lock(void)
{
	smp_mb();
}
#endif

#endif /* IOBUS_STRESS_COMPAT_H */
