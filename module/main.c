// SPDX-License-Identifier: GPL-2.0
/*
 * iobus_stress: module init/exit and the life of a run.
 *
 * A run: start creates the instances ("VMs") and their threads; a
 * controller thread waits for the duration, the end of the boot model or
 * a stop request, then tears everything down: stop the threads, flush
 * deferred reclaim, srcu_barrier(), free the live bus and devices, drain
 * the quarantine, cleanup_srcu_struct(), and compute the verdict.  Results
 * stay readable until the next start or a reset.
 */
#define pr_fmt(fmt) "iobus_stress: " fmt

#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "compat.h"
#include "iobus_stress.h"

struct ibs_run ibs_run;
/* Serialises start/stop/reset, config writes and reads of the results. */
DEFINE_MUTEX(ibs_lock);

const char * const ibs_metric_names[IBS_M_NR] = {
	"register", "unregister", "reclaim", "probe", "vcpu_create", "boot",
};

static const char * const ibs_state_names[] = {
	"idle", "running", "stopping", "done",
};

const char *ibs_state_name(u32 state)
{
	return ibs_state_names[state];
}

u64 ibs_elapsed_ns(void)
{
	switch (READ_ONCE(ibs_run.state)) {
	case IBS_RUNNING:
	case IBS_STOPPING:
		return ktime_get_ns() - ibs_run.start_ns;
	case IBS_DONE:
		return ibs_run.end_ns - ibs_run.start_ns;
	default:
		return 0;
	}
}

/*
 * Sleep @us microseconds (slack us/8, as usleep_range()) in a run's thread,
 * or less: kthread_stop() wakes it, so a stop or rmmod never waits out a
 * probe_us or write_delay_us of up to 10 s.
 */
void ibs_sleep_us(u32 us)
{
	ktime_t end = ktime_add_us(ktime_get(), us);
	u64 slack = (u64)(us / 8 + 1) * NSEC_PER_USEC;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
		if (!schedule_hrtimeout_range(&end, slack, HRTIMER_MODE_ABS))
			break;
	}
	__set_current_state(TASK_RUNNING);
}

static int ibs_nth_online_cpu(unsigned int n)
{
	int cpu;

	n %= num_online_cpus();
	for_each_online_cpu(cpu)
		if (!n--)
			return cpu;
	return cpumask_first(cpu_online_mask);
}

static int ibs_instance_init(struct ibs_instance *inst, int id)
{
	const struct ibs_config *c = &ibs_run.cfg;
	struct ibs_bus *bus;
	int ret;

	inst->id = id;
	mutex_init(&inst->slots_lock);
	spin_lock_init(&inst->reclaim_lock);
	spin_lock_init(&inst->q_lock);
	INIT_LIST_HEAD(&inst->ew_list);
	INIT_LIST_HEAD(&inst->poll_list);
	INIT_LIST_HEAD(&inst->q_list);
	INIT_WORK(&inst->ew_work, ibs_ew_work);
	init_waitqueue_head(&inst->pending_wq);
	inst->next_addr = 0xfe000000;
	ret = init_srcu_struct(&inst->srcu);
	if (ret)
		return ret;
	inst->srcu_ready = true;
	inst->devs = kcalloc(c->devices, sizeof(*inst->devs), GFP_KERNEL);
	inst->writers = kcalloc(c->writers, sizeof(*inst->writers), GFP_KERNEL);
	inst->readers = kcalloc(c->readers, sizeof(*inst->readers), GFP_KERNEL);
	bus = ibs_bus_alloc(inst, 0);
	if (!inst->devs || !inst->writers || (c->readers && !inst->readers) ||
	    !bus) {
		kfree(bus);
		if (bus)
			atomic_long_inc(&inst->buses_freed);
		return -ENOMEM;
	}
	RCU_INIT_POINTER(inst->bus, bus);
	inst->fail_every = c->fail_alloc_every;
	return 0;
}

static struct task_struct *ibs_thread(int (*fn)(void *), void *arg,
				      const char *role, int inst, int idx)
{
	struct task_struct *t;

	t = kthread_create(fn, arg, "ibs_%s%d/%d", role, inst, idx);
	return IS_ERR(t) ? NULL : t;
}

static int ibs_instance_threads(struct ibs_instance *inst)
{
	const struct ibs_config *c = &ibs_run.cfg;
	u32 i;

	for (i = 0; i < c->writers; i++) {
		struct ibs_writer *w = &inst->writers[i];

		w->inst = inst;
		w->id = i;
		w->rng = ibs_rng_seed(c->seed, inst->id, 0, i);
		w->task = ibs_thread(ibs_writer_thread, w, "w", inst->id, i);
		if (!w->task)
			return -ENOMEM;
	}
	for (i = 0; i < c->readers; i++) {
		struct ibs_reader *r = &inst->readers[i];

		r->inst = inst;
		r->rng = ibs_rng_seed(c->seed, inst->id, 1, i);
		r->task = ibs_thread(ibs_reader_thread, r, "r", inst->id, i);
		if (!r->task)
			return -ENOMEM;
		if (c->bind_readers)
			kthread_bind(r->task, ibs_nth_online_cpu(i));
	}
	if (c->probe_us || c->probe_mode == IBS_PM_BACK_TO_BACK) {
		inst->probe = ibs_thread(ibs_probe_thread, inst, "probe",
					 inst->id, 0);
		if (!inst->probe)
			return -ENOMEM;
		/*
		 * Back to back, the probe runs as rcuscale's writer 0 does
		 * (rcu_scale_writer(): bound to CPU 0, sched_set_fifo_low()),
		 * so that both time the same primitive the same way.
		 * Unbound at SCHED_NORMAL its median was 2x rcuscale's
		 * (docs/bench.md).
		 */
		if (c->probe_mode == IBS_PM_BACK_TO_BACK) {
			kthread_bind(inst->probe, ibs_nth_online_cpu(inst->id));
			sched_set_fifo_low(inst->probe);
		}
	}
	if (ibs_reclaim_ops[c->reclaim].reaper) {
		inst->reaper = ibs_thread(ibs_reaper_thread, inst, "reap",
					  inst->id, 0);
		if (!inst->reaper)
			return -ENOMEM;
	}
	return 0;
}

static void ibs_instance_wake(struct ibs_instance *inst)
{
	const struct ibs_config *c = &ibs_run.cfg;
	u32 i;

	if (inst->reaper)
		wake_up_process(inst->reaper);
	if (inst->probe)
		wake_up_process(inst->probe);
	/* In the boot model writer 0 starts the readers as it creates vCPUs. */
	if (c->workload == IBS_WL_CHURN) {
		atomic_set(&inst->nr_vcpus, c->readers);
		for (i = 0; i < c->readers; i++)
			wake_up_process(inst->readers[i].task);
	}
	for (i = 0; i < c->writers; i++)
		wake_up_process(inst->writers[i].task);
}

static void ibs_stop_task(struct task_struct **t)
{
	if (*t)
		kthread_stop(*t);
	*t = NULL;
}

static void ibs_instance_stop(struct ibs_instance *inst)
{
	u32 i;

	for (i = 0; inst->writers && i < ibs_run.cfg.writers; i++)
		ibs_stop_task(&inst->writers[i].task);
	ibs_stop_task(&inst->probe);
	for (i = 0; inst->readers && i < ibs_run.cfg.readers; i++)
		ibs_stop_task(&inst->readers[i].task);
	ibs_stop_task(&inst->reaper);
}

/* Everything but the per-thread results, which stats still reads. */
static void ibs_instance_destroy(struct ibs_instance *inst)
{
	struct ibs_bus *bus;
	u32 i;

	if (!inst->srcu_ready)
		return;
	ibs_reclaim_flush(inst);
	bus = rcu_dereference_protected(inst->bus, true);
	RCU_INIT_POINTER(inst->bus, NULL);
	kfree(bus);
	if (bus)
		atomic_long_inc(&inst->buses_freed);
	for (i = 0; i < inst->nr_devs; i++) {
		kfree(inst->devs[i]);
		atomic_long_inc(&inst->devs_freed);
	}
	inst->nr_devs = 0;
	kfree(inst->devs);
	inst->devs = NULL;
	ibs_quarantine_drain(inst);
	cleanup_srcu_struct(&inst->srcu);
	inst->srcu_ready = false;
}

static void ibs_teardown(void)
{
	struct ibs_totals t;
	u32 i, n = ibs_run.cfg.instances;
	bool ok;

	for (i = 0; i < n; i++)
		ibs_instance_stop(&ibs_run.inst[i]);
	ibs_run.end_ns = ktime_get_ns();
	for (i = 0; i < n; i++)
		ibs_instance_destroy(&ibs_run.inst[i]);
	ibs_totals_collect(&t);
	ok = ibs_verdict(&ibs_run.cfg, &t, true, ibs_run.verdict,
			 sizeof(ibs_run.verdict));
	pr_info("reclaim=%s pattern=%s registers=%llu exits=%llu stale=%llu gp_violations=%llu device_violations=%llu leaked=%ld verdict=%s\n",
		ibs_reclaim_name(ibs_run.cfg.reclaim),
		ibs_pattern_name(ibs_run.cfg.pattern), t.registers, t.exits,
		t.stale.count, t.gp.count, t.dev.count, t.leaked,
		ibs_run.verdict);
	pr_info("End of test: %s\n", ok ? "SUCCESS" : "FAILURE");
}

static int ibs_controller(void *unused)
{
	const struct ibs_config *c = &ibs_run.cfg;
	long timeout = c->duration_ms ? msecs_to_jiffies(c->duration_ms) :
					MAX_SCHEDULE_TIMEOUT;

	wait_event_interruptible_timeout(ibs_run.wq,
					 READ_ONCE(ibs_run.stop_requested) ||
					 !atomic_read(&ibs_run.boots_pending),
					 timeout);
	mutex_lock(&ibs_lock);
	WRITE_ONCE(ibs_run.state, IBS_STOPPING);
	mutex_unlock(&ibs_lock);
	ibs_teardown();
	mutex_lock(&ibs_lock);
	WRITE_ONCE(ibs_run.state, IBS_DONE);
	mutex_unlock(&ibs_lock);
	wake_up_all(&ibs_run.wq);
	kthread_complete_and_exit(&ibs_run.done, 0);
}

/* Wait until the last controller has exited.  Called with ibs_lock. */
static void ibs_reap_controller(void)
{
	if (ibs_run.controller) {
		wait_for_completion(&ibs_run.done);
		ibs_run.controller = NULL;
	}
}

/* Free the previous run's results.  Called with ibs_lock, not running. */
static void ibs_free_run(void)
{
	u32 i;
	int m;

	ibs_reap_controller();
	for (i = 0; ibs_run.inst && i < ibs_run.cfg.instances; i++) {
		ibs_instance_destroy(&ibs_run.inst[i]);
		kfree(ibs_run.inst[i].devs);
		kfree(ibs_run.inst[i].writers);
		kfree(ibs_run.inst[i].readers);
	}
	kfree(ibs_run.inst);
	ibs_run.inst = NULL;
	for (m = 0; m < IBS_M_NR; m++)
		ibs_hist_reset(&ibs_run.hist[m]);
	ibs_run.verdict[0] = '\0';
	WRITE_ONCE(ibs_run.state, IBS_IDLE);
}

int ibs_start(void)
{
	const struct ibs_config *c;
	struct task_struct *ctl;
	u32 i;
	int ret;

	mutex_lock(&ibs_lock);
	if (ibs_run.state == IBS_RUNNING || ibs_run.state == IBS_STOPPING) {
		mutex_unlock(&ibs_lock);
		return -EBUSY;
	}
	ibs_free_run();
	ibs_run.cfg = ibs_cfg;
	c = &ibs_run.cfg;
	WRITE_ONCE(ibs_run.stop_requested, false);
	atomic_set(&ibs_run.boots_pending,
		   c->workload == IBS_WL_BOOT ? c->instances : INT_MAX);
	ret = -ENOMEM;
	ibs_run.inst = kcalloc(c->instances, sizeof(*ibs_run.inst), GFP_KERNEL);
	if (!ibs_run.inst)
		goto fail;
	for (i = 0; i < c->instances; i++) {
		ret = ibs_instance_init(&ibs_run.inst[i], i);
		if (ret)
			goto fail;
		ret = ibs_instance_threads(&ibs_run.inst[i]);
		if (ret)
			goto fail;
	}
	reinit_completion(&ibs_run.done);
	ctl = kthread_create(ibs_controller, NULL, "ibs_control");
	if (IS_ERR(ctl)) {
		ret = PTR_ERR(ctl);
		goto fail;
	}
	ibs_run.controller = ctl;
	ibs_run.start_ns = ktime_get_ns();
	WRITE_ONCE(ibs_run.state, IBS_RUNNING);
	for (i = 0; i < c->instances; i++)
		ibs_instance_wake(&ibs_run.inst[i]);
	wake_up_process(ctl);
	mutex_unlock(&ibs_lock);
	return 0;
fail:
	for (i = 0; ibs_run.inst && i < c->instances; i++)
		ibs_instance_stop(&ibs_run.inst[i]);
	ibs_free_run();
	mutex_unlock(&ibs_lock);
	pr_warn("start failed: %d\n", ret);
	return ret;
}

static bool ibs_run_ended(void)
{
	u32 state = READ_ONCE(ibs_run.state);

	return state != IBS_RUNNING && state != IBS_STOPPING;
}

/* Stop a run and wait for its teardown; a no-op when none is running. */
int ibs_stop(bool interruptible)
{
	mutex_lock(&ibs_lock);
	if (ibs_run.state == IBS_RUNNING) {
		WRITE_ONCE(ibs_run.stop_requested, true);
		wake_up_all(&ibs_run.wq);
	}
	mutex_unlock(&ibs_lock);
	if (!interruptible) {
		wait_event(ibs_run.wq, ibs_run_ended());
		return 0;
	}
	return wait_event_interruptible(ibs_run.wq, ibs_run_ended());
}

int ibs_reset(void)
{
	int ret = 0;

	mutex_lock(&ibs_lock);
	if (ibs_run.state == IBS_RUNNING || ibs_run.state == IBS_STOPPING)
		ret = -EBUSY;
	else
		ibs_free_run();
	mutex_unlock(&ibs_lock);
	return ret;
}

static void ibs_hists_destroy(void)
{
	int m;

	for (m = 0; m < IBS_M_NR; m++)
		ibs_hist_destroy(&ibs_run.hist[m]);
}

static int __init ibs_init(void)
{
	bool start = false;
	int m, ret;

	pr_info("compat: %s\n", IBS_COMPAT_STR);
	init_waitqueue_head(&ibs_run.wq);
	init_completion(&ibs_run.done);
	for (m = 0; m < IBS_M_NR; m++) {
		ret = ibs_hist_init(&ibs_run.hist[m]);
		if (ret)
			goto err_hist;
	}
	ret = ibs_config_init();
	if (ret)
		goto err_hist;
	ret = ibs_params_apply(&start);
	if (ret)
		goto err_hist;
	ibs_debugfs_init();
	if (start) {
		ret = ibs_start();
		if (ret)
			goto err_debugfs;
	}
	return 0;

err_debugfs:
	ibs_debugfs_exit();
err_hist:
	ibs_hists_destroy();
	return ret;
}

static void __exit ibs_exit(void)
{
	ibs_debugfs_exit();
	ibs_stop(false);
	mutex_lock(&ibs_lock);
	ibs_free_run();
	mutex_unlock(&ibs_lock);
	ibs_hists_destroy();
}

module_init(ibs_init);
module_exit(ibs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stress and measure SRCU reclaim of a kvm_io_bus-like bus");
/* The VERSION file at the top of the tree, passed in by Kbuild. */
MODULE_VERSION(IBS_VERSION);
/* The SRCU APIs Kbuild found in the headers built against (compat.h). */
MODULE_INFO(compat, IBS_COMPAT_STR);
