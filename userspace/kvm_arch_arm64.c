// SPDX-License-Identifier: GPL-2.0
/*
 * iobus-stress kvm on arm64 (kvm_arch.h): each vCPU is KVM_ARM_VCPU_INIT'd
 * with the preferred target and PSCI 0.2, and starts at the guest code in
 * EL1h with D, A, I and F masked and its MMU off (SCTLR_EL1 as reset), so
 * every data access is a Device access that stage 2 resolves: the mailbox
 * in the memslot, each index's address an MMIO abort with a valid syndrome
 * (`str w0, [x2]`).  VBAR_EL1 points at the guest's vectors, each of which
 * calls PSCI SYSTEM_OFF: any exception of the guest ends in
 * KVM_EXIT_SYSTEM_EVENT, as a triple fault ends an x86 one in
 * KVM_EXIT_SHUTDOWN.
 */
#ifdef __aarch64__
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include <linux/kvm.h>

#include "exit_codes.h"
#include "kvm_arch.h"
#include "kvm_internal.h"

const char kvm_arch_name[] = "arm64";
const int kvm_arch_vcpu_first = 1;

#define CORE_REG(x)	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | \
			 (offsetof(struct kvm_regs, x) / sizeof(__u32)))
#define REG_VBAR_EL1	ARM64_SYS_REG(3, 0, 12, 0, 0)
#define REG_SCTLR_EL1	ARM64_SYS_REG(3, 0, 1, 0, 0)
#define REG_ESR_EL1	ARM64_SYS_REG(3, 0, 5, 2, 0)
#define REG_FAR_EL1	ARM64_SYS_REG(3, 0, 6, 0, 0)
/* EL1 with SP_EL1 (EL1h), D A I F masked */
#define PSTATE_EL1H_MASKED	0x3c5ULL

static int set_reg(int fd, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)&v };

	return ioctl(fd, KVM_SET_ONE_REG, &r);
}

static int get_reg(int fd, uint64_t id, uint64_t *v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uintptr_t)v };

	return ioctl(fd, KVM_GET_ONE_REG, &r);
}

/*
 * A stage-2 data abort without a valid syndrome is an exit to userspace
 * (KVM_EXIT_ARM_NISV, named in the report) rather than KVM_RUN's ENOSYS,
 * where the kernel offers it.  The guest code never causes one.
 */
int kvm_arch_vm_setup(int vm)
{
	struct kvm_enable_cap cap = { .cap = KVM_CAP_ARM_NISV_TO_USER };

	if (ioctl(vm, KVM_CHECK_EXTENSION, KVM_CAP_ARM_NISV_TO_USER) <= 0)
		return 0;
	if (ioctl(vm, KVM_ENABLE_CAP, &cap))
		return kvm_fail("KVM_ENABLE_CAP (KVM_CAP_ARM_NISV_TO_USER)");
	return 0;
}

static int vcpu_init(int vm, int fd)
{
	struct kvm_vcpu_init init;

	memset(&init, 0, sizeof(init));
	if (ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init))
		return kvm_fail("KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(fd, KVM_ARM_VCPU_INIT, &init))
		return kvm_fail("KVM_ARM_VCPU_INIT");
	return 0;
}

/* KVM_ARM_VCPU_INIT is kvm_arch_vcpu_enter()'s: it also resets the vCPU. */
int kvm_arch_vcpu_setup(struct ctx *c, int vm, int fd)
{
	(void)c;
	(void)vm;
	(void)fd;
	return 0;
}

int kvm_arch_vcpu_enter(struct ctx *c, int vm, int fd, uint64_t pc)
{
	int ret;

	(void)c;
	ret = vcpu_init(vm, fd);
	if (ret)
		return ret;
	if (set_reg(fd, CORE_REG(regs.pstate), PSTATE_EL1H_MASKED))
		return kvm_fail("KVM_SET_ONE_REG (PSTATE)");
	if (set_reg(fd, REG_VBAR_EL1, KG_CODE + KG_A64_VECTORS))
		return kvm_fail("KVM_SET_ONE_REG (VBAR_EL1)");
	if (set_reg(fd, CORE_REG(regs.pc), pc))
		return kvm_fail("KVM_SET_ONE_REG (PC)");
	return 0;
}

void kvm_arch_vcpu_state(int fd, char *buf, size_t len)
{
	uint64_t pc, pstate, elr, esr, far, sctlr;

	if (get_reg(fd, CORE_REG(regs.pc), &pc) ||
	    get_reg(fd, CORE_REG(regs.pstate), &pstate) ||
	    get_reg(fd, CORE_REG(elr_el1), &elr) ||
	    get_reg(fd, REG_ESR_EL1, &esr) || get_reg(fd, REG_FAR_EL1, &far) ||
	    get_reg(fd, REG_SCTLR_EL1, &sctlr)) {
		snprintf(buf, len, " (registers unreadable)");
		return;
	}
	snprintf(buf, len, " at PC 0x%llx (PSTATE 0x%llx ELR_EL1 0x%llx ESR_EL1 0x%llx FAR_EL1 0x%llx SCTLR_EL1 0x%llx)",
		 (unsigned long long)pc, (unsigned long long)pstate,
		 (unsigned long long)elr, (unsigned long long)esr,
		 (unsigned long long)far, (unsigned long long)sctlr);
}

int kvm_arch_exit_shutdown(const struct kvm_run *run, char *why, size_t len)
{
	if (run->exit_reason != KVM_EXIT_SYSTEM_EVENT)
		return 0;
	snprintf(why, len, "exit reason %u (KVM_EXIT_SYSTEM_EVENT type %u: the guest took an exception)",
		 run->exit_reason, run->system_event.type);
	return 1;
}

int kvm_arch_exit_why(const struct kvm_run *run, char *why, size_t len)
{
	if (run->exit_reason != KVM_EXIT_ARM_NISV)
		return 0;
	snprintf(why, len, "KVM_EXIT_ARM_NISV (a stage-2 abort without syndrome) at IPA 0x%llx, ESR ISS 0x%llx",
		 (unsigned long long)run->arm_nisv.fault_ipa,
		 (unsigned long long)run->arm_nisv.esr_iss);
	return 1;
}

/* Clean and invalidate [p, p + len) to the point of coherency (EL0 may: SCTLR_EL1.UCI). */
static void dcache_clean(const uint8_t *p, size_t len)
{
	uint64_t ctr, line, a;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	line = 4ULL << ((ctr >> 16) & 0xf);	/* DminLine */
	for (a = (uintptr_t)p & ~(line - 1); a < (uintptr_t)p + len; a += line)
		__asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
	__asm__ volatile("dsb sy" : : : "memory");
}

void kvm_arch_mem_sync(uint8_t *mem, size_t len)
{
	dcache_clean(mem, len);
}

void kvm_arch_mailbox(uint8_t *mem, uint32_t index)
{
	__atomic_store_n((uint32_t *)(mem + KG_MAILBOX), index,
			 __ATOMIC_RELEASE);
	dcache_clean(mem + KG_MAILBOX, sizeof(index));
}
#endif
