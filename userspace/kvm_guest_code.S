/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of `iobus-stress kvm`: 64-bit code, copied to KG_CODE and run
 * by every vCPU; x86 with paging on (kvm_arch_x86.c sets up long mode),
 * arm64 at EL1 with the MMU off (kvm_arch_arm64.c).  It keeps
 * no state of its own, so a vCPU can be sent back to its first instruction
 * at any time (after a tolerated shutdown, kvm_exits.c).
 *
 * Forever: read the index the VMM last wrote to the mailbox and store it,
 * 4 bytes, at that index's MMIO address, KG_MMIO_BASE + index * 8.  No
 * memslot is there, so each store is an MMIO exit: absorbed in the kernel
 * by kvm_io_bus_write() when an ioeventfd covers the address, an exit to
 * userspace otherwise.  So every exit it causes is a 4-byte write of the
 * index at the index's address: the checker (kg_classify()) verifies
 * exactly that, and tests/kvm.c checks the assembled bytes by
 * disassembling them (arm64's: assembled and disassembled by binutils for
 * aarch64, where installed).
 */
#include "kvm_guest_layout.h"

#ifdef __x86_64__
	.section .rodata
	.globl	kg_code
	.globl	kg_code_len
	.code64
kg_code:
1:	movl	KG_MAILBOX, %eax		/* the index, from the mailbox */
	movl	%eax, %edx			/* zero-extended into rdx */
	shlq	$KG_MMIO_SHIFT, %rdx		/* * KG_MMIO_STRIDE */
	addq	$KG_MMIO_BASE, %rdx		/* + KG_MMIO_BASE */
	movl	%eax, (%rdx)			/* the MMIO store */
	jmp	1b
kg_code_end:
	.balign	8
kg_code_len:
	.quad	kg_code_end - kg_code
#endif

#ifdef __aarch64__
/*
 * The loop at KG_CODE; at KG_CODE + KG_A64_VECTORS the 16 exception
 * vectors (VBAR_EL1), each PSCI SYSTEM_OFF through the hypervisor call: an
 * exception of the guest (an unmapped PC, an abort KVM injects) ends in
 * KVM_EXIT_SYSTEM_EVENT, never in a loop of faults.  The store has no
 * writeback, so its stage-2 abort carries a valid syndrome (ISV) and KVM
 * decodes it into KVM_EXIT_MMIO or an ioeventfd hit.
 */
	.section .rodata
	.balign	2048
	.globl	kg_code
	.globl	kg_code_len
kg_code:
1:	mov	x1, #KG_MAILBOX			/* the mailbox */
	ldr	w0, [x1]			/* the index, zero-extended into x0 */
	mov	x2, #KG_MMIO_BASE
	add	x2, x2, x0, lsl #KG_MMIO_SHIFT	/* KG_MMIO_BASE + index * 8 */
	str	w0, [x2]			/* the MMIO store */
	b	1b
	.org	kg_code + KG_A64_VECTORS
	.rept	16
	movz	w0, #0x0008			/* PSCI_0_2_FN_SYSTEM_OFF */
	movk	w0, #0x8400, lsl #16
	hvc	#0
	b	.
	.balign	0x80
	.endr
kg_code_end:
	.balign	8
kg_code_len:
	.quad	kg_code_end - kg_code
#endif
	.section .note.GNU-stack, "", @progbits
