// SPDX-License-Identifier: GPL-2.0
/* iobus-stress kvm: --compare, the module's boot model on the same kernel (kvm_internal.h). */
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

void decide_strategy(struct ctx *c, struct model *md)
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

int run_model(struct ctx *c, struct model *md, FILE *human)
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
