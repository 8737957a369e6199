/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iobus-stress kvm: the tiny guest, the classification of its MMIO exits,
 * and the pieces of the command that need no /dev/kvm (option parsing,
 * samples and medians, the summary JSON), so that cmocka can test them.
 */
#ifndef IOBUS_KVM_GUEST_H
#define IOBUS_KVM_GUEST_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "kvm_guest_layout.h"


/*
 * Guest triple faults (KVM_EXIT_SHUTDOWN) a run takes as its environment's,
 * resetting the vCPU to the guest code: 1 under QEMU's TCG (CPUID
 * 0x40000000 "TCGTCGTCGTCG"), whose nested SVM has shut down vCPUs of this
 * stateless guest with no splat; 0 elsewhere (docs/kvm.md).  The guest has
 * no IDT, so any exception is a triple fault.
 */
#define KG_TCG_SHUTDOWNS 1
/* What a guest shutdown is, for the verdict (kvm_arch.h). */
#ifdef __aarch64__
#define KG_SHUTDOWN_WHAT "KVM_EXIT_SYSTEM_EVENT, the guest took an exception"
#else
#define KG_SHUTDOWN_WHAT "KVM_EXIT_SHUTDOWN, a triple fault"
#endif
unsigned int kg_shutdowns_tolerated(const char *cpuid_hv);
/* CPUID 0x40000000's 12-byte signature into @sig[13]; "" if none (or not x86). */
void kg_cpuid_hypervisor(char sig[13]);

/* The guest's code (kvm_guest_code.S) and its length in bytes. */
extern const uint8_t kg_code[];
extern const size_t kg_code_len;

/* Write page tables, mailbox (= @first_index) and code into @mem. */
void kg_setup_memory(uint8_t *mem, uint32_t first_index);

static inline uint64_t kg_addr(uint32_t index)
{
	return KG_MMIO_BASE + (uint64_t)index * KG_MMIO_STRIDE;
}

/* What the VMM did with an index, as the vCPU thread sees it. */
enum kg_state {
	KG_NONE = 0,		/* never written to the mailbox */
	KG_PROBE,		/* written to the mailbox, never registered */
	KG_REGISTERED,		/* KVM_IOEVENTFD returned before the mailbox write */
	KG_DEASSIGNING,		/* the DEASSIGN ioctl has started (or returned) */
};

enum kg_verdict {
	KG_OK_PROBE,		/* exit at an index with no ioeventfd: expected */
	KG_OK_RETIRED,		/* exit at an index being or already unregistered */
	KG_STALE,		/* exit at an index whose registration had returned */
	KG_UNEXPECTED,		/* not what the guest code can produce */
};

/* The fields of a KVM_EXIT_MMIO the checker looks at. */
struct kg_mmio {
	uint64_t phys_addr;
	uint8_t data[8];
	uint32_t len;
	uint8_t is_write;
};

/*
 * Classify one MMIO exit against the per-index state (@nstates entries,
 * read with acquire loads).  KG_UNEXPECTED writes the reason to @why.
 */
enum kg_verdict kg_classify(const struct kg_mmio *m, const uint8_t *state,
			    uint32_t nstates, char *why, size_t len);

/* Options of `iobus-stress kvm`. */
struct kvm_opts {
	unsigned int early, late, repeat, window, vcpus;
	unsigned int duration_ms;
	unsigned int churn_ms;	/* --churn: 0, or the safety load's length */
	int repeat_set;		/* --repeat given; else timing VMs for ~0.5 s */
	int fail_on;		/* --fail-on: KD_PRESENT, KD_ABSENT, or -1 */
	int compare, tap, help;
	int hold;		/* --hold: keep one vCPU until a signal */
	int mailbox_first;	/* --mailbox-first: the stale detector's control */
	unsigned int inject_shutdowns;	/* --inject-shutdowns: their control */
	const char *reclaim;	/* --reclaim: force the model's strategy */
	const char *module, *json, *svg;
};

/*
 * Without --repeat: timing VMs until KG_AUTO_MS of them have run, at least
 * KG_AUTO_MIN and at most KG_AUTO_MAX; with --compare the model then boots
 * KG_MODEL_BOOTS * KG_AUTO_MIN times.
 */
#define KG_AUTO_MS 500
#define KG_AUTO_MIN 5
#define KG_AUTO_MAX 100
#define KG_MAX_VCPUS 64

/* Parse argv (argv[0] = "kvm"); 0, or 2 with @err set. */
int kvm_parse(struct kvm_opts *o, int argc, char **argv, char *err,
	      size_t len);
void kvm_usage(FILE *f);

/* A growable array of latency samples (ns). */
struct samples {
	size_t n, cap;
	uint64_t *v;
};

int samples_add(struct samples *s, uint64_t ns);
/* Quantile q (0..1) of the samples: sorts them; 0 when empty. */
uint64_t samples_quantile(struct samples *s, double q);
void samples_free(struct samples *s);
/* The module's log-linear bucket (32 per power of two) of @v, and its bounds. */
unsigned int kg_hist_index(uint64_t v);
uint64_t kg_hist_lower(unsigned int idx);

/* Flat "key": number or string pairs of the summary object. */
#define KS_MAX 128
struct kvm_summary {
	int n;
	char key[KS_MAX][40];
	char val[KS_MAX][200];
	int is_str[KS_MAX];
};

void ks_num(struct kvm_summary *s, const char *key, unsigned long long v);
void ks_dbl(struct kvm_summary *s, const char *key, double v);
void ks_str(struct kvm_summary *s, const char *key, const char *v);
const char *ks_get(const struct kvm_summary *s, const char *key);
/*
 * {"tool": "iobus-stress", "command": "kvm", "summary": {...},
 *  "hist": {"NAME": [[lower_ns, upper_ns, count], ...], ...}}
 * @names/@hists: @nh sample sets.  With @npairs, "diagnosis_pairs":
 * [[with_ns, without_ns], ...]: the diagnosis' evidence, in run order, so
 * that a reader can recompute it.  Returns 0, or -1 on a write error.
 */
int kvm_write_json(FILE *f, const struct kvm_summary *s,
		   const char *const *names, struct samples *hists, int nh,
		   const uint64_t *pair_with, const uint64_t *pair_without,
		   size_t npairs);

/*
 * The exit experiment's verdict from the summary: 1 pass; 0 with @why when
 * a stale or unexpected exit was seen, more guest shutdowns than
 * guest_shutdowns_tolerated, or when the guest never proved it runs our
 * code (no exit at a probe, no eventfd hit).
 */
int kvm_exit_verdict(const struct kvm_summary *s, char *why, size_t len);

/*
 * --compare's strategy: a deassign (always a synchronize_srcu_expedited())
 * at least this many times slower than a KVM_IOEVENTFD registration means
 * the registration no longer waits: call_srcu().
 */
#define KG_DEFER_RATIO 3
/*
 * --compare: model boots per --repeat, each followed by a real first sync
 * (a fresh VM's first deassign), so the two medians are of the same size
 * class and taken under the same host load.  A boot costs a few ms.
 */
#define KG_MODEL_BOOTS 3
/* "call-srcu" or "sync-expedited" from the two medians; @ratio = dea/reg. */
const char *kg_observed_strategy(uint64_t reg_p50, uint64_t deassign_p50,
				 double *ratio);

/* "7.3.4+deb13-amd64" >= 6.18?  1, 0, or -1 when unparsable. */
int kg_release_has_call_srcu(const char *release);

#endif
