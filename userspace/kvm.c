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
#include "ktap.h"
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

#include "kvm_internal.h"

static int skip_or_fail(const struct kvm_opts *o, const char *why, int code)
{
	if (o->tap) {
		ktap_skip_all(stdout, why);
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
	n = kernel_ready(o->module, self, 1, err, len);
	return n ? (int)n : module_keys_check(err, len);
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
	kg_cpuid_hypervisor(c.cpuid_hv);
	c.shutdowns_tolerated = kg_shutdowns_tolerated(c.cpuid_hv);
	c.inject_left = c.o.inject_shutdowns;
	ret = timing_vms(&c);
	if (ret)
		goto out;
	fprintf(stderr, "  kvm: guest exits for %.1f s on %u vCPU%s\n",
		c.o.duration_ms / 1000.0, c.o.vcpus, c.o.vcpus == 1 ? "" : "s");
	ret = exits_run(&c);
	if (ret)
		goto out;
	if (c.o.churn_ms) {
		fprintf(stderr, "  kvm: churn for %.1f s on %u vCPU%s\n",
			c.o.churn_ms / 1000.0, c.o.vcpus,
			c.o.vcpus == 1 ? "" : "s");
		ret = churn_run(&c);
		if (ret)
			goto out;
	}
	shutdown_summary(&c);
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
		/* h: the writer's errno (no memory, a write error), or 0 */
		h = kvm_write_json(fjson, &c.sum, hist_names, c.h, NH,
				   c.pair_with, c.pair_without, c.npairs) ?
		    (errno ? errno : EIO) : 0;
		if (close_out(fjson) || h) {
			fprintf(stderr, "iobus-stress kvm: cannot write %s: %s\n",
				c.o.json, strerror(h ? h : errno));
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
