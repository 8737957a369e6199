// SPDX-License-Identifier: GPL-2.0
/*
 * report: kvm files of two hosts and three kernels written to a temp dir;
 * the table's rows and cells, the grouping (kernel x host x --early, the
 * medians of the files' p50s, diagnoses counted), the JSON's values, the
 * SVG, --sort, the real 7.3 fixtures, and every error with its exit code
 * and its one line, through the dispatcher (cli_main) in a child.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "commands.h"
#include "exit_codes.h"
#include "fleet_report.h"
#include "json_read.h"

static char dir[64];
static char path[16][128];	/* the files below, by index */

struct host {
	const char *cpu, *backend;
	int cpus, nested;
};

static const struct host host_a = { "AMD EPYC 7763 64-Core Processor", "kvm_amd", 16, 0 };
static const struct host host_b = { "Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz", "kvm_intel", 8, 1 };

#define K61 "6.1.0-57-amd64"
#define K612 "6.12.118+deb12-amd64"
#define K73 "7.3.4+deb13-amd64"

/* One kvm result as `iobus-stress kvm --json` writes it (trimmed). */
struct kvm {
	const char *name, *kernel;
	const struct host *h;
	const char *clocksource, *diag;
	int early;
	double ratio;
	double lat[FR_NLAT];	/* first memslot, no reg, vCPU, 1st deassign, run deassign */
};

static const struct kvm files[] = {
	/* 0 */ { "a61.json", K61, &host_a, "tsc", "absent", 6, 0.8,
		  { 400000, 450000, 600000, 150000, 130000 } },
	/* 1 */ { "a612.json", K612, &host_a, "tsc", "absent", 6, 0.4,
		  { 450000, 1500000, 700000, 280000, 110000 } },
	/* 2-4: 7.3 on A: three files, one inconclusive; means differ from medians */
	/* 2 */ { "a73-1.json", K73, &host_a, "tsc", "present", 6, 12,
		  { 7000000, 500000, 500000, 6800000, 16000000 } },
	/* 3 */ { "a73-2.json", K73, &host_a, "tsc", "present", 6, 14,
		  { 8000000, 600000, 520000, 6900000, 17000000 } },
	/* 4 */ { "a73-3.json", K73, &host_a, "tsc", "inconclusive", 6, 3,
		  { 4000000, 1300000, 900000, 9000000, 30000000 } },
	/* 5: 7.3 on A, the --early 0 control: no first deassign */
	/* 5 */ { "a73-e0.json", K73, &host_a, "tsc", "absent", 0, 1.04,
		  { 500000, 460000, 350000, 0, 13000000 } },
	/* 6-7: 7.3 on B, two files on two clocksources */
	/* 6 */ { "b73-1.json", K73, &host_b, "tsc", "present", 6, 20,
		  { 7000000, 300000, 400000, 6500000, 9000000 } },
	/* 7 */ { "b73-2.json", K73, &host_b, "hpet", "present", 6, 30,
		  { 9000000, 250000, 420000, 6600000, 9500000 } },
	/* 8 */ { "b61.json", K61, &host_b, "tsc", "absent", 6, 0.5,
		  { 300000, 320000, 450000, 90000, 80000 } },
};
#define NFILES (int)(sizeof(files) / sizeof(files[0]))

static void write_file(const char *p, const char *text)
{
	FILE *f = fopen(p, "w");

	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void write_kvm(const char *p, const struct kvm *k)
{
	/* the kvm summary's keys, spelled here, not taken from fr_lat[] */
	static const char *const keys[FR_NLAT] = {
		"first_memslot_ns_p50", "first_memslot_noreg_ns_p50",
		"vcpu_create_ns_p50", "first_deassign_ns_p50",
		"run_deassign_ns_p50",
	};
	char s[4096];
	int n, i;

	n = snprintf(s, sizeof(s),
		     "{\n \"tool\": \"iobus-stress\",\n \"command\": \"kvm\",\n"
		     " \"provenance\": {\"version\": \"0.3.0\", \"kernel\": \"%s\", "
		     "\"machine\": \"x86_64\", \"hz\": 250, \"hz_source\": \"/proc/config.gz\", "
		     "\"clocksource\": \"%s\", \"kvm_backend\": \"%s\", \"kvm_nested\": %s, "
		     "\"cpu_model\": \"%s\", \"cpus\": %d, \"virtualized\": %s, "
		     "\"date\": \"2026-12-06T10:00:00Z\", \"command\": \"iobus-stress kvm --json x\"},\n"
		     " \"summary\": {\"kernel\": \"%s\", \"kvm_backend\": \"%s\", \"hz\": 250, "
		     "\"early\": %d, \"late\": 34, \"repeat\": 15, \"stale_observations\": 0, "
		     "\"unexpected_exits\": 0, \"diagnosis\": \"%s\", \"diagnosis_ratio\": %g",
		     k->kernel, k->clocksource, k->h->backend,
		     k->h->nested ? "true" : "false", k->h->cpu, k->h->cpus,
		     k->h->nested ? "true" : "false", k->kernel, k->h->backend,
		     k->early, k->diag, k->ratio);
	for (i = 0; i < FR_NLAT; i++)
		n += snprintf(s + n, sizeof(s) - (size_t)n, ", \"%s\": %.0f",
			      keys[i], k->lat[i]);
	snprintf(s + n, sizeof(s) - (size_t)n,
		 "},\n \"diagnosis_pairs\": [],\n \"hist\": {}\n}\n");
	write_file(p, s);
}

static int setup(void **state)
{
	int i;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/iobus-fr-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	for (i = 0; i < NFILES; i++) {
		snprintf(path[i], sizeof(path[i]), "%s/%s", dir, files[i].name);
		write_kvm(path[i], &files[i]);
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) ? -1 : 0;
}

static const char *all[NFILES];

static const char *const *all_paths(void)
{
	int i;

	for (i = 0; i < NFILES; i++)
		all[i] = path[i];
	return all;
}

/* ---- running the command ---- */

static char out[65536], said[8192];

static void slurp(const char *p, char *buf, size_t len)
{
	FILE *f = fopen(p, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	fclose(f);
}

/* cli_main(argv) in a child: its exit code; stdout in out[], stderr in said[]. */
static int run_argv(char **argv)
{
	char po[128], pe[128];
	int status, argc = 0;
	pid_t pid;

	snprintf(po, sizeof(po), "%s/stdout", dir);
	snprintf(pe, sizeof(pe), "%s/stderr", dir);
	while (argv[argc])
		argc++;
	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		if (!freopen(po, "w", stdout) || !freopen(pe, "w", stderr))
			_exit(99);
		setvbuf(stderr, NULL, _IONBF, 0);	/* as a real stderr */
		status = cli_main(argc, argv);
		fflush(NULL);		/* _exit() does not */
		_exit(status);
	}
	waitpid(pid, &status, 0);
	slurp(po, out, sizeof(out));
	slurp(pe, said, sizeof(said));
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* "iobus-stress report" and up to 12 more arguments (NULL ends them). */
static int run(const char *a, ...)
{
	char *argv[40] = { "iobus-stress", "report" };
	int n = 2;
	va_list ap;

	va_start(ap, a);
	for (; a && n < 39; a = va_arg(ap, const char *))
		argv[n++] = (char *)a;
	va_end(ap);
	argv[n] = NULL;
	return run_argv(argv);
}

/* The report on all files, with @extra flags (at most 4, NULL-ended). */
static int run_all(const char *e1, const char *e2, const char *e3,
		   const char *e4)
{
	char *argv[40] = { "iobus-stress", "report" };
	const char *extra[] = { e1, e2, e3, e4 };
	int n = 2, i;

	for (i = 0; i < 4 && extra[i]; i++)
		argv[n++] = (char *)extra[i];
	for (i = 0; i < NFILES; i++)
		argv[n++] = path[i];
	argv[n] = NULL;
	return run_argv(argv);
}

static int lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

#define assert_has(hay, text) do { \
		if (!strstr(hay, text)) \
			fail_msg("'%s' not in: %s", text, hay); \
	} while (0)

/* One line on stderr, and it says @text. */
#define assert_said_once(text) do { \
		assert_has(said, text); \
		if (lines(said) != 1) \
			fail_msg("not one line on stderr: %s", said); \
	} while (0)

/* ---- the table ---- */

#define NCOLS (10 + FR_NLAT)
static const char *const heads[NCOLS] = {
	"kernel", "host", "KVM", "HZ", "clocksource", "early", "files", "VMs",
	"diagnosis", "ratio", "1st memslot", "no reg", "vCPU create",
	"1st deassign", "run deassign",
};

/* The cells of table line @ln (0: the header) of out[]: split at 2+ spaces. */
static int cells(int ln, char cell[NCOLS + 2][64])
{
	const char *p = strchr(out, '\n') + 1;	/* after the "report:" line */
	int n = 0;
	size_t k;

	while (ln-- > 0)
		p = strchr(p, '\n') + 1;
	while (*p && *p != '\n' && n < NCOLS + 2) {
		k = 0;
		while (*p && *p != '\n' && !(p[0] == ' ' && p[1] == ' ')) {
			if (k < 63)
				cell[n][k++] = *p;
			p++;
		}
		cell[n++][k] = '\0';
		while (*p == ' ')
			p++;
	}
	return n;
}

static void assert_row(int ln, const char *const *want)
{
	char c[NCOLS + 2][64];
	int i;

	assert_int_equal(cells(ln, c), NCOLS);
	for (i = 0; i < NCOLS; i++)
		if (strcmp(c[i], want[i]))
			fail_msg("row %d, column %s: '%s', not '%s'", ln, heads[i],
				 c[i], want[i]);
}

static void test_table(void **state)
{
	static const char *const rows[][NCOLS] = {
		{ K61, "AMD EPYC 7763 64-Core Processor x16", "kvm_amd", "250", "tsc",
		  "6", "1", "15", "absent", "0.80x", "400us", "450us", "600us",
		  "150us", "130us" },
		{ K61, "Intel Xeon Gold 6338 CPU @ 2.00GHz x8", "kvm_intel nested",
		  "250", "tsc", "6", "1", "15", "absent", "0.50x", "300us", "320us",
		  "450us", "90.0us", "80.0us" },
		{ K612, "AMD EPYC 7763 64-Core Processor x16", "kvm_amd", "250", "tsc",
		  "6", "1", "15", "absent", "0.40x", "450us", "1.50ms", "700us",
		  "280us", "110us" },
		{ K73, "AMD EPYC 7763 64-Core Processor x16", "kvm_amd", "250", "tsc",
		  "0", "1", "15", "absent", "1.04x", "500us", "460us", "350us",
		  "-", "13.0ms" },
		/* three files: medians of 3; the diagnoses counted */
		{ K73, "AMD EPYC 7763 64-Core Processor x16", "kvm_amd", "250", "tsc",
		  "6", "3", "45", "present 2, inconclusive 1", "12x", "7.00ms",
		  "600us", "520us", "6.90ms", "17.0ms" },
		/* two files: the mean of the two; both clocksources */
		{ K73, "Intel Xeon Gold 6338 CPU @ 2.00GHz x8", "kvm_intel nested",
		  "250", "tsc/hpet", "6", "2", "30", "present", "25x", "8.00ms",
		  "275us", "410us", "6.55ms", "9.25ms" },
	};
	int i;

	(void)state;
	assert_int_equal(run_all(NULL, NULL, NULL, NULL), EX_OK);
	assert_string_equal(said, "");
	assert_has(out, "report: 9 kvm files, 6 rows");
	assert_row(0, heads);
	for (i = 0; i < 6; i++)
		assert_row(i + 1, rows[i]);
	/* the mixed row's files are named, with their diagnoses */
	assert_has(out, "notes:\n  " K73 " on AMD EPYC 7763 64-Core Processor x16, early 6: diagnoses differ: present ");
	assert_has(out, "inconclusive " "/tmp/iobus-fr-");
	assert_has(out, "a73-3.json\n");
}

/* ---- the grouping, on the structures ---- */

static void test_grouping(void **state)
{
	struct fr_report r;
	int i;

	(void)state;
	assert_int_equal(fr_load(&r, all_paths(), NFILES), EX_OK);
	assert_int_equal(fr_group(&r, FR_SORT_KERNEL), EX_OK);
	assert_int_equal(r.nfiles, NFILES);
	assert_int_equal(r.nrows, 6);
	/* 7.3 on host A with --early 6: files 2, 3, 4 and nothing else */
	assert_string_equal(r.row[4].first->kernel, K73);
	assert_int_equal(r.row[4].nfiles, 3);
	for (i = 0; i < 3; i++)
		assert_int_equal(r.row[4].file[i], 2 + i);
	assert_int_equal(r.row[4].ndiag[FR_PRESENT], 2);
	assert_int_equal(r.row[4].ndiag[FR_INCONCLUSIVE], 1);
	assert_true(r.row[4].lat[FR_FIRST_MEMSLOT] == 7000000);
	assert_true(r.row[4].lat[FR_NOREG] == 600000);
	assert_int_equal(r.row[4].nlat[FR_FIRST_MEMSLOT], 3);
	assert_true(r.row[4].ratio == 12);
	assert_int_equal(r.row[4].vms, 45);
	/* 7.3 on host B: its own row, the mean of an even pair */
	assert_int_equal(r.row[5].nfiles, 2);
	assert_int_equal(r.row[5].file[0], 6);
	assert_int_equal(r.row[5].file[1], 7);
	assert_true(r.row[5].lat[FR_FIRST_MEMSLOT] == 8000000);
	assert_true(r.row[5].ratio == 25);
	/* the control: a row of its own, no first deassign */
	assert_int_equal(r.row[3].first->early, 0);
	assert_int_equal(r.row[3].nfiles, 1);
	assert_int_equal(r.row[3].nlat[FR_FIRST_DEASSIGN], 0);
	fr_free(&r);
	/* --sort host: host A's kernels, then host B's */
	assert_int_equal(fr_load(&r, all_paths(), NFILES), EX_OK);
	assert_int_equal(fr_group(&r, FR_SORT_HOST), EX_OK);
	{
		static const char *const k[] = { K61, K612, K73, K73, K61, K73 };
		static const int b[] = { 0, 0, 0, 0, 1, 1 };

		for (i = 0; i < 6; i++) {
			assert_string_equal(r.row[i].first->kernel, k[i]);
			assert_int_equal(!strcmp(r.row[i].first->backend, "kvm_intel"),
					 b[i]);
		}
	}
	fr_free(&r);
}

static void test_sort_flag(void **state)
{
	char c[NCOLS + 2][64];
	static const char *const k[] = { K61, K612, K73, K73, K61, K73 };
	int i;

	(void)state;
	assert_int_equal(run_all("--sort", "host", NULL, NULL), EX_OK);
	for (i = 0; i < 6; i++) {
		assert_int_equal(cells(i + 1, c), NCOLS);
		assert_string_equal(c[0], k[i]);
		assert_string_equal(c[2], i < 4 ? "kvm_amd" : "kvm_intel nested");
	}
	assert_int_equal(run_all("--sort=kernel", NULL, NULL, NULL), EX_OK);
	assert_int_equal(cells(2, c), NCOLS);
	assert_string_equal(c[0], K61);
	assert_string_equal(c[2], "kvm_intel nested");
}

/*
 * A host is its CPU model, CPU count, machine, KVM backend and nesting:
 * one differing is another row.  Kernels in version order: 6.9 before
 * 6.12 (as strings they would not be).
 */
static void test_identity_and_order(void **state)
{
	static const struct host h[] = {
		{ "Same CPU", "kvm_amd", 4, 0 }, { "Same CPU", "kvm_amd", 4, 1 },
		{ "Same CPU", "kvm_amd", 8, 0 }, { "Same CPU", "kvm_intel", 4, 0 },
	};
	static const char *const want[][2] = {
		{ "6.9.12-amd64", "kvm_amd" }, { "6.12.1-amd64", "kvm_amd" },
		{ "6.12.1-amd64", "kvm_amd nested" }, { "6.12.1-amd64", "kvm_intel" },
		{ "6.12.1-amd64", "kvm_amd" },
	};
	struct kvm k = { NULL, "6.12.1-amd64", NULL, "tsc", "absent", 6, 1,
			 { 400000, 400000, 500000, 100000, 100000 } };
	char p[5][128];
	const char *pp[5];
	struct fr_report r;
	int i;

	(void)state;
	for (i = 0; i < 5; i++) {
		snprintf(p[i], sizeof(p[i]), "%s/id%d.json", dir, i);
		pp[i] = p[i];
		k.h = &h[i < 4 ? i : 0];
		k.kernel = i < 4 ? "6.12.1-amd64" : "6.9.12-amd64";
		write_kvm(p[i], &k);
	}
	assert_int_equal(fr_load(&r, pp, 5), EX_OK);
	assert_int_equal(fr_group(&r, FR_SORT_KERNEL), EX_OK);
	assert_int_equal(r.nrows, 5);
	for (i = 0; i < 5; i++) {
		assert_string_equal(r.row[i].first->kernel, want[i][0]);
		assert_string_equal(r.row[i].kvm, want[i][1]);
		assert_int_equal(r.row[i].nfiles, 1);
	}
	assert_string_equal(r.row[1].host, "Same CPU x4");
	assert_string_equal(r.row[4].host, "Same CPU x8");
	fr_free(&r);
}

/* ---- JSON ---- */

static const struct json *member(const struct json *o, const char *k)
{
	const struct json *v = json_get(o, k);

	if (!v)
		fail_msg("no \"%s\"", k);
	return v;
}

static double median(const struct json *row, const char *key, int files)
{
	const struct json *m = member(row, key);

	assert_int_equal(member(m, "files")->number, files);
	if (!files) {
		assert_int_equal(member(m, "median")->type, JV_NULL);
		return 0;
	}
	assert_int_equal(member(m, "median")->type, JV_NUMBER);
	return member(m, "median")->number;
}

static void test_json(void **state)
{
	char jp[128], err[256];
	struct json *doc;
	const struct json *rows, *w, *a;

	(void)state;
	snprintf(jp, sizeof(jp), "%s/out.json", dir);
	assert_int_equal(run_all("--json", jp, NULL, NULL), EX_OK);
	assert_int_equal(json_load(jp, &doc, err, sizeof(err)), EX_OK);
	assert_string_equal(member(doc, "command")->string, "report");
	assert_int_equal(member(doc, "provenance")->type, JV_OBJECT);
	assert_int_equal(member(member(doc, "report"), "files")->number, NFILES);
	assert_string_equal(member(member(doc, "report"), "sort")->string, "kernel");
	rows = member(member(doc, "report"), "rows");
	assert_int_equal(rows->n, 6);
	/* 7.3 on A, --early 6 */
	w = &rows->item[4];
	assert_string_equal(member(w, "kernel")->string, K73);
	assert_string_equal(member(w, "cpu_model")->string, host_a.cpu);
	assert_int_equal(member(w, "cpus")->number, 16);
	assert_string_equal(member(w, "kvm_backend")->string, "kvm_amd");
	assert_false(member(w, "kvm_nested")->boolean);
	assert_int_equal(member(w, "early")->number, 6);
	assert_string_equal(member(w, "diagnosis")->string, "mixed");
	assert_int_equal(member(member(w, "diagnoses"), "present")->number, 2);
	assert_int_equal(member(member(w, "diagnoses"), "inconclusive")->number, 1);
	assert_int_equal(member(member(w, "diagnoses"), "absent")->number, 0);
	a = member(w, "files");
	assert_int_equal(a->n, 3);
	assert_string_equal(a->item[0].string, path[2]);
	assert_string_equal(a->item[2].string, path[4]);
	assert_int_equal(member(w, "vms")->number, 45);
	assert_true(median(w, "first_memslot_ns_p50", 3) == 7000000);
	assert_true(median(w, "first_memslot_noreg_ns_p50", 3) == 600000);
	assert_true(median(w, "vcpu_create_ns_p50", 3) == 520000);
	assert_true(median(w, "first_deassign_ns_p50", 3) == 6900000);
	assert_true(median(w, "run_deassign_ns_p50", 3) == 17000000);
	assert_true(median(w, "diagnosis_ratio", 3) == 12);
	/* 7.3 on B: the mean of two, both clocksources in file order */
	w = &rows->item[5];
	assert_true(member(w, "kvm_nested")->boolean);
	assert_string_equal(member(w, "diagnosis")->string, "present");
	assert_true(median(w, "first_memslot_ns_p50", 2) == 8000000);
	assert_true(median(w, "first_memslot_noreg_ns_p50", 2) == 275000);
	assert_true(median(w, "diagnosis_ratio", 2) == 25);
	a = member(w, "clocksource");
	assert_int_equal(a->n, 2);
	assert_string_equal(a->item[0].string, "tsc");
	assert_string_equal(a->item[1].string, "hpet");
	a = member(w, "hz");
	assert_int_equal(a->n, 1);
	assert_int_equal(a->item[0].number, 250);
	/* the control: no first deassign (a p50 of 0 is no sample) */
	w = &rows->item[3];
	assert_int_equal(member(w, "early")->number, 0);
	median(w, "first_deassign_ns_p50", 0);
	assert_true(median(w, "first_memslot_ns_p50", 1) == 500000);
	json_free(doc);
	/* --json -: the JSON on stdout, the table on stderr */
	assert_int_equal(run_all("--json", "-", NULL, NULL), EX_OK);
	assert_int_equal(json_parse(out, strlen(out), &doc, err, sizeof(err)), 0);
	json_free(doc);
	assert_has(said, "report: 9 kvm files, 6 rows");
}

/* ---- SVG ---- */

/* Every element closed in order (a small XML well-formedness check). */
static void assert_balanced(const char *s)
{
	char stack[64][32];
	int depth = 0;
	const char *p = s;

	while ((p = strchr(p, '<'))) {
		const char *e = strchr(p, '>');
		size_t n;

		assert_non_null(e);
		if (p[1] == '?' || p[1] == '!') {
			p = e + 1;
			continue;
		}
		if (p[1] == '/') {
			n = strcspn(p + 2, " >");
			assert_true(depth > 0);
			depth--;
			if (strncmp(stack[depth], p + 2, n) || stack[depth][n])
				fail_msg("</%.*s> closes <%s>", (int)n, p + 2,
					 stack[depth]);
		} else if (e[-1] != '/') {
			n = strcspn(p + 1, " >");
			assert_true(depth < 64 && n < 32);
			memcpy(stack[depth], p + 1, n);
			stack[depth++][n] = '\0';
		}
		p = e + 1;
	}
	assert_int_equal(depth, 0);
}

static int count(const char *s, const char *what)
{
	int n = 0;

	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

/* The height of the @i-th bar. */
static double bar_height(const char *s, int i)
{
	const char *p = s;

	while (i-- >= 0) {
		p = strstr(p, "class=\"bar\"");
		assert_non_null(p);
		p++;
	}
	p = strstr(p, "height=\"");
	assert_non_null(p);
	return atof(p + 8);
}

static void test_svg(void **state)
{
	static char svg[65536];
	char sp[128];

	(void)state;
	snprintf(sp, sizeof(sp), "%s/out.svg", dir);
	assert_int_equal(run_all("--svg", sp, NULL, NULL), EX_OK);
	slurp(sp, svg, sizeof(svg));
	assert_int_equal(strncmp(svg, "<?xml version=\"1.0\"", 19), 0);
	assert_has(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
	assert_int_equal(strcmp(svg + strlen(svg) - 7, "</svg>\n"), 0);
	assert_balanced(svg);
	/* a group a row, two bars in each (with and without registrations) */
	assert_int_equal(count(svg, "class=\"group\""), 6);
	assert_int_equal(count(svg, "class=\"bar\""), 12);
	assert_has(svg, "><title>present 2, inconclusive 1</title>mixed</text>");
	assert_has(svg, ">present</text>");
	assert_has(svg, ">Intel Xeon Gold 6338 CPU @ 2.00GHz x8, early 6</text>");
	assert_has(svg, "<title>8.00ms</title>");
	/*
	 * Log scale: height differences are decades.  Bars 0, 1: 6.1 on A
	 * (400 us, 450 us), bar 10: 7.3 on B (8 ms); 450/400 is 0.039 of the
	 * decades 8 ms/400 us spans (a linear scale: 0.0066).
	 */
	assert_true(fabs((bar_height(svg, 1) - bar_height(svg, 0)) /
			 (bar_height(svg, 10) - bar_height(svg, 0)) -
			 log10(450.0 / 400) / log10(8000.0 / 400)) < 0.005);
	/* --svg -: on stdout */
	assert_int_equal(run_all("--svg", "-", NULL, NULL), EX_OK);
	assert_int_equal(strcmp(out, svg), 0);
}

/* ---- the real files of 7.3 (scripts/checks/fixtures) ---- */

static void test_real_fixtures(void **state)
{
	char c[NCOLS + 2][64];

	(void)state;
	assert_int_equal(run("../scripts/checks/fixtures/kvm-7.3.json",
			     "../scripts/checks/fixtures/kvm-7.3-early0.json", NULL),
			 EX_OK);
	assert_has(out, "report: 2 kvm files, 2 rows");
	assert_int_equal(cells(1, c), NCOLS);
	assert_string_equal(c[1], "QEMU TCG CPU version 2.5+ x2");
	assert_string_equal(c[2], "kvm_amd nested");
	assert_string_equal(c[4], "hpet");
	assert_string_equal(c[5], "0");
	assert_string_equal(c[8], "absent");
	assert_string_equal(c[13], "-");
	assert_int_equal(cells(2, c), NCOLS);
	assert_string_equal(c[5], "6");
	assert_string_equal(c[8], "present");
	assert_string_equal(c[9], "13x");
	assert_string_equal(c[10], "7.74ms");
	assert_string_equal(c[11], "561us");
}

/* ---- errors: exit code and one line naming the file ---- */

static void test_errors(void **state)
{
	char p[8][128], keep[128], buf[64];
	int i;

	(void)state;
	for (i = 0; i < 8; i++)
		snprintf(p[i], sizeof(p[i]), "%s/bad%d.json", dir, i);
	write_file(p[0], "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summ");
	write_file(p[1], "[1, 2]\n");
	write_file(p[2], "{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"call-srcu\", \"stats\": {\"workload\": \"boot\"}}]}\n");
	write_file(p[3], "{\"tool\": \"iobus-stress\", \"runs\": [{\"name\": \"call-srcu/cached\", \"stats\": {\"exits\": 5}}]}\n");
	write_file(p[4], "{\"tool\": \"iobus-stress\", \"compare\": {\"kind\": \"kvm\"}}\n");
	write_file(p[5], "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {\"first_memslot_ns_p50\": \"7ms\"}, \"hist\": {}}\n");
	write_file(p[6], "{\"tool\": \"iobus-stress\", \"command\": \"kvm\", \"summary\": {\"diagnosis\": \"maybe\"}, \"hist\": {}}\n");
	snprintf(keep, sizeof(keep), "%s/keep.json", dir);

	assert_int_equal(run(NULL), EX_USAGE);
	assert_said_once("iobus-stress: report: no files given");
	assert_int_equal(run("--sort", "host", NULL), EX_USAGE);
	assert_said_once("no files given");
	assert_int_equal(run(path[0], "/nonexistent/x.json", NULL), EX_IO);
	assert_said_once("iobus-stress: report: /nonexistent/x.json: cannot open: ");
	assert_int_equal(run(path[0], p[0], NULL), EX_BADJSON);
	assert_said_once("iobus-stress: report: ");
	assert_has(said, "bad0.json: 1:");
	assert_int_equal(run(p[1], NULL), EX_BADJSON);
	assert_said_once("bad1.json: not an iobus-stress result");
	assert_int_equal(run(path[0], p[2], NULL), EX_MISMATCH);
	assert_said_once("bad2.json: a boot result");
	assert_int_equal(run(p[3], path[0], NULL), EX_MISMATCH);
	assert_said_once("bad3.json: a run/matrix result");
	assert_int_equal(run(p[4], NULL), EX_MISMATCH);
	assert_said_once("bad4.json: a `compare` result");
	assert_int_equal(run(p[5], NULL), EX_BADJSON);
	assert_said_once("bad5.json: summary.first_memslot_ns_p50 is a string, not a number >= 0");
	assert_int_equal(run(p[6], NULL), EX_BADJSON);
	assert_said_once("bad6.json: summary.diagnosis is 'maybe', not present, absent or inconclusive");
	assert_int_equal(run(path[0], path[1], path[0], NULL), EX_USAGE);
	assert_said_once("a61.json is given twice");
	assert_int_equal(run("--sort", "date", path[0], NULL), EX_USAGE);
	assert_said_once("bad value 'date' for --sort (kernel or host)");
	assert_int_equal(run("--csv", "x.csv", path[0], NULL), EX_USAGE);
	assert_said_once("--csv does not apply to 'report'");
	assert_int_equal(run("--json", "-", "--svg", "-", path[0], NULL), EX_USAGE);
	assert_said_once("only one output can go to stdout");
	/* outputs: cannot open, cannot write */
	assert_int_equal(run("--json", "/nonexistent/o.json", path[0], NULL), EX_IO);
	assert_said_once("cannot open JSON output /nonexistent/o.json");
	assert_int_equal(run("--json", "/dev/full", path[0], NULL), EX_IO);
	assert_said_once("cannot write JSON output /dev/full");
	assert_int_equal(run("--svg", "/dev/full", path[0], NULL), EX_IO);
	assert_said_once("cannot write SVG output /dev/full");
	/* report's own output is a result of another kind */
	assert_int_equal(run("--json", keep, path[0], NULL), EX_OK);
	assert_int_equal(run(keep, NULL), EX_MISMATCH);
	assert_said_once("keep.json: a `report` result");
	/* a bad input leaves the outputs as they were */
	write_file(keep, "kept\n");
	assert_int_equal(run("--json", keep, path[0], p[1], NULL), EX_BADJSON);
	slurp(keep, buf, sizeof(buf));
	assert_string_equal(buf, "kept\n");
}

/* The table to a full stdout: EX_IO. */
static void test_table_write_error(void **state)
{
	FILE *full = fopen("/dev/full", "w");
	const char *one[] = { path[0] };
	int saved = dup(2), null = open("/dev/null", O_WRONLY);

	(void)state;
	assert_non_null(full);
	/* the table is larger than the buffer: some writes fail early */
	setvbuf(full, NULL, _IONBF, 0);
	fflush(stderr);
	dup2(null, 2);
	assert_int_equal(fr_main(one, 1, NULL, NULL, NULL, full), EX_IO);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	fclose(full);
}

static void test_help(void **state)
{
	char *help[] = { "iobus-stress", "--help", NULL };
	char *help_report[] = { "iobus-stress", "help", "report", NULL };
	char *report_help[] = { "iobus-stress", "report", "--help", NULL };

	(void)state;
	assert_int_equal(run_argv(help), EX_OK);
	assert_has(out, "\n  report   FILE...: kvm results of many hosts and kernels, one table\n");
	assert_has(out, "--sort kernel|host");
	assert_int_equal(run_argv(help_report), EX_OK);
	assert_has(out, "usage: iobus-stress report [--sort kernel|host]");
	assert_int_equal(run_argv(report_help), EX_OK);
	assert_has(out, "usage: iobus-stress report [--sort kernel|host]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_sort_flag),
		cmocka_unit_test(test_identity_and_order),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_real_fixtures),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_table_write_error),
		cmocka_unit_test(test_help),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
