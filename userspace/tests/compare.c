// SPDX-License-Identifier: GPL-2.0
/*
 * compare: the verdicts (pass, regression, improvement, noisy, no data),
 * medians and spreads computed here by hand from the inputs, missing
 * cells and metrics, kinds, unknown metrics, and the exit codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "exit_codes.h"

static char err[256];
static char said[8192];		/* what the last captured call wrote to stderr */
static int saved_fd = -1;

/* Send stderr to a file until said_end(), which reads it into said[]. */
static void said_begin(void)
{
	FILE *f = fopen("/tmp/iobus-cmp-stderr", "w+");

	assert_non_null(f);
	fflush(stderr);
	saved_fd = dup(2);
	dup2(fileno(f), 2);
	fclose(f);
}

static void said_end(void)
{
	FILE *f;
	size_t n;

	fflush(stderr);
	dup2(saved_fd, 2);
	close(saved_fd);
	f = fopen("/tmp/iobus-cmp-stderr", "r");
	assert_non_null(f);
	n = fread(said, 1, sizeof(said) - 1, f);
	said[n] = '\0';
	fclose(f);
	unlink("/tmp/iobus-cmp-stderr");
}

#define assert_said(text) do { \
		if (!strstr(said, text)) \
			fail_msg("stderr lacks '%s'; it said: %s", text, said); \
	} while (0)

static struct json *parse(const char *s)
{
	struct json *j = NULL;

	if (json_parse(s, strlen(s), &j, err, sizeof(err)))
		fail_msg("test input refused: %s: %s", err, s);
	return j;
}

/* A kvm result: first_memslot_ns (p50 and hist) and exits_per_sec. */
static struct json *kvm(double p50, const char *hist, double eps)
{
	char s[2048];

	snprintf(s, sizeof(s),
		 "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {"
		 "\"kernel\": \"6.1.0\", \"repeat\": 5, \"first_memslot_ns_p50\": %.0f, "
		 "\"exits_per_sec\": %.0f}, \"hist\": {\"first_memslot_ns\": [%s]}}",
		 p50, eps, hist);
	return parse(s);
}

/* Five tight samples around 300 us; five around 6.8 ms; 1 us .. 2 ms. */
#define H_300US "[290000, 299999, 1], [300000, 309999, 3], [310000, 319999, 1]"
#define H_7MS "[6700000, 6799999, 2], [6800000, 6899999, 2], [6900000, 6999999, 1]"
#define H_WIDE "[1000, 1999, 1], [100000, 109999, 1], [300000, 309999, 1], [900000, 999999, 1], [2000000, 2099999, 1]"

static struct cmp_opts opts(const char *metrics)
{
	struct cmp_opts o = { .base = "BASE.json", .new_ = "NEW.json",
			      .max_ratio = 2, .metrics = metrics };

	return o;
}

static const struct cmp_row *row(const struct cmp_result *r, const char *m)
{
	int i;

	for (i = 0; i < r->n; i++)
		if (!strcmp(r->row[i].m->name, m))
			return &r->row[i];
	fail_msg("no row for %s", m);
	return NULL;
}

static int docs(struct json *b, struct json *n, const struct cmp_opts *o,
		struct cmp_result *res)
{
	int ret;

	said_begin();
	ret = cmp_docs(b, n, "BASE.json", "NEW.json", o, res);
	said_end();
	json_free(b);
	json_free(n);
	return ret;
}

static struct cmp_side side(double median, double q25, double q75)
{
	struct cmp_side s = { 1, median, 5, q25 > 0 || q75 > 0, q25, q75 };

	return s;
}

static void test_judge(void **state)
{
	struct cmp_side b = side(100, 90, 110), n;
	double r, sp;

	(void)state;
	n = side(150, 140, 160);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_PASS);
	assert_true(r == 1.5);
	n = side(200, 190, 210);	/* exactly 2x: not beyond */
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_PASS);
	n = side(250, 240, 260);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_REGRESSION);
	assert_true(r == 2.5);
	assert_int_equal(cmp_judge(&b, &n, 0, 3, &r, &sp), CMP_PASS);
	n = side(40, 35, 45);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_IMPROVEMENT);
	/* higher is better: the same numbers the other way round */
	assert_int_equal(cmp_judge(&b, &n, 1, 2, &r, &sp), CMP_REGRESSION);
	n = side(250, 240, 260);
	assert_int_equal(cmp_judge(&b, &n, 1, 2, &r, &sp), CMP_IMPROVEMENT);
	/* noisy: BASE's p75/p25 = 10 > 2 and the ranges overlap */
	b = side(100, 30, 300);
	n = side(250, 200, 320);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_NOISY);
	assert_true(sp == 10);
	assert_int_equal(cmp_judge(&b, &n, 0, 11, &r, &sp), CMP_PASS);
	/* as wide, but apart: the change is larger than the noise */
	b = side(60, 30, 90);
	n = side(650, 600, 700);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_REGRESSION);
	assert_true(sp == 3);
	/* one side without repeats: its median is its range */
	b = side(100, 0, 0);
	n = side(250, 20, 400);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_NOISY);
	b = side(10, 0, 0);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_REGRESSION);
	/* nothing measured on either side */
	b = side(0, 0, 0);
	n = side(0, 0, 0);
	assert_int_equal(cmp_judge(&b, &n, 0, 2, &r, &sp), CMP_NODATA);
}

/* The 6.18 regression: the first memslot update 300 us -> 6.8 ms. */
static void test_kvm_regression(void **state)
{
	struct cmp_opts o = opts("first_memslot_ns,exits_per_sec");
	struct cmp_result res;
	const struct cmp_row *r;

	(void)state;
	assert_int_equal(docs(kvm(306800, H_300US, 9000), kvm(6778050, H_7MS, 8500),
			      &o, &res), EX_OK);
	assert_int_equal(res.kind, CMP_KVM);
	assert_int_equal(res.n, 2);
	r = row(&res, "first_memslot_ns");
	assert_string_equal(r->cell, "kvm");
	assert_int_equal(r->v, CMP_REGRESSION);
	assert_true(r->base.median == 306800);		/* the summary's p50 */
	assert_true(r->new_.median == 6778050);
	/* 5 samples: p25 is the 2nd, p75 the 4th, each its bucket's middle */
	assert_true(r->base.q25 == 304999.5 && r->base.q75 == 304999.5);
	assert_true(r->new_.q25 == 6749999.5 && r->new_.q75 == 6849999.5);
	assert_int_equal(row(&res, "exits_per_sec")->v, CMP_PASS);
	assert_int_equal(res.count[CMP_REGRESSION], 1);
	cmp_result_free(&res);
}

/* A kvm result with a provenance object (HZ, clocksource, CPU count). */
static struct json *kvm_prov(int hz, const char *cs, int cpus)
{
	char s[2048];

	snprintf(s, sizeof(s),
		 "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"provenance\": {"
		 "\"version\": \"0.3.0\", \"kernel\": \"7.3.4\", \"machine\": \"x86_64\", "
		 "\"hz\": %d, \"hz_source\": \"/proc/config.gz\", \"clocksource\": \"%s\", "
		 "\"kvm_backend\": \"kvm_amd\", \"kvm_nested\": false, \"cpu_model\": \"AMD EPYC\", "
		 "\"cpus\": %d, \"virtualized\": false, \"date\": \"2026-12-04T17:00:00Z\", "
		 "\"command\": \"iobus-stress kvm\"}, \"summary\": {"
		 "\"kernel\": \"7.3.4\", \"repeat\": 5, \"first_memslot_ns_p50\": 300000, "
		 "\"exits_per_sec\": 9000}, \"hist\": {\"first_memslot_ns\": [%s]}}",
		 hz, cs, cpus, H_300US);
	return parse(s);
}

/* compare says where each side was measured, warns when that differs in
 * something that matters, and refuses a side timed on jiffies. */
static void test_provenance(void **state)
{
	struct cmp_opts o = opts("first_memslot_ns");
	struct cmp_result res;

	(void)state;
	assert_int_equal(docs(kvm_prov(250, "tsc", 2), kvm_prov(250, "tsc", 2),
			      &o, &res), EX_OK);
	assert_int_equal(res.nwarn, 0);
	assert_non_null(strstr(res.prov[0], "kernel 7.3.4, HZ 250, clocksource tsc, KVM kvm_amd, 2 x AMD EPYC"));
	cmp_result_free(&res);
	assert_int_equal(docs(kvm_prov(250, "tsc", 2), kvm_prov(100, "hpet", 16),
			      &o, &res), EX_OK);
	assert_int_equal(res.nwarn, 3);
	assert_non_null(strstr(res.warn[0], "differ in hz: BASE 250, NEW 100"));
	assert_non_null(strstr(res.warn[1], "clocksource"));
	assert_non_null(strstr(res.warn[2], "cpus: BASE 2, NEW 16"));
	assert_said("warning: the sides differ in hz");
	cmp_result_free(&res);
	/* a file without provenance (older driver): said, not refused */
	assert_int_equal(docs(kvm(306800, H_300US, 9000), kvm_prov(250, "tsc", 2),
			      &o, &res), EX_OK);
	assert_non_null(strstr(res.prov[0], "no provenance"));
	assert_int_equal(res.nwarn, 0);
	cmp_result_free(&res);
	/* on jiffies every latency is fiction: refused */
	assert_int_equal(docs(kvm_prov(250, "tsc", 2), kvm_prov(250, "refined-jiffies", 2),
			      &o, &res), EX_MISMATCH);
	assert_said("NEW");
	assert_said("refined-jiffies clocksource");
	cmp_result_free(&res);
}

static void test_kvm_pass_improvement_noisy(void **state)
{
	struct cmp_opts o = opts("first_memslot_ns,exits_per_sec");
	struct cmp_result res;

	(void)state;
	/* 1.33x slower, 1.07x faster exits: a pass */
	assert_int_equal(docs(kvm(306800, H_300US, 9000), kvm(407890, H_300US, 9600),
			      &o, &res), EX_OK);
	assert_int_equal(row(&res, "first_memslot_ns")->v, CMP_PASS);
	assert_int_equal(row(&res, "exits_per_sec")->v, CMP_PASS);
	cmp_result_free(&res);
	/* 22x faster and 4x more exits per second: improvements */
	assert_int_equal(docs(kvm(6778050, H_7MS, 2000), kvm(306800, H_300US, 8000),
			      &o, &res), EX_OK);
	assert_int_equal(row(&res, "first_memslot_ns")->v, CMP_IMPROVEMENT);
	assert_int_equal(row(&res, "exits_per_sec")->v, CMP_IMPROVEMENT);
	assert_int_equal(res.count[CMP_IMPROVEMENT], 2);
	cmp_result_free(&res);
	/* 4x fewer exits per second: a higher-is-better regression */
	assert_int_equal(docs(kvm(306800, H_300US, 8000), kvm(306800, H_300US, 2000),
			      &o, &res), EX_OK);
	assert_int_equal(row(&res, "exits_per_sec")->v, CMP_REGRESSION);
	cmp_result_free(&res);
	/* 2.3x, but NEW's p25..p75 (105 us .. 950 us) spans 9x and holds BASE */
	assert_int_equal(docs(kvm(306800, H_300US, 9000), kvm(700000, H_WIDE, 9000),
			      &o, &res), EX_OK);
	assert_int_equal(row(&res, "first_memslot_ns")->v, CMP_NOISY);
	assert_true(row(&res, "first_memslot_ns")->spread > 9);
	cmp_result_free(&res);
}

/* A boot result: per strategy five runs of register_ns_p50, boot_vcpu1_ns. */
static struct json *boot(const char *strategies)
{
	static const double vcpu1[2][5] = {
		{ 30000, 10000, 20000, 50000, 40000 },	/* median 30 us */
		{ 7000000, 6000000, 9000000, 8000000, 6500000 },
	};
	static const double reg[2][5] = {
		{ 33000, 27000, 38000, 30000, 36000 },
		{ 2100, 2200, 2000, 3100, 2150 },
	};
	char s[8192], *p = s;
	const char *names[2] = { "sync-expedited", "call-srcu" };
	int i, k, first = 1;

	p += sprintf(p, "{\"tool\": \"iobus-stress\", \"runs\": [");
	for (k = 0; k < 2; k++) {
		if (!strstr(strategies, names[k]))
			continue;
		for (i = 0; i < 5; i++) {
			p += sprintf(p, "%s{\"name\": \"%s\", \"pass\": true, \"stats\": {\"workload\": \"boot\", "
				     "\"reclaim\": \"%s\", \"register_ns_p50\": %.0f, \"boot_vcpu1_ns\": %.0f}}",
				     first ? "" : ", ", names[k], names[k], reg[k][i],
				     vcpu1[k][i]);
			first = 0;
		}
	}
	sprintf(p, "]}");
	return parse(s);
}

/* The model's sync-expedited boot against its call-srcu boot, one file. */
static void test_boot_cells(void **state)
{
	struct cmp_opts o = opts("register_ns_p50,boot_vcpu1_ns");
	struct cmp_result res;
	const struct cmp_row *r;

	(void)state;
	o.base_cell = "sync-expedited";
	o.new_cell = "call-srcu";
	assert_int_equal(docs(boot("sync-expedited call-srcu"),
			      boot("sync-expedited call-srcu"), &o, &res), EX_OK);
	assert_int_equal(res.kind, CMP_BOOT);
	assert_int_equal(res.n, 2);
	r = row(&res, "boot_vcpu1_ns");
	assert_string_equal(r->cell, "sync-expedited vs call-srcu");
	assert_int_equal(r->v, CMP_REGRESSION);
	/* sorted 10 20 30 40 50 us: median 30, p25 20, p75 40 */
	assert_true(r->base.median == 30000);
	assert_true(r->base.q25 == 20000 && r->base.q75 == 40000);
	assert_int_equal(r->base.n, 5);
	assert_true(r->new_.median == 7000000);
	r = row(&res, "register_ns_p50");
	assert_int_equal(r->v, CMP_IMPROVEMENT);
	assert_true(r->base.median == 33000 && r->new_.median == 2150);
	cmp_result_free(&res);
	/* the same cells by name in two files: no change */
	o.base_cell = o.new_cell = NULL;
	assert_int_equal(docs(boot("sync-expedited call-srcu"),
			      boot("sync-expedited call-srcu"), &o, &res), EX_OK);
	assert_int_equal(res.n, 4);
	assert_int_equal(res.count[CMP_PASS], 4);
	assert_string_equal(res.row[0].cell, "sync-expedited");
	cmp_result_free(&res);
}

/* An interrupted run (partial numbers) is left out, with a note. */
static void test_interrupted(void **state)
{
	struct cmp_opts o = opts("boot_vcpu1_ns");
	struct cmp_result res;
	const char *runs =
		"{\"tool\": \"iobus-stress\", \"runs\": ["
		"{\"name\": \"sync\", \"outcome\": \"pass\", \"stats\": {\"workload\": \"boot\", \"boot_vcpu1_ns\": 100}},"
		"{\"name\": \"sync\", \"outcome\": \"interrupted\", \"stats\": {\"workload\": \"boot\", \"boot_vcpu1_ns\": 1}},"
		"{\"name\": \"poll\", \"outcome\": \"interrupted\", \"stats\": {\"workload\": \"boot\", \"boot_vcpu1_ns\": 1}}]}";
	const char *one =
		"{\"tool\": \"iobus-stress\", \"runs\": ["
		"{\"name\": \"sync\", \"outcome\": \"pass\", \"stats\": {\"workload\": \"boot\", \"boot_vcpu1_ns\": 300}}]}";

	(void)state;
	assert_int_equal(docs(parse(one), parse(runs), &o, &res), EX_OK);
	assert_said("compare: note: NEW NEW.json: 2 interrupted runs left out\n");
	assert_int_equal(res.n, 1);		/* poll: only interrupted */
	assert_true(res.row[0].new_.median == 100);
	assert_int_equal(res.row[0].new_.n, 1);
	assert_int_equal(res.row[0].v, CMP_IMPROVEMENT);
	cmp_result_free(&res);
	/* every run interrupted: nothing to compare is not a pass */
	o.base_cell = "poll";
	o.new_cell = "poll";
	assert_int_equal(docs(parse(runs), parse(runs), &o, &res), EX_MISMATCH);
	assert_said("compare: missing cell: 'poll' is not in BASE BASE.json\n");
	o.base_cell = o.new_cell = NULL;
	o.metrics = NULL;
	assert_int_equal(docs(parse("{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"a\", \"stats\": {\"workload\": \"boot\"}}]}"),
			      parse("{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"a\", \"stats\": {\"workload\": \"boot\"}}]}"),
			      &o, &res), EX_MISMATCH);
	assert_said("compare: nothing to compare: no metric of any cell in both BASE.json and NEW.json\n");
}

static void test_missing_cell(void **state)
{
	struct cmp_opts o = opts(NULL);
	struct cmp_result res;

	(void)state;
	assert_int_equal(docs(boot("sync-expedited call-srcu"), boot("sync-expedited"),
			      &o, &res), EX_MISMATCH);
	assert_said("compare: missing cell: 'call-srcu' is in BASE BASE.json but not in NEW NEW.json\n");
	assert_int_equal(docs(boot("sync-expedited"), boot("sync-expedited call-srcu"),
			      &o, &res), EX_MISMATCH);
	assert_said("compare: missing cell: 'call-srcu' is in NEW NEW.json but not in BASE BASE.json\n");
	o.base_cell = "sync-expedited";
	o.new_cell = "call-srcu";
	assert_int_equal(docs(boot("sync-expedited call-srcu"), boot("sync-expedited"),
			      &o, &res), EX_MISMATCH);
	assert_said("compare: missing cell: 'call-srcu' is not in NEW NEW.json\n");
	o.new_cell = NULL;
	assert_int_equal(docs(boot("sync-expedited"), boot("sync-expedited"),
			      &o, &res), EX_USAGE);
	assert_said("--base-cell and --new-cell go together");
}

static void test_missing_metric(void **state)
{
	struct cmp_opts o = opts("first_memslot_ns");
	struct cmp_result res;

	(void)state;
	assert_int_equal(docs(kvm(306800, H_300US, 9000),
			      parse("{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {}, \"hist\": {}}"),
			      &o, &res), EX_MISMATCH);
	assert_said("compare: missing metric: kvm first_memslot_ns is not in NEW NEW.json\n");
	/* samples on one side only */
	assert_int_equal(docs(kvm(306800, H_300US, 9000), kvm(0, "", 9000), &o, &res),
			 EX_MISMATCH);
	assert_said("compare: missing metric: kvm first_memslot_ns has no samples (0) in NEW NEW.json\n");
	/* on neither: no data, shown, not judged */
	assert_int_equal(docs(kvm(0, "", 9000), kvm(0, "", 9000), &o, &res), EX_OK);
	assert_int_equal(res.row[0].v, CMP_NODATA);
	cmp_result_free(&res);
	/* not asked for and in neither file: a note, the rest compared */
	o.metrics = NULL;
	assert_int_equal(docs(kvm(306800, H_300US, 9000), kvm(306800, H_300US, 9000),
			      &o, &res), EX_OK);
	assert_int_equal(res.n, 2);
	assert_said("compare: note: kvm vcpu_create_ns is in neither file: not compared\n");
	cmp_result_free(&res);
}

static void test_kinds(void **state)
{
	struct cmp_opts o = opts(NULL);
	struct cmp_result res;
	struct json *j;

	(void)state;
	assert_int_equal(docs(kvm(1, H_300US, 1), boot("call-srcu"), &o, &res),
			 EX_MISMATCH);
	assert_said("compare: different kinds: BASE BASE.json holds kvm results, NEW NEW.json holds boot results\n");
	assert_int_equal(docs(boot("call-srcu"),
			      parse("{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"call-srcu/exit\", \"stats\": {\"workload\": \"steady\"}}]}"),
			      &o, &res), EX_MISMATCH);
	assert_said("holds boot results, NEW NEW.json holds run/matrix results\n");
	j = parse("{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"sync/exit\", \"stats\": {}}]}");
	assert_int_equal(cmp_kind_of(j, err, sizeof(err)), CMP_CELLS);
	json_free(j);
#define NOT_RESULT(text, why) do { \
		j = parse(text); \
		assert_int_equal(cmp_kind_of(j, err, sizeof(err)), -1); \
		if (!strstr(err, why)) \
			fail_msg("'%s' for %s", err, text); \
		json_free(j); \
	} while (0)
	NOT_RESULT("[1]", "the top level is an array");
	NOT_RESULT("{\"runs\": []}", "no \"tool\"");
	NOT_RESULT("{\"tool\": \"other\", \"runs\": []}", "no \"tool\"");
	NOT_RESULT("{\"tool\": \"iobus-stress\"}", "neither \"command\" nor \"runs\"");
	NOT_RESULT("{\"tool\": \"iobus-stress\", \"command\": 3}", "\"command\" is a number");
	NOT_RESULT("{\"tool\": \"iobus-stress\", \"command\": \"compare\"}", "not a result compare reads");
	NOT_RESULT("{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": []}", "without a \"summary\"");
	NOT_RESULT("{\"tool\": \"iobus-stress\", \"runs\": {}}", "\"runs\" is an object");
	NOT_RESULT("{\"tool\": \"iobus-stress\", \"runs\": []}", "empty");
	NOT_RESULT("{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": 1, \"stats\": {}}]}", "runs[0]");
	NOT_RESULT("{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"a\", \"stats\": {\"workload\": \"boot\"}}, {\"name\": \"b\", \"stats\": {}}]}",
		   "1 of 2 runs have workload=boot");
}

static void test_wrong_types(void **state)
{
	struct cmp_opts o = opts("first_memslot_ns");
	struct cmp_result res;

	(void)state;
	assert_int_equal(docs(kvm(1, H_300US, 1),
			      parse("{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {\"first_memslot_ns_p50\": \"300\"}, \"hist\": {}}"),
			      &o, &res), EX_BADJSON);
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, "[1, 2, 3], [4, 5]", 1), &o, &res),
			 EX_BADJSON);
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, "[5, 4, 3]", 1), &o, &res),
			 EX_BADJSON);	/* lower above upper */
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, "[4, 5, 0.5]", 1), &o, &res),
			 EX_BADJSON);	/* half a sample */
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(-5, H_300US, 1), &o, &res),
			 EX_BADJSON);
	assert_said("compare: NEW NEW.json: summary.first_memslot_ns_p50 is negative (-5)\n");
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, "[4, 5, 1e10]", 1), &o, &res),
			 EX_BADJSON);
	assert_said("hist.first_memslot_ns holds 10000000000 samples (at most 1e9)\n");
	o.metrics = "boot_vcpu1_ns";
	assert_int_equal(docs(boot("call-srcu"),
			      parse("{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"call-srcu\", \"stats\": {\"workload\": \"boot\", \"boot_vcpu1_ns\": true}}]}"),
			      &o, &res), EX_BADJSON);
}

static void test_metrics_flag(void **state)
{
	struct cmp_opts o = opts("first_memslot_ns,bogus");
	struct cmp_result res;

	(void)state;
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, H_300US, 1), &o, &res), EX_USAGE);
	assert_said("compare: unknown metric 'bogus' for kvm results (known: first_memslot_ns, ");
	o.metrics = "register_ns_p50";		/* a boot metric, not kvm's */
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, H_300US, 1), &o, &res), EX_USAGE);
	o.metrics = "first_memslot_ns,,exits_per_sec";
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, H_300US, 1), &o, &res), EX_USAGE);
	o.metrics = "first_memslot_ns,";
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, H_300US, 1), &o, &res), EX_USAGE);
	o.metrics = "exits_per_sec,exits_per_sec";
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, H_300US, 1), &o, &res), EX_USAGE);
	o.metrics = "exits_per_sec";
	assert_int_equal(docs(kvm(1, H_300US, 1), kvm(1, H_300US, 1), &o, &res), EX_OK);
	assert_int_equal(res.n, 1);
	cmp_result_free(&res);
}

static char *capture(void (*fn)(FILE *, const struct cmp_result *,
				const struct cmp_opts *),
		     const struct cmp_result *res, const struct cmp_opts *o)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	fn(f, res, o);
	fclose(f);
	return out;
}

/* cmp_write_json's text (it must succeed). */
static char *capture_json(const struct cmp_result *res, const struct cmp_opts *o)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	assert_int_equal(cmp_write_json(f, res, o), 0);
	fclose(f);
	return out;
}

/* @v as printed with "%.*g" and read back. */
static double g(double v, int digits)
{
	char b[40];

	snprintf(b, sizeof(b), "%.*g", digits, v);
	return strtod(b, NULL);
}

#define NASTY "q\"uote\\back\x01\x1f\t\n caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x98\x80"

static void test_outputs(void **state)
{
	struct cmp_opts o = opts("first_memslot_ns,exits_per_sec");
	struct cmp_result res;
	const struct json *c, *rw;
	struct json *j;
	char *s;

	(void)state;
	assert_int_equal(docs(kvm(306800, H_300US, 9000), kvm(700000, H_WIDE, 1000),
			      &o, &res), EX_OK);
	s = capture(cmp_write_tap, &res, &o);
	assert_memory_equal(s, "KTAP version 1\n", 15);
	assert_non_null(strstr(s, "\n1..2\n"));
	assert_non_null(strstr(s, "\nok 1 kvm first_memslot_ns # SKIP noisy\n"));
	assert_non_null(strstr(s, "\nnot ok 2 kvm exits_per_sec\n"));
	assert_non_null(strstr(s, "# Totals: pass:0 fail:1 xfail:0 xpass:0 skip:1 error:0\n"));
	free(s);
	s = capture(cmp_write_table, &res, &o);
	assert_non_null(strstr(s, "kernel 6.1.0, 5 VMs"));
	assert_non_null(strstr(s, "307us"));
	assert_non_null(strstr(s, "0.111x"));
	assert_non_null(strstr(s, "regression 1, improvement 0, noisy 1, pass 0"));
	free(s);
	/* the JSON reads back with our own reader */
	o.base = NASTY;
	snprintf(res.warn[0], sizeof(res.warn[0]), "%s", NASTY);
	res.nwarn = 1;
	s = capture_json(&res, &o);
	j = parse(s);
	assert_string_equal(j->key[0], "tool");
	assert_string_equal(j->key[1], "compare");
	c = json_get(j, "compare");
	assert_int_equal(c->n, 12);
	assert_string_equal(c->key[0], "kind");
	assert_string_equal(json_get(c, "kind")->string, "kvm");
	assert_string_equal(json_get(c, "base")->string, NASTY);
	assert_string_equal(json_get(c, "new")->string, "NEW.json");
	assert_string_equal(json_get(c, "mode")->string, "ratio of medians");
	assert_true(json_get(c, "max_ratio")->number == 2);
	assert_string_equal(json_get(c, "base_measured_on")->string, res.prov[0]);
	assert_int_equal(json_get(c, "warnings")->n, 1);
	assert_string_equal(json_get(c, "warnings")->item[0].string, NASTY);
	assert_string_equal(c->key[11], "pass");
	rw = &json_get(c, "rows")->item[0];
	assert_int_equal(rw->n, 9);
	assert_string_equal(rw->key[8], "verdict");
	assert_string_equal(json_get(rw, "cell")->string, res.row[0].cell);
	assert_string_equal(json_get(rw, "metric")->string, res.row[0].m->name);
	assert_true(json_get(rw, "base")->number == g(res.row[0].base.median, 10));
	assert_true(json_get(rw, "ratio")->number == g(res.row[0].ratio, 10));
	assert_true(json_get(rw, "base_spread")->number ==
		    g(res.row[0].base.q75 / res.row[0].base.q25, 10));
	assert_int_equal(json_get(json_get(c, "totals"), "regression")->number, 1);
	assert_int_equal(json_get(json_get(c, "totals"), "noisy")->number, 1);
	assert_int_equal(json_get(c, "rows")->n, 2);
	assert_string_equal(json_get(&json_get(json_get(j, "compare"), "rows")->item[1],
				     "verdict")->string, "regression");
	assert_true(json_get(&json_get(json_get(j, "compare"), "rows")->item[0],
			     "new")->number == 700000);
	assert_int_equal(json_get(&json_get(json_get(j, "compare"), "rows")->item[1],
				  "base_spread")->type, JV_NULL);
	assert_int_equal(json_get(json_get(j, "compare"), "pass")->boolean, 0);
	json_free(j);
	free(s);
	cmp_result_free(&res);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int run(const char *a1, const char *a2, const char *a3, const char *a4,
	       const char *a5)
{
	char *argv[] = { "compare", (char *)a1, (char *)a2, (char *)a3,
			 (char *)a4, (char *)a5, NULL };
	int argc = 1;

	while (argv[argc])
		argc++;
	return cmd_compare(argc, argv);
}

/* Exit codes of the command, files on disk. */
static void test_cli(void **state)
{
	const char *k61 = "/tmp/iobus-cmp-61.json", *k73 = "/tmp/iobus-cmp-73.json";
	const char *bt = "/tmp/iobus-cmp-boot.json", *bad = "/tmp/iobus-cmp-bad.json";
	const char *out = "/tmp/iobus-cmp-out.json";
	struct json *j = NULL;
	char s[2048];

	(void)state;
	snprintf(s, sizeof(s),
		 "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {"
		 "\"first_memslot_ns_p50\": %d, \"exits_per_sec\": 9000}, \"hist\": {"
		 "\"first_memslot_ns\": [%s]}}\n", 306800, H_300US);
	write_file(k61, s);
	snprintf(s, sizeof(s),
		 "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {"
		 "\"first_memslot_ns_p50\": %d, \"exits_per_sec\": 9000}, \"hist\": {"
		 "\"first_memslot_ns\": [%s]}}\n", 6778050, H_7MS);
	write_file(k73, s);
	write_file(bt, "{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"call-srcu\", \"stats\": {\"workload\": \"boot\", \"boot_vcpu1_ns\": 5}}]}");
	write_file(bad, "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summ");
	said_begin();
	assert_int_equal(run(k61, k73, NULL, NULL, NULL), EX_FAIL);
	said_end();
	assert_said("iobus-stress: compare: 1 regression beyond 2x: kvm first_memslot_ns 22.1x\n");
	said_begin();
	assert_int_equal(run(k61, bad, NULL, NULL, NULL), EX_BADJSON);
	said_end();
	assert_said("iobus-stress: compare: NEW /tmp/iobus-cmp-bad.json: 1:48: premature end of input near '\"summ'\n");
	assert_int_equal(run("--metrics", "exits_per_sec", k61, k73, NULL), EX_OK);
	assert_int_equal(run("--max-ratio", "25", k61, k73, NULL), EX_OK);
	assert_int_equal(run("--max-ratio=22", k61, k73, NULL, NULL), EX_FAIL);
	assert_int_equal(run(k61, k61, NULL, NULL, NULL), EX_OK);
	assert_int_equal(run(k61, bt, NULL, NULL, NULL), EX_MISMATCH);
	assert_int_equal(run(k61, bad, NULL, NULL, NULL), EX_BADJSON);
	assert_int_equal(run(bad, k61, NULL, NULL, NULL), EX_BADJSON);
	assert_int_equal(run("/nonexistent/x.json", k61, NULL, NULL, NULL), EX_IO);
	assert_int_equal(run("--metrics", "nope", k61, k73, NULL), EX_USAGE);
	assert_int_equal(run("--max-ratio", "1", k61, k73, NULL), EX_USAGE);
	assert_int_equal(run("--max-ratio", "0x2", k61, k73, NULL), EX_USAGE);
	assert_int_equal(run("--max-ratio", "nan", k61, k73, NULL), EX_USAGE);
	assert_int_equal(run("--max-ratio", "2.", k61, k73, NULL), EX_USAGE);
	assert_int_equal(run("--base-cell", "kvm", k61, k73, NULL), EX_USAGE);
	assert_int_equal(run("--bogus", k61, k73, NULL, NULL), EX_USAGE);
	assert_int_equal(run(k61, NULL, NULL, NULL, NULL), EX_USAGE);
	assert_int_equal(run(k61, k73, k73, NULL, NULL), EX_USAGE);
	assert_int_equal(run("--tap", "--json", "-", k61, k73), EX_USAGE);
	assert_int_equal(run("--json", "/nonexistent/out.json", k61, k61, NULL), EX_IO);
	assert_int_equal(run("--json", "/dev/full", k61, k61, NULL), EX_IO);
	/* a regression is still written out, and still exit 1 */
	assert_int_equal(run("--json", out, k61, k73, NULL), EX_FAIL);
	assert_int_equal(json_load(out, &j, err, sizeof(err)), EX_OK);
	assert_string_equal(json_get(json_get(j, "compare"), "kind")->string, "kvm");
	json_free(j);
	unlink(k61);
	unlink(k73);
	unlink(bt);
	unlink(bad);
	unlink(out);
}

/* ---- the statistical mode (--base F --base F ... --new F --new F ...) ---- */

static const char *const bnames[] = { "b1.json", "b2.json", "b3.json", "b4.json",
				      "b5.json", "b6.json", "b7.json", "b8.json" };
static const char *const nnames[] = { "n1.json", "n2.json", "n3.json", "n4.json",
				      "n5.json", "n6.json", "n7.json", "n8.json" };

static struct cmp_opts sopts(const char *metrics, int nb, int nn)
{
	struct cmp_opts o = opts(metrics);

	o.bases = bnames;
	o.news = nnames;
	o.nbases = nb;
	o.nnews = nn;
	o.base = bnames[0];
	o.new_ = nnames[0];
	o.alpha = CMP_ALPHA;
	o.min_effect = CMP_MIN_EFFECT;
	o.seed = 20261204;
	return o;
}

/* A kvm result with provenance (kernel @k) and first_memslot_ns_p50 @p50. */
static struct json *kvm_k(double p50, const char *k)
{
	char s[2048];

	snprintf(s, sizeof(s),
		 "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"provenance\": {"
		 "\"version\": \"0.3.0\", \"kernel\": \"%s\", \"machine\": \"x86_64\", "
		 "\"hz\": 250, \"clocksource\": \"hpet\", \"kvm_backend\": \"kvm_amd\", "
		 "\"cpu_model\": \"QEMU TCG\", \"cpus\": 2, \"virtualized\": true}, \"summary\": {"
		 "\"kernel\": \"%s\", \"repeat\": 15, \"first_memslot_ns_p50\": %.0f, "
		 "\"exits_per_sec\": 1600}, \"hist\": {\"first_memslot_ns\": [%s]}}",
		 k, k, p50, H_300US);
	return parse(s);
}

/* cmp_files over nb + nn parsed docs, stderr captured; the docs freed. */
static int sdocs(struct json **d, int nb, int nn, const struct cmp_opts *o,
		 struct cmp_result *res)
{
	int ret, i;

	said_begin();
	ret = cmp_files((const struct json *const *)d, nb, bnames,
			(const struct json *const *)d + nb, nn, nnames, o, res);
	said_end();
	for (i = 0; i < nb + nn; i++)
		json_free(d[i]);
	return ret;
}

/* 8 files ~0.3 ms (BASE, 6.1) against 8 files ~7 ms (NEW, 7.3): the 6.18
 * regression as several runs on each kernel would show it. */
static const double base8[] = { 306800, 295000, 312000, 301000, 298500, 309900, 303300, 297700 };
static const double new8[] = { 6778050, 7012000, 6650000, 7230000, 6890000, 7105000, 6930000, 6810000 };

static void test_judge_stats(void **state)
{
	(void)state;
	assert_int_equal(cmp_judge_stats(0.001, 1.5, 0, 0.01, 0.05, 0), CMP_REGRESSION);
	assert_int_equal(cmp_judge_stats(0.001, 1.05, 0, 0.01, 0.05, 0), CMP_REGRESSION);
	assert_int_equal(cmp_judge_stats(0.001, 1.02, 0, 0.01, 0.05, 0), CMP_PASS);
	assert_int_equal(cmp_judge_stats(0.02, 3, 0, 0.01, 0.05, 0), CMP_PASS);
	assert_int_equal(cmp_judge_stats(0.001, 0.5, 0, 0.01, 0.05, 0), CMP_IMPROVEMENT);
	assert_int_equal(cmp_judge_stats(0.001, 0.97, 0, 0.01, 0.05, 0), CMP_PASS);
	/* higher is better: fewer exits per second is the regression */
	assert_int_equal(cmp_judge_stats(0.001, 0.5, 1, 0.01, 0.05, 0), CMP_REGRESSION);
	assert_int_equal(cmp_judge_stats(0.001, 1.5, 1, 0.01, 0.05, 0), CMP_IMPROVEMENT);
	assert_int_equal(cmp_judge_stats(0.001, 0.97, 1, 0.01, 0.05, 0), CMP_PASS);
	assert_int_equal(cmp_judge_stats(0.001, 9, 0, 0.01, 0.05, 1), CMP_UNDERPOWERED);
}

static void test_stats_regression(void **state)
{
	struct cmp_opts o = sopts("first_memslot_ns,exits_per_sec", 8, 8);
	struct cmp_result res;
	struct json *d[16], *j;
	const struct json *c, *rw;
	const struct cmp_row *r;
	char *s;
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		d[i] = kvm_k(base8[i], "6.1.0-57-amd64");
		d[8 + i] = kvm_k(new8[i], "7.3.4+deb13-amd64");
	}
	assert_int_equal(sdocs(d, 8, 8, &o, &res), EX_OK);
	assert_int_equal(res.stats, 1);
	assert_int_equal(res.underpowered, 0);
	assert_true(res.floor_p < 0.01);
	r = row(&res, "first_memslot_ns");
	assert_int_equal(r->v, CMP_REGRESSION);
	assert_int_equal(r->n_base, 8);
	assert_int_equal(r->n_new, 8);
	/* medians of 8: the mean of the 4th and 5th */
	assert_true(r->base.median == (301000 + 303300) / 2.0);
	assert_true(r->new_.median == (6890000 + 6930000) / 2.0);
	assert_true(r->p < 0.01);
	assert_true(r->ci_low <= r->ratio && r->ratio <= r->ci_high);
	assert_true(r->ci_low > 20 && r->ci_high < 25);
	/* identical on every file: p = 1, a pass */
	r = row(&res, "exits_per_sec");
	assert_true(r->p == 1);
	assert_int_equal(r->v, CMP_PASS);
	/* the sides differ in kernel, as meant: no warning for that */
	assert_int_equal(res.nwarn, 0);
	s = capture(cmp_write_table, &res, &o);
	assert_non_null(strstr(s, "BASE (8 files) b1.json, b2.json"));
	assert_non_null(strstr(s, "95% CI"));
	assert_non_null(strstr(s, "seed 20261204"));
	assert_non_null(strstr(s, "regression 1, improvement 0, pass 1, underpowered 0"));
	free(s);
	s = capture(cmp_write_tap, &res, &o);
	assert_non_null(strstr(s, "\nnot ok 1 kvm first_memslot_ns\n"));
	assert_non_null(strstr(s, "\nok 2 kvm exits_per_sec\n"));
	free(s);
	/* the JSON read back: every value as the old writer's %g/%.6g/%.10g */
	s = capture_json(&res, &o);
	j = parse(s);
	c = json_get(j, "compare");
	assert_int_equal(c->n, 21);
	assert_string_equal(c->key[3], "mode");
	assert_string_equal(json_get(c, "mode")->string, "statistical");
	assert_int_equal(json_get(c, "base_files")->n, 8);
	assert_string_equal(json_get(c, "base_files")->item[1].string, "b2.json");
	assert_int_equal(json_get(c, "new_files")->n, 8);
	assert_true(json_get(c, "alpha")->number == g(CMP_ALPHA, 6));
	assert_true(json_get(c, "min_effect")->number == g(CMP_MIN_EFFECT, 6));
	assert_true(json_get(c, "seed")->number == 20261204);
	assert_true(json_get(c, "smallest_p")->number == g(res.floor_p, 6));
	assert_int_equal(json_get(c, "underpowered")->type, JV_BOOL);
	assert_int_equal(json_get(c, "warnings")->n, 0);
	rw = &json_get(c, "rows")->item[0];
	assert_int_equal(rw->n, 17);
	assert_string_equal(rw->key[8], "n_base");
	assert_string_equal(rw->key[16], "verdict");
	assert_true(json_get(rw, "n_base")->number == 8);
	assert_true(json_get(rw, "base")->number == (301000 + 303300) / 2.0);
	assert_true(json_get(rw, "p")->number == g(res.row[0].p, 10));
	assert_true(json_get(rw, "ci_low")->number == g(res.row[0].ci_low, 10));
	assert_true(json_get(rw, "ci_high")->number == g(res.row[0].ci_high, 10));
	assert_string_equal(json_get(rw, "test")->string, "permutation of medians");
	assert_string_equal(json_get(rw, "verdict")->string, "regression");
	assert_int_equal(json_get(c, "pass")->boolean, 0);
	json_free(j);
	free(s);
	/* a seed over INT64_MAX: its digits, never a rounded number */
	o.seed = UINT64_MAX;
	s = capture_json(&res, &o);
	j = parse(s);
	assert_string_equal(json_get(json_get(j, "compare"), "seed")->string,
			    "18446744073709551615");
	json_free(j);
	free(s);
	cmp_result_free(&res);
}

/* 2% slower on every file, 8 vs 8 fully apart: significant, but below the
 * minimum effect: a pass; with --min-effect 0.01 a regression. */
static void test_stats_min_effect(void **state)
{
	struct cmp_opts o = sopts("first_memslot_ns", 8, 8);
	struct cmp_result res;
	struct json *d[16];
	int i;

	(void)state;
	for (i = 0; i < 8; i++) {
		d[i] = kvm_k(300000 + 100 * i, "7.3");
		d[8 + i] = kvm_k((300000 + 100 * i) * 1.02, "7.3");
	}
	assert_int_equal(sdocs(d, 8, 8, &o, &res), EX_OK);
	assert_true(res.row[0].p < 0.01);
	assert_true(res.row[0].ratio > 1.019 && res.row[0].ratio < 1.021);
	assert_int_equal(res.row[0].v, CMP_PASS);
	cmp_result_free(&res);
	o.min_effect = 0.01;
	for (i = 0; i < 8; i++) {
		d[i] = kvm_k(300000 + 100 * i, "7.3");
		d[8 + i] = kvm_k((300000 + 100 * i) * 1.02, "7.3");
	}
	assert_int_equal(sdocs(d, 8, 8, &o, &res), EX_OK);
	assert_int_equal(res.row[0].v, CMP_REGRESSION);
	cmp_result_free(&res);
}

/* 3 vs 3: even 20x apart, p cannot go below 0.2: said, never a pass. */
static void test_stats_underpowered(void **state)
{
	struct cmp_opts o = sopts("first_memslot_ns", 3, 3);
	struct cmp_result res;
	struct json *d[6];
	char *s;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		d[i] = kvm_k(base8[i], "6.1");
		d[3 + i] = kvm_k(new8[i], "7.3");
	}
	assert_int_equal(sdocs(d, 3, 3, &o, &res), EX_OK);
	assert_int_equal(res.underpowered, 1);
	assert_true(fabs(res.floor_p - 0.2) < 1e-9);
	assert_int_equal(res.enough, 8);
	assert_int_equal(res.row[0].v, CMP_UNDERPOWERED);
	assert_int_equal(res.count[CMP_PASS], 0);
	assert_said("compare: UNDERPOWERED: 3 BASE vs 3 NEW files: the smallest p a permutation test of medians can give is 0.2");
	assert_said("8 vs 8 files or more can");
	s = capture(cmp_write_tap, &res, &o);
	assert_non_null(strstr(s, "\nok 1 kvm first_memslot_ns # SKIP underpowered\n"));
	assert_non_null(strstr(s, "# UNDERPOWERED: "));
	free(s);
	s = capture(cmp_write_table, &res, &o);
	assert_non_null(strstr(s, "\nUNDERPOWERED: 3 BASE vs 3 NEW files"));
	free(s);
	cmp_result_free(&res);
	/* a looser alpha: 3 vs 3 still cannot reach 0.1 */
	o.alpha = 0.1;
	for (i = 0; i < 3; i++) {
		d[i] = kvm_k(base8[i], "6.1");
		d[3 + i] = kvm_k(new8[i], "7.3");
	}
	assert_int_equal(sdocs(d, 3, 3, &o, &res), EX_OK);
	assert_int_equal(res.row[0].v, CMP_UNDERPOWERED);
	cmp_result_free(&res);
}

/* Within a side: another kind refused, another kernel a warning, a file
 * without the metric a missing metric naming that file. */
static void test_stats_sides(void **state)
{
	struct cmp_opts o = sopts("first_memslot_ns", 2, 2);
	struct cmp_result res;
	struct json *d[4];

	(void)state;
	d[0] = kvm_k(300000, "6.1.0-57-amd64");
	d[1] = boot("call-srcu");
	d[2] = kvm_k(7e6, "7.3");
	d[3] = kvm_k(7e6, "7.3");
	assert_int_equal(sdocs(d, 2, 2, &o, &res), EX_MISMATCH);
	assert_said("compare: different kinds: BASE b1.json holds kvm results, BASE b2.json holds boot results\n");
	d[0] = kvm_k(300000, "6.1.0-57-amd64");
	d[1] = kvm_k(310000, "6.1.0-56-amd64");
	d[2] = kvm_k(7e6, "7.3");
	d[3] = kvm_k(7e6, "7.3");
	assert_int_equal(sdocs(d, 2, 2, &o, &res), EX_OK);
	assert_int_equal(res.nwarn, 1);
	assert_string_equal(res.warn[0], "the BASE files differ in kernel: b1.json 6.1.0-57-amd64, b2.json 6.1.0-56-amd64");
	assert_said("compare: warning: the BASE files differ in kernel");
	cmp_result_free(&res);
	d[0] = kvm_k(300000, "6.1");
	d[1] = kvm_k(310000, "6.1");
	d[2] = kvm_k(7e6, "7.3");
	d[3] = parse("{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {}, \"hist\": {}}");
	assert_int_equal(sdocs(d, 2, 2, &o, &res), EX_MISMATCH);
	assert_said("compare: missing metric: kvm first_memslot_ns is not in NEW n2.json\n");
	/* one file a side is the two-file form's */
	d[0] = kvm_k(300000, "6.1");
	d[1] = kvm_k(7e6, "7.3");
	o.nbases = o.nnews = 1;
	assert_int_equal(sdocs(d, 1, 1, &o, &res), EX_USAGE);
	assert_said("needs 2 or more files on each side, got 1 BASE and 1 NEW; for one file a side: iobus-stress compare BASE.json NEW.json");
}

static int runv(char **argv)
{
	int argc = 0;

	while (argv[argc])
		argc++;
	return cmd_compare(argc, argv);
}

static void test_stats_cli(void **state)
{
	char path[16][40], s[2048];
	char *argv[40];
	struct json *j = NULL;
	const struct json *r0;
	int i, a, ret;

	(void)state;
	for (i = 0; i < 16; i++) {
		snprintf(path[i], sizeof(path[i]), "/tmp/iobus-cmp-s%d.json", i);
		snprintf(s, sizeof(s),
			 "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {"
			 "\"first_memslot_ns_p50\": %.0f, \"exits_per_sec\": 1600}, \"hist\": {}}\n",
			 i < 8 ? base8[i] : new8[i - 8]);
		write_file(path[i], s);
	}
	a = 0;
	argv[a++] = "compare";
	argv[a++] = "--json";
	argv[a++] = "/tmp/iobus-cmp-s.out";
	for (i = 0; i < 16; i++) {
		argv[a++] = i < 8 ? "--base" : "--new";
		argv[a++] = path[i];
	}
	argv[a] = NULL;
	said_begin();
	ret = runv(argv);
	said_end();
	assert_int_equal(ret, EX_FAIL);
	assert_said("iobus-stress: compare: 1 regression (p < 0.01, worse by 0.05 or more): kvm first_memslot_ns 22.9x (p 0.00");
	assert_int_equal(json_load("/tmp/iobus-cmp-s.out", &j, err, sizeof(err)), EX_OK);
	assert_string_equal(json_get(json_get(j, "compare"), "mode")->string, "statistical");
	assert_int_equal(json_get(json_get(j, "compare"), "base_files")->n, 8);
	r0 = &json_get(json_get(j, "compare"), "rows")->item[0];
	assert_string_equal(json_get(r0, "verdict")->string, "regression");
	assert_true(json_get(r0, "p")->number < 0.01);
	assert_true(json_get(r0, "ci_low")->number > 20);
	assert_true(json_get(r0, "n_base")->number == 8 && json_get(r0, "n_new")->number == 8);
	assert_string_equal(json_get(r0, "test")->string, "permutation of medians");
	assert_true(json_get(r0, "resamples")->number == 9999);
	assert_true(json_get(r0, "seed")->number == 20261204);
	json_free(j);
	/* the same files, a 30x threshold: a pass */
	argv[1] = "--min-effect";
	argv[2] = "30";
	assert_int_equal(runv(argv), EX_OK);
#define CLI(want, text, ...) do { \
		char *v_[] = { "compare", __VA_ARGS__, NULL }; \
		said_begin(); \
		ret = runv(v_); \
		said_end(); \
		assert_int_equal(ret, want); \
		assert_said(text); \
	} while (0)
	CLI(EX_USAGE, "give the files either as BASE.json NEW.json or with --base/--new, not both",
	    "--base", path[0], "--base", path[1], "--new", path[8], path[9]);
	CLI(EX_USAGE, "give the files either as BASE.json NEW.json or with --base/--new, not both",
	    path[0], path[8], "--base", path[1]);
	CLI(EX_USAGE, "needs 2 or more files on each side, got 1 BASE and 2 NEW; for one file a side: iobus-stress compare BASE.json NEW.json",
	    "--base", path[0], "--new", path[8], "--new", path[9]);
	CLI(EX_USAGE, "got 2 BASE and 0 NEW", "--base", path[0], "--base", path[1]);
	CLI(EX_USAGE, "--base needs a file name, got '--new' (a flag?)",
	    "--base", "--new", path[8]);
	CLI(EX_USAGE, "is given twice: each file is one sample",
	    "--base", path[0], "--base", path[0], "--new", path[8], "--new", path[9]);
	CLI(EX_USAGE, "--max-ratio is the two-file mode's threshold",
	    "--max-ratio", "3", "--base", path[0], "--base", path[1], "--new", path[8], "--new", path[9]);
	CLI(EX_USAGE, "--alpha, --min-effect and --seed are for the statistical mode",
	    "--alpha", "0.05", path[0], path[8]);
	CLI(EX_USAGE, "bad value '0' for --alpha", "--alpha", "0", "--base", path[0]);
	CLI(EX_USAGE, "bad value '-1' for --seed", "--seed", "-1", "--base", path[0]);
	CLI(EX_USAGE, "bad value '5%' for --min-effect", "--min-effect", "5%", "--base", path[0]);
	/* the one number parser: no exponent, no hex, nothing over 2^64 - 1 */
	CLI(EX_USAGE, "bad value '1e1' for --seed", "--seed", "1e1", "--base", path[0]);
	CLI(EX_USAGE, "bad value '18446744073709551616' for --seed",
	    "--seed", "18446744073709551616", "--base", path[0]);
	CLI(EX_USAGE, "bad value '5e-2' for --min-effect", "--min-effect", "5e-2", "--base", path[0]);
	/* a flag is not a file name for --json */
	CLI(EX_USAGE, "--json needs a file name or -, not '--tap'", "--json", "--tap", path[0], path[8]);
	/* 2 vs 2: runs, says it is underpowered, exits 0 */
	CLI(EX_OK, "UNDERPOWERED: 2 BASE vs 2 NEW files",
	    "--seed", "7", "--base", path[0], "--base", path[1], "--new", path[8], "--new", path[9]);
	for (i = 0; i < 16; i++)
		unlink(path[i]);
	unlink("/tmp/iobus-cmp-s.out");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_kvm_regression),
		cmocka_unit_test(test_provenance),
		cmocka_unit_test(test_kvm_pass_improvement_noisy),
		cmocka_unit_test(test_boot_cells),
		cmocka_unit_test(test_interrupted),
		cmocka_unit_test(test_missing_cell),
		cmocka_unit_test(test_missing_metric),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_metrics_flag),
		cmocka_unit_test(test_outputs),
		cmocka_unit_test(test_cli),
		cmocka_unit_test(test_judge_stats),
		cmocka_unit_test(test_stats_regression),
		cmocka_unit_test(test_stats_min_effect),
		cmocka_unit_test(test_stats_underpowered),
		cmocka_unit_test(test_stats_sides),
		cmocka_unit_test(test_stats_cli),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
