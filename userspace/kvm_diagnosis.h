/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iobus-stress kvm: the one-line answer.  Is the 6.18 regression
 * (call_srcu() in kvm_io_bus_register_dev() makes the next
 * synchronize_srcu_expedited() wait for a normal grace period) present on
 * this kernel, what does it cost, and what does that mean at this HZ.
 *
 * The evidence, from one run: each timing VM's first memslot update after
 * --early registrations (A), and a fresh VM's first memslot update with
 * none (B) taken right after it, so that the two sides interleave VM by
 * VM under the same host load.  The statistic is the lower quartile of
 * each side: host scheduling noise only adds time, so the lower quartile
 * estimates each side's undisturbed cost, and one slow VM (a descheduled
 * vCPU under QEMU TCG on a busy host cost 5-17 ms) moves it less than it
 * moves a median or a paired ratio (docs/diagnosis.md has the runs that
 * chose it).  ratio = q25(A) / q25(B), excess = q25(A) -
 * q25(B):
 *
 *   inconclusive: fewer than KD_MIN_VMS VMs per side; or more than half
 *                 the control VMs (B) took over half a
 *                 jiffy more than the fastest of them: too noisy to tell;
 *                 or q25(B) itself is over half a jiffy: a baseline that
 *                 slow cannot show a grace period's wait (both seen under
 *                 QEMU TCG beside a kernel build: every fresh VM's first
 *                 memslot update took ~5.5 ms on 7.3 in one run);
 *   present:      ratio >= KD_PRESENT_RATIO and excess >= half a jiffy
 *   absent:       ratio <  KD_ABSENT_RATIO or excess < a quarter jiffy
 *   inconclusive: anything between (rerun with a larger --repeat)
 *
 * The jiffy terms come from the mechanism: the wait is for a normal SRCU
 * grace period, which SRCU drives from timers counted in jiffies (about
 * 1 jiffy at HZ=1000, 2-2.5 at HZ=100 and 250 in the public reports and
 * here), while an expedited sync with nothing in flight takes tens of
 * microseconds on a real host.  Unknown HZ: 1 ms is taken as the jiffy
 * (HZ=1000, the smallest).  docs/diagnosis.md gives the measurements
 * behind 5x and 2x.  The line shows the medians too.
 */
#ifndef IOBUS_KVM_DIAGNOSIS_H
#define IOBUS_KVM_DIAGNOSIS_H

#include <stddef.h>
#include <stdint.h>

#define KD_PRESENT_RATIO 5.0
#define KD_ABSENT_RATIO 2.0
/*
 * Fewer VMs per side: inconclusive.  With 3, the lower quartile is the
 * median: 6.12's --early 0 control under QEMU beside a kernel build had
 * 2 of 3 "with" VMs descheduled (4.65, 12.7 ms) and read 11x, a false
 * present (2026-12-04).
 */
#define KD_MIN_VMS 5

enum kd_verdict { KD_ABSENT, KD_PRESENT, KD_INCONCLUSIVE };

struct kd_input {
	/* samples, ns, in run order: first memslot after registrations (A)
	 * and with none (B); n of each */
	const uint64_t *with_reg, *without;
	size_t n;
	unsigned int early;	/* registrations before the first memslot */
	uint64_t run_deassign_p50;	/* deassign with a guest running, ns; 0: none */
	unsigned int hz;	/* 0: unknown */
	const char *hz_source;
};

/* The lower quartile the diagnosis uses (samples_quantile's index rule). */
#define KD_QUANTILE 0.25

struct kd_result {
	enum kd_verdict v;
	double ratio;		/* q25(A) / q25(B) */
	uint64_t with_q, without_q;	/* the lower quartiles, ns */
	uint64_t with_p50, without_p50;	/* the medians, for the reader */
	int64_t excess_ns;	/* with_q - without_q */
	double jiffies;		/* excess in jiffies (at hz, or 1 ms) */
	size_t slow_controls;	/* B > min(B) + half a jiffy */
	char line[640];		/* "diagnosis: regression present: ..." */
};

/* "absent", "present", "inconclusive". */
const char *kd_name(enum kd_verdict v);
/*
 * 0, or -1 when there is no pair.  With early == 0 both sides are VMs
 * without a registration: the control, which must come out absent.
 */
int kd_diagnose(const struct kd_input *in, struct kd_result *out);
/* "present" / "absent" for --fail-on; -1 for anything else. */
int kd_parse(const char *s);

#endif
