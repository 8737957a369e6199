// SPDX-License-Identifier: GPL-2.0
/* The run flow against a fake debugfs directory; signals. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "kernel.h"
#include "sig.h"

static char dir[] = "/tmp/iobus-test-XXXXXX";

/* Replace a fake debugfs file at once (the driver may be reading it). */
static void put(const char *name, const char *text)
{
	char path[256], tmp[264];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(rename(tmp, path), 0);
}

static int setup(void **state)
{
	char path[256];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/hist", dir);
	mkdir(path, 0700);
	setenv("IOBUS_STRESS_DEBUGFS", dir, 1);
	put("config", "");
	put("hist/register", "# lower_ns upper_ns count\n1000 1031 2\n");
	put("hist/reclaim", "");
	put("hist/probe", "");
	put("hist/vcpu_create", "");
	put("stats", "state: done\nstale_observations: 0\ngp_violations: 0\ndevice_violations: 0\nleaked: 0\nexpect: stale=0,gp=0,dev=0\nverdict: pass\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

/*
 * The module's side: wait (2 s at most) until the driver wrote "start"
 * (over the old text: the fake file is not truncated).
 */
static void wait_for_start(void)
{
	char buf[64] = "";
	int i;

	for (i = 0; i < 100 && strncmp(buf, "start", 5); i++) {
		usleep(20000);
		if (dbg_read("control", buf, sizeof(buf)) < 0)
			buf[0] = '\0';
	}
}

/* A module whose run is done once started. */
static void *fake_module(void *arg)
{
	(void)arg;
	wait_for_start();
	put("control", "done 10\n");
	return NULL;
}

static void test_run_cell(void **state)
{
	pthread_t t;
	struct kv_set kv = { 0 };
	struct result *r = calloc(1, sizeof(*r));
	char err[128], buf[512];

	(void)state;
	put("control", "done 10\n");
	kv_set_put(&kv, "reclaim", "poll", err, sizeof(err));
	pthread_create(&t, NULL, fake_module, NULL);
	assert_int_equal(run_cell(&kv, 1500, "poll/exit", r, stderr, 0), EX_OK);
	pthread_join(t, NULL);
	assert_true(dbg_read("config", buf, sizeof(buf)) > 0);
	assert_string_equal(buf, "defaults reclaim=poll duration_ms=1500");
	assert_true(r->pass);
	assert_int_equal(r->hist[0].n, 1);
	free(r);
}

static const char done_stats[] =
	"state: done\nstale_observations: 0\ngp_violations: 0\ndevice_violations: 0\nleaked: 0\nexpect: stale=0,gp=0,dev=0\nverdict: pass\n";

/*
 * A module that runs for 2.5 s: 2M exits and 300 registers in its first
 * second, 0.5M and 100 more by its second.
 */
static void *fake_running_module(void *arg)
{
	(void)arg;
	wait_for_start();
	put("stats", "state: running\nexits: 2000000\nregisters: 300\nstale_observations: 7\ngp_violations: 1\ndevice_violations: 2\npending: 3\n");
	put("control", "running 0\n");
	usleep(1500000);
	put("stats", "state: running\nexits: 2500000\nregisters: 400\nstale_observations: 7\ngp_violations: 1\ndevice_violations: 2\npending: 3\n");
	usleep(1000000);
	put("stats", done_stats);
	put("control", "done 1500\n");
	return NULL;
}

static void test_progress(void **state)
{
	pthread_t t;
	struct kv_set kv = { 0 };
	struct result *r = calloc(1, sizeof(*r));
	char *out = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	(void)state;
	put("control", "done 10\n");
	pthread_create(&t, NULL, fake_running_module, NULL);
	assert_int_equal(run_cell(&kv, 2500, "x", r, f, 1), EX_OK);
	pthread_join(t, NULL);
	fclose(f);
	p = strstr(out, "\r    1.");
	assert_non_null(p);		/* a line at about 1 s */
	assert_non_null(strstr(p, "stale 7  violations 3  pending 3"));
	/* 300 registers over the ~1 s since the start: a rate, not a total */
	p = strstr(p, "registers/s ");
	assert_non_null(p);
	assert_in_range(atoi(p + 12), 200, 300);
	p = strstr(out, "\r    1.");
	p = strstr(p, "exits/s ");
	assert_non_null(p);		/* 2M exits in ~1 s: ~2000k/s */
	assert_true(atof(p + 8) > 1500 && atof(p + 8) <= 2000);
	assert_int_equal(p[8 + strspn(p + 8, "0123456789.")], 'k');
	/* The line at ~2 s: 100 more registers in ~1 s (the total is 400). */
	p = strstr(out, "\r    2.");
	assert_non_null(p);
	p = strstr(p, "registers/s ");
	assert_non_null(p);
	assert_in_range(atoi(p + 12), 80, 100);
	assert_int_equal(out[len - 1], '\n');		/* the line is kept */
	assert_true(r->pass);
	free(out);
	free(r);
	put("stats", done_stats);
}

static void test_busy(void **state)
{
	struct kv_set kv = { 0 };
	struct result *r = calloc(1, sizeof(*r));

	(void)state;
	put("control", "running 10\n");
	assert_int_equal(run_cell(&kv, 1000, "x", r, stderr, 0), EX_BUSY);
	free(r);
}

static void test_signal(void **state)
{
	(void)state;
	assert_int_equal(sig_install(), 0);
	assert_int_equal(sig_pending(), 0);
	raise(SIGTERM);		/* handled: the process goes on */
	assert_int_equal(sig_pending(), SIGTERM);
	raise(SIGINT);
	assert_int_equal(sig_pending(), SIGINT);
	assert_int_equal(sig_install(), 0);
	assert_int_equal(sig_pending(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_cell),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_signal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
