/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest of `iobus-stress kvm`: its physical layout, for the C that
 * builds its memory (kvm_guest.c) and for its code (kvm_guest_code.S).
 *
 * Slot 0: GPA 0, 2 MiB of anonymous memory.  Long mode with paging, as KVM
 * selftests do: QEMU 7.2's TCG SVM does not walk the nested page table for
 * an L2 guest with paging off, so a real- or flat protected-mode guest
 * would not see its memslot.
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
/* Index i's MMIO address: no memslot there, so a store is an MMIO exit. */
#define KG_MMIO_BASE	KG_C(0x20000000)
#define KG_MMIO_SHIFT	3
#define KG_MMIO_STRIDE	(KG_C(1) << KG_MMIO_SHIFT)
#define KG_MAX_INDEX	(1U << 20)	/* 8 MiB of MMIO addresses */
/* Beyond the identity map: a vCPU started here triple-faults at once. */
#define KG_UNMAPPED	KG_C(0x40000000)

#endif
