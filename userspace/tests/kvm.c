// SPDX-License-Identifier: GPL-2.0
/* iobus-stress kvm: what can be tested without /dev/kvm. */
#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_read.h"
#include "kvm_guest.h"
#include "provenance.h"

static struct kvm_opts o;
static char err[300];

#define PARSE(...) ({ \
	char *argv_[] = { "kvm", __VA_ARGS__, NULL }; \
	kvm_parse(&o, (int)(sizeof(argv_) / sizeof(argv_[0])) - 1, argv_, err, sizeof(err)); })

static void test_parse_defaults(void **state)
{
	char *argv[] = { "kvm", NULL };

	(void)state;
	assert_int_equal(kvm_parse(&o, 1, argv, err, sizeof(err)), 0);
	assert_int_equal(o.early, 6);
	assert_int_equal(o.late, 34);
	assert_int_equal(o.repeat, 5);
	assert_false(o.repeat_set);	/* timing VMs for ~0.5 s */
	assert_int_equal(o.window, 4);
	assert_int_equal(o.vcpus, 1);
	assert_int_equal(o.fail_on, -1);
	assert_int_equal(o.duration_ms, 500);
	assert_false(o.compare);
	assert_false(o.tap);
	assert_null(o.json);
	assert_null(o.reclaim);
}

static void test_parse_values(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--early", "0", "--late", "3", "--repeat", "2",
			       "--duration", "0.5", "--window", "8", "--compare",
			       "--reclaim", "call-srcu", "--module", "/m.ko",
			       "--json", "-", "--svg", "k.svg", "--tap"), 0);
	assert_int_equal(o.early, 0);
	assert_int_equal(o.late, 3);
	assert_int_equal(o.repeat, 2);
	assert_true(o.repeat_set);
	assert_int_equal(o.duration_ms, 500);
	assert_int_equal(o.window, 8);
	assert_true(o.compare);
	assert_true(o.tap);
	assert_string_equal(o.reclaim, "call-srcu");
	assert_string_equal(o.module, "/m.ko");
	assert_string_equal(o.json, "-");
	assert_string_equal(o.svg, "k.svg");
	/* A second parse starts from the defaults again (optind reset). */
	assert_int_equal(PARSE("--early=9"), 0);
	assert_int_equal(o.early, 9);
	assert_int_equal(o.late, 34);
	assert_false(o.compare);
}

static void test_parse_errors(void **state)
{
	(void)state;
	assert_int_equal(PARSE("--early", "x"), 2);
	assert_non_null(strstr(err, "bad value 'x' for --early"));
	assert_int_equal(PARSE("--early", "-1"), 2);
	assert_int_equal(PARSE("--early", "1001"), 2);
	assert_int_equal(PARSE("--repeat", "0"), 2);
	assert_int_equal(PARSE("--repeat", "101"), 2);
	assert_int_equal(PARSE("--duration", "0"), 2);
	assert_int_equal(PARSE("--duration", "2s"), 2);
	/* the one number parser (num.c), as run's: no exponent, hex, sub-ms */
	assert_int_equal(PARSE("--duration", "1e1"), 2);
	assert_non_null(strstr(err, "at least 0.001"));
	assert_int_equal(PARSE("--duration", "0x10"), 2);
	assert_int_equal(PARSE("--duration", "0.0001"), 2);
	assert_int_equal(PARSE("--churn", "1e1"), 2);
	assert_int_equal(PARSE("--early", "0x10"), 2);
	assert_int_equal(PARSE("--early", "+1"), 2);
	assert_int_equal(PARSE("--duration", "0.001", "--churn", "2.5"), 0);
	assert_int_equal(o.duration_ms, 1);
	assert_int_equal(o.churn_ms, 2500);
	assert_int_equal(PARSE("--window", "0"), 2);
	assert_int_equal(PARSE("--early", "700", "--late", "301"), 2);
	assert_non_null(strstr(err, "1000"));
	assert_int_equal(PARSE("--early", "700", "--late", "300"), 0);
	assert_int_equal(PARSE("--reclaim", "poll"), 2);
	assert_non_null(strstr(err, "--reclaim"));
	assert_int_equal(PARSE("--bogus"), 2);
	assert_non_null(strstr(err, "unknown option '--bogus'"));
	assert_int_equal(PARSE("--late"), 2);
	assert_non_null(strstr(err, "needs a value"));
	assert_int_equal(PARSE("extra"), 2);
	assert_non_null(strstr(err, "unexpected argument 'extra'"));
	assert_int_equal(PARSE("--json", "-", "--svg", "-"), 2);
	/* a flag where a file name belongs is refused, not created */
	assert_int_equal(PARSE("--json", "--help"), 2);
	assert_non_null(strstr(err, "--json needs a file name"));
	assert_int_equal(PARSE("--svg", "--tap"), 2);
	assert_int_equal(PARSE("--vcpus", "0"), 2);
	assert_int_equal(PARSE("--vcpus", "65"), 2);
	assert_int_equal(PARSE("--vcpus", "4", "--fail-on", "present"), 0);
	assert_int_equal(o.vcpus, 4);
	assert_int_equal(o.fail_on, 1);	/* KD_PRESENT */
	assert_int_equal(PARSE("--fail-on", "absent"), 0);
	assert_int_equal(o.fail_on, 0);	/* KD_ABSENT */
	assert_int_equal(PARSE("--fail-on", "maybe"), 2);
	assert_non_null(strstr(err, "--fail-on"));
	assert_int_equal(PARSE("--inject-shutdowns", "9"), 2);
	assert_non_null(strstr(err, "decimal 0..8"));
	assert_int_equal(PARSE("--inject-shutdowns", "2"), 0);
	assert_int_equal(o.inject_shutdowns, 2);
}

/* ---- the exit checker */

static uint8_t st[64];

static struct kg_mmio mmio(uint32_t index, uint32_t data)
{
	struct kg_mmio m = { .phys_addr = 0x20000000ULL + 8ULL * index,
			     .len = 4, .is_write = 1 };

	memcpy(m.data, &data, 4);
	return m;
}

static void test_classify(void **state)
{
	struct kg_mmio m;

	(void)state;
	memset(st, KG_NONE, sizeof(st));
	st[2] = KG_PROBE;
	st[3] = KG_REGISTERED;
	st[5] = KG_DEASSIGNING;
	m = mmio(2, 2);
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_OK_PROBE);
	m = mmio(3, 3);
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_STALE);
	m = mmio(5, 5);
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_OK_RETIRED);
	/* Never offered to the guest. */
	m = mmio(4, 4);
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_UNEXPECTED);
	assert_non_null(strstr(err, "never written"));
}

static void test_classify_unexpected(void **state)
{
	struct kg_mmio m;

	(void)state;
	memset(st, KG_PROBE, sizeof(st));
	m = mmio(2, 3);				/* data is not the index */
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_UNEXPECTED);
	assert_non_null(strstr(err, "write of 3"));
	m = mmio(2, 2);
	m.is_write = 0;				/* a read */
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_UNEXPECTED);
	m = mmio(2, 2);
	m.len = 8;
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_UNEXPECTED);
	m = mmio(2, 2);
	m.phys_addr += 4;			/* between two index addresses */
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_UNEXPECTED);
	m = mmio(2, 2);
	m.phys_addr = 0x1ffffff8ULL;		/* below the MMIO base */
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_UNEXPECTED);
	m = mmio(64, 64);			/* past the state array */
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_UNEXPECTED);
	m = mmio(63, 63);
	assert_int_equal(kg_classify(&m, st, 64, err, sizeof(err)), KG_OK_PROBE);
}

/* ---- the guest's bytes agree with the layout */

/*
 * The guest's bytes as an independent decoder reads them: binutils'
 * objdump, against the program the design asks for (load the index from
 * the mailbox, store it at KG_MMIO_BASE + index * KG_MMIO_STRIDE, loop).
 * Skipped, loudly, where objdump is missing.
 */
static void test_guest_code(void **state)
{
	static const char *const want[] = {
		"mov eax,DWORD PTR ds:0x4000",
		"mov edx,eax",
		"shl rdx,0x3",
		"add rdx,0x20000000",
		"mov DWORD PTR [rdx],eax",
		"jmp 0x0",
	};
	static uint8_t mem[KG_CODE + 64];
	char path[] = "/tmp/kg-code-XXXXXX", cmd[256], line[256], ins[128];
	size_t n = 0, i, k;
	uint64_t e;
	uint32_t mb;
	FILE *f, *p;
	int fd;

	(void)state;
	kg_setup_memory(mem, 7);
	assert_memory_equal(mem + KG_CODE, kg_code, kg_code_len);
	memcpy(&mb, mem + KG_MAILBOX, 4);
	assert_int_equal(mb, 7);
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(kg_code, 1, kg_code_len, f), kg_code_len);
	assert_int_equal(fclose(f), 0);
	snprintf(cmd, sizeof(cmd),
		 "objdump -D -b binary -m i386:x86-64 -M intel %s 2>/dev/null", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	/* "   0:\t8b 04 25 00 40 00 00 \tmov    eax,DWORD PTR ds:0x4000" */
	while (fgets(line, sizeof(line), p)) {
		char *t = strrchr(line, '\t');

		if (!strchr(line, ':') || !t || line[0] != ' ')
			continue;
		/* squeeze the blanks objdump pads the mnemonic with */
		for (t++, k = 0; *t && *t != '\n' && k < sizeof(ins) - 1; t++)
			if (*t != ' ' || (k && ins[k - 1] != ' '))
				ins[k++] = *t;
		ins[k] = '\0';
		if (n < sizeof(want) / sizeof(want[0]))
			assert_string_equal(ins, want[n]);
		n++;
	}
	i = (size_t)pclose(p);
	unlink(path);
	if (i && !n) {
		fprintf(stderr, "SKIP: no objdump to decode the guest with\n");
		skip();
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	/* Page tables: PML4 -> PDPT -> PD of 2 MiB pages, identity. */
	memcpy(&e, mem + 0x1000, 8);
	assert_int_equal(e, 0x2003);
	memcpy(&e, mem + 0x2000, 8);
	assert_int_equal(e, 0x3003);
	memcpy(&e, mem + 0x3000 + 8 * 256, 8);	/* 512 MiB: the MMIO base */
	assert_int_equal(e, 0x20000083);
	/* The highest index address is still mapped (below 1 GiB). */
	assert_true(kg_addr(KG_MAX_INDEX) < (1ULL << 30));
}

/*
 * The arm64 guest (kvm_guest_code.S's __aarch64__ half), assembled by
 * binutils for aarch64 and decoded by its objdump: the same program (load
 * the index from the mailbox, store its 4 bytes at KG_MMIO_BASE + index *
 * 8 with no writeback, loop) and 16 vectors at KG_A64_VECTORS, each PSCI
 * SYSTEM_OFF by HVC.  Skipped, loudly, without aarch64-linux-gnu-gcc and
 * -objdump (binutils-aarch64-linux-gnu), or outside userspace/.
 */
static void test_guest_code_arm64(void **state)
{
	static const char *const want[] = {
		"0: mov x1, #0x4000",
		"4: ldr w0, [x1]",
		"8: mov x2, #0x20000000",
		"c: add x2, x2, x0, lsl #3",
		"10: str w0, [x2]",
		"14: b 0",
	};
	static const char *const vec[] = {
		"mov w0, #0x8", "movk w0, #0x8400, lsl #16", "hvc #0x0", "b",
	};
	char obj[] = "/tmp/kg-a64-XXXXXX", cmd[512], line[256], ins[128];
	size_t n = 0, nvec = 0, k;
	unsigned long off;
	FILE *p;
	int fd;

	(void)state;
	fd = mkstemp(obj);
	assert_true(fd >= 0);
	close(fd);
	snprintf(cmd, sizeof(cmd),
		 "aarch64-linux-gnu-gcc -c -x assembler-with-cpp -o %s kvm_guest_code.S 2>/dev/null && "
		 "aarch64-linux-gnu-objdump -D -j .rodata %s 2>/dev/null", obj, obj);
	p = popen(cmd, "r");
	assert_non_null(p);
	/* "      14:\t17fffffb \tb\t0 <kg_code>" */
	while (fgets(line, sizeof(line), p)) {
		char *t = strrchr(line, '\t'), *c = strchr(line, ':');

		if (!c || !t || line[0] != ' ' || t == strchr(line, '\t'))
			continue;
		off = strtoul(line, NULL, 16);
		/* the instruction: after the word's tab; squeeze tabs and blanks */
		t = strchr(strchr(line, '\t') + 1, '\t') + 1;
		for (k = 0; *t && *t != '\n' && *t != '<' && *t != '/' &&
		     k < sizeof(ins) - 1; t++)
			if ((*t != ' ' && *t != '\t') || (k && ins[k - 1] != ' '))
				ins[k++] = *t == '\t' ? ' ' : *t;
		while (k && ins[k - 1] == ' ')
			k--;
		ins[k] = '\0';
		if (off < KG_A64_VECTORS) {
			snprintf(line, sizeof(line), "%lx: %s", off, ins);
			if (n < sizeof(want) / sizeof(want[0]))
				assert_string_equal(line, want[n]);
			n++;
		} else if (off >= KG_A64_VECTORS + 16 * 0x80 ||
			   !strcmp(ins, ".word 0x00000000")) {
			continue;	/* kg_code_len, and padding */
		} else {
			/* each vector at a 0x80 boundary: the 4 instructions */
			assert_int_equal(off % 0x80, 4 * (nvec % 4));
			if (nvec % 4 == 3)
				assert_memory_equal(ins, "b ", 2);
			else
				assert_string_equal(ins, vec[nvec % 4]);
			nvec++;
		}
	}
	k = (size_t)pclose(p);
	unlink(obj);
	if (k && !n) {
		fprintf(stderr, "SKIP: no aarch64-linux-gnu-gcc/-objdump (or not in userspace/) to build and decode the arm64 guest with\n");
		skip();
	}
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	assert_int_equal(nvec, 16 * 4);
}

/* ---- samples, histogram buckets, summary JSON, verdict */

static void test_samples(void **state)
{
	struct samples s = { 0 };

	(void)state;
	assert_int_equal(samples_quantile(&s, 0.5), 0);
	samples_add(&s, 40);
	samples_add(&s, 10);
	samples_add(&s, 30);
	samples_add(&s, 20);
	assert_int_equal(samples_quantile(&s, 0.5), 20);	/* lower median */
	assert_int_equal(samples_quantile(&s, 0), 10);
	assert_int_equal(samples_quantile(&s, 1), 40);
	samples_add(&s, 50);
	assert_int_equal(samples_quantile(&s, 0.5), 30);
	samples_free(&s);
}

static struct json *parse(const char *text)
{
	struct json *j = NULL;
	char perr[200];

	if (json_parse(text, strlen(text), &j, perr, sizeof(perr)))
		fail_msg("not JSON: %s\n%s", perr, text);
	return j;
}

/* [lower, upper, count] number @i of @hist. */
static void bucket(const struct json *hist, size_t i, double lo, double hi,
		   double n)
{
	const struct json *b = &hist->item[i];

	assert_int_equal(b->type, JV_ARRAY);
	assert_int_equal(b->n, 3);
	assert_true(b->item[0].number == lo);
	assert_true(b->item[1].number == hi);
	assert_true(b->item[2].number == n);
}

static void test_json(void **state)
{
	static const char *const names[] = { "a_ns", "b_ns" };
	struct samples h[2] = { { 0 }, { 0 } };
	struct kvm_summary s = { 0 };
	const struct json *hist;
	struct json *j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	ks_str(&s, "kernel", "6.1.0-56-amd64");
	ks_num(&s, "stale_observations", 0);
	ks_num(&s, "exits", 12);
	ks_num(&s, "exits", 13);		/* replaces */
	ks_str(&s, "why", "a \"quoted\"\\ line\n");
	samples_add(&h[0], 100);
	samples_add(&h[0], 101);
	samples_add(&h[0], 5000);
	assert_int_equal(kvm_write_json(f, &s, names, h, 2, NULL, NULL, 0), 0);
	fclose(f);
	/* JSON_INDENT(1): a member per line, "KEY": VALUE */
	assert_non_null(strstr(buf, "\"summary\": {\n  \"kernel\": \"6.1.0-56-amd64\",\n  \"stale_observations\": 0,\n  \"exits\": 13,\n  \"why\": \"a \\\"quoted\\\"\\\\ line\\n\"\n },"));
	assert_non_null(strstr(buf, "\n \"diagnosis_pairs\": [],\n"));
	/* Buckets by hand: 100 = (32+18)<<1, 5000 in [39<<7, 40<<7). */
	j = parse(buf);
	hist = json_get(json_get(j, "hist"), "a_ns");
	assert_int_equal(hist->n, 2);
	bucket(hist, 0, 100, 101, 2);
	bucket(hist, 1, 4992, 5119, 1);
	assert_int_equal(json_get(json_get(j, "hist"), "b_ns")->type, JV_ARRAY);
	assert_int_equal(json_get(json_get(j, "hist"), "b_ns")->n, 0);
	json_free(j);
	free(buf);
	samples_free(&h[0]);
}

#define NASTY "q\"uote\\back\x01\x1f\t\n caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"

/* kvm_write_json read back by json_parse: every value as it was. */
static void test_json_round_trip(void **state)
{
	static const char *const names[] = { "x_ns" };
	static const uint64_t with[] = { 19750490, UINT64_MAX, 1ull << 62 };
	static const uint64_t without[] = { 641010, 0, 9007199254740993ull };
	struct samples h[1] = { { 0 } };
	struct kvm_summary s = { 0 };
	struct provenance p;
	char *argv[] = { "iobus-stress", "kvm", "--json", NASTY };
	const struct json *sum, *pairs;
	struct json *j;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	(void)state;
	provenance_collect(&p, 4, argv, 0);
	provenance_set_self(&p);
	ks_str(&s, "diagnosis_line", NASTY);
	ks_num(&s, "exits", 9007199254740993ull);
	ks_num(&s, "top", INT64_MAX);
	ks_num(&s, "over", UINT64_MAX);
	ks_dbl(&s, "ratio", 2.0 / 3.0);
	ks_dbl(&s, "tiny", 1.5e-5);
	ks_dbl(&s, "whole", 3);
	ks_dbl(&s, "nan", NAN);
	ks_str(&s, "empty", "");
	samples_add(&h[0], 1ull << 40);
	assert_int_equal(kvm_write_json(f, &s, names, h, 1, with, without, 3), 0);
	fclose(f);
	provenance_set_self(NULL);
	j = parse(buf);
	assert_int_equal(j->n, 6);
	assert_string_equal(j->key[0], "tool");
	assert_string_equal(json_get(j, "command")->string, "kvm");
	assert_string_equal(j->key[2], "provenance");
	assert_string_equal(j->key[3], "summary");
	assert_string_equal(j->key[4], "diagnosis_pairs");
	assert_string_equal(j->key[5], "hist");
	assert_string_equal(json_get(json_get(j, "provenance"), "command")->string,
			    "iobus-stress kvm --json " NASTY);
	sum = json_get(j, "summary");
	assert_int_equal(sum->n, 9);
	assert_string_equal(sum->key[8], "empty");
	assert_string_equal(json_get(sum, "diagnosis_line")->string, NASTY);
	assert_non_null(strstr(buf, "\"exits\": 9007199254740993,"));
	assert_true(json_get(sum, "exits")->number == 9007199254740993.0);
	assert_non_null(strstr(buf, "\"top\": 9223372036854775807,"));
	assert_string_equal(json_get(sum, "over")->string, "18446744073709551615");
	assert_non_null(strstr(buf, "\"ratio\": 0.6667,"));	/* ks_dbl's %.4g */
	assert_true(json_get(sum, "ratio")->number == 0.6667);
	assert_true(json_get(sum, "tiny")->number == 1.5e-5);
	assert_non_null(strstr(buf, "\"whole\": 3,"));
	assert_int_equal(json_get(sum, "nan")->type, JV_NULL);
	assert_string_equal(json_get(sum, "empty")->string, "");
	pairs = json_get(j, "diagnosis_pairs");
	assert_int_equal(pairs->n, 3);
	assert_true(pairs->item[0].item[0].number == 19750490);
	assert_true(pairs->item[0].item[1].number == 641010);
	assert_string_equal(pairs->item[1].item[0].string, "18446744073709551615");
	assert_true(pairs->item[1].item[1].number == 0);
	assert_true(pairs->item[2].item[0].number == 4611686018427387904.0);
	assert_non_null(strstr(buf, "9007199254740993\n"));
	bucket(json_get(json_get(j, "hist"), "x_ns"), 0, 1ull << 40,
	       (1ull << 40) + (1ull << 35) - 1, 1);
	json_free(j);
	free(buf);
	samples_free(&h[0]);
}

static void test_hist_buckets(void **state)
{
	(void)state;
	assert_int_equal(kg_hist_index(31), 31);
	assert_int_equal(kg_hist_lower(kg_hist_index(31)), 31);
	assert_int_equal(kg_hist_lower(kg_hist_index(100)), 100);
	assert_int_equal(kg_hist_lower(kg_hist_index(101)), 100);
	assert_int_equal(kg_hist_lower(kg_hist_index(102)), 102);
	assert_int_equal(kg_hist_lower(kg_hist_index(5119)), 4992);
	assert_int_equal(kg_hist_lower(kg_hist_index(5120)), 5120);
	/* <= 3.2% bucket width over a wide range. */
	for (uint64_t v = 32; v < (1ULL << 40); v = v * 3 + 1) {
		uint64_t lo = kg_hist_lower(kg_hist_index(v));
		uint64_t hi = kg_hist_lower(kg_hist_index(v) + 1);

		assert_true(lo <= v && v < hi);
		assert_true((hi - lo) * 32 <= lo);
	}
}

static void verdict_sum(struct kvm_summary *s, unsigned long long stale,
			unsigned long long unexpected, unsigned long long probe,
			unsigned long long hits)
{
	memset(s, 0, sizeof(*s));
	ks_num(s, "exits", probe);
	ks_num(s, "stale_observations", stale);
	ks_num(s, "unexpected_exits", unexpected);
	ks_str(s, "unexpected_first", unexpected ? "exit reason 8 (not MMIO)" : "");
	ks_num(s, "probe_exits", probe);
	ks_num(s, "ioeventfd_hits", hits);
}

static void test_verdict(void **state)
{
	struct kvm_summary s;

	(void)state;
	verdict_sum(&s, 0, 0, 10, 10);
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 1);
	verdict_sum(&s, 1, 0, 10, 10);
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "1 stale"));
	verdict_sum(&s, 0, 1, 10, 10);
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "exit reason 8"));
	verdict_sum(&s, 0, 0, 0, 10);
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "not running our code"));
	verdict_sum(&s, 0, 0, 10, 0);
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "ioeventfd hit"));
	memset(&s, 0, sizeof(s));
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 0);
}

/* Shutdowns: within the tolerance a pass, one more a failure naming it. */
static void test_verdict_shutdowns(void **state)
{
	struct kvm_summary s;

	(void)state;
	assert_int_equal(kg_shutdowns_tolerated("TCGTCGTCGTCG"), 1);
	assert_int_equal(kg_shutdowns_tolerated("KVMKVMKVM"), 0);
	assert_int_equal(kg_shutdowns_tolerated(""), 0);
	assert_int_equal(kg_shutdowns_tolerated("TCGTCGTCGTC"), 0);
	verdict_sum(&s, 0, 0, 10, 10);
	ks_num(&s, "guest_shutdowns", 1);
	ks_num(&s, "guest_shutdowns_tolerated", 1);
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 1);
	ks_num(&s, "guest_shutdowns", 2);
	ks_str(&s, "guest_shutdown_first", "exit reason 8 (KVM_EXIT_SHUTDOWN), vCPU 1 of 2");
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "2 guest shutdowns"));
	assert_non_null(strstr(err, "1 tolerated here"));
	assert_non_null(strstr(err, "vCPU 1 of 2"));
	ks_num(&s, "guest_shutdowns", 1);
	ks_num(&s, "guest_shutdowns_tolerated", 0);
	assert_int_equal(kvm_exit_verdict(&s, err, sizeof(err)), 0);
	assert_non_null(strstr(err, "1 guest shutdowns"));
}

static void test_release(void **state)
{
	(void)state;
	assert_int_equal(kg_release_has_call_srcu("6.1.0-56-amd64"), 0);
	assert_int_equal(kg_release_has_call_srcu("6.12.117+deb12-amd64"), 0);
	assert_int_equal(kg_release_has_call_srcu("6.9.0"), 0);
	assert_int_equal(kg_release_has_call_srcu("6.17.9"), 0);
	assert_int_equal(kg_release_has_call_srcu("6.18.0-rc1"), 1);
	assert_int_equal(kg_release_has_call_srcu("7.3.4+deb13-amd64"), 1);
	assert_int_equal(kg_release_has_call_srcu("linux"), -1);
}

static void test_observed_strategy(void **state)
{
	double r;

	(void)state;
	/* Measured: 6.1 20.9/19.0 us, 6.12 21.7/19.1 us, 7.3 2.94/25.1 us. */
	assert_string_equal(kg_observed_strategy(20900, 19000, &r), "sync-expedited");
	assert_string_equal(kg_observed_strategy(21700, 19100, &r), "sync-expedited");
	assert_string_equal(kg_observed_strategy(2940, 25100, &r), "call-srcu");
	assert_true(r > 8 && r < 9);
	/* A slow deassign alone is not deferral: 2.9x stays sync. */
	assert_string_equal(kg_observed_strategy(10000, 29000, &r), "sync-expedited");
	assert_string_equal(kg_observed_strategy(0, 25100, &r), "sync-expedited");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_defaults),
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_classify_unexpected),
		cmocka_unit_test(test_guest_code),
		cmocka_unit_test(test_guest_code_arm64),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_hist_buckets),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_verdict_shutdowns),
		cmocka_unit_test(test_release),
		cmocka_unit_test(test_observed_strategy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
