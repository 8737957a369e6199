// SPDX-License-Identifier: GPL-2.0
/* The guest of `iobus-stress kvm` and the parts of the command testable without /dev/kvm. */
#define _GNU_SOURCE
#include <errno.h>
#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "kvm_arch.h"
#include "kvm_diagnosis.h"
#include "kvm_guest.h"
#include "opts.h"
#include "output.h"
#include "provenance.h"

#ifdef __x86_64__
static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* x86: the page tables of long mode, GPA 0..1 GiB identity. */
static void kg_page_tables(uint8_t *mem)
{
	uint64_t i;

	put64(mem + KG_PML4, KG_PDPT | 3);		/* present, writable */
	put64(mem + KG_PDPT, KG_PD | 3);
	for (i = 0; i < 512; i++)			/* 2 MiB pages (PS) */
		put64(mem + KG_PD + 8 * i, (i << 21) | 0x83);
}
#else
/* arm64: the MMU is off, no page tables. */
static void kg_page_tables(uint8_t *mem)
{
	(void)mem;
}
#endif

void kg_setup_memory(uint8_t *mem, uint32_t first_index)
{
	memset(mem, 0, KG_CODE + kg_code_len);
	kg_page_tables(mem);
	memcpy(mem + KG_MAILBOX, &first_index, sizeof(first_index));
	memcpy(mem + KG_CODE, kg_code, kg_code_len);
}

enum kg_verdict kg_classify(const struct kg_mmio *m, const uint8_t *state,
			    uint32_t nstates, char *why, size_t len)
{
	uint64_t off;
	uint32_t idx, data;
	uint8_t st;

	if (!m->is_write || m->len != 4) {
		snprintf(why, len, "MMIO %s of %u bytes at 0x%llx (the guest only stores 4)",
			 m->is_write ? "write" : "read", m->len,
			 (unsigned long long)m->phys_addr);
		return KG_UNEXPECTED;
	}
	off = m->phys_addr - KG_MMIO_BASE;
	if (m->phys_addr < KG_MMIO_BASE || off % KG_MMIO_STRIDE ||
	    off / KG_MMIO_STRIDE >= nstates) {
		snprintf(why, len, "MMIO write at 0x%llx, not an index address",
			 (unsigned long long)m->phys_addr);
		return KG_UNEXPECTED;
	}
	idx = (uint32_t)(off / KG_MMIO_STRIDE);
	memcpy(&data, m->data, sizeof(data));
	if (data != idx) {
		snprintf(why, len, "MMIO write of %u at index %u's address (the guest stores the index)",
			 data, idx);
		return KG_UNEXPECTED;
	}
	st = __atomic_load_n(&state[idx], __ATOMIC_ACQUIRE);
	switch (st) {
	case KG_PROBE:
		return KG_OK_PROBE;
	case KG_DEASSIGNING:
		return KG_OK_RETIRED;
	case KG_REGISTERED:
		return KG_STALE;
	default:
		snprintf(why, len, "MMIO write at index %u, never written to the mailbox",
			 idx);
		return KG_UNEXPECTED;
	}
}

void kvm_usage(FILE *f)
{
	fprintf(f, "usage: iobus-stress kvm [--early K] [--late M] [--repeat N] [--duration S]\n"
		"                        [--vcpus V] [--window W] [--fail-on present|absent] [--hold]\n"
		"                        [--mailbox-first] [--inject-shutdowns N] [--churn S]\n"
		"                        [--compare] [--reclaim STRATEGY] [--module PATH]\n"
		"                        [--json FILE|-] [--tap] [--svg FILE|-]\n"
		"The same experiments through /dev/kvm (no module needed), then one line:\n"
		"is the 6.18 regression present on this kernel, and what it costs.\n"
		"  registration timing, on fresh VMs (--repeat N; default: as many as\n"
		"    run in %.1f s, %d..%d): --early (6) KVM_IOEVENTFD registrations, the\n"
		"    first KVM_SET_USER_MEMORY_REGION (a memslot swap:\n"
		"    synchronize_srcu_expedited()), KVM_CREATE_VCPU, a second memslot\n"
		"    update, --late (34) registrations, then every deassign; after each,\n"
		"    a fresh VM's first memslot update with no registration (the pair);\n"
		"  real MMIO exits for --duration seconds (0.5) on --vcpus (1) vCPUs: a\n"
		"    guest stores to the MMIO address its mailbox names while the VMM\n"
		"    registers ioeventfds at fresh addresses (--window (4) live at a time)\n"
		"    and writes each one's index to the mailbox after KVM_IOEVENTFD\n"
		"    returned; an exit to userspace there is a stale observation;\n"
		"  the diagnosis: the lower quartiles of the two first memslot updates:\n"
		"    present at >= %gx and half a jiffy more, absent under %gx or a\n"
		"    quarter jiffy, inconclusive between or when the fresh VMs are too\n"
		"    noisy or slow to tell (docs/diagnosis.md);\n"
		"    --fail-on present makes a present or inconclusive diagnosis fail (a\n"
		"    host-kernel gate), --fail-on absent an absent or inconclusive one (a\n"
		"    reproduction test); --early 0 is the control (must come out absent);\n"
		"  --compare: the module's boot model (iobus-stress boot) with the strategy\n"
		"    this kernel's KVM uses, side by side (needs the module);\n"
		"  --mailbox-first: the stale detector's negative control: each index is\n"
		"    offered to the guest before its KVM_IOEVENTFD (must fail: stale > 0);\n"
		"  guest shutdowns (KVM_EXIT_SHUTDOWN, a triple fault of the guest, which\n"
		"    has no IDT): each fails the run, except that under QEMU's TCG (CPUID\n"
		"    0x40000000 TCGTCGTCGTCG) the first %d resets the vCPU to the guest code\n"
		"    and is counted (its nested SVM shut down such vCPUs, rarely);\n"
		"    --inject-shutdowns N (0..8) is their control: the first N vCPUs to\n"
		"    start begin at an unmapped address, each a triple fault;\n"
		"  --churn S: then, for S seconds, VMs whose vCPUs store in a loop to an\n"
		"    address with an ioeventfd (absorbed in the kernel by\n"
		"    kvm_io_bus_write()) while the VMM registers and deassigns 200 more,\n"
		"    each VM destroyed after 0.25 s: the load under which a debug\n"
		"    kernel (KASAN) catches a bus freed too early (make abtest);\n"
		"  --hold: only create a VM with one vCPU and keep it until a signal, so\n"
		"    that later runs never flip KVM's no-APIC static key (live patching\n"
		"    of kernel text, which hung and crashed guests under QEMU TCG).\n"
		"Exit codes: 0 pass, 1 stale, unexpected exits or shutdowns, --fail-on met,\n"
		"2 usage, 4 skipped (--tap: no usable /dev/kvm, or --compare without\n"
		"root, debugfs or module), 6 module not loadable (--compare), 9 I/O,\n"
		"12 no usable /dev/kvm, 13 a KVM ioctl failed.\n",
		KG_AUTO_MS / 1000.0, KG_AUTO_MIN, KG_AUTO_MAX, KD_PRESENT_RATIO,
		KD_ABSENT_RATIO, KG_TCG_SHUTDOWNS);
	if (kvm_arch_vcpu_first)
		fprintf(f, "On arm64 (docs/arm64.md): each timing VM creates its vCPU first, as\n"
			"Firecracker does there; a guest shutdown is KVM_EXIT_SYSTEM_EVENT (the\n"
			"guest's exception vectors call PSCI SYSTEM_OFF), none tolerated.\n");
}

static int set_fail_on(void *ctx, const struct opt *o, const char *v,
		       char *err, size_t len)
{
	(void)o;
	(void)err;
	(void)len;
	((struct kvm_opts *)ctx)->fail_on = kd_parse(v);
	return ((struct kvm_opts *)ctx)->fail_on < 0;
}

static int set_reclaim(void *ctx, const struct opt *o, const char *v,
		       char *err, size_t len)
{
	(void)o;
	(void)err;
	(void)len;
	if (strcmp(v, "sync-expedited") && strcmp(v, "call-srcu"))
		return -1;
	((struct kvm_opts *)ctx)->reclaim = v;
	return 0;
}

int kvm_parse(struct kvm_opts *o, int argc, char **argv, char *err,
	      size_t len)
{
	const struct opt tab[] = {
		{ .name = "early", .kind = OPT_UINT, .dst = &o->early, .max = 1000 },
		{ .name = "late", .kind = OPT_UINT, .dst = &o->late, .max = 1000 },
		{ .name = "repeat", .kind = OPT_UINT, .dst = &o->repeat, .min = 1,
		  .max = 100, .set = &o->repeat_set },
		{ .name = "duration", .kind = OPT_SECONDS, .dst = &o->duration_ms,
		  .max = 3600000 },
		{ .name = "churn", .kind = OPT_SECONDS, .dst = &o->churn_ms,
		  .max = 3600000 },
		{ .name = "window", .kind = OPT_UINT, .dst = &o->window, .min = 1,
		  .max = 256 },
		{ .name = "vcpus", .kind = OPT_UINT, .dst = &o->vcpus, .min = 1,
		  .max = KG_MAX_VCPUS },
		{ .name = "fail-on", .kind = OPT_CALL, .call = set_fail_on,
		  .what = "present: a host-kernel gate; absent: a reproduction test" },
		{ .name = "compare", .kind = OPT_FLAG, .dst = &o->compare },
		{ .name = "hold", .kind = OPT_FLAG, .dst = &o->hold },
		{ .name = "mailbox-first", .kind = OPT_FLAG, .dst = &o->mailbox_first },
		{ .name = "inject-shutdowns", .kind = OPT_UINT,
		  .dst = &o->inject_shutdowns, .max = 8 },
		{ .name = "reclaim", .kind = OPT_CALL, .call = set_reclaim,
		  .what = "sync-expedited or call-srcu: what a KVM release uses" },
		/* a plain string, as it always was (run's --module refuses "--x") */
		{ .name = "module", .kind = OPT_STRING, .dst = &o->module },
		{ .name = "json", .kind = OPT_FILE, .dst = &o->json,
		  .flags = OPT_STDOUT },
		{ .name = "svg", .kind = OPT_FILE, .dst = &o->svg,
		  .flags = OPT_STDOUT },
		{ .name = "tap", .kind = OPT_FLAG, .dst = &o->tap },
		{ .name = "help", .kind = OPT_FLAG, .dst = &o->help, .short_name = 'h' },
	};
	const struct opts_how how = { .cmd = "kvm", .ctx = o };

	memset(o, 0, sizeof(*o));
	o->early = 6;
	o->late = 34;
	o->repeat = KG_AUTO_MIN;
	o->window = 4;
	o->vcpus = 1;
	o->fail_on = -1;
	o->duration_ms = 500;
	if (opts_parse(tab, sizeof(tab) / sizeof(tab[0]), &how, argc, argv, err,
		       len, NULL))
		return 2;
	if (o->early + o->late > 1000) {
		snprintf(err, len, "--early + --late is %u: KVM's bus holds 1000 devices",
			 o->early + o->late);
		return 2;
	}
	if (o->json && o->svg && !strcmp(o->json, "-") && !strcmp(o->svg, "-")) {
		snprintf(err, len, "--json - and --svg - cannot share stdout");
		return 2;
	}
	return 0;
}

int samples_add(struct samples *s, uint64_t ns)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 256;
		uint64_t *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ns;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

uint64_t samples_quantile(struct samples *s, double q)
{
	size_t i;

	if (!s->n)
		return 0;
	qsort(s->v, s->n, sizeof(s->v[0]), cmp_u64);
	/* Lower median for an even count, as the model's report does. */
	i = q >= 1 ? s->n - 1 : (size_t)(q * (s->n - 1) + 0.5);
	if (q == 0.5)
		i = (s->n - 1) / 2;
	return s->v[i];
}

void samples_free(struct samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

#define SUB_BITS 5
#define SUB (1U << SUB_BITS)

unsigned int kg_hist_index(uint64_t v)
{
	unsigned int e;

	if (v < SUB)
		return (unsigned int)v;
	e = 63 - (unsigned int)__builtin_clzll(v);
	return (e - SUB_BITS + 1) * SUB +
	       (unsigned int)((v >> (e - SUB_BITS)) & (SUB - 1));
}

uint64_t kg_hist_lower(unsigned int idx)
{
	unsigned int grp = idx / SUB, sub = idx % SUB;

	if (!grp)
		return sub;
	return (uint64_t)(SUB + sub) << (grp - 1);
}

static void ks_put(struct kvm_summary *s, const char *key, const char *v,
		   int is_str)
{
	int i;

	for (i = 0; i < s->n && strcmp(s->key[i], key); i++)
		;
	if (i == KS_MAX) {
		fprintf(stderr, "iobus-stress kvm: summary full, '%s' dropped\n", key);
		return;
	}
	if (i == s->n)
		s->n++;
	snprintf(s->key[i], sizeof(s->key[i]), "%s", key);
	snprintf(s->val[i], sizeof(s->val[i]), "%s", v);
	s->is_str[i] = is_str;
}

void ks_num(struct kvm_summary *s, const char *key, unsigned long long v)
{
	char b[32];

	snprintf(b, sizeof(b), "%llu", v);
	ks_put(s, key, b, 0);
}

void ks_dbl(struct kvm_summary *s, const char *key, double v)
{
	char b[32];

	snprintf(b, sizeof(b), "%.4g", v);
	ks_put(s, key, b, 0);
}

void ks_str(struct kvm_summary *s, const char *key, const char *v)
{
	ks_put(s, key, v, 1);
}

const char *ks_get(const struct kvm_summary *s, const char *key)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (!strcmp(s->key[i], key))
			return s->val[i];
	return NULL;
}

/* [[lower_ns, upper_ns, count], ...] of @sm's buckets (sorts it); NULL when out of memory. */
static json_t *hist_json(struct samples *sm)
{
	json_t *a = json_array(), *t;
	size_t k, j;
	int bad = !a;

	samples_quantile(sm, 0.5);	/* sorts */
	for (k = 0; !bad && k < sm->n; k = j) {
		unsigned int b = kg_hist_index(sm->v[k]);

		for (j = k; j < sm->n && kg_hist_index(sm->v[j]) == b; j++)
			;
		t = json_array();
		bad = !t || jw_push(t, jw_u64(kg_hist_lower(b))) ||
		      jw_push(t, jw_u64(kg_hist_lower(b + 1) - 1)) ||
		      jw_push(t, jw_u64(j - k));
		if (bad)
			json_decref(t);
		else
			bad = jw_push(a, t);
	}
	if (bad) {
		json_decref(a);
		return NULL;
	}
	return a;
}

static json_t *kvm_json(const struct kvm_summary *s,
			const char *const *names, struct samples *hists, int nh,
			const uint64_t *pair_with, const uint64_t *pair_without,
			size_t npairs)
{
	json_t *doc = json_object(), *sum = json_object(),
	       *pairs = json_array(), *hist = json_object(), *t;
	int i, bad = !doc || !sum || !pairs || !hist;
	size_t k;

	if (!bad)
		bad = jw_set(doc, "tool", jw_str("iobus-stress")) ||
		      jw_set(doc, "command", jw_str("kvm")) ||
		      (provenance_self() &&
		       jw_set(doc, "provenance", provenance_json(provenance_self())));
	/* numbers as ks_num/ks_dbl printed them */
	for (i = 0; !bad && i < s->n; i++)
		bad = jw_set(sum, s->key[i], s->is_str[i] ? jw_str(s->val[i]) :
			     jw_num_text(s->val[i]));
	for (k = 0; !bad && k < npairs; k++) {
		t = json_array();
		bad = !t || jw_push(t, jw_u64(pair_with[k])) ||
		      jw_push(t, jw_u64(pair_without[k]));
		if (bad)
			json_decref(t);
		else
			bad = jw_push(pairs, t);
	}
	for (i = 0; !bad && i < nh; i++)
		bad = jw_set(hist, names[i], hist_json(&hists[i]));
	/* each taken by jw_set, even when it fails */
	if (!bad) {
		bad = jw_set(doc, "summary", sum);
		sum = NULL;
	}
	if (!bad) {
		bad = jw_set(doc, "diagnosis_pairs", pairs);
		pairs = NULL;
	}
	if (!bad) {
		bad = jw_set(doc, "hist", hist);
		hist = NULL;
	}
	json_decref(sum);
	json_decref(pairs);
	json_decref(hist);
	if (bad) {
		json_decref(doc);
		return NULL;
	}
	return doc;
}

int kvm_write_json(FILE *f, const struct kvm_summary *s,
		   const char *const *names, struct samples *hists, int nh,
		   const uint64_t *pair_with, const uint64_t *pair_without,
		   size_t npairs)
{
	errno = 0;
	return jw_dump(kvm_json(s, names, hists, nh, pair_with, pair_without,
				npairs), f);
}

int kg_release_has_call_srcu(const char *release)
{
	unsigned int maj, min;

	if (sscanf(release, "%u.%u", &maj, &min) != 2)
		return -1;
	return maj > 6 || (maj == 6 && min >= 18);
}

static unsigned long long ks_u(const struct kvm_summary *s, const char *key)
{
	const char *v = ks_get(s, key);

	return v ? strtoull(v, NULL, 10) : 0;
}

int kvm_exit_verdict(const struct kvm_summary *s, char *why, size_t len)
{
	const char *first = ks_get(s, "unexpected_first");

	if (!ks_get(s, "stale_observations") || !ks_get(s, "exits")) {
		snprintf(why, len, "no exit experiment in the summary");
		return 0;
	}
	if (ks_u(s, "guest_shutdowns") > ks_u(s, "guest_shutdowns_tolerated")) {
		snprintf(why, len, "%llu guest shutdowns (" KG_SHUTDOWN_WHAT "; %llu tolerated here), first: %s",
			 ks_u(s, "guest_shutdowns"),
			 ks_u(s, "guest_shutdowns_tolerated"),
			 ks_get(s, "guest_shutdown_first") ?: "?");
		return 0;
	}
	if (ks_u(s, "unexpected_exits")) {
		snprintf(why, len, "%llu unexpected exits, first: %s",
			 ks_u(s, "unexpected_exits"), first ? first : "?");
		return 0;
	}
	if (ks_u(s, "churn_unexpected")) {
		snprintf(why, len, "%llu unexpected exits during --churn, first: %s",
			 ks_u(s, "churn_unexpected"),
			 ks_get(s, "churn_unexpected_first") ?: "?");
		return 0;
	}
	if (ks_u(s, "churn_stale")) {
		snprintf(why, len, "%llu stale observations during --churn: exits to userspace at the address whose ioeventfd stayed registered",
			 ks_u(s, "churn_stale"));
		return 0;
	}
	if (ks_get(s, "churn_ms") && !ks_u(s, "churn_ioeventfd_hits")) {
		snprintf(why, len, "--churn: no in-kernel ioeventfd hit, so no vCPU read the bus while it was swapped");
		return 0;
	}
	if (ks_u(s, "stale_observations")) {
		snprintf(why, len, "%llu stale observations: exits to userspace at addresses whose KVM_IOEVENTFD had returned",
			 ks_u(s, "stale_observations"));
		return 0;
	}
	if (!ks_u(s, "probe_exits")) {
		snprintf(why, len, "no MMIO exit at a probe address: the guest is not running our code");
		return 0;
	}
	if (!ks_u(s, "ioeventfd_hits")) {
		snprintf(why, len, "no in-kernel ioeventfd hit: the guest never reached a registered address");
		return 0;
	}
	return 1;
}

unsigned int kg_shutdowns_tolerated(const char *cpuid_hv)
{
	return strcmp(cpuid_hv, "TCGTCGTCGTCG") ? 0 : KG_TCG_SHUTDOWNS;
}

void kg_cpuid_hypervisor(char sig[13])
{
#if defined(__x86_64__) || defined(__i386__)
	unsigned int a, b, c, d;

	memset(sig, 0, 13);
	__cpuid(1, a, b, c, d);
	if (!(c & (1U << 31)))		/* no hypervisor bit */
		return;
	__cpuid(0x40000000, a, b, c, d);
	memcpy(sig, &b, 4);
	memcpy(sig + 4, &c, 4);
	memcpy(sig + 8, &d, 4);
	for (a = 0; a < 12; a++)	/* printable, for the JSON */
		if (sig[a] && (sig[a] < 0x20 || sig[a] > 0x7e))
			sig[a] = '?';
#else
	memset(sig, 0, 13);
#endif
}

const char *kg_observed_strategy(uint64_t reg_p50, uint64_t deassign_p50,
				 double *ratio)
{
	*ratio = reg_p50 ? (double)deassign_p50 / reg_p50 : 0;
	return *ratio >= KG_DEFER_RATIO ? "call-srcu" : "sync-expedited";
}
