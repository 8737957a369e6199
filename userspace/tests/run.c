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

static void put(const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
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

/* The module's part: see "start" written, then report the run done. */
static void *fake_module(void *arg)
{
	char buf[64] = "";
	int i;

	(void)arg;
	for (i = 0; i < 100 && strcmp(buf, "start"); i++) {
		usleep(20000);
		if (dbg_read("control", buf, sizeof(buf)) < 0)
			buf[0] = '\0';
	}
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
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_signal),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
