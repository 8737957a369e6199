// SPDX-License-Identifier: GPL-2.0
/* iobus-stress kvm: the timing VMs: registration, memslot and vCPU-creation latency (kvm_internal.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/kvm.h>

#include "debugfs.h"
#include "exit_codes.h"
#include "ktap.h"
#include "kvm.h"
#include "kvm_arch.h"
#include "kvm_diagnosis.h"
#include "kvm_guest.h"
#include "output.h"
#include "provenance.h"
#include "report.h"
#include "result.h"
#include "run.h"
#include "sig.h"
#include "table.h"

#include "kvm_internal.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int kvm_fail(const char *what)
{
	fprintf(stderr, "iobus-stress kvm: %s: %s\n", what, strerror(errno));
	return EX_KVM;
}


int kvm_sample(struct ctx *c, int h, uint64_t ns)
{
	if (samples_add(&c->h[h], ns)) {
		fprintf(stderr, "iobus-stress kvm: out of memory for samples\n");
		return EX_IO;
	}
	return 0;
}


int kvm_ioeventfd(int vm, int efd, uint32_t index, int deassign)
{
	struct kvm_ioeventfd io = {
		.addr = kg_addr(index),
		.len = 4,
		.fd = efd,
		.flags = deassign ? KVM_IOEVENTFD_FLAG_DEASSIGN : 0,
	};

	return ioctl(vm, KVM_IOEVENTFD, &io);
}

int kvm_set_slot(int vm, uint32_t slot, uint64_t gpa, void *mem,
		    uint64_t size)
{
	struct kvm_userspace_memory_region r = {
		.slot = slot,
		.guest_phys_addr = gpa,
		.memory_size = size,
		.userspace_addr = (uintptr_t)mem,
	};

	return ioctl(vm, KVM_SET_USER_MEMORY_REGION, &r);
}

/*
 * The control: a fresh VM's first memslot update with no registration
 * before it.  With call_srcu() in kvm_io_bus_register_dev() only the VM
 * with early registrations has a normal grace period in flight.  In the
 * vcpu-first order (arm64) the control's vCPU is created first too, so
 * that the two VMs differ in the registrations alone.
 */
static int control_vm(struct ctx *c)
{
	void *m = mmap(NULL, KG_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int vm, vcpu = -1, ret = 0;
	uint64_t t;

	if (m == MAP_FAILED) {
		fprintf(stderr, "iobus-stress kvm: mmap: %s\n", strerror(errno));
		return EX_IO;
	}
	vm = ioctl(c->kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		ret = kvm_fail("KVM_CREATE_VM (control)");
	} else if (kvm_arch_vcpu_first &&
		   (vcpu = ioctl(vm, KVM_CREATE_VCPU, 0)) < 0) {
		ret = kvm_fail("KVM_CREATE_VCPU (control)");
		close(vm);
	} else {
		t = now_ns();
		if (kvm_set_slot(vm, 0, 0, m, KG_MEM_SIZE))
			ret = kvm_fail("KVM_SET_USER_MEMORY_REGION (control)");
		else
			ret = kvm_sample(c, H_MEMSLOT1_CTL, now_ns() - t);
		if (vcpu >= 0)
			close(vcpu);
		close(vm);
	}
	munmap(m, KG_MEM_SIZE);
	return ret;
}

/*
 * The bare first expedited sync after the early registrations: a fresh VM,
 * --early KVM_IOEVENTFDs, then one deassign (kvm_io_bus_unregister_dev():
 * copy, publish, synchronize_srcu_expedited()), with none of a memslot
 * swap's other work.  The model's first vCPU creation is that sync alone.
 */
int sync_vm(struct ctx *c, int h)
{
	int vm, efd, ret = 0;
	unsigned int i;
	uint64_t t;

	if (!c->o.early)
		return 0;
	vm = ioctl(c->kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return kvm_fail("KVM_CREATE_VM (first sync)");
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (efd < 0) {
		fprintf(stderr, "iobus-stress kvm: eventfd: %s\n", strerror(errno));
		close(vm);
		return EX_IO;
	}
	for (i = 0; i < c->o.early && !ret; i++)
		if (kvm_ioeventfd(vm, efd, i, 0))
			ret = kvm_fail("KVM_IOEVENTFD (first sync)");
	if (!ret) {
		t = now_ns();
		if (kvm_ioeventfd(vm, efd, c->o.early - 1, 1))
			ret = kvm_fail("KVM_IOEVENTFD deassign (first sync)");
		else
			ret = kvm_sample(c, h, now_ns() - t);
	}
	close(vm);
	close(efd);
	return ret;
}

/* KVM_CREATE_VCPU of a timing VM, timed, into *@vcpu. */
static int timed_vcpu(struct ctx *c, int vm, int *vcpu)
{
	uint64_t t = now_ns();

	*vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (*vcpu < 0) {
		kvm_fail("KVM_CREATE_VCPU");
		return EX_KVM;
	}
	return kvm_sample(c, H_VCPU, now_ns() - t);
}

/*
 * One fresh VM of the registration timing, in the architecture's order
 * (kvm_arch_vcpu_first: arm64 creates the vCPU before the registrations).
 */
static int timing_vm(struct ctx *c)
{
	unsigned int i, n = c->o.early + c->o.late;
	void *m1 = MAP_FAILED, *m2 = MAP_FAILED;
	int vm, efd = -1, vcpu = -1, ret = EX_KVM;
	uint64_t t;

	vm = ioctl(c->kvm, KVM_CREATE_VM, 0);
	if (vm < 0)
		return kvm_fail("KVM_CREATE_VM");
	efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	m1 = mmap(NULL, KG_MEM_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	m2 = mmap(NULL, KG_MEM_SIZE, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (efd < 0 || m1 == MAP_FAILED || m2 == MAP_FAILED) {
		fprintf(stderr, "iobus-stress kvm: eventfd/mmap: %s\n", strerror(errno));
		ret = EX_IO;
		goto out;
	}
	if (kvm_arch_vcpu_first) {
		ret = timed_vcpu(c, vm, &vcpu);
		if (ret)
			goto out;
		ret = EX_KVM;
	}
	for (i = 0; i < c->o.early; i++) {
		t = now_ns();
		if (kvm_ioeventfd(vm, efd, i, 0)) {
			kvm_fail("KVM_IOEVENTFD (early)");
			goto out;
		}
		t = now_ns() - t;
		if (kvm_sample(c, H_IOEVENTFD, t) || kvm_sample(c, H_EARLY, t))
			goto io;
	}
	t = now_ns();
	if (kvm_set_slot(vm, 0, 0, m1, KG_MEM_SIZE)) {
		kvm_fail("KVM_SET_USER_MEMORY_REGION (first)");
		goto out;
	}
	if (kvm_sample(c, H_MEMSLOT1, now_ns() - t))
		goto io;
	if (!kvm_arch_vcpu_first) {
		ret = timed_vcpu(c, vm, &vcpu);
		if (ret)
			goto out;
		ret = EX_KVM;
	}
	t = now_ns();
	if (kvm_set_slot(vm, 1, 1ULL << 30, m2, KG_MEM_SIZE)) {
		kvm_fail("KVM_SET_USER_MEMORY_REGION (second)");
		goto out;
	}
	if (kvm_sample(c, H_MEMSLOT2, now_ns() - t))
		goto io;
	for (i = c->o.early; i < n; i++) {
		t = now_ns();
		if (kvm_ioeventfd(vm, efd, i, 0)) {
			kvm_fail("KVM_IOEVENTFD (late)");
			goto out;
		}
		t = now_ns() - t;
		if (kvm_sample(c, H_IOEVENTFD, t) || kvm_sample(c, H_LATE, t))
			goto io;
	}
	for (i = 0; i < n; i++) {
		t = now_ns();
		if (kvm_ioeventfd(vm, efd, i, 1)) {
			kvm_fail("KVM_IOEVENTFD (deassign)");
			goto out;
		}
		if (kvm_sample(c, H_DEASSIGN, now_ns() - t))
			goto io;
	}
	ret = 0;
	goto out;
io:
	ret = EX_IO;
out:
	if (vcpu >= 0)
		close(vcpu);
	close(vm);
	if (efd >= 0)
		close(efd);
	if (m1 != MAP_FAILED)
		munmap(m1, KG_MEM_SIZE);
	if (m2 != MAP_FAILED)
		munmap(m2, KG_MEM_SIZE);
	return ret;
}


static int add_pair(struct ctx *c, uint64_t with, uint64_t without)
{
	uint64_t *a = realloc(c->pair_with, (c->npairs + 1) * sizeof(*a));
	uint64_t *b;

	if (!a)
		return EX_IO;
	c->pair_with = a;
	b = realloc(c->pair_without, (c->npairs + 1) * sizeof(*b));
	if (!b)
		return EX_IO;
	c->pair_without = b;
	a[c->npairs] = with;
	b[c->npairs++] = without;
	return 0;
}

/*
 * The timing VMs: --repeat of them, or (default) as many as run in
 * KG_AUTO_MS, KG_AUTO_MIN..KG_AUTO_MAX.  Each is followed by the control
 * VM (its pair for the diagnosis) and the bare first sync.
 */
int timing_vms(struct ctx *c)
{
	uint64_t t0 = now_ns();
	size_t before;
	int ret;

	for (c->vms = 0; !sig_pending(); c->vms++) {
		if (c->o.repeat_set ? c->vms >= c->o.repeat :
		    c->vms >= KG_AUTO_MAX ||
		    (c->vms >= KG_AUTO_MIN &&
		     now_ns() - t0 >= KG_AUTO_MS * 1000000ULL))
			break;
		if (c->o.repeat_set)
			fprintf(stderr, "  kvm: timing VM %u/%u\n", c->vms + 1,
				c->o.repeat);
		before = c->h[H_MEMSLOT1].n;
		ret = timing_vm(c);
		if (!ret)
			ret = control_vm(c);
		if (!ret && c->h[H_MEMSLOT1].n == before + 1)
			ret = add_pair(c, c->h[H_MEMSLOT1].v[before],
				       c->h[H_MEMSLOT1_CTL].v[c->h[H_MEMSLOT1_CTL].n - 1]);
		if (!ret)
			ret = sync_vm(c, H_FIRST_SYNC);
		if (ret)
			return ret;
	}
	if (!c->o.repeat_set)
		fprintf(stderr, "  kvm: %u timing VMs in %.2f s\n", c->vms,
			(now_ns() - t0) / 1e9);
	return 0;
}
