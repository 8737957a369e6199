// SPDX-License-Identifier: GPL-2.0
/* iobus-stress kvm on x86-64: long mode at the guest code, CPUID (kvm_arch.h). */
#ifdef __x86_64__
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "exit_codes.h"
#include "kvm_arch.h"
#include "kvm_internal.h"

const char kvm_arch_name[] = "x86_64";
const int kvm_arch_vcpu_first;

int kvm_arch_vm_setup(int vm)
{
	(void)vm;
	return 0;
}

/* The guest CPUID KVM supports: newer kernels refuse EFER.LME without LM. */
static int set_cpuid(int kvm, int vcpu)
{
	int n = 100, ret;
	struct kvm_cpuid2 *cp;

	for (;;) {
		cp = calloc(1, sizeof(*cp) + n * sizeof(cp->entries[0]));
		if (!cp)
			return EX_IO;
		cp->nent = n;
		if (!ioctl(kvm, KVM_GET_SUPPORTED_CPUID, cp))
			break;
		free(cp);
		if (errno != E2BIG || n > 10000)
			return kvm_fail("KVM_GET_SUPPORTED_CPUID");
		n *= 2;
	}
	ret = ioctl(vcpu, KVM_SET_CPUID2, cp) ? kvm_fail("KVM_SET_CPUID2") : 0;
	free(cp);
	return ret;
}

int kvm_arch_vcpu_setup(struct ctx *c, int vm, int fd)
{
	(void)vm;
	if (set_cpuid(c->kvm, fd))
		return EX_KVM;
	return 0;
}

/* Long mode at @pc, as KVM selftests set it up; every vCPU alike. */
int kvm_arch_vcpu_enter(struct ctx *c, int vm, int fd, uint64_t pc)
{
	struct kvm_sregs sr;
	struct kvm_regs regs;
	struct kvm_segment cs = {
		.base = 0, .limit = 0xffffffff, .selector = 8, .type = 11,
		.present = 1, .dpl = 0, .db = 0, .s = 1, .l = 1, .g = 1,
	};
	struct kvm_segment ds = {
		.base = 0, .limit = 0xffffffff, .selector = 16, .type = 3,
		.present = 1, .dpl = 0, .db = 1, .s = 1, .l = 0, .g = 1,
	};
	struct kvm_segment tr = {
		.base = 0, .limit = 0x67, .selector = 24, .type = 11,
		.present = 1, .s = 0,
	};

	(void)c;
	(void)vm;
	if (ioctl(fd, KVM_GET_SREGS, &sr))
		return kvm_fail("KVM_GET_SREGS");
	sr.cs = cs;
	sr.ds = sr.es = sr.fs = sr.gs = sr.ss = ds;
	sr.tr = tr;
	sr.cr0 = 0x80050033;	/* PG WP NE ET MP PE, as KVM selftests */
	sr.cr3 = KG_PML4;
	sr.cr4 = 0x20;		/* PAE */
	sr.efer = 0x500;	/* LME LMA */
	if (ioctl(fd, KVM_SET_SREGS, &sr))
		return kvm_fail("KVM_SET_SREGS (long mode)");
	memset(&regs, 0, sizeof(regs));
	regs.rip = pc;
	regs.rsp = KG_STACK;	/* the guest code uses no stack: shared */
	regs.rflags = 2;
	if (ioctl(fd, KVM_SET_REGS, &regs))
		return kvm_fail("KVM_SET_REGS");
	return 0;
}

void kvm_arch_vcpu_state(int fd, char *buf, size_t len)
{
	struct kvm_regs regs;
	struct kvm_sregs sr;

	if (ioctl(fd, KVM_GET_REGS, &regs) || ioctl(fd, KVM_GET_SREGS, &sr)) {
		snprintf(buf, len, " (registers unreadable)");
		return;
	}
	snprintf(buf, len, " at RIP 0x%llx (RSP 0x%llx CR0 0x%llx CR4 0x%llx EFER 0x%llx)",
		 (unsigned long long)regs.rip, (unsigned long long)regs.rsp,
		 (unsigned long long)sr.cr0, (unsigned long long)sr.cr4,
		 (unsigned long long)sr.efer);
}

int kvm_arch_exit_shutdown(const struct kvm_run *run, char *why, size_t len)
{
	if (run->exit_reason != KVM_EXIT_SHUTDOWN)
		return 0;
	snprintf(why, len, "exit reason %u (KVM_EXIT_SHUTDOWN)", run->exit_reason);
	return 1;
}

int kvm_arch_exit_why(const struct kvm_run *run, char *why, size_t len)
{
	(void)run;
	(void)why;
	(void)len;
	return 0;
}

void kvm_arch_mem_sync(uint8_t *mem, size_t len)
{
	(void)mem;
	(void)len;
}

void kvm_arch_mailbox(uint8_t *mem, uint32_t index)
{
	__atomic_store_n((uint32_t *)(mem + KG_MAILBOX), index,
			 __ATOMIC_RELEASE);
}
#endif
