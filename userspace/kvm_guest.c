// SPDX-License-Identifier: GPL-2.0
/* The guest of `iobus-stress kvm` and the parts of the command testable without /dev/kvm. */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_diagnosis.h"
#include "kvm_guest.h"
#include "output.h"
#include "provenance.h"

/*
 * The guest, 64-bit code at KG_CODE (assembled with GNU as, checked with
 * objdump -d -M intel):
 *
 *   0: 8b 04 25 00 40 00 00   loop: mov eax, dword ptr [0x4000]  ; mailbox
 *   7: 89 c2                        mov edx, eax
 *   9: 48 c1 e2 03                  shl rdx, 3                   ; * stride
 *   d: 48 81 c2 00 00 00 20         add rdx, 0x20000000          ; + base
 *  14: 89 02                        mov dword ptr [rdx], eax     ; MMIO store
 *  16: eb e8                        jmp loop
 *
 * So every exit it causes is a 4-byte write of the index to
 * KG_MMIO_BASE + index * 8: the checker verifies exactly that.
 */
const uint8_t kg_code[] = {
	0x8b, 0x04, 0x25, 0x00, 0x40, 0x00, 0x00,
	0x89, 0xc2,
	0x48, 0xc1, 0xe2, 0x03,
	0x48, 0x81, 0xc2, 0x00, 0x00, 0x00, 0x20,
	0x89, 0x02,
	0xeb, 0xe8,
};
const size_t kg_code_len = sizeof(kg_code);

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, sizeof(v));
}

void kg_setup_memory(uint8_t *mem, uint32_t first_index)
{
	uint64_t i;

	memset(mem, 0, KG_CODE + kg_code_len);
	put64(mem + KG_PML4, KG_PDPT | 3);		/* present, writable */
	put64(mem + KG_PDPT, KG_PD | 3);
	for (i = 0; i < 512; i++)			/* 2 MiB pages (PS) */
		put64(mem + KG_PD + 8 * i, (i << 21) | 0x83);
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
		"                        [--mailbox-first]\n"
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
		"  --hold: only create a VM with one vCPU and keep it until a signal, so\n"
		"    that later runs never flip KVM's no-APIC static key (live patching\n"
		"    of kernel text, which hung and crashed guests under QEMU TCG).\n"
		"Exit codes: 0 pass, 1 stale or unexpected exits or --fail-on met,\n"
		"2 usage, 4 skipped (--tap: no usable /dev/kvm, or --compare without\n"
		"root, debugfs or module), 6 module not loadable (--compare), 9 I/O,\n"
		"12 no usable /dev/kvm, 13 a KVM ioctl failed.\n",
		KG_AUTO_MS / 1000.0, KG_AUTO_MIN, KG_AUTO_MAX, KD_PRESENT_RATIO,
		KD_ABSENT_RATIO);
}

static int parse_u(const char *s, unsigned int min, unsigned int max,
		   unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

int kvm_parse(struct kvm_opts *o, int argc, char **argv, char *err,
	      size_t len)
{
	static const struct option lo[] = {
		{ "early", required_argument, NULL, 'e' },
		{ "late", required_argument, NULL, 'l' },
		{ "repeat", required_argument, NULL, 'r' },
		{ "duration", required_argument, NULL, 'd' },
		{ "window", required_argument, NULL, 'w' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "fail-on", required_argument, NULL, 'f' },
		{ "compare", no_argument, NULL, 'c' },
		{ "hold", no_argument, NULL, 'H' },
		{ "mailbox-first", no_argument, NULL, 'M' },
		{ "reclaim", required_argument, NULL, 'R' },
		{ "module", required_argument, NULL, 'm' },
		{ "json", required_argument, NULL, 'j' },
		{ "svg", required_argument, NULL, 's' },
		{ "tap", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char *end;
	double d;
	int c, idx = 0;

	memset(o, 0, sizeof(*o));
	o->early = 6;
	o->late = 34;
	o->repeat = KG_AUTO_MIN;
	o->window = 4;
	o->vcpus = 1;
	o->fail_on = -1;
	o->duration_ms = 500;
	optind = 0;	/* glibc: full re-initialisation, for repeated calls */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:h", lo, &idx)) != -1) {
		switch (c) {
		case 'e':
			if (parse_u(optarg, 0, 1000, &o->early))
				goto bad;
			break;
		case 'l':
			if (parse_u(optarg, 0, 1000, &o->late))
				goto bad;
			break;
		case 'r':
			if (parse_u(optarg, 1, 100, &o->repeat))
				goto bad;
			o->repeat_set = 1;
			break;
		case 'v':
			if (parse_u(optarg, 1, KG_MAX_VCPUS, &o->vcpus))
				goto bad;
			break;
		case 'f':
			o->fail_on = kd_parse(optarg);
			if (o->fail_on < 0) {
				snprintf(err, len, "bad value '%s' for --fail-on (present: a host-kernel gate; absent: a reproduction test)",
					 optarg);
				return 2;
			}
			break;
		case 'w':
			if (parse_u(optarg, 1, 256, &o->window))
				goto bad;
			break;
		case 'd':
			errno = 0;
			d = strtod(optarg, &end);
			if (errno || *end || end == optarg || !(d > 0) ||
			    d > 3600)
				goto bad;
			o->duration_ms = (unsigned int)(d * 1000 + 0.5);
			break;
		case 'c':
			o->compare = 1;
			break;
		case 'H':
			o->hold = 1;
			break;
		case 'M':
			o->mailbox_first = 1;
			break;
		case 'R':
			if (strcmp(optarg, "sync-expedited") &&
			    strcmp(optarg, "call-srcu")) {
				snprintf(err, len, "bad value '%s' for --reclaim (sync-expedited or call-srcu: what a KVM release uses)",
					 optarg);
				return 2;
			}
			o->reclaim = optarg;
			break;
		case 'm':
			o->module = optarg;
			break;
		case 'j':
		case 's':
			/* "--json --help" must not write a file "--help" */
			if (!strncmp(optarg, "--", 2)) {
				snprintf(err, len, "--%s needs a file name or -, not '%s'",
					 lo[idx].name, optarg);
				return 2;
			}
			if (c == 'j')
				o->json = optarg;
			else
				o->svg = optarg;
			break;
		case 't':
			o->tap = 1;
			break;
		case 'h':
			o->help = 1;
			break;
		case ':':
			snprintf(err, len, "%s needs a value", argv[optind - 1]);
			return 2;
		default:
			snprintf(err, len, "unknown option '%s'", argv[optind - 1]);
			return 2;
		}
	}
	if (optind < argc) {
		snprintf(err, len, "unexpected argument '%s'", argv[optind]);
		return 2;
	}
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
bad:
	snprintf(err, len, "bad value '%s' for --%s (%s)", optarg, lo[idx].name,
		 !strcmp(lo[idx].name, "vcpus") ? "decimal 1..64" :
		 !strcmp(lo[idx].name, "repeat") ? "decimal 1..100" :
		 !strcmp(lo[idx].name, "window") ? "decimal 1..256" :
		 !strcmp(lo[idx].name, "duration") ? "seconds, over 0, at most 3600" :
		 "decimal 0..1000");
	return 2;
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

int kvm_write_json(FILE *f, const struct kvm_summary *s,
		   const char *const *names, struct samples *hists, int nh,
		   const uint64_t *pair_with, const uint64_t *pair_without,
		   size_t npairs)
{
	int i, h;
	size_t k, j;

	fprintf(f, "{\"tool\": \"iobus-stress\", \"command\": \"kvm\",\n ");
	if (provenance_self()) {
		provenance_write_json(f, provenance_self());
		fputs(",\n ", f);
	}
	fputs("\"summary\": {", f);
	for (i = 0; i < s->n; i++) {
		fprintf(f, "%s\n  ", i ? "," : "");
		json_string(f, s->key[i]);
		fputs(": ", f);
		if (s->is_str[i])
			json_string(f, s->val[i]);
		else
			fputs(s->val[i], f);
	}
	fprintf(f, "},\n \"diagnosis_pairs\": [");
	for (k = 0; k < npairs; k++)
		fprintf(f, "%s[%llu, %llu]", k ? ", " : "",
			(unsigned long long)pair_with[k],
			(unsigned long long)pair_without[k]);
	fprintf(f, "],\n \"hist\": {");
	for (h = 0; h < nh; h++) {
		struct samples *sm = &hists[h];

		fprintf(f, "%s\n  ", h ? "," : "");
		json_string(f, names[h]);
		fputs(": [", f);
		samples_quantile(sm, 0.5);	/* sorts */
		for (k = 0, j = 0; k < sm->n; k = j) {
			unsigned int b = kg_hist_index(sm->v[k]);

			for (j = k; j < sm->n && kg_hist_index(sm->v[j]) == b; j++)
				;
			fprintf(f, "%s[%llu, %llu, %zu]", k ? ", " : "",
				(unsigned long long)kg_hist_lower(b),
				(unsigned long long)kg_hist_lower(b + 1) - 1,
				j - k);
		}
		fputc(']', f);
	}
	fprintf(f, "}}\n");
	return ferror(f) ? -1 : 0;
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
	if (ks_u(s, "unexpected_exits")) {
		snprintf(why, len, "%llu unexpected exits, first: %s",
			 ks_u(s, "unexpected_exits"), first ? first : "?");
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

const char *kg_observed_strategy(uint64_t reg_p50, uint64_t deassign_p50,
				 double *ratio)
{
	*ratio = reg_p50 ? (double)deassign_p50 / reg_p50 : 0;
	return *ratio >= KG_DEFER_RATIO ? "call-srcu" : "sync-expedited";
}
