/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of `iobus-stress kvm`: 64-bit code, copied to KG_CODE and run
 * by every vCPU with paging on (kvm_exits.c sets up long mode).  It keeps
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
 * disassembling them.
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
	.section .note.GNU-stack, "", @progbits
