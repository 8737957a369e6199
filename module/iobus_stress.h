/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iobus_stress: stress the copy-update-publish pattern of struct kvm_io_bus
 * under SRCU and measure what each way of reclaiming the old bus costs and
 * breaks.  Shared types of the module.
 */
#ifndef IOBUS_STRESS_H
#define IOBUS_STRESS_H

#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/srcu.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "hist.h"

#define IBS_NAME		"iobus_stress"
#define IBS_MAX_RANGES		1000	/* NR_IOBUS_DEVS */
#define IBS_DEV_LEN		8
#define IBS_ACCESS_LEN		4
#define IBS_DEV_MAGIC_LIVE	0x10b5dee5u
#define IBS_DEV_MAGIC_FREED	0xdeadde75u
#define IBS_RESCHED_EVERY	64	/* accesses between cond_resched()s */
#define IBS_RESCHED_SECTION	4096	/* the same inside one SRCU section */
#define IBS_MAX_TIMED_LOOPS	10000	/* timed_loops: ~25 ms irqs off (debug, TCG) */
#define IBS_CACHED_MIN_EXPOSURES 16	/* below: the cached verdict is inconclusive */
#define IBS_PUB_RING		64
#define IBS_HOLD_WAIT_US_MAX	1000000	/* hold_wait_us: at most 1 s */

/* ---- configuration (config.c) ---- */

enum ibs_workload { IBS_WL_CHURN, IBS_WL_BOOT };
enum ibs_reclaim {
	IBS_RC_SYNC_EXPEDITED,
	IBS_RC_SYNC,
	IBS_RC_CALL_SRCU,
	IBS_RC_EXPEDITED_WORKER,
	IBS_RC_POLL,
	IBS_RC_HYBRID,
	IBS_RC_UNSAFE,
	IBS_RC_EXPEDITE_CURRENT,
	IBS_RC_NR
};

enum ibs_unregister { IBS_UNREG_SYNC, IBS_UNREG_ASYNC };
enum ibs_pattern { IBS_PAT_EXIT, IBS_PAT_BLOCK, IBS_PAT_CACHED };
enum ibs_barrier { IBS_BAR_NONE, IBS_BAR_MB };
enum ibs_guest_sync { IBS_GS_ACQUIRE, IBS_GS_RELAXED };
enum ibs_vcpu_sync { IBS_VS_FIRST, IBS_VS_ALL };
enum ibs_probe_mode { IBS_PM_PERIODIC, IBS_PM_BACK_TO_BACK };

struct ibs_config {
	u32 instances;
	u32 writers;
	u32 readers;
	u32 devices;
	u32 early_devices;
	u32 workload;
	u32 reclaim;
	u32 unregister;
	u32 pattern;
	u32 block_len;
	u32 barrier;
	u32 guest_sync;
	u32 max_pending;
	u32 quarantine;
	u32 probe_us;
	u32 probe_mode;
	u32 write_delay_us;
	u32 bind_readers;
	u32 timed_loops;
	u32 fail_alloc_every;
	u32 vcpu_sync;
	u32 ioeventfd_pct;
	u32 duration_ms;
	u64 seed;
};

extern struct ibs_config ibs_cfg;	/* applied by the next start */

int ibs_config_init(void);
void ibs_config_defaults(struct ibs_config *c);
void ibs_config_keys_show(struct seq_file *m);
int ibs_config_parse(struct ibs_config *c, char *buf);
void ibs_config_show(struct seq_file *m, const struct ibs_config *c,
		     const char *sep);
const char *ibs_reclaim_name(u32 reclaim);
const char *ibs_pattern_name(u32 pattern);

/* ---- bus and devices (bus.c, quarantine.c) ---- */

enum ibs_bus_state { IBS_BUS_LIVE, IBS_BUS_RETIRED, IBS_BUS_FREED };

/* Explicit type tag of a quarantined object. */
enum ibs_qtype { IBS_Q_BUS = 1, IBS_Q_DEV };

/*
 * First member of every quarantined object, so kfree() of it frees all.
 * @node is the bus's place on the reclaim lists (reclaim.c), then on the
 * quarantine list, with the grace-period @cookie (quarantine.c).
 */
struct ibs_qobj {
	struct list_head node;
	unsigned long cookie;
	struct ibs_instance *inst;
	u32 type;		/* enum ibs_qtype */
};

/*
 * Device kinds: an MMIO device accepts every access in its range; an
 * ioeventfd (virt/kvm/eventfd.c) accepts only a matching datamatch and
 * does not count toward the 1000-range limit (bus->ioeventfd_count).
 */
enum ibs_dev_kind { IBS_DEV_MMIO, IBS_DEV_IOEVENTFD };

struct ibs_dev {
	struct ibs_qobj q;
	u32 magic;
	u32 kind;		/* enum ibs_dev_kind */
	u64 addr;
	int len;		/* 0: an ioeventfd matching any length */
	u32 datamatch;		/* ioeventfd: the value it accepts */
	u64 freed_ns;
};

struct ibs_range {
	u64 addr;
	int len;
	struct ibs_dev *dev;
};

struct ibs_bus {
	struct ibs_qobj q;
	u32 state;		/* enum ibs_bus_state */
	int dev_count;
	int ioeventfd_count;
	u64 gen;
	u64 retire_ns;
	u64 freed_ns;
	unsigned long poll_cookie;
	struct rcu_head rcu;
	struct ibs_range range[];
};

struct ibs_bus *ibs_bus_alloc(struct ibs_instance *inst, int count);
struct ibs_bus *ibs_bus_copy_insert(struct ibs_instance *inst,
				    const struct ibs_bus *old, u64 addr,
				    int len, struct ibs_dev *dev);
struct ibs_bus *ibs_bus_copy_remove(struct ibs_instance *inst,
				    const struct ibs_bus *old,
				    struct ibs_dev *dev);
int ibs_bus_first(const struct ibs_bus *bus, u64 addr, int len);

/*
 * kvm_io_bus_cmp(), line for line: by address, then by end; a range @r2
 * with len == 0 (an ioeventfd of any access length) matches its exact
 * address only.  Overlapping ranges compare equal: ibs_bus_first() and the
 * reader's dispatch loop (__kvm_io_bus_write()) visit all of them.  Inline,
 * as upstream's is: the reader calls it on every access.
 */
static inline int ibs_range_cmp(const struct ibs_range *r1,
				const struct ibs_range *r2)
{
	u64 addr1 = r1->addr, addr2 = r2->addr;

	if (addr1 < addr2)
		return -1;
	if (r2->len) {
		addr1 += r1->len;
		addr2 += r2->len;
	}
	if (addr1 > addr2)
		return 1;
	return 0;
}

size_t ibs_bus_bytes(const struct ibs_bus *bus);
struct ibs_dev *ibs_dev_alloc(struct ibs_instance *inst, u64 addr);
void ibs_dev_free(struct ibs_instance *inst, struct ibs_dev *dev);
void ibs_dev_poison(struct ibs_dev *dev);

void ibs_quarantine_put(struct ibs_instance *inst, struct ibs_qobj *obj);
void ibs_quarantine_drain(struct ibs_instance *inst);

/*
 * ---- detectors and per-thread state (reader.c, writer.c) ----
 *
 * The counters and detectors below are written by their own thread only,
 * with WRITE_ONCE() (its plain read of its own counter races with
 * nothing), and read by stats (held_gen: by the writers) with READ_ONCE()
 * while the run goes on: benign, a live read may miss the latest
 * increments, and the verdict reads them after the threads stopped.  The
 * KCSAN runs (docs/kcsan.md) check that this holds.
 */

struct ibs_detector {
	u64 count;
	u64 first_ns;		/* since run start; 0 if never */
	u64 worst;		/* generations behind, or ns since free */
};

struct ibs_reader {
	struct ibs_instance *inst;
	struct task_struct *task;
	u64 rng;
	u64 held_gen;		/* cached: gen of the bus its section holds */
	u64 exits;		/* accesses (a guest exit each) */
	u64 hits;
	u64 misses;
	u64 null_bus;		/* accesses that found the bus NULL */
	u64 dispatch_misses;	/* aimed at an MMIO device on the bus, no hit */
	u64 zero_len_hits;	/* hits on len == 0 ioeventfds */
	u64 recycled;		/* a bus seen freed came back live: memory reused */
	/*
	 * Negative controls only (ibs_control_run()): the bus this section
	 * holds and the first device it dispatched to, for the writers'
	 * exposure counts (reader.c, "Exposures").  Only compared, never
	 * dereferenced, by the writers.
	 */
	bool track;
	struct ibs_bus *held_bus;
	struct ibs_dev *held_dev;
	struct ibs_bus *freed_seen;	/* in this section */
	u64 freed_gen;		/* its generation then */
	u32 since_resched;
	u64 run_ns;
	struct ibs_detector stale;
	struct ibs_detector gp;
	struct ibs_detector dev;
	/* Last, off the hot fields' cache lines (measured: ns_per_exit). */
	u64 sections;		/* read-side sections (block, cached: many exits each) */
	u64 declines;		/* an ioeventfd declined: datamatch differs */
	u64 hits_past_decline;	/* accepted by a range after one declined */
};

struct ibs_writer {
	struct ibs_instance *inst;
	struct task_struct *task;
	int id;
	u64 rng;
	u64 registers;
	u64 unregisters;
	u64 enomem;
	u64 enospc;
	u64 null_publishes;	/* unregister -ENOMEM: NULL bus published */
	u64 pending_waits;
	u64 gp_exposures;	/* unsafe frees while a reader held the bus */
	u64 device_exposures;	/* async device frees while a reader held it */
	u64 hold_timeouts;	/* waits for a holder that ended without one */
};

struct ibs_pub {
	u64 gen;
	u64 addr;
	bool added;
};

struct ibs_instance {
	int id;
	struct srcu_struct srcu;
	bool srcu_ready;
	struct ibs_bus __rcu *bus;
	struct mutex slots_lock;	/* serialises writers, like kvm->slots_lock */

	/* writer side, under slots_lock */
	struct ibs_dev **devs;
	u32 nr_devs;		/* written under slots_lock, read locklessly */
	u64 next_addr;
	u64 alloc_calls;
	u32 fail_every;		/* fail every Nth bus allocation */

	/* "returned to userspace" publication */
	u64 completed_gen;
	struct ibs_pub ring[IBS_PUB_RING];
	u64 cached_exposures;	/* publications while a cached section held an older bus */

	atomic_t nr_vcpus;	/* readers started (hybrid, boot model) */

	/* backlog of retired but not yet freed buses */
	atomic_long_t pending;
	atomic_long_t pending_bytes;
	atomic_long_t pending_peak;
	atomic_long_t pending_peak_bytes;
	wait_queue_head_t pending_wq;

	/* ledger */
	atomic_long_t buses_allocated;
	atomic_long_t buses_freed;
	atomic_long_t devs_allocated;
	atomic_long_t devs_freed;

	/* expedited-worker and poll reclaim */
	spinlock_t reclaim_lock;
	struct list_head ew_list;
	struct work_struct ew_work;
	struct list_head poll_list;
	struct task_struct *reaper;

	/* quarantine: poisoned objects waiting for a grace period, FIFO */
	spinlock_t q_lock;
	struct list_head q_list;

	struct task_struct *probe;
	struct ibs_writer *writers;
	struct ibs_reader *readers;

	/* boot model (writer 0) */
	u64 boot_early_ns;
	u64 boot_vcpu_ns;
	u64 boot_vcpu1_ns;	/* the first KVM_CREATE_VCPU: the regression */
	u64 boot_late_ns;
	bool boot_done;
};

/* ---- the run (main.c) ---- */

enum ibs_state { IBS_IDLE, IBS_RUNNING, IBS_STOPPING, IBS_DONE };

enum ibs_metric {
	IBS_M_REGISTER,
	IBS_M_UNREGISTER,
	IBS_M_RECLAIM,
	IBS_M_PROBE,
	IBS_M_VCPU_CREATE,
	IBS_M_BOOT,
	IBS_M_NR
};

struct ibs_run {
	struct ibs_config cfg;		/* of this run */
	u32 state;			/* enum ibs_state */
	u64 start_ns;
	u64 end_ns;
	bool stop_requested;
	atomic_t boots_pending;
	wait_queue_head_t wq;
	struct completion done;
	struct task_struct *controller;
	struct ibs_instance *inst;	/* cfg.instances of them */
	struct ibs_hist hist[IBS_M_NR];
	char verdict[200];		/* under the driver's 255-character value limit */
};

extern struct ibs_run ibs_run;
extern struct mutex ibs_lock;
extern const char * const ibs_metric_names[IBS_M_NR];

int ibs_start(void);
int ibs_stop(bool interruptible);
int ibs_reset(void);
const char *ibs_state_name(u32 state);
u64 ibs_elapsed_ns(void);

static inline u64 ibs_since_start(void)
{
	return ktime_get_ns() - ibs_run.start_ns;
}

/* ---- threads (writer.c, reader.c, probe.c, reclaim.c) ---- */

/*
 * The negative controls (reclaim=unsafe, unregister=async): their readers
 * publish what they hold and their writers wait for a holder before a
 * free (reader.c, "Exposures").
 */
/*
 * A reclaim strategy (reclaim.c): @retire is called under slots_lock after
 * the new bus is published; @flush at teardown, after srcu_barrier().
 */
struct ibs_reclaim_ops {
	const char *name;
	bool deferred;	/* the old bus outlives the update (the ioctl) */
	bool control;	/* no grace period: a negative control */
	bool reaper;	/* needs the reaper thread (main.c) */
	bool (*available)(void);	/* NULL: on every kernel */
	const char *needs;		/* what @available looks for */
	/*
	 * Why the boot model's first vCPU creation takes what it takes:
	 * "construction(...)" when the strategy leaves no grace period
	 * pending at it (the same as sync-expedited's, not a finding), else
	 * "measured" (the regression's number).
	 */
	const char *vcpu1_basis;
	void (*retire)(struct ibs_instance *inst, struct ibs_bus *old);
	void (*flush)(struct ibs_instance *inst);
};

extern const struct ibs_reclaim_ops ibs_reclaim_ops[IBS_RC_NR];

static inline bool ibs_control_run(const struct ibs_config *c)
{
	return ibs_reclaim_ops[c->reclaim].control ||
	       c->unregister == IBS_UNREG_ASYNC;
}

extern unsigned int ibs_hold_wait_us;	/* params.c: hold_wait_us */

int ibs_writer_thread(void *arg);
int ibs_reader_thread(void *arg);
int ibs_probe_thread(void *arg);
int ibs_reaper_thread(void *arg);
void ibs_sleep_us(u32 us);
void ibs_ew_work(struct work_struct *work);
void ibs_retire(struct ibs_instance *inst, struct ibs_bus *old);
void ibs_retire_as(struct ibs_instance *inst, struct ibs_bus *old,
		   u32 reclaim);
void ibs_bus_free(struct ibs_bus *bus);
void ibs_retire_begin(struct ibs_instance *inst, struct ibs_bus *old);
u64 ibs_bus_free_begin(struct ibs_bus *bus);
void ibs_bus_free_end(struct ibs_bus *bus);
void ibs_reclaim_flush(struct ibs_instance *inst);

/* xorshift64*, inline: the reader draws once per access. */
static inline u64 ibs_rng_next(u64 *state)
{
	u64 x = *state;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*state = x;
	return x * 0x2545f4914f6cdd1dULL;
}

u64 ibs_rng_seed(u64 seed, int instance, int role, int idx);

/* ---- results (stats.c, expect.c) ---- */

enum ibs_expect_kind { IBS_EXP_ZERO, IBS_EXP_FIRE, IBS_EXP_ANY };

/*
 * Why a clause holds (expect.c): what a result that agrees with it shows.
 * MEASURED: not judged, the count is the finding; SRCU: the reclaim
 * strategy's grace period is what is tested; the rest are true whatever
 * the strategy does (by construction), for the reason named.
 */
enum ibs_basis {
	IBS_WHY_MEASURED,
	IBS_WHY_SRCU_GP,	/* srcu(grace-period): freed after readers */
	IBS_WHY_SRCU_SYNC,	/* srcu(synchronize): the writer waited */
	IBS_WHY_LOCK_MB,	/* construction(read-lock-mb) */
	IBS_WHY_ACQUIRE,	/* construction(acquire) */
	IBS_WHY_RMB,		/* construction(rmb) */
	IBS_WHY_CACHED,		/* construction(cached) */
	IBS_WHY_HOLD,		/* construction(hold) */
};

struct ibs_expect {
	u8 stale, gp, dev;	/* enum ibs_expect_kind */
	u8 stale_why, gp_why, dev_why;	/* enum ibs_basis */
};

struct ibs_totals {
	u64 registers, unregisters, enomem, enospc, pending_waits;
	u64 exits, sections, insns, hits, misses, reader_run_ns;
	struct ibs_detector stale, gp, dev;
	long pending, pending_bytes, pending_peak, pending_peak_bytes;
	long buses_allocated, buses_freed, devs_allocated, devs_freed;
	long leaked;		/* allocated - freed, buses and devices */
	u64 boot_early_ns, boot_vcpu_ns, boot_vcpu1_ns, boot_late_ns;
	u64 cached_exposures, null_publishes, null_bus;
	u64 gp_exposures, device_exposures, hold_timeouts;
	u64 dispatch_misses, zero_len_hits, recycled;
	u64 declines, hits_past_decline;
};

void ibs_expect_for(const struct ibs_config *c, struct ibs_expect *e);
int ibs_expect_str(const struct ibs_expect *e, char *buf, size_t len);
int ibs_basis_str(const struct ibs_expect *e, char *buf, size_t len);
bool ibs_verdict(const struct ibs_config *c, const struct ibs_totals *t,
		 bool finished, char *buf, size_t len);
void ibs_totals_collect(struct ibs_totals *t);
void ibs_model_collect(struct ibs_totals *t);
void ibs_model_show(struct seq_file *m, const struct ibs_totals *t);
void ibs_stats_show(struct seq_file *m);

/*
 * ---- KCSAN negative controls (params.c: kcsan_break) ----
 *
 * Each value removes one ordering the model relies on, for a KCSAN kernel
 * to report (docs/kcsan.md).  Only a module built for a CONFIG_KCSAN kernel
 * can take a broken path: elsewhere ibs_kcsan_broken() is constant false,
 * the branches compile away and the code is the normal one.  The value is
 * set at load, before any thread of a run exists.
 */
enum ibs_kcsan_break {
	IBS_KB_NONE,
	IBS_KB_PUBLISH,		/* rcu_assign_pointer() of the bus: plain store */
	IBS_KB_GEN,		/* completed_gen: plain store, no smp_wmb() */
	IBS_KB_GEN_WMB,		/* only the smp_wmb()s before completed_gen */
	IBS_KB_BLOCK_RMB,	/* pattern=block: no smp_rmb() before the bus */
	IBS_KB_DEREF,		/* the readers' srcu_dereference(): plain load */
};

extern u32 ibs_kcsan_break;

/*
 * The functions whose accesses KCSAN's reports name (docs/kcsan.md; the
 * make check tests expect the names): out of line on a KCSAN kernel, so a
 * report says ibs_get_bus or ibs_observe_gen whatever the compiler inlines
 * around them; elsewhere inline, as they are on the reader's hot path.
 */
#ifdef CONFIG_KCSAN
#define ibs_kcsan_noinline	noinline
#else
#define ibs_kcsan_noinline	__always_inline
#endif

static inline bool ibs_kcsan_broken(u32 what)
{
	return IS_ENABLED(CONFIG_KCSAN) && unlikely(ibs_kcsan_break == what);
}

/* ---- interface (debugfs.c, params.c) ---- */

void ibs_debugfs_init(void);
void ibs_debugfs_exit(void);
int ibs_params_apply(bool *start);

#endif /* IOBUS_STRESS_H */
