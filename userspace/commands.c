// SPDX-License-Identifier: GPL-2.0
/* The commands of iobus-stress, their table and the dispatcher. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "args.h"
#include "compare.h"
#include "debugfs.h"
#include "expect.h"
#include "fleet_report.h"
#include "kvm.h"
#include "kvm_guest.h"
#include "output.h"
#include "commands.h"
#include "provenance.h"
#include "report.h"
#include "run.h"
#include "sig.h"

#define F_OUTPUTS (F_JSON | F_CSV | F_SVG | F_TAP)

static int cmd_run(const struct cmd_env *env);
static int cmd_matrix(const struct cmd_env *env);
static int cmd_boot(const struct cmd_env *env);
static int cmd_stats(const struct cmd_env *env);
static int cmd_control(const struct cmd_env *env);
static int cmd_help(const struct cmd_env *env);
static int cmd_report(const struct cmd_env *env);

/* One line per command: adding a command is adding its line. */
static const struct command commands[] = {
	{ "run", cmd_run, F_DURATION | F_MODULE | F_OUTPUTS | F_KEYS,
	  NEED_MODULE, "one stress run with progress and a result",
	  "usage: iobus-stress run [--KEY VALUE ...] [--duration S] [--module PATH]\n"
	  "                        [--json FILE|-] [--csv FILE|-] [--tap] [--svg FILE|-]\n"
	  "Load the module if needed, configure, start, show progress, stop after\n"
	  "--duration seconds (default 5) or Ctrl-C, print the result.  Exit 1 when\n"
	  "the verdict is fail.\n" },
	{ "matrix", cmd_matrix,
	  F_DURATION | F_MODULE | F_OUTPUTS | F_KEYS | F_LISTS, NEED_MODULE,
	  "the expected-outcome table, cell by cell",
	  "usage: iobus-stress matrix [--duration S] [--reclaim LIST] [--pattern LIST]\n"
	  "                           [--KEY VALUE ...] [output flags]\n"
	  "Run every cell of the expected-outcome table (default: all reclaim\n"
	  "strategies x exit,block,cached, plus unregister=async), --duration S each\n"
	  "(default 3).  Exit 1 on any unexpected cell.  Interrupted, it reports the\n"
	  "cells that ran.\n" },
	{ "boot", cmd_boot,
	  F_DURATION | F_REPEAT | F_MODULE | F_OUTPUTS | F_KEYS | F_LISTS |
	  F_EARLY, NEED_MODULE, "the VM boot model per reclaim strategy",
	  "usage: iobus-stress boot [--devices K] [--early N] [--readers R]\n"
	  "                         [--reclaim LIST] [--repeat N] [--KEY VALUE ...] [output flags]\n"
	  "The VM boot model per strategy: register p50, the first vCPU creation,\n"
	  "vCPU-create p50 and boot total, each as a ratio to sync-expedited;\n"
	  "medians of --repeat runs (5), and the first vCPU's range over them.\n"
	  "--svg draws their latency histograms.\n" },
	{ "stats", cmd_stats, F_JSON | F_CSV, NEED_LOADED,
	  "print the module's stats (--json/--csv for JSON/CSV)",
	  "usage: iobus-stress stats [--json FILE|-] [--csv FILE|-]\n"
	  "The stats of the last or current run; never loads the module.\n" },
	{ "stop", cmd_control, 0, NEED_LOADED, "stop a run in progress",
	  "usage: iobus-stress stop\nStop a run in progress (waits for its teardown).\n" },
	{ "reset", cmd_control, 0, NEED_LOADED,
	  "clear the results of the last run",
	  "usage: iobus-stress reset\nClear the results of the last run.\n" },
	{ "report", cmd_report, F_JSON | F_SVG | F_FILES | F_SORT, NEED_FILES,
	  "FILE...: kvm results of many hosts and kernels, one table",
	  "usage: iobus-stress report [--sort kernel|host] [--json FILE|-] [--svg FILE|-]\n"
	  "                           FILE.json [FILE.json ...]\n"
	  "Many `iobus-stress kvm --json` files, one table: a row per kernel, host (the\n"
	  "provenance's CPU model and count, machine, KVM backend, nested) and --early\n"
	  "count, with HZ, clocksource, the files and VMs behind it, the diagnosis\n"
	  "(present/absent/inconclusive; the count of each when the files differ) and\n"
	  "the median of the files' p50s: diagnosis ratio, 1st memslot update after the\n"
	  "registrations and in a VM with none, KVM_CREATE_VCPU, 1st deassign, deassign\n"
	  "with a guest running.  --sort kernel (default: version order) or host.\n"
	  "--json: the rows; --svg: a bar chart of the 1st memslot updates, log scale.\n"
	  "Files are read before any output is opened.  exit codes: 0 ok, 2 no files, a\n"
	  "file twice, bad flag, or a result of another kind (boot, run/matrix, compare),\n"
	  "9 a file cannot be read or an output written, 11 not JSON or not a result.\n" },
	{ "help", cmd_help, F_ARG, NEED_NOTHING, "help [COMMAND], --help, --version",
	  "usage: iobus-stress help [COMMAND]\n" },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

void cli_usage(FILE *f, const char *cmd)
{
	const struct command *c = cmd ? find_command(cmd) : NULL;
	char flag[64], vals[256];
	size_t i;

	if (cmd && !strcmp(cmd, "kvm")) {
		kvm_usage(f);
		return;
	}
	if (cmd && !strcmp(cmd, "compare")) {
		compare_usage(f);
		return;
	}
	if (c) {
		fputs(c->usage, f);
		return;
	}
	fprintf(f, "usage: iobus-stress COMMAND [options]\n\ncommands:\n");
	for (i = 0; i < N_COMMANDS; i++)
		fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].summary);
	/* kvm parses its own flags (userspace/kvm.c): not in the table. */
	fprintf(f, "  %-8s %s\n", "kvm",
		"the same experiments through /dev/kvm (iobus-stress kvm --help)");
	/* compare parses its own flags too (userspace/compare.c). */
	fprintf(f, "  %-8s %s\n", "compare",
		"BASE.json NEW.json: the regression gate (iobus-stress compare --help)");
	fprintf(f, "\noutput flags: --json FILE|-  --csv FILE|-  --tap  --svg FILE|-  (one on stdout)\n"
		"other flags:  --duration S  --module PATH  --reclaim LIST  --pattern LIST\n"
		"              --repeat N  --early N (= --early-devices N)  --sort kernel|host\n"
		"flags take their value as --flag VALUE or --flag=VALUE; -- ends them;\n"
		"numbers are decimal.\n\n"
		"module config flags (--KEY VALUE; docs/interface.md explains each):\n");
	for (i = 0; i < n_key_specs; i++) {
		const struct key_spec *k = &key_specs[i];

		key_flag(k, flag, sizeof(flag));
		if (k->values)
			fprintf(f, "  --%-18s %s\n", flag,
				key_values(k, vals, sizeof(vals)));
		else
			fprintf(f, "  --%-18s %llu..%llu\n", flag, k->min, k->max);
	}
	fprintf(f, "\nexit codes: 0 pass, 1 fail, 2 usage, 3 not root,\n"
		"4 skipped (--tap: not root, no debugfs, no module, no /dev/kvm),\n"
		"5 debugfs not mounted, 6 module not found or not loaded, 7 busy,\n"
		"8 config rejected by the module (or its keys differ from the driver's),\n"
		"9 I/O error, 10 module failed to load,\n"
		"11 compare, report: an input is not JSON or not a result,\n"
		"12 kvm: no usable /dev/kvm, 13 kvm: a KVM ioctl failed,\n"
		"128+N interrupted by signal N (130 SIGINT, 143 SIGTERM)\n");
}

static void cell_name(char *buf, size_t len, const char *reclaim,
		      const char *pattern, const char *extra)
{
	snprintf(buf, len, "%s/%s%s%s", reclaim, pattern, *extra ? "/" : "",
		 extra);
}

/* The cells of `matrix` and `boot` as kv sets with names (any number). */
struct cell {
	char name[64];
	struct kv_set kv;
};

struct cells {
	int n, cap;
	struct cell *c;
};

static int cells_add(struct cells *cs, const struct kv_set *base,
		     const char *reclaim, const char *pattern,
		     const char *extra_key, const char *extra_val)
{
	char err[160], extra[64] = "";
	struct cell *c;

	if (cs->n == cs->cap) {
		int cap = cs->cap ? 2 * cs->cap : 32;
		struct cell *grown = realloc(cs->c, cap * sizeof(*grown));

		if (!grown) {
			fprintf(stderr, "iobus-stress: out of memory for %d cells\n",
				cap);
			return -1;
		}
		cs->c = grown;
		cs->cap = cap;
	}
	c = &cs->c[cs->n];
	c->kv = *base;
	if (kv_set_put(&c->kv, "reclaim", reclaim, err, sizeof(err)) ||
	    (pattern && kv_set_put(&c->kv, "pattern", pattern, err, sizeof(err))) ||
	    (extra_key && kv_set_put(&c->kv, extra_key, extra_val, err,
				     sizeof(err)))) {
		fprintf(stderr, "iobus-stress: %s\n", err);
		return -1;
	}
	if (extra_key)
		snprintf(extra, sizeof(extra), "%s=%s", extra_key, extra_val);
	if (pattern)
		cell_name(c->name, sizeof(c->name), reclaim, pattern, extra);
	else
		snprintf(c->name, sizeof(c->name), "%s", reclaim);
	cs->n++;
	return 0;
}

static int default_key(struct kv_set *kv, const char *key, const char *val)
{
	char err[160];

	if (kv_set_get(kv, key) || !kv_set_put(kv, key, val, err, sizeof(err)))
		return 0;
	fprintf(stderr, "iobus-stress: %s\n", err);
	return -1;
}

static int build_cells(const struct cli *c, struct cells *cs, int boot)
{
	struct kv_set base = c->kv;
	int i, j;

	memset(cs, 0, sizeof(*cs));
	if (boot ? default_key(&base, "workload", "boot") ||
		   default_key(&base, "devices", "40") :
		   default_key(&base, "probe_us", "2000"))
		return -1;
	if (c->n_reclaim) {
		for (i = 0; i < c->n_reclaim; i++)
			if (boot) {
				if (cells_add(cs, &base, c->reclaim[i], NULL, NULL, NULL))
					return -1;
			} else {
				for (j = 0; j < (c->n_pattern ? c->n_pattern : 3); j++)
					if (cells_add(cs, &base, c->reclaim[i],
						      c->n_pattern ? c->pattern[j] :
						      pattern_names[j], NULL, NULL))
						return -1;
			}
	} else {
		for (i = 0; reclaim_names[i]; i++) {
			struct kv_set kv = base;

			/*
			 * The unsafe control: a long growth phase (1000
			 * registers, no synchronous unregister between them)
			 * frees many buses under the readers; with 32 devices
			 * an exit cell once saw no violation in 2 s.
			 */
			if (!boot && reclaim_is_control(reclaim_names[i]) &&
			    default_key(&kv, "devices", "1000"))
				return -1;
			if (boot) {
				if (!reclaim_is_control(reclaim_names[i]) &&
				    cells_add(cs, &base, reclaim_names[i], NULL,
					      NULL, NULL))
					return -1;
				continue;
			}
			for (j = 0; c->n_pattern ? j < c->n_pattern : !!pattern_names[j]; j++)
				if (cells_add(cs, &kv, reclaim_names[i],
					      c->n_pattern ? c->pattern[j] :
					      pattern_names[j], NULL, NULL))
					return -1;
		}
	}
	/*
	 * Negative control of the device lifetime: unregister=async.  Longer
	 * read sections widen the window in which a reader still holding the
	 * old bus reaches the freed device (64 missed it in one of two runs).
	 */
	if (!boot && !c->n_reclaim && !c->n_pattern) {
		struct kv_set ctl = base;

		/* A small bus fills fast: unregisters start early even when
		 * a loaded host makes registers slow. */
		if (default_key(&ctl, "block_len", "1024") ||
		    default_key(&ctl, "devices", "8") ||
		    cells_add(cs, &ctl, "sync-expedited", "cached", "unregister",
			      "async"))
			return -1;
	}
	return 0;
}

static int count_outcome(const struct result *r, int n, enum outcome o)
{
	int i, k = 0;

	for (i = 0; i < n; i++)
		k += r[i].outcome == o;
	return k;
}

static int cmd_cells(const struct cmd_env *env, int boot)
{
	const struct cli *c = env->cli;
	FILE *human = env->human;
	struct cells cs;
	struct result *r;
	unsigned int dur = c->duration_set ? c->duration_ms :
			   boot ? 300000 : 3000;
	unsigned int rep = boot && c->repeat ? c->repeat : boot ? 5 : 1;
	int i, n = 0, ret = EX_OK, out, failed = 0;
	unsigned int k;

	if (build_cells(c, &cs, boot)) {
		free(cs.c);
		return EX_USAGE;
	}
	r = calloc((size_t)cs.n * rep, sizeof(*r));
	if (!r) {
		fprintf(stderr, "iobus-stress: out of memory for %d results\n",
			cs.n * (int)rep);
		free(cs.c);
		return EX_IO;
	}
	for (i = 0; i < cs.n && !ret && !sig_pending(); i++) {
		for (k = 0; k < rep && !sig_pending(); k++) {
			/* N/M and the time left at --duration per run */
			unsigned int done = (unsigned int)i * rep + k;
			unsigned int total = (unsigned int)cs.n * rep;

			fprintf(human, "  [%u/%u, %.0f s left] %-40s%s", done + 1,
				total, (double)(total - done) * dur / 1000.0,
				cs.c[i].name, isatty(fileno(human)) ? "\r" : "\n");
			fflush(human);
			ret = run_cell(&cs.c[i].kv, dur, cs.c[i].name, &r[n],
				       human, 0);
			if (ret == EX_REJECTED && !c->n_reclaim &&
			    reclaim_is_optional(kv_set_get(&cs.c[i].kv, "reclaim"))) {
				fprintf(stderr, "iobus-stress: skipping %s: this module does not offer it\n",
					cs.c[i].name);
				ret = EX_OK;
				break;
			}
			if (ret)
				break;	/* report the cells that finished */
			failed += r[n].outcome == OUT_FAIL;
			n++;
		}
	}
	if (boot)
		report_boot(human, r, n);
	else
		report_matrix(human, r, n);
	out = outputs_write(env->out, r, n, boot ? "iobus-stress boot model" :
					    "iobus-stress matrix");
	if (!ret)
		ret = out;
	if (!ret && failed) {
		fprintf(stderr, "iobus-stress: %d of %d cells failed\n", failed, n);
		ret = EX_FAIL;
	}
	fprintf(human, "verdict: %s: %d run%s, %d failed, %d inconclusive%s\n",
		failed ? "FAIL" : n ? "pass" : "nothing ran", n, n == 1 ? "" : "s",
		failed, count_outcome(r, n, OUT_INCONCLUSIVE),
		sig_pending() ? " (interrupted)" : "");
	free(r);
	free(cs.c);
	return ret;
}

static int cmd_matrix(const struct cmd_env *env)
{
	return cmd_cells(env, 0);
}

static int cmd_boot(const struct cmd_env *env)
{
	return cmd_cells(env, 1);
}

static int cmd_run(const struct cmd_env *env)
{
	const struct cli *c = env->cli;
	struct result *r = calloc(1, sizeof(*r));
	char name[64];
	const char *rc = kv_set_get(&c->kv, "reclaim");
	const char *pat = kv_set_get(&c->kv, "pattern");
	int ret, out;

	if (!r) {
		fprintf(stderr, "iobus-stress: out of memory\n");
		return EX_IO;
	}
	cell_name(name, sizeof(name), rc ? rc : "default", pat ? pat : "default",
		  "");
	ret = run_cell(&c->kv, c->duration_set ? c->duration_ms : 5000, name,
		       r, env->human, isatty(fileno(env->human)));
	if (!ret) {
		/* Name the run by what the module ran, defaults included. */
		cell_name(r->name, sizeof(r->name),
			  stats_get(&r->st, "reclaim") ?: "?",
			  stats_get(&r->st, "pattern") ?: "?", "");
		report_run(env->human, r);
		out = outputs_write(env->out, r, 1, "iobus-stress run");
		if (out)
			ret = out;
		else if (r->outcome == OUT_FAIL) {
			fprintf(stderr, "iobus-stress: the run failed: %s\n",
				r->why);
			ret = EX_FAIL;
		}
	}
	free(r);
	return ret;
}

static int cmd_stats(const struct cmd_env *env)
{
	struct result *r;
	char *buf, err[200];
	long n = dbg_read("stats", &buf);
	int ret;

	if (n < 0) {
		fprintf(stderr, "iobus-stress: cannot read %s/stats: %s\n",
			dbg_dir(), strerror((int)-n));
		return EX_IO;
	}
	if (!env->cli->json && !env->cli->csv) {
		fputs(buf, stdout);
		free(buf);
		return EX_OK;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		free(buf);
		fprintf(stderr, "iobus-stress: out of memory\n");
		return EX_IO;
	}
	snprintf(r->name, sizeof(r->name), "stats");
	if (stats_parse(&r->st, buf, err, sizeof(err)) < 0) {
		fprintf(stderr, "iobus-stress: %s/stats: %s\n", dbg_dir(), err);
		ret = EX_IO;
	} else {
		r->outcome = cell_judge(&r->st, r->why, sizeof(r->why));
		ret = outputs_write(env->out, r, 1, "stats");
	}
	free(buf);
	free(r);
	return ret;
}

static int cmd_control(const struct cmd_env *env)
{
	const char *what = env->cli->cmd;
	int err = dbg_write("control", what);

	if (err) {
		fprintf(stderr, "iobus-stress: %s failed: %s%s\n", what,
			strerror(-err),
			err == -EBUSY ? " (a run is in progress: iobus-stress stop)" : "");
		return err == -EBUSY ? EX_BUSY : EX_IO;
	}
	return EX_OK;
}

static int cmd_report(const struct cmd_env *env)
{
	const struct cli *c = env->cli;

	return fr_main((const char *const *)c->files, c->nfiles, c->sort,
		       c->json, c->svg, env->human);
}

static int cmd_help(const struct cmd_env *env)
{
	const char *arg = env->cli->arg;

	if (arg && !find_command(arg) && strcmp(arg, "kvm") &&
	    strcmp(arg, "compare")) {
		fprintf(stderr, "iobus-stress: help: unknown command '%s'\n", arg);
		return EX_USAGE;
	}
	cli_usage(stdout, arg);
	return EX_OK;
}

/* Flush the human report; a lost report is an error like a lost file. */
static int flush_human(FILE *human, int ret)
{
	if (fflush(human) || ferror(human)) {
		fprintf(stderr, "iobus-stress: cannot write the report to %s: %s\n",
			human == stdout ? "stdout" : "stderr", strerror(errno));
		if (!ret)
			ret = EX_IO;
	}
	return ret;
}

static int dispatch(const struct command *cmd, struct cli *c,
		    const char *argv0)
{
	struct outputs out = { { c->json, c->csv, c->svg, c->tap ? "-" : NULL },
			       { NULL } };
	struct cmd_env env = { c, stdout, &out };
	char err[512];
	int ret;

	if (cmd->need != NEED_NOTHING && cmd->need != NEED_FILES) {
		ret = outputs_open(&out);
		if (ret)
			return ret;
		ret = kernel_ready(c->module, argv0, cmd->need == NEED_MODULE,
				   err, sizeof(err));
		if (c->tap && (ret == EX_NOROOT || ret == EX_NODEBUGFS ||
			       (ret == EX_NOMODULE && cmd->need == NEED_MODULE))) {
			/*
			 * A missing environment (not root, no debugfs, no
			 * module) is a skip, as kselftest has it: "1..0 #
			 * SKIP reason", exit 4.  A .ko that fails to load
			 * (EX_LOADFAIL) is a failure.
			 */
			write_tap_skip(out.f[OUT_TAP], err);
			outputs_close(&out);
			fprintf(stderr, "iobus-stress: skipped: %s\n", err);
			return flush_human(stdout, EX_SKIP);
		}
		if (!ret && cmd->need == NEED_MODULE)
			ret = module_keys_check(err, sizeof(err));
		if (ret) {
			outputs_close(&out);
			fprintf(stderr, "iobus-stress: %s\n", err);
			return ret;
		}
		if (sig_install()) {
			outputs_close(&out);
			fprintf(stderr, "iobus-stress: cannot install signal handlers: %s\n",
				strerror(errno));
			return EX_IO;
		}
	}
	/* Machine output on stdout moves the human tables to stderr. */
	if (outputs_use_stdout(&out))
		env.human = stderr;
	ret = cmd->fn(&env);
	outputs_close(&out);	/* after an error before the writes */
	ret = flush_human(env.human, ret);
	if (sig_pending()) {
		fprintf(stderr, "iobus-stress: interrupted by signal %d\n",
			sig_pending());
		return EX_SIGNAL + sig_pending();
	}
	return ret;
}

/* -h or --help anywhere before "--": no provenance (and no HZ measurement). */
static int want_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	return !strcmp(argv[1], "help");
}

int cli_main(int argc, char **argv)
{
	static struct provenance prov;
	struct cli c;
	const struct command *cmd;
	char err[512];
	int ret;

	memset(&c, 0, sizeof(c));
	if (argc < 2) {
		cli_usage(stderr, NULL);
		fprintf(stderr, "iobus-stress: no command given\n");
		return EX_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(stdout, NULL);
		return flush_human(stdout, EX_OK);
	}
	if (!strcmp(argv[1], "--version")) {
		printf("iobus-stress %s\n", ibs_version());
		return flush_human(stdout, EX_OK);
	}
	if (!strcmp(argv[1], "compare")) {
		provenance_collect(&prov, argc, argv, 0);
		provenance_set_self(&prov);
		return cmd_compare(argc - 1, argv + 1);
	}
	cmd = find_command(argv[1]);
	/*
	 * Every result file records where it came from; a command that only
	 * reads files does not measure HZ (up to 2 s without a kernel config).
	 */
	if (!want_help(argc, argv)) {
		provenance_collect(&prov, argc, argv,
				   !cmd || cmd->need != NEED_FILES);
		provenance_set_self(&prov);
	}
	if (!strcmp(argv[1], "kvm"))
		return cmd_kvm(argc - 1, argv + 1);
	if (!cmd) {
		fprintf(stderr, "iobus-stress: unknown command '%s' (iobus-stress --help lists them)\n",
			argv[1]);
		return EX_USAGE;
	}
	ret = cli_parse(&c, cmd->flags, argc, argv, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "iobus-stress: %s (see iobus-stress help %s)\n",
			err, cmd->name);
	} else if (c.help) {
		cli_usage(stdout, cmd->name);
		ret = flush_human(stdout, EX_OK);
	} else {
		ret = dispatch(cmd, &c, argv[0]);
	}
	cli_free(&c);
	return ret;
}
