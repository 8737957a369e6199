// SPDX-License-Identifier: GPL-2.0
/*
 * The probe thread (probe_us > 0): every probe_us, one memslot update as
 * KVM_SET_USER_MEMORY_REGION does it: kvm_set_memory_region() runs under
 * kvm->slots_lock, and kvm_swap_active_memslots() does
 * synchronize_srcu_expedited() on the VM's srcu_struct.  Timed from before
 * the lock, so it queues behind a synchronous register holding the lock,
 * as the real ioctl would.  Behind a normal grace period that call_srcu()
 * or start_poll_synchronize_srcu() started, the expedited sync waits for
 * that one: the Linux 6.18 regression.
 *
 * probe_mode=back-to-back (probe_us=0): one probe right after the other,
 * no sleep between them, as rcuscale's writer (scale_type=srcud gp_exp=1)
 * does, and like it bound to a CPU at SCHED_FIFO (main.c): the cost of the
 * primitive itself, for `make bench`.  The periodic probe runs where the
 * scheduler puts it at SCHED_NORMAL, as a VMM's ioctl does, and starts
 * after probe_us without a grace period, which makes it several times
 * slower (see docs/bench.md).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>

#include "iobus_stress.h"

int ibs_probe_thread(void *arg)
{
	struct ibs_instance *inst = arg;
	u32 us = ibs_run.cfg.probe_us;
	bool b2b = ibs_run.cfg.probe_mode == IBS_PM_BACK_TO_BACK;
	u64 t0;

	while (!kthread_should_stop()) {
		t0 = ktime_get_ns();
		mutex_lock(&inst->slots_lock);
		synchronize_srcu_expedited(&inst->srcu);
		mutex_unlock(&inst->slots_lock);
		ibs_hist_add(&ibs_run.hist[IBS_M_PROBE], ktime_get_ns() - t0);
		if (b2b)
			cond_resched();
		else
			ibs_sleep_us(us);
	}
	return 0;
}
