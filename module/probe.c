// SPDX-License-Identifier: GPL-2.0
/*
 * The probe thread (probe_us > 0): times one synchronize_srcu_expedited()
 * every probe_us on its instance's srcu_struct, as KVM's memslot updates
 * and vCPU creation do.  Behind a normal grace period that call_srcu() or
 * start_poll_synchronize_srcu() started, it waits for that one: the Linux
 * 6.18 regression.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/ktime.h>

#include "iobus_stress.h"

int ibs_probe_thread(void *arg)
{
	struct ibs_instance *inst = arg;
	u32 us = ibs_run.cfg.probe_us;
	u64 t0;

	while (!kthread_should_stop()) {
		t0 = ktime_get_ns();
		synchronize_srcu_expedited(&inst->srcu);
		ibs_hist_add(&ibs_run.hist[IBS_M_PROBE], ktime_get_ns() - t0);
		ibs_sleep_us(us);
	}
	return 0;
}
