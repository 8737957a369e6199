// SPDX-License-Identifier: GPL-2.0
/* One run of the module: configure, start, wait, collect the results. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "debugfs.h"
#include "expect.h"
#include "run.h"
#include "sig.h"
#include "table.h"

const char *const result_hist_names[RESULT_HISTS] = {
	"register", "reclaim", "probe", "vcpu_create",
};

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* The first word of the control file; 0 or -errno. */
static int control_state(char *state, size_t len)
{
	char *buf;
	long n = dbg_read("control", &buf);
	int ret = 0;

	if (n < 0)
		return (int)n;
	if (len < 32 || sscanf(buf, "%31s", state) != 1)
		ret = -EIO;
	free(buf);
	return ret;
}

static int read_failed(const char *file, long err)
{
	fprintf(stderr, "iobus-stress: cannot read %s/%s: %s\n", dbg_dir(),
		file, strerror((int)-err));
	return EX_IO;
}

int read_results(struct result *r)
{
	char path[64], err[200], *buf;
	long n;
	int m;

	n = dbg_read("stats", &buf);
	if (n < 0)
		return read_failed("stats", n);
	if (stats_parse(&r->st, buf, err, sizeof(err)) < 0) {
		free(buf);
		fprintf(stderr, "iobus-stress: %s/stats: %s\n", dbg_dir(), err);
		return EX_IO;
	}
	free(buf);
	for (m = 0; m < RESULT_HISTS; m++) {
		snprintf(path, sizeof(path), "hist/%s", result_hist_names[m]);
		n = dbg_read(path, &buf);
		if (n < 0)
			return read_failed(path, n);
		if (hist_parse(&r->hist[m], buf, err, sizeof(err)) < 0) {
			free(buf);
			fprintf(stderr, "iobus-stress: %s/%s: %s\n", dbg_dir(),
				path, err);
			return EX_IO;
		}
		free(buf);
	}
	r->outcome = cell_judge(&r->st, r->why, sizeof(r->why));
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
	char a[16], b[16], err[200], *buf = NULL;

	/* A progress line is best effort: the final read reports errors. */
	if (!st || dbg_read("stats", &buf) < 0 ||
	    stats_parse(st, buf, err, sizeof(err)) < 0) {
		free(buf);
		free(st);
		return;
	}
	free(buf);
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

static int config_failed(int err, const char *cfg, int kmsg)
{
	char reason[256];

	kmsg_reason(kmsg, reason, sizeof(reason));
	/* EOPNOTSUPP: a strategy whose API this module's kernel lacks. */
	if (err == -EINVAL || err == -EOPNOTSUPP) {
		fprintf(stderr, "iobus-stress: the module rejected the config '%s'%s%s\n",
			cfg, *reason ? ": " : " (no reason in the kernel log)",
			reason);
		return EX_REJECTED;
	}
	if (err == -EBUSY) {
		fprintf(stderr, "iobus-stress: module busy: a run is in progress (iobus-stress stop)\n");
		return EX_BUSY;
	}
	fprintf(stderr, "iobus-stress: writing %s/config failed: %s\n",
		dbg_dir(), strerror(-err));
	return EX_IO;
}

int run_cell(const struct kv_set *kv, unsigned int duration_ms,
	     const char *name, struct result *r, FILE *human, int show)
{
	char cfg[2048], state[32], err_text[200];
	struct kv_set k = *kv;
	struct progress_prev prev = { now_s(), 0, 0 };
	double start = prev.t;
	unsigned int waited = 0;
	int err, stopped = 0, kmsg, ret;

	snprintf(r->name, sizeof(r->name), "%s", name);
	snprintf(cfg, sizeof(cfg), "%u", duration_ms);
	if (kv_set_put(&k, "duration_ms", cfg, err_text, sizeof(err_text))) {
		fprintf(stderr, "iobus-stress: %s\n", err_text);
		return EX_USAGE;
	}
	if (kv_set_format(&k, cfg, sizeof(cfg))) {
		fprintf(stderr, "iobus-stress: the config is longer than %zu bytes\n",
			sizeof(cfg));
		return EX_USAGE;
	}
	err = control_state(state, sizeof(state));
	if (err)
		return read_failed("control", err);
	if (!strcmp(state, "running") || !strcmp(state, "stopping")) {
		fprintf(stderr, "iobus-stress: module busy: a run is in progress (iobus-stress stop)\n");
		return EX_BUSY;
	}
	kmsg = kmsg_mark();
	err = dbg_write("config", cfg);
	if (err)
		return config_failed(err, cfg, kmsg);
	kmsg_reason(kmsg, err_text, sizeof(err_text));	/* closes it */
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
			err = dbg_write("control", "stop");
			if (err) {
				fprintf(stderr, "iobus-stress: writing stop to %s/control failed: %s\n",
					dbg_dir(), strerror(-err));
				return EX_IO;
			}
		}
		err = control_state(state, sizeof(state));
		if (err)
			return read_failed("control", err);
		if (!strcmp(state, "done") || !strcmp(state, "idle"))
			break;
		sleep_ms(100);
		waited += 100;
		if (show && waited % 1000 == 0)
			progress(human, start, &prev);
	}
	if (show && waited >= 1000)	/* keep the last progress line */
		fputc('\n', human);
	ret = read_results(r);
	if (!ret && stopped) {
		r->outcome = OUT_INTERRUPTED;
		snprintf(r->why, sizeof(r->why), "stopped by signal %d",
			 sig_pending());
	}
	return ret;
}
