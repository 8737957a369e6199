/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iobus-stress kvm, inside: what its experiments share.  kvm_timing.c
 * (registration and memslot timing VMs), kvm_exits.c (the exit experiment
 * and the churn), kvm_model.c (--compare: the module's boot model),
 * kvm_report.c (table, JSON, SVG, KTAP), kvm.c (the command).
 */
#ifndef IOBUS_KVM_INTERNAL_H
#define IOBUS_KVM_INTERNAL_H

#include <stdint.h>
#include <stdio.h>

#include "kvm_diagnosis.h"
#include "kvm_guest.h"
#include "provenance.h"
#include "result.h"

/* Sample sets, in the order of the JSON "hist" object. */
enum {
	H_IOEVENTFD,		/* every registration of the timing VMs */
	H_EARLY,		/* the --early ones (before any memslot; x86: and vCPU) */
	H_LATE,			/* the --late ones (after the vCPU) */
	H_DEASSIGN,
	H_MEMSLOT1,		/* first KVM_SET_USER_MEMORY_REGION per VM */
	H_VCPU,
	H_MEMSLOT2,
	H_RUN_IOEVENTFD,	/* registrations with the guest running */
	H_RUN_DEASSIGN,
	H_MEMSLOT1_CTL,		/* first memslot of a VM with no registration */
	H_FIRST_SYNC,		/* first deassign after the early registrations */
	H_PAIRED_SYNC,		/* the same, each right after a model boot */
	NH,
};
extern const char *const hist_names[NH];

struct ctx {
	struct kvm_opts o;
	int kvm;
	struct samples h[NH];
	struct kvm_summary sum;
	char release[65];
	const struct provenance *prov;
	unsigned int vms;		/* timing VMs run */
	/* the diagnosis' pairs, copied before anything sorts h[] */
	uint64_t *pair_with, *pair_without;
	size_t npairs;
	struct kd_result diag;
	int have_diag;
	/*
	 * Guest triple faults (KVM_EXIT_SHUTDOWN) in the exit experiment and
	 * the churn, all vCPUs (atomics): a vCPU is reset to the guest code
	 * for up to shutdowns_tolerated of them (kg_shutdowns_tolerated()).
	 */
	unsigned int shutdowns, shutdowns_tolerated;
	unsigned int inject_left;	/* --inject-shutdowns still to start */
	int shutdown_taken;		/* shutdown_first written */
	char shutdown_first[200];
	char cpuid_hv[13];		/* CPUID 0x40000000's signature, or "" */
};

struct model {
	const char *strategy;
	char basis[160];
	unsigned long long reg_p50, first_sync;
	struct result *r;	/* KG_MODEL_BOOTS * o.repeat results */
	int n;
};

uint64_t now_ns(void);
int kvm_fail(const char *what);
int kvm_sample(struct ctx *c, int h, uint64_t ns);

/* kvm_timing.c */
int kvm_ioeventfd(int vm, int efd, uint32_t index, int deassign);
int kvm_set_slot(int vm, uint32_t slot, uint64_t gpa, void *mem, uint64_t size);
int timing_vms(struct ctx *c);
int sync_vm(struct ctx *c, int h);
/* kvm_exits.c */
int exits_run(struct ctx *c);
int churn_run(struct ctx *c);
/* The shutdown counters into the summary, after both experiments. */
void shutdown_summary(struct ctx *c);
/* kvm_model.c */
void decide_strategy(struct ctx *c, struct model *md);
int run_model(struct ctx *c, struct model *md, FILE *human);
/* kvm_report.c */
void fill_summary(struct ctx *c);
void print_table(struct ctx *c, FILE *f);
void print_compare(struct ctx *c, const struct model *md, FILE *f);
FILE *open_out(const char *path);
int close_out(FILE *f);
int write_svg_file(struct ctx *c, const struct model *md, FILE *f);
void kvm_tap(struct ctx *c, const struct model *md, int real_ok,
	     const char *why);
/* --fail-on: 1 when the diagnosis is the one asked to fail, or undecided. */
int fail_on_met(const struct ctx *c);

#endif
