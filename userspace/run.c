// SPDX-License-Identifier: GPL-2.0
/* One run of the module: configure, start, wait, collect the results. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "expect.h"
#include "format.h"
#include "kernel.h"
#include "opts.h"
#include "result.h"
#include "sig.h"


static char stats_buf[64 * 1024];

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int control_state(char *state, size_t len)
{
	char buf[128];
	long n = dbg_read("control", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	if (sscanf(buf, "%31s", state) != 1 || len < 32)
		return -EIO;
	return 0;
}

static int read_results(struct result *r)
{
	char path[64];
	int m;

	if (dbg_read("stats", stats_buf, sizeof(stats_buf)) < 0)
		return EX_IO;
	stats_parse(&r->st, stats_buf);
	for (m = 0; m < RESULT_HISTS; m++) {
		snprintf(path, sizeof(path), "hist/%s", result_hist_names[m]);
		if (dbg_read(path, stats_buf, sizeof(stats_buf)) < 0)
			return EX_IO;
		hist_parse(&r->hist[m], stats_buf);
	}
	r->pass = cell_passes(&r->st, r->why, sizeof(r->why));
	return EX_OK;
}

/* Totals at the previous progress line, for rates since then. */
struct progress_prev {
	double t;
	unsigned long long exits, registers;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long rate(unsigned long long now, unsigned long long *prev,
			       double dt)
{
	unsigned long long d = now >= *prev ? now - *prev : now;

	*prev = now;
	return dt > 0 ? (unsigned long long)(d / dt) : 0;
}

/* The live line: rates since the last line, totals of the detectors. */
static void progress(FILE *f, double start, struct progress_prev *prev)
{
	struct stats *st = malloc(sizeof(*st));
	double t = now_s(), dt = t - prev->t;
	char a[16], b[16];

	if (!st || dbg_read("stats", stats_buf, sizeof(stats_buf)) < 0) {
		free(st);
		return;
	}
	stats_parse(st, stats_buf);
	prev->t = t;
	fprintf(f, "\r  %5.1fs  exits/s %-7s registers/s %-6s stale %llu  violations %llu  pending %llu   ",
		t - start,
		fmt_count(rate(stats_num(st, "exits", 0), &prev->exits, dt),
			  a, sizeof(a)),
		fmt_count(rate(stats_num(st, "registers", 0), &prev->registers,
			       dt), b, sizeof(b)),
		stats_num(st, "stale_observations", 0),
		stats_num(st, "gp_violations", 0) +
		stats_num(st, "device_violations", 0),
		stats_num(st, "pending", 0));
	fflush(f);
	free(st);
}

/*
 * One run of the module with @kv (plus duration_ms), waiting for its end
 * or a signal.  Fills @r; returns an exit code.
 */
int run_cell(const struct kv_set *kv, unsigned int duration_ms,
	     const char *name, struct result *r, FILE *human, int show)
{
	char cfg[2048], state[32], reason[256];
	struct kv_set k = *kv;
	struct progress_prev prev = { now_s(), 0, 0 };
	double start = prev.t;
	unsigned int waited = 0;
	int err, stopped = 0;

	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(cfg, sizeof(cfg), "%u", duration_ms);
	kv_set_put(&k, "duration_ms", cfg, reason, sizeof(reason));
	if (kv_set_format(&k, cfg, sizeof(cfg)))
		return EX_USAGE;
	if (control_state(state, sizeof(state)))
		return EX_IO;
	if (!strcmp(state, "running") || !strcmp(state, "stopping")) {
		fprintf(stderr, "iobus-stress: module busy: a run is in progress (iobus-stress stop)\n");
		return EX_BUSY;
	}
	err = dbg_write("config", cfg);
	if (err) {
		kernel_reason(reason, sizeof(reason));
		fprintf(stderr, "iobus-stress: the module rejected the config '%s': %s%s%s\n",
			cfg, strerror(-err), *reason ? ": " : "", reason);
		return err == -EBUSY ? EX_BUSY : EX_REJECTED;
	}
	err = dbg_write("control", "start");
	if (err) {
		fprintf(stderr, "iobus-stress: start failed: %s%s\n",
			strerror(-err),
			err == -EBUSY ? " (a run is in progress: iobus-stress stop)" : "");
		return err == -EBUSY ? EX_BUSY : EX_IO;
	}
	for (;;) {
		if (sig_pending() && !stopped) {
			stopped = 1;
			dbg_write("control", "stop");
		}
		if (control_state(state, sizeof(state)))
			return EX_IO;
		if (!strcmp(state, "done") || !strcmp(state, "idle"))
			break;
		sleep_ms(100);
		waited += 100;
		if (show && waited % 1000 == 0)
			progress(human, start, &prev);
	}
	if (show && waited >= 1000)	/* keep the last progress line */
		fputc('\n', human);
	return read_results(r);
}
