/* SPDX-License-Identifier: GPL-2.0 */
/*
 * iobus-stress kvm: what differs between architectures, behind one small
 * interface so that each experiment (kvm_timing.c, kvm_exits.c) is written
 * once.  kvm_arch_x86.c (x86-64: long mode, CPUID) and kvm_arch_arm64.c
 * (arm64: KVM_ARM_VCPU_INIT, EL1h with the MMU off) each build only for
 * their own architecture; the guest's memory image is kg_setup_memory()
 * (kvm_guest.c) and its code kvm_guest_code.S, both per architecture too.
 */
#ifndef IOBUS_KVM_ARCH_H
#define IOBUS_KVM_ARCH_H

#include <stddef.h>
#include <stdint.h>

#if !defined(__x86_64__) && !defined(__aarch64__)
#error "iobus-stress kvm has a guest for x86-64 and arm64 only"
#endif

struct ctx;
struct kvm_run;

/* "x86_64" or "arm64": the JSON's summary "arch" on arm64 (docs/arm64.md). */
extern const char kvm_arch_name[];

/*
 * The timing VM's order.  0 (x86): --early registrations, the first
 * memslot update, KVM_CREATE_VCPU, the second memslot update.  1 (arm64,
 * "vcpu-first", as Firecracker does there): KVM_CREATE_VCPU first, then
 * the registrations and the memslot updates; the control VM (no
 * registration) creates its vCPU before its first memslot update too.
 */
extern const int kvm_arch_vcpu_first;

/* Once per VM after KVM_CREATE_VM (arm64: NISV exits to userspace). */
int kvm_arch_vm_setup(int vm);

/*
 * Once per vCPU after KVM_CREATE_VCPU (x86: KVM_SET_CPUID2; arm64:
 * KVM_ARM_VCPU_INIT); 0 or an exit code, the failing ioctl named.
 */
int kvm_arch_vcpu_setup(struct ctx *c, int vm, int fd);

/*
 * Put the vCPU at @pc (KG_CODE, or KG_UNMAPPED for --inject-shutdowns)
 * in the state the guest code runs in; also after a tolerated shutdown
 * (arm64: KVM_ARM_VCPU_INIT again first, which resets the vCPU).
 */
int kvm_arch_vcpu_enter(struct ctx *c, int vm, int fd, uint64_t pc);

/* " at RIP 0x.. (...)" or " (registers unreadable)": the vCPU's state. */
void kvm_arch_vcpu_state(int fd, char *buf, size_t len);

/*
 * The guest's own end: x86 KVM_EXIT_SHUTDOWN (a triple fault: the guest
 * has no IDT); arm64 KVM_EXIT_SYSTEM_EVENT (every exception vector of the
 * guest calls PSCI SYSTEM_OFF).  1 with @why set ("exit reason N (...)").
 */
int kvm_arch_exit_shutdown(const struct kvm_run *run, char *why, size_t len);

/* An architecture's own unexpected exit (arm64: KVM_EXIT_ARM_NISV): 1 with @why. */
int kvm_arch_exit_why(const struct kvm_run *run, char *why, size_t len);

/*
 * After kg_setup_memory() wrote @len bytes of @mem: make them what a vCPU
 * fetches and reads (arm64: its MMU is off, so its accesses are uncached:
 * clean the lines to the point of coherency; x86: nothing).
 */
void kvm_arch_mem_sync(uint8_t *mem, size_t len);

/*
 * Write the mailbox so that a vCPU reading it sees the value (arm64: the
 * guest reads with its MMU off, uncached: clean the line to the point of
 * coherency).
 */
void kvm_arch_mailbox(uint8_t *mem, uint32_t index);

#endif
