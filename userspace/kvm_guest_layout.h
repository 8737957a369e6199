/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of `iobus-stress kvm`: its physical layout, for the C that
 * builds its memory (kvm_guest.c) and for its code (kvm_guest_code.S).
 *
 * Slot 0: GPA 0, 2 MiB of anonymous memory.  x86: long mode with paging,
 * as KVM selftests do: QEMU 7.2's TCG SVM does not walk the nested page
 * table for an L2 guest with paging off, so a real- or flat protected-mode
 * guest would not see its memslot.  arm64: the MMU off (no page tables:
 * KG_PML4..KG_PD stay zero), so the guest's addresses are IPAs; KVM on
 * arm64 puts no device of its own in a VM without a vGIC, and this layout
 * (below 1.1 GiB) fits the smallest IPA space KVM gives (40 bits by
 * default, 32 at least).
 */
#ifndef IOBUS_KVM_GUEST_LAYOUT_H
#define IOBUS_KVM_GUEST_LAYOUT_H

#ifdef __ASSEMBLER__
#define KG_C(x)		x
#else
#define KG_C(x)		x##ULL
#endif

#define KG_MEM_SIZE	KG_C(0x200000)
#define KG_PML4		KG_C(0x1000)	/* PML4[0] -> PDPT */
#define KG_PDPT		KG_C(0x2000)	/* PDPT[0] -> PD */
#define KG_PD		KG_C(0x3000)	/* 512 x 2 MiB pages: GPA 0..1 GiB identity */
#define KG_MAILBOX	KG_C(0x4000)	/* u32 index the VMM writes, the guest reads */
#define KG_STACK	KG_C(0x7000)
#define KG_CODE		KG_C(0x8000)
/* arm64: the guest's exception vectors (VBAR_EL1), 2 KiB aligned in its code. */
#define KG_A64_VECTORS	KG_C(0x800)
/* Index i's MMIO address: no memslot there, so a store is an MMIO exit. */
#define KG_MMIO_BASE	KG_C(0x20000000)
#define KG_MMIO_SHIFT	3
#define KG_MMIO_STRIDE	(KG_C(1) << KG_MMIO_SHIFT)
#define KG_MAX_INDEX	(1U << 20)	/* 8 MiB of MMIO addresses */
/*
 * Beyond the identity map (x86) and any memslot of the exit VMs: a vCPU
 * started here faults at once (x86: a triple fault; arm64: KVM injects a
 * prefetch abort, the guest's vectors power it off).
 */
#define KG_UNMAPPED	KG_C(0x40000000)

#endif
