// SPDX-License-Identifier: GPL-2.0
/* iobus-stress kvm: its outputs: the table, the comparison, JSON, SVG, KTAP (kvm_internal.h). */
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

const char *const hist_names[NH] = {
	"ioeventfd_ns", "ioeventfd_early_ns", "ioeventfd_late_ns",
	"deassign_ns", "first_memslot_ns", "vcpu_create_ns",
	"second_memslot_ns", "run_ioeventfd_ns", "run_deassign_ns",
	"first_memslot_noreg_ns", "first_deassign_ns",
	"first_deassign_paired_ns",
};


void fill_summary(struct ctx *c)
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
	if (kvm_arch_vcpu_first) {	/* arm64 only: x86's files stay as they were */
		ks_str(&c->sum, "arch", kvm_arch_name);
		ks_str(&c->sum, "timing_order", "vcpu-first");
	}
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

void print_table(struct ctx *c, FILE *f)
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
		/* vcpu-first (arm64): the early ones come after the vCPU */
		table_set(&t, row, 0, kvm_arch_vcpu_first && h == H_EARLY ?
			  "  early (vCPU, no memslot)" : label[h]);
		snprintf(b, sizeof(b), "%zu", s->n);
		table_set(&t, row, 1, b);
		table_set(&t, row, 2, fmt_ns(samples_quantile(s, 0), b, sizeof(b)));
		table_set(&t, row, 3, fmt_ns(samples_quantile(s, 0.5), b, sizeof(b)));
		table_set(&t, row, 4, fmt_ns(samples_quantile(s, 0.9), b, sizeof(b)));
		table_set(&t, row, 5, fmt_ns(samples_quantile(s, 1), b, sizeof(b)));
	}
	fprintf(f, "real KVM on %s (%s%s, HZ %u, clocksource %s, %d CPUs): %u fresh VMs, --early %u, --late %u, %u vCPU%s in the exit test%s\n",
		c->release, c->prov->kvm_backend,
		c->prov->kvm_nested ? ", nested" : "", c->prov->hz,
		*c->prov->clocksource ? c->prov->clocksource : "?",
		c->prov->cpus, c->vms, c->o.early, c->o.late, c->o.vcpus,
		c->o.vcpus == 1 ? "" : "s",
		kvm_arch_vcpu_first ? "; vcpu-first order (arm64: KVM_CREATE_VCPU before the registrations)" : "");
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
	fprintf(f, "stale basis: %s (%s)\n",
		ks_get(&c->sum, "stale_basis") ?: "?",
		c->o.mailbox_first ?
		"each index offered before its KVM_IOEVENTFD: > 0 whatever the kernel" :
		"each exit takes a fresh srcu_read_lock(): 0 whatever the reclaim strategy; not a finding, --mailbox-first is the detector's control");
	if (ks_get(&c->sum, "unexpected_first") &&
	    *ks_get(&c->sum, "unexpected_first"))
		fprintf(f, "FIRST UNEXPECTED EXIT: %s\n",
			ks_get(&c->sum, "unexpected_first"));
}

void print_compare(struct ctx *c, const struct model *md, FILE *f)
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

FILE *open_out(const char *path)
{
	return strcmp(path, "-") ? fopen(path, "w") : stdout;
}

int close_out(FILE *f)
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

int write_svg_file(struct ctx *c, const struct model *md, FILE *f)
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


int fail_on_met(const struct ctx *c)
{
	if (c->o.fail_on < 0)
		return 0;
	return !c->have_diag || c->diag.v == KD_INCONCLUSIVE ||
	       (int)c->diag.v == c->o.fail_on;
}

void kvm_tap(struct ctx *c, const struct model *md, int real_ok,
		      const char *why)
{
	const char *d = c->have_diag ? kd_name(c->diag.v) : "none";
	struct ktap t;

	ktap_start(&t, stdout);
	ktap_plan(&t, 3 + !!c->o.compare);
	ktap_result(&t, 1, "registration timing",
		    "ioeventfd p50 %s ns, first memslot p50 %s ns, %u VMs",
		    ks_get(&c->sum, "ioeventfd_ns_p50"),
		    ks_get(&c->sum, "first_memslot_ns_p50"), c->vms);
	ktap_result(&t, real_ok, "exits", "%s",
		    real_ok ? "no stale or unexpected exit" : why);
	ktap_result(&t, !fail_on_met(c), "regression", "%s%s%s: %.1fx", d,
		    c->o.fail_on >= 0 ? ", --fail-on " : "",
		    c->o.fail_on >= 0 ? kd_name(c->o.fail_on) : "",
		    c->diag.ratio);
	if (c->o.compare)
		ktap_result(&t, 1, "compare",
			    "model/real register %s, first sync %s (%s)",
			    ks_get(&c->sum, "register_ratio_model_real"),
			    ks_get(&c->sum, "first_sync_ratio_model_real"),
			    md->strategy);
}
