// SPDX-License-Identifier: GPL-2.0
/* The human reports: boot medians and ratios, matrix rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

static char err[256];

static char *capture(void (*fn)(FILE *, const struct result *, int),
		     const struct result *r, int n)
{
	static char *out;
	static size_t len;
	FILE *f = open_memstream(&out, &len);

	fn(f, r, n);
	fclose(f);
	return out;
}

static void boot_result(struct result *r, const char *name,
			unsigned long long reg, unsigned long long vcpu1)
{
	char text[512];

	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(text, sizeof(text),
		 "devices: 40\nearly_devices: 6\nreaders: 2\n"
		 "register_ns_p50: %llu\nboot_vcpu1_ns: %llu\n"
		 "vcpu_create_ns_p50: 30000\nboot_ns: 9000000\n"
		 "boot_early_ns: 1000\nboot_vcpu_ns: 2000\nboot_late_ns: 3000\n"
		 "boot_vcpu1_basis: %s\n",
		 reg, vcpu1, strcmp(name, "sync-expedited") ? "measured" :
		 "construction(no-pending-gp)");
	assert_true(stats_parse(&r->st, text, err, sizeof(err)) > 0);
	r->outcome = OUT_PASS;
}

/* The line of the table that starts with @name. */
static const char *row_of(const char *out, const char *name)
{
	const char *p = out;

	while ((p = strstr(p, name)) && p != out && p[-1] != '\n')
		p++;
	assert_non_null(p);
	return p;
}

/* @needle is on the line @row starts. */
static void in_row(const char *row, const char *needle)
{
	const char *p = strstr(row, needle), *eol = strchr(row, '\n');

	if (!p || !eol || p > eol)
		fail_msg("'%s' not in row '%.*s'", needle,
			 eol ? (int)(eol - row) : 80, row);
}

static void test_boot_medians_and_ratios(void **state)
{
	static struct result r[6];
	const char *row;
	char *out;

	(void)state;
	/* sync-expedited: medians 20us register, 100us first vCPU. */
	boot_result(&r[0], "sync-expedited", 20000, 90000);
	boot_result(&r[1], "sync-expedited", 25000, 100000);
	boot_result(&r[2], "sync-expedited", 10000, 5000000);
	/* call-srcu: 2us register, 10ms first vCPU: 0.10x and 100x. */
	boot_result(&r[3], "call-srcu", 2000, 10000000);
	boot_result(&r[4], "call-srcu", 2000, 9000000);
	boot_result(&r[5], "call-srcu", 1000, 20000000);
	out = capture(report_boot, r, 6);
	assert_non_null(strstr(out, "devices=40 early_devices=6 readers=2"));
	assert_non_null(strstr(out, "1st vCPU"));
	row = row_of(out, "sync-expedited ");
	in_row(row, " 3 ");	/* runs */
	in_row(row, "20.0us");
	in_row(row, "100us");
	in_row(row, "1.00x");
	in_row(row, "90.0us-5.00ms");
	row = row_of(out, "call-srcu ");
	in_row(row, "2.00us");
	in_row(row, "0.10x");
	in_row(row, "10.0ms");
	in_row(row, "100x");
	in_row(row, "9.00ms-20.0ms");	/* the first vCPU range */
	assert_non_null(strstr(out, "\n1st vCPU by construction, not a finding: sync-expedited (no-pending-gp); the rest measured"));
	assert_null(strstr(out, "call-srcu (measured"));
}

static void test_matrix_row(void **state)
{
	static struct result r[1];
	const char *row;
	char *out;

	(void)state;
	stats_parse(&r[0].st, "reclaim: sync-expedited\nunregister: async\npattern: cached\n"
		    "stale_observations: 1368\ngp_violations: 0\ndevice_violations: 45\n"
		    "register_ns_p50: 1520000\nexpect: stale=any,gp=0,dev>0\n"
		    "expect_basis: stale=measured,gp=srcu(grace-period),dev=construction(hold)\n",
		    err, sizeof(err));
	r[0].outcome = OUT_FAIL;
	snprintf(r[0].name, sizeof(r[0].name), "x");
	snprintf(r[0].why, sizeof(r[0].why), "because");
	out = capture(report_matrix, r, 1);
	assert_non_null(strstr(out, "reg p50"));
	row = row_of(out, "sync-expedited+async-unreg");
	in_row(row, "cached");
	in_row(row, "1368");
	in_row(row, "1.52ms");
	in_row(row, "stale=any,gp=0,dev>0");
	in_row(row, "M/S/C");
	in_row(row, "FAIL");
	assert_non_null(strstr(out, "\nbasis (stale/gp/dev): C true by construction"));
	assert_non_null(strstr(out, "\nFAIL x: because\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_medians_and_ratios),
		cmocka_unit_test(test_matrix_row),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
