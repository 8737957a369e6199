// SPDX-License-Identifier: GPL-2.0
/*
 * iobus-stress kvm: the experiments of the model, through /dev/kvm and the
 * real kvm_io_bus.  Registration timing (KVM_IOEVENTFD is
 * kvm_io_bus_register_dev(); a memslot update is a
 * synchronize_srcu_expedited()), a guest that stores to the MMIO address
 * its mailbox names while the VMM moves ioeventfds (stale observations on
 * the real kernel), and --compare against the module's boot model.
 */
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
#include "kvm.h"
#include "kvm_diagnosis.h"
#include "kvm_guest.h"
#include "output.h"
#include "provenance.h"
#include "report.h"
#include "result.h"
#include "run.h"
#include "sig.h"
#include "table.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int kvm_fail(const char *what)
{
	fprintf(stderr, "iobus-stress kvm: %s: %s\n", what, strerror(errno));
	return EX_KVM;
}

/* Sample sets, in the order of the JSON "hist" object. */
enum {
	H_IOEVENTFD,		/* every registration of the timing VMs */
	H_EARLY,		/* the --early ones (before any memslot/vCPU) */
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
static const char *const hist_names[NH] = {
	"ioeventfd_ns", "ioeventfd_early_ns", "ioeventfd_late_ns",
	"deassign_ns", "first_memslot_ns", "vcpu_create_ns",
	"second_memslot_ns", "run_ioeventfd_ns", "run_deassign_ns",
	"first_memslot_noreg_ns", "first_deassign_ns",
	"first_deassign_paired_ns",
};

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
};

static int add(struct ctx *c, int h, uint64_t ns)
{
	if (samples_add(&c->h[h], ns)) {
		fprintf(stderr, "iobus-stress kvm: out of memory for samples\n");
		return EX_IO;
	}
	return 0;
}

static int ioeventfd(int vm, int efd, uint32_t index, int deassign)
{
	struct kvm_ioeventfd io = {
		.addr = kg_addr(index),
		.len = 4,
		.fd = efd,
		.flags = deassign ? KVM_IOEVENTFD_FLAG_DEASSIGN : 0,
	};

	return ioctl(vm, KVM_IOEVENTFD, &io);
}

static int set_slot(int vm, uint32_t slot, uint64_t gpa, void *mem,
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
 * with early registrations has a normal grace period in flight.
 */
static int control_vm(struct ctx *c)
{
	void *m = mmap(NULL, KG_MEM_SIZE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int vm, ret = 0;
	uint64_t t;

	if (m == MAP_FAILED) {
		fprintf(stderr, "iobus-stress kvm: mmap: %s\n", strerror(errno));
		return EX_IO;
	}
	vm = ioctl(c->kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		ret = kvm_fail("KVM_CREATE_VM (control)");
	} else {
		t = now_ns();
		if (set_slot(vm, 0, 0, m, KG_MEM_SIZE))
			ret = kvm_fail("KVM_SET_USER_MEMORY_REGION (control)");
		else
			ret = add(c, H_MEMSLOT1_CTL, now_ns() - t);
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
static int sync_vm(struct ctx *c, int h)
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
		if (ioeventfd(vm, efd, i, 0))
			ret = kvm_fail("KVM_IOEVENTFD (first sync)");
	if (!ret) {
		t = now_ns();
		if (ioeventfd(vm, efd, c->o.early - 1, 1))
			ret = kvm_fail("KVM_IOEVENTFD deassign (first sync)");
		else
			ret = add(c, h, now_ns() - t);
	}
	close(vm);
	close(efd);
	return ret;
}

/* One fresh VM of the registration timing. */
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
	for (i = 0; i < c->o.early; i++) {
		t = now_ns();
		if (ioeventfd(vm, efd, i, 0)) {
			kvm_fail("KVM_IOEVENTFD (early)");
			goto out;
		}
		t = now_ns() - t;
		if (add(c, H_IOEVENTFD, t) || add(c, H_EARLY, t))
			goto io;
	}
	t = now_ns();
	if (set_slot(vm, 0, 0, m1, KG_MEM_SIZE)) {
		kvm_fail("KVM_SET_USER_MEMORY_REGION (first)");
		goto out;
	}
	if (add(c, H_MEMSLOT1, now_ns() - t))
		goto io;
	t = now_ns();
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0) {
		kvm_fail("KVM_CREATE_VCPU");
		goto out;
	}
	if (add(c, H_VCPU, now_ns() - t))
		goto io;
	t = now_ns();
	if (set_slot(vm, 1, 1ULL << 30, m2, KG_MEM_SIZE)) {
		kvm_fail("KVM_SET_USER_MEMORY_REGION (second)");
		goto out;
	}
	if (add(c, H_MEMSLOT2, now_ns() - t))
		goto io;
	for (i = c->o.early; i < n; i++) {
		t = now_ns();
		if (ioeventfd(vm, efd, i, 0)) {
			kvm_fail("KVM_IOEVENTFD (late)");
			goto out;
		}
		t = now_ns() - t;
		if (add(c, H_IOEVENTFD, t) || add(c, H_LATE, t))
			goto io;
	}
	for (i = 0; i < n; i++) {
		t = now_ns();
		if (ioeventfd(vm, efd, i, 1)) {
			kvm_fail("KVM_IOEVENTFD (deassign)");
			goto out;
		}
		if (add(c, H_DEASSIGN, now_ns() - t))
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

/* ---- the exit experiment */

struct exits;

/* One guest vCPU and its thread; counters read after the join. */
struct vcpu {
	struct exits *x;
	int fd;
	struct kvm_run *run;
	pthread_t thread;
	int started;
	unsigned long long runs, mmio, probe, retired, stale, unexpected;
	int run_errno;
};

struct exits {
	int vm, efd;
	size_t run_size;
	uint8_t *mem;
	uint8_t *state;		/* enum kg_state per index */
	int stop;		/* atomic */
	unsigned long long last_probe;	/* atomic: last probe index seen */
	int why_taken;		/* atomic: the first unexpected exit wrote why */
	int stale_seen;		/* atomic: some vCPU counted a stale exit */
	char why[200];
	unsigned int nvcpu;
	struct vcpu *v;
};

static void on_kick(int sig)
{
	(void)sig;
}

/* The first vCPU to see something unexpected says what it was. */
static void note_why(struct exits *x, const char *why)
{
	if (!__atomic_exchange_n(&x->why_taken, 1, __ATOMIC_ACQ_REL))
		snprintf(x->why, sizeof(x->why), "%s", why);
}

/*
 * ", vCPU N of M at RIP 0x.. (CR0 .. CR4 .. EFER ..)": where an unexpected
 * exit left the vCPU, for the report (under QEMU TCG's nested SVM one of 2
 * vCPUs once shut down, exit reason 8, on Debian 6.1).
 */
static void vcpu_state(struct vcpu *v, char *buf, size_t len)
{
	struct kvm_regs regs;
	struct kvm_sregs sr;

	if (ioctl(v->fd, KVM_GET_REGS, &regs) || ioctl(v->fd, KVM_GET_SREGS, &sr)) {
		snprintf(buf, len, ", vCPU %u of %u (registers unreadable)",
			 (unsigned int)(v - v->x->v), v->x->nvcpu);
		return;
	}
	snprintf(buf, len, ", vCPU %u of %u at RIP 0x%llx (RSP 0x%llx CR0 0x%llx CR4 0x%llx EFER 0x%llx)",
		 (unsigned int)(v - v->x->v), v->x->nvcpu,
		 (unsigned long long)regs.rip, (unsigned long long)regs.rsp,
		 (unsigned long long)sr.cr0, (unsigned long long)sr.cr4,
		 (unsigned long long)sr.efer);
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *v = arg;
	struct exits *x = v->x;
	struct kvm_run *run = v->run;
	struct kg_mmio m;
	char why[200];

	while (!__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE)) {
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;
			v->run_errno = errno;
			break;
		}
		v->runs++;
		if (run->exit_reason == KVM_EXIT_INTR)
			continue;
		if (run->exit_reason != KVM_EXIT_MMIO) {
			if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
				snprintf(why, sizeof(why),
					 "KVM_EXIT_FAIL_ENTRY, hardware reason 0x%llx",
					 (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
			else if (run->exit_reason == KVM_EXIT_INTERNAL_ERROR)
				snprintf(why, sizeof(why),
					 "KVM_EXIT_INTERNAL_ERROR, suberror %u",
					 run->internal.suberror);
			else
				snprintf(why, sizeof(why),
					 "exit reason %u (not MMIO)",
					 run->exit_reason);
			vcpu_state(v, why + strlen(why), sizeof(why) - strlen(why));
			note_why(x, why);
			v->unexpected++;
			break;
		}
		v->mmio++;
		m.phys_addr = run->mmio.phys_addr;
		memcpy(m.data, run->mmio.data, sizeof(m.data));
		m.len = run->mmio.len;
		m.is_write = run->mmio.is_write;
		switch (kg_classify(&m, x->state, KG_MAX_INDEX, why, sizeof(why))) {
		case KG_OK_PROBE:
			v->probe++;
			__atomic_store_n(&x->last_probe,
					 (m.phys_addr - KG_MMIO_BASE) / KG_MMIO_STRIDE,
					 __ATOMIC_RELEASE);
			break;
		case KG_OK_RETIRED:
			v->retired++;
			break;
		case KG_STALE:
			v->stale++;
			__atomic_store_n(&x->stale_seen, 1, __ATOMIC_RELEASE);
			break;
		case KG_UNEXPECTED:
			v->unexpected++;
			note_why(x, why);
			goto out;
		}
	}
out:
	/* One vCPU stopping stops the experiment. */
	__atomic_store_n(&x->stop, 1, __ATOMIC_RELEASE);
	return NULL;
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

/* Long mode at KG_CODE, as KVM selftests set it up; every vCPU alike. */
static int vcpu_setup(struct ctx *c, int fd)
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

	if (set_cpuid(c->kvm, fd))
		return EX_KVM;
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
	regs.rip = KG_CODE;
	regs.rsp = KG_STACK;	/* the guest code uses no stack: shared */
	regs.rflags = 2;
	if (ioctl(fd, KVM_SET_REGS, &regs))
		return kvm_fail("KVM_SET_REGS");
	return 0;
}

static unsigned long long drain(int efd)
{
	uint64_t v;

	return read(efd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static void mailbox(struct exits *x, uint32_t index)
{
	__atomic_store_n((uint32_t *)(x->mem + KG_MAILBOX), index,
			 __ATOMIC_RELEASE);
}

/* Wait up to 20 ms for @done; 1 if it happened. */
static int wait_for(struct exits *x, int (*done)(struct exits *, uint32_t,
						 unsigned long long *),
		    uint32_t index, unsigned long long *hits)
{
	uint64_t end = now_ns() + 20000000ULL;

	while (now_ns() < end && !__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE)) {
		if (done(x, index, hits))
			return 1;
		sched_yield();
	}
	return 0;
}

static int probe_seen(struct exits *x, uint32_t index, unsigned long long *hits)
{
	(void)hits;
	return __atomic_load_n(&x->last_probe, __ATOMIC_ACQUIRE) == index;
}

/* --mailbox-first: a stale exit seen since the flag was cleared. */
static int stale_seen(struct exits *x, uint32_t index,
		      unsigned long long *hits)
{
	(void)index;
	(void)hits;
	return __atomic_load_n(&x->stale_seen, __ATOMIC_ACQUIRE);
}

static int hit_seen(struct exits *x, uint32_t index, unsigned long long *hits)
{
	unsigned long long n = drain(x->efd);

	(void)index;
	*hits += n;
	return n > 0;
}

/* Stop every vCPU thread (a signal breaks KVM_RUN) and join it. */
static void stop_vcpus(struct exits *x)
{
	unsigned int i;

	__atomic_store_n(&x->stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < x->nvcpu; i++) {
		if (!x->v[i].started)
			continue;
		__atomic_store_n(&x->v[i].run->immediate_exit, 1,
				 __ATOMIC_RELEASE);
		pthread_kill(x->v[i].thread, SIGUSR1);
		pthread_join(x->v[i].thread, NULL);
		x->v[i].started = 0;
	}
}

/* --vcpus vCPUs in the exit VM, each set up and running the guest. */
static int start_vcpus(struct ctx *c, struct exits *x)
{
	struct vcpu *v;
	unsigned int i;
	int ret;

	for (i = 0; i < x->nvcpu; i++) {
		v = &x->v[i];
		v->x = x;
		v->fd = ioctl(x->vm, KVM_CREATE_VCPU, i);
		if (v->fd < 0)
			return kvm_fail("KVM_CREATE_VCPU (exits)");
		v->run = mmap(NULL, x->run_size, PROT_READ | PROT_WRITE,
			      MAP_SHARED, v->fd, 0);
		if (v->run == MAP_FAILED) {
			fprintf(stderr, "iobus-stress kvm: mmap of vCPU %u's kvm_run: %s\n",
				i, strerror(errno));
			return EX_IO;
		}
		ret = vcpu_setup(c, v->fd);
		if (ret)
			return ret;
	}
	for (i = 0; i < x->nvcpu; i++) {
		if (pthread_create(&x->v[i].thread, NULL, vcpu_thread, &x->v[i])) {
			fprintf(stderr, "iobus-stress kvm: cannot start vCPU thread %u\n", i);
			return EX_IO;
		}
		x->v[i].started = 1;
	}
	return 0;
}

static void free_exits(struct exits *x)
{
	unsigned int i;

	stop_vcpus(x);
	for (i = 0; i < x->nvcpu; i++) {
		if (x->v[i].run != MAP_FAILED)
			munmap(x->v[i].run, x->run_size);
		if (x->v[i].fd >= 0)
			close(x->v[i].fd);
	}
	if (x->vm >= 0)
		close(x->vm);
	if (x->efd >= 0)
		close(x->efd);
	if (x->mem != MAP_FAILED)
		munmap(x->mem, KG_MEM_SIZE);
	free(x->state);
	free(x->v);
	free(x);
}

static int exits_run(struct ctx *c)
{
	struct exits *x = calloc(1, sizeof(*x));
	struct sigaction sa;
	uint64_t t0, t, end;
	uint32_t i, reg, old;
	unsigned long long hits = 0, steps = 0, no_probe = 0, no_hit = 0;
	unsigned long long runs = 0, mmio = 0, probe = 0, retired = 0;
	unsigned long long stale = 0, unexpected = 0;
	int ret = EX_KVM, capped = 0, run_errno = 0;
	unsigned int k;
	long sz;

	if (!x)
		return EX_IO;
	x->vm = x->efd = -1;
	x->mem = MAP_FAILED;
	x->nvcpu = c->o.vcpus;
	x->v = calloc(x->nvcpu, sizeof(*x->v));
	x->state = calloc(KG_MAX_INDEX, 1);
	if (!x->v || !x->state) {
		x->nvcpu = 0;
		goto io;
	}
	for (k = 0; k < x->nvcpu; k++) {
		x->v[k].fd = -1;
		x->v[k].run = MAP_FAILED;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL))
		goto io;
	x->vm = ioctl(c->kvm, KVM_CREATE_VM, 0);
	if (x->vm < 0) {
		kvm_fail("KVM_CREATE_VM (exits)");
		goto out;
	}
	x->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	x->mem = mmap(NULL, KG_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (x->efd < 0 || x->mem == MAP_FAILED)
		goto io;
	x->state[0] = KG_PROBE;
	kg_setup_memory(x->mem, 0);
	if (set_slot(x->vm, 0, 0, x->mem, KG_MEM_SIZE)) {
		kvm_fail("KVM_SET_USER_MEMORY_REGION (exits)");
		goto out;
	}
	sz = ioctl(c->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (long)sizeof(struct kvm_run)) {
		kvm_fail("KVM_GET_VCPU_MMAP_SIZE");
		goto out;
	}
	x->run_size = (size_t)sz;
	ret = start_vcpus(c, x);
	if (ret)
		goto out;
	/*
	 * Step n: index 2n+1 gets an ioeventfd; after KVM_IOEVENTFD returned
	 * it is marked registered and written to the mailbox; the index
	 * registered --window steps ago is marked, then deassigned; index 2n+2
	 * (never registered) goes to the mailbox, and its exit proves the guest
	 * runs our code.  Each wait is for the guest: a hit on the eventfd, an
	 * exit at the probe (any vCPU's).  Every vCPU reads the mailbox after
	 * the registration returned, so each of their exits there is stale.
	 */
	t0 = now_ns();
	end = t0 + (uint64_t)c->o.duration_ms * 1000000ULL;
	if (!wait_for(x, probe_seen, 0, &hits))
		no_probe++;
	for (i = 0; now_ns() < end && !sig_pending() &&
		    !__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE); i += 2) {
		if (i + 2 >= KG_MAX_INDEX) {
			capped = 1;
			break;
		}
		reg = i + 1;
		if (c->o.mailbox_first) {
			/*
			 * The negative control: the index is offered before
			 * its KVM_IOEVENTFD, so the guest stores there while
			 * no ioeventfd exists; each such exit counts stale.
			 */
			__atomic_store_n(&x->stale_seen, 0, __ATOMIC_RELEASE);
			__atomic_store_n(&x->state[reg], KG_REGISTERED,
					 __ATOMIC_RELEASE);
			mailbox(x, reg);
			wait_for(x, stale_seen, reg, &hits);
		}
		t = now_ns();
		if (ioeventfd(x->vm, x->efd, reg, 0)) {
			ret = kvm_fail("KVM_IOEVENTFD (exits)");
			goto stop;
		}
		if (add(c, H_RUN_IOEVENTFD, now_ns() - t))
			goto stop_io;
		__atomic_store_n(&x->state[reg], KG_REGISTERED, __ATOMIC_RELEASE);
		mailbox(x, reg);
		if (!wait_for(x, hit_seen, reg, &hits))
			no_hit++;
		if (reg > 2 * c->o.window) {
			old = reg - 2 * c->o.window;
			__atomic_store_n(&x->state[old], KG_DEASSIGNING,
					 __ATOMIC_RELEASE);
			t = now_ns();
			if (ioeventfd(x->vm, x->efd, old, 1)) {
				ret = kvm_fail("KVM_IOEVENTFD deassign (exits)");
				goto stop;
			}
			if (add(c, H_RUN_DEASSIGN, now_ns() - t))
				goto stop_io;
		}
		__atomic_store_n(&x->state[i + 2], KG_PROBE, __ATOMIC_RELEASE);
		mailbox(x, i + 2);
		if (!wait_for(x, probe_seen, i + 2, &hits))
			no_probe++;
		steps++;
	}
	ret = 0;
	goto stop;
stop_io:
	ret = EX_IO;
stop:
	t = now_ns() - t0;
	stop_vcpus(x);
	hits += drain(x->efd);
	if (capped)
		fprintf(stderr, "iobus-stress kvm: stopped after %u indices (the MMIO window's cap)\n",
			KG_MAX_INDEX);
	for (k = 0; k < x->nvcpu; k++) {
		struct vcpu *v = &x->v[k];

		runs += v->runs;
		mmio += v->mmio;
		probe += v->probe;
		retired += v->retired;
		stale += v->stale;
		unexpected += v->unexpected;
		if (v->run_errno && !run_errno)
			run_errno = v->run_errno;
	}
	if (run_errno && !ret) {
		errno = run_errno;
		ret = kvm_fail("KVM_RUN");
	}
	ks_num(&c->sum, "vcpus", x->nvcpu);
	ks_num(&c->sum, "exit_run_ms", t / 1000000ULL);
	ks_num(&c->sum, "exit_steps", steps);
	ks_num(&c->sum, "kvm_runs", runs);
	ks_num(&c->sum, "exits", mmio);
	ks_num(&c->sum, "exits_per_sec", t ? mmio * 1000000000ULL / t : 0);
	ks_num(&c->sum, "probe_exits", probe);
	ks_num(&c->sum, "retired_exits", retired);
	ks_num(&c->sum, "ioeventfd_hits", hits);
	ks_num(&c->sum, "stale_observations", stale);
	ks_num(&c->sum, "unexpected_exits", unexpected);
	ks_num(&c->sum, "steps_without_probe_exit", no_probe);
	ks_num(&c->sum, "steps_without_hit", no_hit);
	ks_str(&c->sum, "unexpected_first", x->why);
	goto out;
io:
	fprintf(stderr, "iobus-stress kvm: setup of the exit VM: %s\n", strerror(errno));
	ret = EX_IO;
out:
	free_exits(x);
	return ret;
}

/* ---- --compare: the module's boot model on the same kernel */

struct model {
	const char *strategy;
	char basis[160];
	unsigned long long reg_p50, first_sync;
	struct result *r;	/* KG_MODEL_BOOTS * o.repeat results */
	int n;
};

static void decide_strategy(struct ctx *c, struct model *md)
{
	uint64_t reg = samples_quantile(&c->h[H_IOEVENTFD], 0.5);
	uint64_t dea = samples_quantile(&c->h[H_DEASSIGN], 0.5);
	int rel = kg_release_has_call_srcu(c->release);
	double ratio;
	const char *obs = kg_observed_strategy(reg, dea, &ratio);
	const char *by_rel = rel < 0 ? "?" : rel ? "call-srcu" : "sync-expedited";

	/*
	 * Observable: unregister always ends in synchronize_srcu_expedited();
	 * register did too before 6.18 and defers with call_srcu() since.  So
	 * the deassign p50 over the register p50 (the same VMs, interleaved,
	 * so under the same load) is ~1 with sync-expedited and
	 * >= KG_DEFER_RATIO when register no longer waits.  uname -r >= 6.18
	 * is the cross-check.
	 */
	if (c->o.reclaim) {
		md->strategy = c->o.reclaim;
		snprintf(md->basis, sizeof(md->basis), "--reclaim; observed %s, uname says %s",
			 obs, by_rel);
	} else {
		md->strategy = obs;
		snprintf(md->basis, sizeof(md->basis),
			 "deassign p50 / KVM_IOEVENTFD p50 = %.1fx (%s %g); uname -r %s says %s",
			 ratio, ratio >= KG_DEFER_RATIO ? ">=" : "<",
			 (double)KG_DEFER_RATIO, c->release, by_rel);
	}
	if (rel >= 0 && strcmp(obs, by_rel))
		fprintf(stderr, "iobus-stress kvm: warning: deassign/register says %s but uname -r %s says %s\n",
			obs, c->release, by_rel);
}

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

/* The median of @key over the model's runs; 0 when there are none. */
static unsigned long long model_median(const struct model *md, const char *key)
{
	unsigned long long *v, m;
	int i;

	if (md->n <= 0)
		return 0;
	v = calloc(md->n, sizeof(*v));
	if (!v) {
		fprintf(stderr, "iobus-stress kvm: out of memory for the model's %s median\n", key);
		return 0;
	}
	for (i = 0; i < md->n; i++)
		v[i] = stats_num(&md->r[i].st, key, 0);
	qsort(v, md->n, sizeof(v[0]), cmp_ull);
	m = v[(md->n - 1) / 2];
	free(v);
	return m;
}

static int run_model(struct ctx *c, struct model *md, FILE *human)
{
	char err[256], num[16];
	struct kv_set kv;
	unsigned int k, boots;
	int ret;

	memset(&kv, 0, sizeof(kv));
	snprintf(num, sizeof(num), "%u", c->o.early + c->o.late);
	if (kv_set_put(&kv, "workload", "boot", err, sizeof(err)) ||
	    kv_set_put(&kv, "reclaim", md->strategy, err, sizeof(err)) ||
	    kv_set_put(&kv, "devices", num, err, sizeof(err)))
		goto bad;
	snprintf(num, sizeof(num), "%u", c->o.early);
	if (kv_set_put(&kv, "early_devices", num, err, sizeof(err)))
		goto bad;
	boots = KG_MODEL_BOOTS * (c->o.repeat_set ? c->o.repeat : KG_AUTO_MIN);
	md->r = calloc(boots, sizeof(*md->r));
	if (!md->r) {
		fprintf(stderr, "iobus-stress kvm: out of memory for model results\n");
		return EX_IO;
	}
	for (k = 0; k < boots && !sig_pending(); k++) {
		fprintf(human, "  model boot %s %u/%u\n", md->strategy, k + 1,
			boots);
		ret = run_cell(&kv, 300000, md->strategy, &md->r[k], human, 0);
		if (ret)
			return ret;
		md->n++;
		/*
		 * The real first sync again, right after this boot: model and
		 * real alternate, so both medians are taken under the same
		 * host load (the timing VMs ran minutes earlier).
		 */
		ret = sync_vm(c, H_PAIRED_SYNC);
		if (ret)
			return ret;
	}
	md->reg_p50 = model_median(md, "register_ns_p50");
	md->first_sync = model_median(md, "boot_vcpu1_ns");
	return 0;
bad:
	fprintf(stderr, "iobus-stress kvm: --compare: %s\n", err);
	return EX_USAGE;
}

/* ---- outputs */

static void fill_summary(struct ctx *c)
{
	static const char *const p50[NH] = {
		"ioeventfd_ns_p50", "ioeventfd_early_ns_p50",
		"ioeventfd_late_ns_p50", "deassign_ns_p50",
		"first_memslot_ns_p50", "vcpu_create_ns_p50",
		"second_memslot_ns_p50", "run_ioeventfd_ns_p50",
		"run_deassign_ns_p50", "first_memslot_noreg_ns_p50",
		"first_deassign_ns_p50", "first_deassign_paired_ns_p50",
	};
	char key[48];
	int h;

	ks_str(&c->sum, "kernel", c->release);
	ks_str(&c->sum, "kvm_backend", c->prov->kvm_backend);
	ks_num(&c->sum, "hz", c->prov->hz);
	ks_num(&c->sum, "early", c->o.early);
	ks_num(&c->sum, "late", c->o.late);
	ks_num(&c->sum, "repeat", c->vms);
	if (c->have_diag) {
		ks_str(&c->sum, "diagnosis", kd_name(c->diag.v));
		ks_dbl(&c->sum, "diagnosis_ratio", c->diag.ratio);
		ks_num(&c->sum, "diagnosis_with_reg_ns_p50", c->diag.with_p50);
		ks_num(&c->sum, "diagnosis_without_reg_ns_p50", c->diag.without_p50);
		ks_num(&c->sum, "diagnosis_excess_ns",
		       c->diag.excess_ns > 0 ? (unsigned long long)c->diag.excess_ns : 0);
		ks_dbl(&c->sum, "diagnosis_jiffies", c->diag.jiffies);
		ks_num(&c->sum, "diagnosis_pairs", c->npairs);
		ks_str(&c->sum, "diagnosis_line", c->diag.line);
	}
	for (h = 0; h < NH; h++) {
		ks_num(&c->sum, p50[h], samples_quantile(&c->h[h], 0.5));
		snprintf(key, sizeof(key), "%.*s_min", (int)strlen(p50[h]) - 4, p50[h]);
		ks_num(&c->sum, key, samples_quantile(&c->h[h], 0));
		snprintf(key, sizeof(key), "%.*s_max", (int)strlen(p50[h]) - 4, p50[h]);
		ks_num(&c->sum, key, samples_quantile(&c->h[h], 1));
	}
}

static void print_table(struct ctx *c, FILE *f)
{
	static const char *const head[] = {
		"operation", "count", "min", "p50", "p90", "max",
	};
	static const char *const label[NH] = {
		"KVM_IOEVENTFD (all)", "  early (no vCPU)", "  late (vCPU exists)",
		"deassign", "1st memslot update", "KVM_CREATE_VCPU",
		"2nd memslot update", "KVM_IOEVENTFD, guest running",
		"deassign, guest running", "1st memslot, no registration",
		"1st deassign after early",
		"  the same, beside the model",
	};
	struct table t;
	char b[16];
	int h, row;

	table_init(&t, 6, head);
	for (h = 0; h < NH; h++) {
		struct samples *s = &c->h[h];

		if (!s->n)
			continue;
		row = table_row(&t);
		table_set(&t, row, 0, label[h]);
		snprintf(b, sizeof(b), "%zu", s->n);
		table_set(&t, row, 1, b);
		table_set(&t, row, 2, fmt_ns(samples_quantile(s, 0), b, sizeof(b)));
		table_set(&t, row, 3, fmt_ns(samples_quantile(s, 0.5), b, sizeof(b)));
		table_set(&t, row, 4, fmt_ns(samples_quantile(s, 0.9), b, sizeof(b)));
		table_set(&t, row, 5, fmt_ns(samples_quantile(s, 1), b, sizeof(b)));
	}
	fprintf(f, "real KVM on %s (%s%s, HZ %u, clocksource %s, %d CPUs): %u fresh VMs, --early %u, --late %u, %u vCPU%s in the exit test\n",
		c->release, c->prov->kvm_backend,
		c->prov->kvm_nested ? ", nested" : "", c->prov->hz,
		*c->prov->clocksource ? c->prov->clocksource : "?",
		c->prov->cpus, c->vms, c->o.early, c->o.late, c->o.vcpus,
		c->o.vcpus == 1 ? "" : "s");
	table_print(&t, f);
	fprintf(f, "guest exits: %s MMIO exits to userspace (%s/s: %s at unregistered probes, %s at retired), %s in-kernel ioeventfd hits, %s stale, %s unexpected over %s steps\n",
		ks_get(&c->sum, "exits") ?: "?",
		ks_get(&c->sum, "exits_per_sec") ?: "?",
		ks_get(&c->sum, "probe_exits") ?: "?",
		ks_get(&c->sum, "retired_exits") ?: "?",
		ks_get(&c->sum, "ioeventfd_hits") ?: "?",
		ks_get(&c->sum, "stale_observations") ?: "?",
		ks_get(&c->sum, "unexpected_exits") ?: "?",
		ks_get(&c->sum, "exit_steps") ?: "?");
	if (ks_get(&c->sum, "unexpected_first") &&
	    *ks_get(&c->sum, "unexpected_first"))
		fprintf(f, "FIRST UNEXPECTED EXIT: %s\n",
			ks_get(&c->sum, "unexpected_first"));
}

static void print_compare(struct ctx *c, const struct model *md, FILE *f)
{
	static const char *const head[] = { "metric", "model", "real", "model/real" };
	struct table t;
	char b[16];
	int row;
	unsigned long long real_reg = samples_quantile(&c->h[H_IOEVENTFD], 0.5);
	int hs = c->h[H_PAIRED_SYNC].n ? H_PAIRED_SYNC : H_FIRST_SYNC;
	unsigned long long real_sync = samples_quantile(&c->h[hs], 0.5);
	unsigned long long real_slot = samples_quantile(&c->h[H_MEMSLOT1], 0.5);

	table_init(&t, 4, head);
	row = table_row(&t);
	table_set(&t, row, 0, "register p50");
	table_set(&t, row, 1, fmt_ns(md->reg_p50, b, sizeof(b)));
	table_set(&t, row, 2, fmt_ns(real_reg, b, sizeof(b)));
	table_set(&t, row, 3, fmt_ratio(md->reg_p50, real_reg, b, sizeof(b)));
	row = table_row(&t);
	table_set(&t, row, 0, "1st expedited sync after K (deassign, alternating)");
	table_set(&t, row, 1, fmt_ns(md->first_sync, b, sizeof(b)));
	table_set(&t, row, 2, fmt_ns(real_sync, b, sizeof(b)));
	table_set(&t, row, 3, fmt_ratio(md->first_sync, real_sync, b, sizeof(b)));
	row = table_row(&t);
	table_set(&t, row, 0, "  the same, as a 1st memslot update");
	table_set(&t, row, 1, fmt_ns(md->first_sync, b, sizeof(b)));
	table_set(&t, row, 2, fmt_ns(real_slot, b, sizeof(b)));
	table_set(&t, row, 3, fmt_ratio(md->first_sync, real_slot, b, sizeof(b)));
	fprintf(f, "model (iobus-stress boot --reclaim %s --early %u --devices %u, %d runs, medians; its 1st vCPU creation) vs real KVM:\n",
		md->strategy, c->o.early, c->o.early + c->o.late, md->n);
	fprintf(f, "strategy: %s (%s)\n", md->strategy, md->basis);
	table_print(&t, f);
	ks_str(&c->sum, "model_strategy", md->strategy);
	ks_str(&c->sum, "model_strategy_basis", md->basis);
	ks_num(&c->sum, "model_register_ns_p50", md->reg_p50);
	ks_num(&c->sum, "model_first_sync_ns_p50", md->first_sync);
	ks_dbl(&c->sum, "register_ratio_model_real",
	       real_reg ? (double)md->reg_p50 / real_reg : 0);
	ks_dbl(&c->sum, "first_sync_ratio_model_real",
	       real_sync ? (double)md->first_sync / real_sync : 0);
	ks_dbl(&c->sum, "first_memslot_ratio_model_real",
	       real_slot ? (double)md->first_sync / real_slot : 0);
}

static FILE *open_out(const char *path)
{
	return strcmp(path, "-") ? fopen(path, "w") : stdout;
}

static int close_out(FILE *f)
{
	int bad = ferror(f);

	if (f == stdout)
		return fflush(f) || bad ? -1 : 0;
	return fclose(f) || bad ? -1 : 0;
}

/* A result whose histograms the SVG writer draws: register <- @reg,
 * probe <- @sync (expedited syncs), vcpu_create <- @vcpu. */
static void to_result(struct result *r, const char *name, struct samples *reg,
		      struct samples *sync, struct samples *vcpu)
{
	struct samples *src[RESULT_HISTS] = { reg, NULL, sync, vcpu };
	size_t k;
	int m;

	snprintf(r->name, sizeof(r->name), "%s", name);
	r->outcome = OUT_PASS;
	for (m = 0; m < RESULT_HISTS; m++) {
		r->hist[m].n = 0;
		if (!src[m])
			continue;
		samples_quantile(src[m], 0.5);	/* sorts */
		for (k = 0; k < src[m]->n; k++) {
			struct hist *h = &r->hist[m];
			uint64_t lo = kg_hist_lower(kg_hist_index(src[m]->v[k]));

			if (h->n && h->lower[h->n - 1] == lo) {
				h->count[h->n - 1]++;
			} else if (h->n < HIST_MAX_BUCKETS) {
				h->lower[h->n] = lo;
				h->count[h->n++] = 1;
			}
		}
	}
}

static int write_svg_file(struct ctx *c, const struct model *md, FILE *f)
{
	struct result *r = calloc(2, sizeof(*r));
	int n = 1, i, ret = 0;

	if (!r) {
		close_out(f);
		return EX_IO;
	}
	to_result(&r[0], "real KVM", &c->h[H_IOEVENTFD], &c->h[H_MEMSLOT1],
		  &c->h[H_VCPU]);
	if (md && md->n) {
		/* The model: its register histogram; its vCPU creations are
		 * its expedited syncs (the real memslot updates' panel). */
		snprintf(r[1].name, sizeof(r[1].name), "model %s", md->strategy);
		r[1].outcome = OUT_PASS;
		for (i = 0; i < md->n; i++) {
			int b;

			for (b = 0; b < md->r[i].hist[0].n; b++) {
				struct hist *h = &r[1].hist[0];

				if (h->n < HIST_MAX_BUCKETS) {
					h->lower[h->n] = md->r[i].hist[0].lower[b];
					h->count[h->n++] = md->r[i].hist[0].count[b];
				}
			}
			for (b = 0; b < md->r[i].hist[3].n; b++) {
				struct hist *h = &r[1].hist[2];

				if (h->n < HIST_MAX_BUCKETS) {
					h->lower[h->n] = md->r[i].hist[3].lower[b];
					h->count[h->n++] = md->r[i].hist[3].count[b];
				}
			}
		}
		n = 2;
	}
	write_svg(f, r, n, "iobus-stress kvm: register = KVM_IOEVENTFD, probe = 1st memslot update (model: its 1st-vCPU sync)");
	if (close_out(f))
		ret = EX_IO;
	if (ret)
		fprintf(stderr, "iobus-stress kvm: cannot write %s: %s\n",
			c->o.svg, strerror(errno));
	free(r);
	return ret;
}

static int skip_or_fail(const struct kvm_opts *o, const char *why, int code)
{
	if (o->tap) {
		printf("KTAP version 1\n1..0 # SKIP %s\n", why);
		fprintf(stderr, "iobus-stress kvm: skipped: %s\n", why);
		return EX_SKIP;
	}
	fprintf(stderr, "iobus-stress kvm: %s\n", why);
	return code;
}

/* --compare's module: loaded, or found beside the driver and loaded. */
static int module_ready(const struct kvm_opts *o, char *err, size_t len)
{
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);

	self[n > 0 ? n : 0] = '\0';
	return kernel_ready(o->module, self, 1, err, len);
}

/* Open --json and --svg before the experiment: a bad path costs nothing. */
static int open_outputs(const struct kvm_opts *o, FILE **json, FILE **svg)
{
	*json = *svg = NULL;
	if (o->json && !(*json = open_out(o->json))) {
		fprintf(stderr, "iobus-stress kvm: cannot open %s: %s\n",
			o->json, strerror(errno));
		return EX_IO;
	}
	if (o->svg && !(*svg = open_out(o->svg))) {
		fprintf(stderr, "iobus-stress kvm: cannot open %s: %s\n",
			o->svg, strerror(errno));
		if (*json)
			close_out(*json);
		*json = NULL;
		return EX_IO;
	}
	return 0;
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
static int timing_vms(struct ctx *c)
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

static void diagnose(struct ctx *c)
{
	struct kd_input in = {
		.with_reg = c->pair_with,
		.without = c->pair_without,
		.n = c->npairs,
		.early = c->o.early,
		.run_deassign_p50 = samples_quantile(&c->h[H_RUN_DEASSIGN], 0.5),
		.hz = c->prov->hz,
		.hz_source = c->prov->hz_source,
	};

	c->have_diag = !kd_diagnose(&in, &c->diag);
}

/* --fail-on: 1 when the diagnosis is the one asked to fail, or undecided. */
static int fail_on_met(const struct ctx *c)
{
	if (c->o.fail_on < 0)
		return 0;
	return !c->have_diag || c->diag.v == KD_INCONCLUSIVE ||
	       (int)c->diag.v == c->o.fail_on;
}

static void kvm_tap(struct ctx *c, const struct model *md, int real_ok,
		      const char *why)
{
	int n = 3 + !!c->o.compare;
	const char *d = c->have_diag ? kd_name(c->diag.v) : "none";

	printf("KTAP version 1\n1..%d\n", n);
	printf("ok 1 registration timing # ioeventfd p50 %s ns, first memslot p50 %s ns, %u VMs\n",
	       ks_get(&c->sum, "ioeventfd_ns_p50"),
	       ks_get(&c->sum, "first_memslot_ns_p50"), c->vms);
	printf("%s 2 exits # %s\n", real_ok ? "ok" : "not ok",
	       real_ok ? "no stale or unexpected exit" : why);
	printf("%s 3 regression # %s%s%s: %.1fx\n",
	       fail_on_met(c) ? "not ok" : "ok", d,
	       c->o.fail_on >= 0 ? ", --fail-on " : "",
	       c->o.fail_on >= 0 ? kd_name(c->o.fail_on) : "",
	       c->diag.ratio);
	if (c->o.compare)
		printf("ok 4 compare # model/real register %s, first sync %s (%s)\n",
		       ks_get(&c->sum, "register_ratio_model_real"),
		       ks_get(&c->sum, "first_sync_ratio_model_real"),
		       md->strategy);
}

int cmd_kvm(int argc, char **argv)
{
	static struct ctx c;
	struct provenance local;
	struct model md;
	char err[300];
	FILE *human, *fjson = NULL, *fsvg = NULL;
	int ret, vm = -1, keeper = -1, h, fail = 0, real_ok;

	memset(&md, 0, sizeof(md));
	ret = kvm_parse(&c.o, argc, argv, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "iobus-stress kvm: %s (see iobus-stress kvm --help)\n", err);
		return ret;
	}
	if (c.o.help) {
		kvm_usage(stdout);
		return EX_OK;
	}
	c.prov = provenance_self();
	if (!c.prov) {		/* called without cli_main (tests) */
		provenance_collect(&local, argc, argv, 1);
		provenance_set_self(&local);
		c.prov = provenance_self();
	}
	snprintf(c.release, sizeof(c.release), "%s", c.prov->kernel);
	human = c.o.tap || (c.o.json && !strcmp(c.o.json, "-")) ||
		(c.o.svg && !strcmp(c.o.svg, "-")) ? stderr : stdout;
	c.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (c.kvm < 0) {
		snprintf(err, sizeof(err), "no usable /dev/kvm: cannot open it: %s",
			 strerror(errno));
		return skip_or_fail(&c.o, err, EX_NOKVM);
	}
	vm = ioctl(c.kvm, KVM_CREATE_VM, 0);
	if (vm < 0) {
		snprintf(err, sizeof(err), "no usable /dev/kvm: KVM cannot create a VM: %s",
			 strerror(errno));
		close(c.kvm);
		return skip_or_fail(&c.o, err, EX_NOKVM);
	}
	/*
	 * A keeper VM with one vCPU (no in-kernel APIC) for the whole run: the
	 * first such vCPU enables the kvm_has_noapic_vcpu static key and the
	 * last one's exit disables it, each a live patch of kernel text.  With
	 * the keeper that happens once, here, not inside the timed
	 * KVM_CREATE_VCPUs (as on a host already running VMs); and under QEMU
	 * TCG the repeated patching crashed a 7.3 guest (an int3 Oops in
	 * __schedule, text_poke_bp against the other vCPU).
	 */
	keeper = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (keeper < 0) {
		snprintf(err, sizeof(err), "no usable /dev/kvm: KVM cannot create a vCPU: %s",
			 strerror(errno));
		ret = skip_or_fail(&c.o, err, EX_NOKVM);
		goto out;
	}
	if (c.o.hold) {
		if (sig_install()) {
			ret = EX_IO;
			goto out;
		}
		fprintf(stderr, "iobus-stress kvm: holding a VM with one vCPU until a signal\n");
		while (!sig_pending())
			sleep(1);
		ret = EX_OK;
		goto out;
	}
	if (c.o.compare) {
		/* The module before the experiment: a missing one is a skip. */
		ret = module_ready(&c.o, err, sizeof(err));
		if (ret) {
			if (c.o.tap && (ret == EX_NOROOT || ret == EX_NODEBUGFS ||
					ret == EX_NOMODULE))
				ret = skip_or_fail(&c.o, err, ret);
			else
				fprintf(stderr, "iobus-stress kvm: --compare: %s\n", err);
			goto out;
		}
	}
	ret = open_outputs(&c.o, &fjson, &fsvg);
	if (ret)
		goto out;
	if (sig_install()) {
		ret = EX_IO;
		goto out;
	}
	ret = timing_vms(&c);
	if (ret)
		goto out;
	fprintf(stderr, "  kvm: guest exits for %.1f s on %u vCPU%s\n",
		c.o.duration_ms / 1000.0, c.o.vcpus, c.o.vcpus == 1 ? "" : "s");
	ret = exits_run(&c);
	if (ret)
		goto out;
	diagnose(&c);
	fill_summary(&c);
	print_table(&c, human);
	real_ok = kvm_exit_verdict(&c.sum, err, sizeof(err));
	if (c.o.compare) {
		decide_strategy(&c, &md);
		ret = run_model(&c, &md, human);
		if (ret)
			goto out;
		print_compare(&c, &md, human);
		/* Again: the paired first syncs exist only now. */
		fill_summary(&c);
	}
	if (c.have_diag)
		fprintf(human, "%s\n", c.diag.line);
	if (c.o.tap)
		kvm_tap(&c, &md, real_ok, err);
	if (!real_ok) {
		fprintf(stderr, "iobus-stress kvm: FAIL: %s\n", err);
		fail = 1;
	}
	if (fail_on_met(&c)) {
		fprintf(stderr, "iobus-stress kvm: FAIL: --fail-on %s: the diagnosis is %s\n",
			kd_name(c.o.fail_on),
			c.have_diag ? kd_name(c.diag.v) : "missing");
		fail = 1;
	}
	if (fjson) {
		h = kvm_write_json(fjson, &c.sum, hist_names, c.h, NH,
				   c.pair_with, c.pair_without, c.npairs);
		if (close_out(fjson) || h) {
			fprintf(stderr, "iobus-stress kvm: cannot write %s: %s\n",
				c.o.json, strerror(errno));
			fjson = NULL;
			ret = EX_IO;
			goto out;
		}
		fjson = NULL;
	}
	if (fsvg) {
		ret = write_svg_file(&c, c.o.compare ? &md : NULL, fsvg);
		fsvg = NULL;
		if (ret)
			goto out;
	}
	if (sig_pending())
		ret = 128 + sig_pending();
	else
		ret = fail ? EX_FAIL : EX_OK;
out:
	if (fjson)
		close_out(fjson);
	if (fsvg)
		close_out(fsvg);
	for (h = 0; h < NH; h++)
		samples_free(&c.h[h]);
	free(c.pair_with);
	free(c.pair_without);
	free(md.r);
	if (keeper >= 0)
		close(keeper);
	if (vm >= 0)
		close(vm);
	close(c.kvm);
	return ret;
}
