// SPDX-License-Identifier: GPL-2.0
/* iobus-stress kvm: the exit experiment and the churn of ioeventfds under a running guest (kvm_internal.h). */
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
	struct ctx *c;
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
 * ", vCPU N of M at RIP 0x.. (CR0 .. CR4 .. EFER ..)" (x86; arm64: PC,
 * PSTATE, ESR_EL1 ...): where an unexpected exit or a shutdown left the
 * vCPU, for the report.
 */
static void vcpu_state(struct vcpu *v, char *buf, size_t len)
{
	size_t n;

	snprintf(buf, len, ", vCPU %u of %u", (unsigned int)(v - v->x->v),
		 v->x->nvcpu);
	n = strlen(buf);
	kvm_arch_vcpu_state(v->fd, buf + n, len - n);
}

static int vcpu_shutdown(struct vcpu *v, char *why, size_t len);

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
		if (kvm_arch_exit_shutdown(run, why, sizeof(why))) {
			if (vcpu_shutdown(v, why, sizeof(why)))
				continue;
			break;
		}
		if (run->exit_reason != KVM_EXIT_MMIO) {
			if (kvm_arch_exit_why(run, why, sizeof(why)))
				;	/* the architecture's own, named */
			else if (run->exit_reason == KVM_EXIT_FAIL_ENTRY)
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

/*
 * The vCPU at the guest code (kvm_arch_vcpu_enter()); every vCPU alike.
 * Also after a tolerated shutdown (KVM has reset the vCPU; the guest keeps
 * no state of its own).  --inject-shutdowns: the first N entries start at
 * KG_UNMAPPED instead, whose instruction fetch faults: x86 with no IDT, a
 * triple fault; arm64 into the guest's vectors, PSCI SYSTEM_OFF.
 */
static int vcpu_enter(struct ctx *c, int vm, int fd)
{
	unsigned int left;

	left = __atomic_load_n(&c->inject_left, __ATOMIC_RELAXED);
	while (left && !__atomic_compare_exchange_n(&c->inject_left, &left,
						    left - 1, 0,
						    __ATOMIC_RELAXED,
						    __ATOMIC_RELAXED))
		;
	return kvm_arch_vcpu_enter(c, vm, fd, left ? KG_UNMAPPED : KG_CODE);
}

static int vcpu_setup(struct ctx *c, int vm, int fd)
{
	int ret = kvm_arch_vcpu_setup(c, vm, fd);

	return ret ? ret : vcpu_enter(c, vm, fd);
}

/*
 * The guest's shutdown (@why, @len: its exit, kvm_arch_exit_shutdown()):
 * counted for the whole run; 1 when this one is within the run's tolerance
 * and the vCPU is back at the guest code, else 0.
 */
static int vcpu_shutdown(struct vcpu *v, char *why, size_t len)
{
	struct ctx *c = v->x->c;
	unsigned int n;

	vcpu_state(v, why + strlen(why), len - strlen(why));
	if (!__atomic_exchange_n(&c->shutdown_taken, 1, __ATOMIC_ACQ_REL))
		snprintf(c->shutdown_first, sizeof(c->shutdown_first), "%s", why);
	n = __atomic_add_fetch(&c->shutdowns, 1, __ATOMIC_ACQ_REL);
	if (n > c->shutdowns_tolerated) {
		fprintf(stderr, "iobus-stress kvm: guest shutdown %u (%u tolerated here): %s\n",
			n, c->shutdowns_tolerated, why);
		return 0;
	}
	fprintf(stderr, "iobus-stress kvm: guest shutdown %u of %u tolerated under %s: %s; vCPU reset to the guest code\n",
		n, c->shutdowns_tolerated, c->cpuid_hv, why);
	if (!vcpu_enter(c, v->x->vm, v->fd))
		return 1;
	/* Not back at the guest code: the run must not pass as tolerated. */
	note_why(v->x, "the vCPU could not be reset after a tolerated shutdown");
	v->unexpected++;
	return 0;
}

static unsigned long long drain(int efd)
{
	uint64_t v;

	return read(efd, &v, sizeof(v)) == sizeof(v) ? v : 0;
}

static void mailbox(struct exits *x, uint32_t index)
{
	kvm_arch_mailbox(x->mem, index);
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
		ret = vcpu_setup(c, x->vm, v->fd);
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

	if (!x)
		return;
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

/*
 * A new exit VM in *@xp: guest memory with the mailbox at @first, memslot
 * 0, --vcpus vCPUs created and running the guest.  On failure *@xp is
 * still set (free_exits() it) and the exit code returned.
 */
static int exit_vm_new(struct ctx *c, struct exits **xp, uint32_t first,
		       const char *what)
{
	struct exits *x = calloc(1, sizeof(*x));
	unsigned int k;
	char buf[80];
	long sz;

	*xp = x;
	if (!x)
		return EX_IO;
	x->c = c;
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
	x->vm = ioctl(c->kvm, KVM_CREATE_VM, 0);
	if (x->vm < 0) {
		snprintf(buf, sizeof(buf), "KVM_CREATE_VM (%s)", what);
		return kvm_fail(buf);
	}
	if (kvm_arch_vm_setup(x->vm))
		return EX_KVM;
	x->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	x->mem = mmap(NULL, KG_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (x->efd < 0 || x->mem == MAP_FAILED)
		goto io;
	kg_setup_memory(x->mem, first);
	kvm_arch_mem_sync(x->mem, KG_CODE + kg_code_len);
	if (kvm_set_slot(x->vm, 0, 0, x->mem, KG_MEM_SIZE)) {
		snprintf(buf, sizeof(buf), "KVM_SET_USER_MEMORY_REGION (%s)", what);
		return kvm_fail(buf);
	}
	sz = ioctl(c->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (sz < (long)sizeof(struct kvm_run))
		return kvm_fail("KVM_GET_VCPU_MMAP_SIZE");
	x->run_size = (size_t)sz;
	return 0;
io:
	fprintf(stderr, "iobus-stress kvm: setup of the %s VM: %s\n", what,
		strerror(errno));
	return EX_IO;
}

int exits_run(struct ctx *c)
{
	struct exits *x;
	struct sigaction sa;
	uint64_t t0, t, end;
	uint32_t i, reg, old;
	unsigned long long hits = 0, steps = 0, no_probe = 0, no_hit = 0;
	unsigned long long runs = 0, mmio = 0, probe = 0, retired = 0;
	unsigned long long stale = 0, unexpected = 0;
	int ret, capped = 0, run_errno = 0;
	unsigned int k;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_kick;	/* no SA_RESTART: KVM_RUN returns EINTR */
	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGUSR1, &sa, NULL)) {
		fprintf(stderr, "iobus-stress kvm: sigaction: %s\n", strerror(errno));
		return EX_IO;
	}
	ret = exit_vm_new(c, &x, 0, "exits");
	if (ret)
		goto out;
	x->state[0] = KG_PROBE;
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
		if (kvm_ioeventfd(x->vm, x->efd, reg, 0)) {
			ret = kvm_fail("KVM_IOEVENTFD (exits)");
			goto stop;
		}
		if (kvm_sample(c, H_RUN_IOEVENTFD, now_ns() - t))
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
			if (kvm_ioeventfd(x->vm, x->efd, old, 1)) {
				ret = kvm_fail("KVM_IOEVENTFD deassign (exits)");
				goto stop;
			}
			if (kvm_sample(c, H_RUN_DEASSIGN, now_ns() - t))
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
	/*
	 * Why the stale count comes out as it does (the expected-outcome
	 * table's basis): every exit takes a fresh srcu_read_lock(), whose
	 * smp_mb() orders the guest's mailbox load before the bus load, so 0
	 * whatever KVM's reclaim strategy; --mailbox-first offers each index
	 * before its registration, so > 0 by construction.
	 */
	ks_str(&c->sum, "stale_basis", c->o.mailbox_first ?
	       "construction(mailbox-first)" : "construction(read-lock-mb)");
	ks_num(&c->sum, "unexpected_exits", unexpected);
	ks_num(&c->sum, "steps_without_probe_exit", no_probe);
	ks_num(&c->sum, "steps_without_hit", no_hit);
	ks_str(&c->sum, "unexpected_first", x->why);
out:
	free_exits(x);
	return ret;
}

void shutdown_summary(struct ctx *c)
{
	ks_str(&c->sum, "cpuid_hypervisor", c->cpuid_hv);
	ks_num(&c->sum, "guest_shutdowns",
	       __atomic_load_n(&c->shutdowns, __ATOMIC_ACQUIRE));
	ks_num(&c->sum, "guest_shutdowns_tolerated", c->shutdowns_tolerated);
	ks_num(&c->sum, "guest_shutdowns_injected", c->o.inject_shutdowns);
	ks_str(&c->sum, "guest_shutdown_first", c->shutdown_first);
}

/* ---- --churn: bus swaps under in-kernel MMIO, for the debug kernels */

/*
 * --churn S: for S seconds, VMs whose vCPUs store in a loop to one
 * address with an ioeventfd (each store is a KVM exit that
 * kvm_io_bus_write() absorbs in the kernel, the old bus held under
 * kvm->srcu), while this thread registers KG_CHURN_BATCH ioeventfds at
 * other addresses (each KVM_IOEVENTFD replaces the bus and retires the
 * old one) and deassigns them again; each VM lives KG_CHURN_VM_MS and is
 * then destroyed (kvm_destroy_vm(): srcu_barrier(), the buses freed).
 * On a KASAN kernel a bus freed before its readers are done is a
 * use-after-free report; here an exit to userspace at the registered
 * address counts stale, anything else unexpected.
 */
#define KG_CHURN_BATCH	200
#define KG_CHURN_VM_MS	250

int churn_run(struct ctx *c)
{
	unsigned long long assigns = 0, deassigns = 0, hits = 0, vms = 0;
	unsigned long long runs = 0, stale = 0, unexpected = 0;
	uint64_t t0 = now_ns(), end, vm_end;
	struct exits *x = NULL;
	char why[200] = "";
	unsigned int k;
	uint32_t i;
	int ret = 0;

	end = t0 + (uint64_t)c->o.churn_ms * 1000000ULL;
	while (!ret && now_ns() < end && !sig_pending()) {
		ret = exit_vm_new(c, &x, 1, "churn");
		if (!ret && kvm_ioeventfd(x->vm, x->efd, 1, 0))
			ret = kvm_fail("KVM_IOEVENTFD (churn target)");
		if (!ret) {
			x->state[1] = KG_REGISTERED;
			ret = start_vcpus(c, x);
		}
		vms++;
		vm_end = now_ns() + KG_CHURN_VM_MS * 1000000ULL;
		while (!ret && now_ns() < vm_end && now_ns() < end &&
		       !sig_pending() &&
		       !__atomic_load_n(&x->stop, __ATOMIC_ACQUIRE)) {
			for (i = 2; !ret && i < 2 + KG_CHURN_BATCH; i++) {
				if (kvm_ioeventfd(x->vm, x->efd, i, 0))
					ret = kvm_fail("KVM_IOEVENTFD (churn)");
				else
					assigns++;
			}
			for (i = 2; !ret && i < 2 + KG_CHURN_BATCH; i++) {
				if (kvm_ioeventfd(x->vm, x->efd, i, 1))
					ret = kvm_fail("KVM_IOEVENTFD deassign (churn)");
				else
					deassigns++;
			}
			hits += drain(x->efd);
		}
		if (x) {
			stop_vcpus(x);
			hits += drain(x->efd);
			for (k = 0; k < x->nvcpu; k++) {
				runs += x->v[k].runs;
				stale += x->v[k].stale;
				unexpected += x->v[k].unexpected;
				if (x->v[k].run_errno && !ret) {
					errno = x->v[k].run_errno;
					ret = kvm_fail("KVM_RUN (churn)");
				}
			}
			if (x->why[0] && !why[0])
				snprintf(why, sizeof(why), "%s", x->why);
		}
		free_exits(x);
		x = NULL;
	}
	ks_num(&c->sum, "churn_ms", (now_ns() - t0) / 1000000ULL);
	ks_num(&c->sum, "churn_vms", vms);
	ks_num(&c->sum, "churn_assigns", assigns);
	ks_num(&c->sum, "churn_deassigns", deassigns);
	ks_num(&c->sum, "churn_kvm_runs", runs);
	ks_num(&c->sum, "churn_ioeventfd_hits", hits);
	ks_num(&c->sum, "churn_stale", stale);
	ks_num(&c->sum, "churn_unexpected", unexpected);
	ks_str(&c->sum, "churn_unexpected_first", why);
	fprintf(stderr, "  kvm: churn: %llu VMs, %llu bus swaps by KVM_IOEVENTFD, %llu in-kernel MMIO hits, %llu stale, %llu unexpected\n",
		vms, assigns + deassigns, hits, stale, unexpected);
	return ret;
}

/* ---- --compare: the module's boot model on the same kernel */
