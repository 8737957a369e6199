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

#include <sys/wait.h>

#include "commands.h"
#include "debugfs.h"
#include "run.h"
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
/* Wait (@ms at most) until the control file starts with @word; 1 if so. */
static int wait_for(const char *word, int ms)
{
	char *buf = NULL;
	int i, seen = 0;

	for (i = 0; i < ms / 20 && !seen; i++) {
		usleep(20000);
		if (dbg_read("control", &buf) >= 0)
			seen = !strncmp(buf, word, strlen(word));
		free(buf);
		buf = NULL;
	}
	return seen;
}

static void wait_for_start(void)
{
	wait_for("start", 2000);
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
	char err[128], *buf;

	(void)state;
	put("control", "done 10\n");
	kv_set_put(&kv, "reclaim", "poll", err, sizeof(err));
	pthread_create(&t, NULL, fake_module, NULL);
	assert_int_equal(run_cell(&kv, 1500, "poll/exit", r, stderr, 0), EX_OK);
	pthread_join(t, NULL);
	assert_true(dbg_read("config", &buf) > 0);
	assert_string_equal(buf, "defaults reclaim=poll duration_ms=1500");
	free(buf);
	assert_int_equal(r->outcome, OUT_PASS);
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
	assert_int_equal(r->outcome, OUT_PASS);
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
	assert_int_equal(sig_install(), 0);
	assert_int_equal(sig_pending(), 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
}

/* iobus-stress ARGS... in a child against the fake debugfs. */
static pid_t start_driver(const char *outpath, char **argv)
{
	int argc = 0;
	pid_t pid;
	FILE *f;

	while (argv[argc])
		argc++;
	pid = fork();
	assert_true(pid >= 0);
	if (!pid) {
		f = freopen(outpath, "w", stdout);
		if (!f || dup2(fileno(stdout), 2) < 0)
			_exit(99);
		_exit(cli_main(argc, argv));
	}
	return pid;
}

static char *slurp(const char *path)
{
	static char buf[65536];
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, sizeof(buf) - 1, f) : 0;

	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

static int exit_of(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The module runs until SIGINT; then "stop" is awaited; 1 if written. */
static int sigint_while_running(pid_t pid)
{
	int stopped;

	put("control", "running 0\n");
	usleep(300000);
	kill(pid, SIGINT);
	stopped = wait_for("stop", 3000);
	put("control", "done 300\n");
	return stopped;
}

/*
 * `matrix` over poll x exit,block,cached with KTAP and JSON (paths in
 * @json and @out, 64 bytes each), its first cell finished and its second
 * started.
 */
static pid_t start_matrix(const char *tag, char *json, char *out)
{
	static char *argv[] = { "iobus-stress", "matrix", "--duration", "60",
				"--reclaim", "poll", "--pattern",
				"exit,block,cached", "--tap", "--json", NULL,
				NULL };
	pid_t pid;

	snprintf(json, 64, "%s/%s.json", dir, tag);
	snprintf(out, 64, "%s/%s.out", dir, tag);
	argv[10] = json;
	put("stats", done_stats);
	put("control", "done 10\n");
	pid = start_driver(out, argv);
	assert_true(wait_for("start", 3000));
	put("control", "done 60000\n");		/* cell 1 ran its course */
	assert_true(wait_for("start", 3000));
	return pid;
}

/* SIGINT during `run`: the module is told to stop, the report is written,
 * the exit code is 128 + SIGINT. */
static void test_sigint_run(void **state)
{
	char json[64], out[64];
	char *argv[] = { "iobus-stress", "run", "--duration", "60", "--json",
			 json, NULL };
	pid_t pid;
	int stopped;

	(void)state;
	snprintf(json, sizeof(json), "%s/run.json", dir);
	snprintf(out, sizeof(out), "%s/run.out", dir);
	put("stats", done_stats);
	put("control", "done 10\n");
	pid = start_driver(out, argv);
	assert_true(wait_for("start", 3000));
	stopped = sigint_while_running(pid);
	assert_int_equal(exit_of(pid), 130);
	assert_true(stopped);	/* the driver wrote "stop" */
	assert_non_null(strstr(slurp(json), "\"outcome\": \"interrupted\""));
	assert_non_null(strstr(slurp(out), "interrupted by signal 2"));
}

/* SIGINT in the second of three cells: KTAP and JSON of the two that ran. */
static void test_sigint_matrix(void **state)
{
	char json[64], out[64], *o;
	pid_t pid;
	int stopped;

	(void)state;
	pid = start_matrix("m", json, out);
	stopped = sigint_while_running(pid);
	assert_int_equal(exit_of(pid), 130);
	assert_true(stopped);
	o = slurp(out);
	assert_non_null(strstr(o, "KTAP version 1\n1..2\n"));
	assert_non_null(strstr(o, "\nok 1 poll/exit\n"));
	assert_non_null(strstr(o, "\nok 2 poll/block # SKIP interrupted"));
	assert_null(strstr(o, "poll/cached"));
	o = slurp(json);
	assert_non_null(strstr(o, "\"name\": \"poll/block\""));
	assert_null(strstr(o, "poll/cached"));
}

/* A second signal while the module is stuck stopping: the default action,
 * with a message. */
static void test_second_signal(void **state)
{
	char out[64];
	char *argv[] = { "iobus-stress", "run", "--duration", "60", NULL };
	pid_t pid;

	(void)state;
	snprintf(out, sizeof(out), "%s/s.out", dir);
	put("control", "done 10\n");
	pid = start_driver(out, argv);
	assert_true(wait_for("start", 3000));
	put("control", "running 0\n");
	usleep(200000);
	kill(pid, SIGINT);
	assert_true(wait_for("stop", 3000));
	put("control", "stopping 0\n");		/* and it stays there */
	usleep(300000);
	kill(pid, SIGINT);
	assert_int_equal(exit_of(pid), -SIGINT);
	assert_non_null(strstr(slurp(out), "second signal"));
	put("control", "done 10\n");
}

/* A failure in the middle of a matrix: the finished cells are reported. */
static void test_matrix_failure_midway(void **state)
{
	char json[64], out[64], path[300], *o;
	pid_t pid;

	(void)state;
	pid = start_matrix("f", json, out);
	snprintf(path, sizeof(path), "%s/stats", dir);
	unlink(path);				/* cell 2 cannot be read */
	put("control", "done 60000\n");
	assert_int_equal(exit_of(pid), EX_IO);
	o = slurp(out);
	assert_non_null(strstr(o, "cannot read "));
	assert_non_null(strstr(o, "KTAP version 1\n1..1\n"));
	assert_non_null(strstr(o, "\nok 1 poll/exit\n"));
	assert_non_null(strstr(slurp(json), "\"name\": \"poll/exit\""));
	put("stats", done_stats);
}

/* stats --json judges the stats: pass only from a passing verdict. */
static void test_stats_json_pass(void **state)
{
	char json[64], out[64];
	char *argv[] = { "iobus-stress", "stats", "--json", json, NULL };

	(void)state;
	snprintf(json, sizeof(json), "%s/st.json", dir);
	snprintf(out, sizeof(out), "%s/st.out", dir);
	put("stats", done_stats);
	assert_int_equal(exit_of(start_driver(out, argv)), 0);
	assert_non_null(strstr(slurp(json), "\"pass\": true,\n   \"outcome\": \"pass\""));
	put("stats", "state: done\nstale_observations: 0\ngp_violations: 0\ndevice_violations: 0\nleaked: 0\nexpect: stale>0,gp=0,dev=0\nverdict: fail: stale_observations=0(expected >0)\n");
	assert_int_equal(exit_of(start_driver(out, argv)), 0);
	assert_non_null(strstr(slurp(json), "\"pass\": false,\n   \"outcome\": \"fail\""));
	put("stats", done_stats);
}

/* The driver's exit, failing the test if it started a run instead. */
static int refused(const char *out, char **argv)
{
	pid_t pid = start_driver(out, argv);

	if (wait_for("start", 1500)) {
		put("control", "done 100\n");
		exit_of(pid);
		fail_msg("the driver started a run: %s", slurp(out));
	}
	return exit_of(pid);
}

/*
 * A loaded module whose keys file differs from the driver's keys (another
 * version): `run` refuses before writing any config, exit 8, one line
 * naming the difference; with no keys file (an older module) a note, and
 * the run goes on.
 */
static void test_module_keys(void **state)
{
	char out[64], path[300];
	char *argv[] = { "iobus-stress", "run", "--duration", "0.1", NULL };
	const char *o;
	pid_t pid;

	(void)state;
	snprintf(out, sizeof(out), "%s/keys.out", dir);
	put("config", "untouched");
	put("control", "done 10\n");
	put("keys", "devices\tu32\t1..1000\t32\tranges\tdevices\n");
	assert_int_equal(refused(out, argv), EX_REJECTED);
	o = slurp(out);
	assert_non_null(strstr(o, "iobus-stress: the loaded module is not this driver's ("));
	assert_non_null(strstr(o, "its keys differ: devices: 1..1000 in the module, 1..2000 here;"));
	assert_non_null(strstr(o, "rmmod iobus_stress"));
	snprintf(path, sizeof(path), "%s/config", dir);
	assert_string_equal(slurp(path), "untouched");
	put("keys", "not a keys file\n");
	assert_int_equal(refused(out, argv), EX_REJECTED);
	assert_non_null(strstr(slurp(out), "its keys file: keys line 1 is not"));
	snprintf(path, sizeof(path), "%s/keys", dir);
	unlink(path);
	put("stats", done_stats);
	pid = start_driver(out, argv);
	assert_true(wait_for("start", 3000));
	put("control", "done 100\n");
	assert_int_equal(exit_of(pid), 0);
	assert_non_null(strstr(slurp(out), "note: the loaded module has no"));
	put("config", "");
}

/* The module's EINVAL is "rejected" (exit 8), with a reason line. */
static void test_rejected(void **state)
{
	struct kv_set kv = { 0 };
	struct result *r = calloc(1, sizeof(*r));
	char path[300];

	(void)state;
	put("control", "done 10\n");
	snprintf(path, sizeof(path), "%s/config", dir);
	unlink(path);
	assert_int_equal(mkdir(path, 0700), 0);	/* open for writing: EISDIR */
	assert_int_equal(run_cell(&kv, 1000, "x", r, stderr, 0), EX_IO);
	rmdir(path);
	put("config", "");
	free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_cell),
		cmocka_unit_test(test_module_keys),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_sigint_run),
		cmocka_unit_test(test_sigint_matrix),
		cmocka_unit_test(test_second_signal),
		cmocka_unit_test(test_matrix_failure_midway),
		cmocka_unit_test(test_rejected),
		cmocka_unit_test(test_stats_json_pass),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
