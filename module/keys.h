/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The run configuration's keys: the one list.  config.c's parser, defaults
 * and debugfs keys file, params.c's module parameters and their modinfo
 * text, and the driver's flags and checks (userspace/config_keys.c) all
 * include it, each with its own definitions of:
 *
 *   IBS_NUM(name, lo, hi, default, unit, help)   a u32 in [lo, hi]
 *   IBS_U64(name, default, help)                 a u64, any value
 *   IBS_ENUM(name, "a|b|c", "default", help)     one of the names, in the
 *                                                order of config.c's
 *                                                <name>_names[] (checked
 *                                                at load)
 *
 * No include guard: included once per use.  Plain literals only: they are
 * stringified into modinfo and compiled into the driver.
 */
IBS_NUM(instances, 1, 64, 1, "VMs",
	"VMs, each with its own srcu_struct, bus and slots_lock");
IBS_NUM(writers, 1, 16, 1, "threads",
	"ioctl threads per VM, serialised by slots_lock");
IBS_NUM(readers, 0, 64, 2, "threads", "vCPU threads per VM");
IBS_NUM(devices, 1, 2000, 32, "ranges",
	"ranges on the bus in steady state / after boot; MMIO ranges past 1000 get -ENOSPC");
IBS_NUM(early_devices, 0, 2000, 6, "ranges",
	"workload=boot: devices registered before any vCPU");
IBS_ENUM(workload, "churn|boot", "churn",
	 "churn: register and unregister in a loop; boot: a VM's boot, vCPU creation timed");
IBS_ENUM(reclaim,
	 "sync-expedited|sync|call-srcu|expedited-worker|poll|hybrid|unsafe|expedite-current",
	 "call-srcu",
	 "how the old bus is reclaimed (unsafe: a negative control; expedite-current: kernels with srcu_expedite_current())");
IBS_ENUM(unregister, "sync|async", "sync",
	 "how an unregister reclaims (async: a negative control)");
IBS_ENUM(pattern, "exit|block|cached", "exit",
	 "the readers' SRCU sections: one per exit, one per block_len exits, or one holding its bus");
IBS_NUM(block_len, 1, 100000, 64, "exits",
	"exits per SRCU section, pattern=block and cached");
IBS_ENUM(barrier, "none|mb", "mb",
	 "smp_mb__after_srcu_read_lock() before srcu_dereference(), or none");
IBS_ENUM(guest_sync, "acquire|relaxed", "relaxed",
	 "the guest's load of the completed generation (relaxed: a plain load)");
IBS_NUM(max_pending, 0, 10000000, 0, "buses",
	"retired, unfreed buses per VM before writers wait; 0 = unbounded");
IBS_NUM(quarantine, 0, 1000000, 4096, "objects",
	"0 = kfree freed objects at once (for KASAN); else keep them poisoned until an SRCU grace period");
IBS_NUM(probe_us, 0, 10000000, 0, "us",
	"period of a timed synchronize_srcu_expedited(); 0 = off");
IBS_ENUM(probe_mode, "periodic|back-to-back", "periodic",
	 "a probe every probe_us, or one synchronize_srcu_expedited() after the other (probe_us=0)");
IBS_NUM(write_delay_us, 0, 10000000, 0, "us",
	"pause between a writer's operations");
IBS_NUM(bind_readers, 0, 1, 0, "bool",
	"1 = bind reader i to the i-th online CPU");
IBS_NUM(timed_loops, 0, 10000, 0, "exits",
	"exits per timed loop, interrupts off, as refscale times its loop (pattern=exit; 0 = off)");
IBS_NUM(fail_alloc_every, 0, 1000000, 0, "allocations",
	"fail every Nth bus allocation with -ENOMEM; 0 = never");
IBS_ENUM(vcpu_sync, "first|all", "first",
	 "which vCPU creations do the memslot-swap expedited sync (first: as x86)");
IBS_NUM(ioeventfd_pct, 0, 100, 0, "%",
	"percent of devices that are ioeventfds, outside the 1000-range limit");
IBS_NUM(duration_ms, 0, 86400000, 0, "ms",
	"stop the run after this long; 0 = at stop or rmmod");
IBS_U64(seed, 1, "seed of every thread's random sequence");
