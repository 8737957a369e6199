// SPDX-License-Identifier: GPL-2.0
/* Argument parsing, help, and the commands of iobus-stress. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "format.h"
#include "kernel.h"
#include "sig.h"

#define VERSION "0.1.0"

static const char *const commands[] = {
	"run", "matrix", "boot", "stats", "stop", "reset", "help", NULL,
};

void cli_usage(FILE *f, const char *cmd)
{
	size_t i;

	if (cmd && !strcmp(cmd, "run")) {
		fprintf(f, "usage: iobus-stress run [--KEY VALUE ...] [--duration S] [--module PATH]\n"
			"                        [--json FILE|-] [--csv FILE|-] [--tap] [--svg FILE]\n"
			"Load the module if needed, configure, start, show progress, stop after\n"
			"--duration seconds (default 5) or Ctrl-C, print the result.  Exit 1 when\n"
			"the verdict is fail.\n");
	} else if (cmd && !strcmp(cmd, "matrix")) {
		fprintf(f, "usage: iobus-stress matrix [--duration S] [--reclaim LIST] [--pattern LIST]\n"
			"                           [--KEY VALUE ...] [output flags]\n"
			"Run every cell of the expected-outcome table (default: all reclaim\n"
			"strategies x exit,block,cached, plus unregister=async), --duration S each\n"
			"(default 3).  Exit 1 on any unexpected cell.\n");
	} else if (cmd && !strcmp(cmd, "boot")) {
		fprintf(f, "usage: iobus-stress boot [--devices K] [--early N] [--readers R]\n"
			"                         [--reclaim LIST] [--repeat N] [--KEY VALUE ...] [output flags]\n"
			"The VM boot model per strategy: register p50, the first vCPU creation,\n"
			"vCPU-create p50 and boot total, each as a ratio to sync-expedited;\n"
			"medians of --repeat runs (5), and the first vCPU's range over them.\n"
			"--svg draws their latency histograms.\n");
	} else {
		fprintf(f, "usage: iobus-stress COMMAND [options]\n\ncommands:\n"
			"  run      one stress run with progress and a result\n"
			"  matrix   the expected-outcome table, cell by cell\n"
			"  boot     the VM boot model per reclaim strategy\n"
			"  stats    print the module's stats (--json for JSON)\n"
			"  stop     stop a run in progress\n"
			"  reset    clear the results of the last run\n"
			"  help [COMMAND], --help, --version\n\n"
			"output flags: --json FILE|-  --csv FILE|-  --tap  --svg FILE\n"
			"other flags:  --duration S  --module PATH  --reclaim LIST  --pattern LIST\n"
			"              --repeat N  --early N (= --early-devices)\n\n"
			"module config flags (--KEY VALUE; README.md explains each):\n");
		for (i = 0; i < n_key_specs; i++) {
			const struct key_spec *k = &key_specs[i];

			if (k->values)
				fprintf(f, "  --%-18s %s\n", k->name, k->values);
			else
				fprintf(f, "  --%-18s %llu..%llu\n", k->name,
					k->min, k->max);
		}
		fprintf(f, "\nexit codes: 0 pass, 1 fail, 2 usage, 3 not root, 4 skipped (--tap),\n"
			"5 debugfs not mounted, 6 module not found/loadable, 7 busy,\n"
			"8 config rejected by the module, 9 I/O error, 130/143 interrupted\n");
	}
}

static int parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!*s || *s == '-')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_seconds(const char *s, unsigned int *ms)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || end == s || !(v > 0) || v > 86400)
		return -1;
	*ms = (unsigned int)(v * 1000 + 0.5);
	return 0;
}

int cli_parse(struct cli *c, int argc, char **argv, char *err, size_t len)
{
	int i;

	for (i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			c->help = 1;
			continue;
		}
		if (!strcmp(a, "--tap")) {
			c->tap = 1;
			continue;
		}
		if (strncmp(a, "--", 2)) {
			snprintf(err, len, "unexpected argument '%s'", a);
			return EX_USAGE;
		}
		if (!v) {
			snprintf(err, len, "%s needs a value", a);
			return EX_USAGE;
		}
		i++;
		if (!strcmp(a, "--duration")) {
			if (parse_seconds(v, &c->duration_ms)) {
				snprintf(err, len, "bad value '%s' for --duration (seconds, > 0)", v);
				return EX_USAGE;
			}
			c->duration_set = 1;
		} else if (!strcmp(a, "--repeat")) {
			if (parse_uint(v, 100, &c->repeat) || !c->repeat) {
				snprintf(err, len, "bad value '%s' for --repeat (1..100)", v);
				return EX_USAGE;
			}
		} else if (!strcmp(a, "--module")) {
			c->module = v;
		} else if (!strcmp(a, "--json")) {
			c->json = v;
		} else if (!strcmp(a, "--csv")) {
			c->csv = v;
		} else if (!strcmp(a, "--svg")) {
			c->svg = v;
		} else if (!strcmp(a, "--early")) {
			if (kv_set_put(&c->kv, "early_devices", v, err, len))
				return EX_USAGE;
		} else if ((!strcmp(a, "--reclaim") || !strcmp(a, "--pattern")) &&
			   strcmp(c->cmd, "run")) {
			int pat = !strcmp(a, "--pattern");
			int n = list_parse(key_find(a), v,
					   pat ? c->pattern : c->reclaim,
					   CLI_MAX_LIST, err, len);

			if (n < 0)
				return EX_USAGE;
			*(pat ? &c->n_pattern : &c->n_reclaim) = n;
		} else if (kv_set_put(&c->kv, a + 2, v, err, len)) {
			return EX_USAGE;
		}
	}
	if (c->json && c->csv && !strcmp(c->json, "-") && !strcmp(c->csv, "-")) {
		snprintf(err, len, "--json - and --csv - cannot share stdout");
		return EX_USAGE;
	}
	return 0;
}

static FILE *open_out(const char *path)
{
	return strcmp(path, "-") ? fopen(path, "w") : stdout;
}

static void close_out(FILE *f)
{
	if (f && f != stdout)
		fclose(f);
}

/* Machine outputs of @n results; returns EX_IO on a write error. */
static int write_outputs(const struct cli *c, const struct result *r, int n,
			 const char *title)
{
	FILE *f;

	if (c->json) {
		f = open_out(c->json);
		if (!f)
			goto io;
		write_json(f, r, n);
		close_out(f);
	}
	if (c->csv) {
		f = open_out(c->csv);
		if (!f)
			goto io;
		write_csv(f, r, n);
		close_out(f);
	}
	if (c->svg) {
		f = open_out(c->svg);
		if (!f)
			goto io;
		write_svg(f, r, n, title);
		close_out(f);
	}
	return EX_OK;
io:
	fprintf(stderr, "iobus-stress: cannot write output: %s\n",
		strerror(errno));
	return EX_IO;
}

static void cell_name(char *buf, size_t len, const char *reclaim,
		      const char *pattern, const char *extra)
{
	snprintf(buf, len, "%s/%s%s%s", reclaim, pattern, *extra ? "/" : "",
		 extra);
}

/* The cells of `matrix` and `boot` as kv sets with names. */
struct cells {
	int n;
	char name[48][64];
	struct kv_set kv[48];
};

static void cells_add(struct cells *cs, const struct kv_set *base,
		      const char *reclaim, const char *pattern,
		      const char *extra_key, const char *extra_val)
{
	char err[160], extra[64] = "";
	struct kv_set *k;

	if (cs->n == 48)
		return;
	k = &cs->kv[cs->n];
	*k = *base;
	kv_set_put(k, "reclaim", reclaim, err, sizeof(err));
	if (pattern)
		kv_set_put(k, "pattern", pattern, err, sizeof(err));
	if (extra_key) {
		kv_set_put(k, extra_key, extra_val, err, sizeof(err));
		snprintf(extra, sizeof(extra), "%s=%s", extra_key, extra_val);
	}
	if (pattern)
		cell_name(cs->name[cs->n], sizeof(cs->name[0]), reclaim,
			  pattern, extra);
	else
		snprintf(cs->name[cs->n], sizeof(cs->name[0]), "%s", reclaim);
	cs->n++;
}

static const char *const all_reclaims[] = {
	"sync-expedited", "sync", "call-srcu", "expedited-worker", "poll",
	"hybrid", "expedite-current", "unsafe",
};
static const char *const boot_reclaims[] = {
	"sync-expedited", "sync", "call-srcu", "expedited-worker", "poll",
	"hybrid", "expedite-current",
};

/*
 * expedite-current needs srcu_expedite_current() in the kernel the module
 * was built for; the module's debugfs "compat" file says whether it was.
 * Asked for by name it is always run (the module refuses it, exit 8).
 */
static int reclaim_available(const char *rc)
{
	char buf[256];
	long n;

	if (strcmp(rc, "expedite-current"))
		return 1;
	n = dbg_read("compat", buf, sizeof(buf) - 1);
	if (n < 0)
		return 0;
	buf[n] = '\0';
	return strstr(buf, "srcu_expedite_current=yes") != NULL;
}
static const char *const all_patterns[] = { "exit", "block", "cached" };

static void default_key(struct kv_set *kv, const char *key, const char *val)
{
	char err[160];

	if (!kv_set_get(kv, key))
		kv_set_put(kv, key, val, err, sizeof(err));
}

static void build_cells(const struct cli *c, struct cells *cs, int boot)
{
	struct kv_set base = c->kv;
	int i, j, nr, np;
	const char *rc, *pat;

	memset(cs, 0, sizeof(*cs));
	if (boot) {
		default_key(&base, "workload", "boot");
		default_key(&base, "devices", "40");
	} else {
		default_key(&base, "probe_us", "2000");
	}
	nr = c->n_reclaim ? c->n_reclaim :
	     boot ? (int)(sizeof(boot_reclaims) / sizeof(boot_reclaims[0])) :
		    (int)(sizeof(all_reclaims) / sizeof(all_reclaims[0]));
	np = boot ? 1 : c->n_pattern ? c->n_pattern : 3;
	for (i = 0; i < nr; i++) {
		rc = c->n_reclaim ? c->reclaim[i] :
		     boot ? boot_reclaims[i] : all_reclaims[i];
		if (!c->n_reclaim && !reclaim_available(rc))
			continue;
		for (j = 0; j < np; j++) {
			pat = boot ? NULL :
			      c->n_pattern ? c->pattern[j] : all_patterns[j];
			cells_add(cs, &base, rc, pat, NULL, NULL);
		}
	}
	/*
	 * Negative control of the device lifetime: unregister=async.  Longer
	 * read sections widen the window in which a reader still holding the
	 * old bus reaches the freed device (64 missed it in one of two runs).
	 */
	if (!boot && !c->n_reclaim && !c->n_pattern) {
		struct kv_set ctl = base;

		default_key(&ctl, "block_len", "1024");
		cells_add(cs, &ctl, "sync-expedited", "cached", "unregister",
			  "async");
	}
}

static int finish(FILE *human, int ret)
{
	if (human != stdout)
		fflush(human);
	if (sig_pending())
		return 128 + sig_pending();
	return ret;
}

static int cmd_cells(const struct cli *c, FILE *human, int boot)
{
	struct cells *cs = calloc(1, sizeof(*cs));
	struct result *r;
	unsigned int dur = c->duration_set ? c->duration_ms :
			   boot ? 300000 : 3000;
	unsigned int rep = boot && c->repeat ? c->repeat : boot ? 5 : 1;
	int i, n = 0, ret = EX_OK, failed = 0;
	unsigned int k;

	if (!cs)
		return EX_IO;
	build_cells(c, cs, boot);
	r = calloc((size_t)cs->n * rep, sizeof(*r));
	if (!r) {
		free(cs);
		return EX_IO;
	}
	for (i = 0; i < cs->n && !sig_pending(); i++) {
		for (k = 0; k < rep && !sig_pending(); k++) {
			fprintf(human, "  %-40s%s", cs->name[i],
				isatty(fileno(human)) ? "\r" : "\n");
			fflush(human);
			ret = run_cell(&cs->kv[i], dur, cs->name[i], &r[n],
				       human, 0);
			if (ret)
				goto out;
			failed += !r[n].pass;
			n++;
		}
	}
	if (boot)
		report_boot(human, r, n);
	else
		report_matrix(human, r, n);
	if (c->tap)
		write_tap(stdout, r, n);
	ret = write_outputs(c, r, n, boot ? "iobus-stress boot model" :
				      "iobus-stress matrix");
	if (!ret && failed)
		ret = EX_FAIL;
out:
	free(r);
	free(cs);
	return finish(human, ret);
}

static int cmd_run(const struct cli *c, FILE *human)
{
	struct result *r = calloc(1, sizeof(*r));
	char name[64];
	const char *rc = kv_set_get(&c->kv, "reclaim");
	const char *pat = kv_set_get(&c->kv, "pattern");
	int ret;

	if (!r)
		return EX_IO;
	cell_name(name, sizeof(name), rc ? rc : "default", pat ? pat : "default",
		  "");
	ret = run_cell(&c->kv, c->duration_set ? c->duration_ms : 5000, name,
		       r, human, isatty(fileno(human)));
	if (!ret) {
		/* Name the run by what the module ran, defaults included. */
		cell_name(r->name, sizeof(r->name),
			  stats_get(&r->st, "reclaim") ?: "?",
			  stats_get(&r->st, "pattern") ?: "?", "");
		report_run(human, r);
		if (c->tap)
			write_tap(stdout, r, 1);
		ret = write_outputs(c, r, 1, "iobus-stress run");
		if (!ret && !r->pass)
			ret = EX_FAIL;
	}
	free(r);
	return finish(human, ret);
}

static int cmd_stats(const struct cli *c)
{
	static char buf[64 * 1024];
	struct result *r;

	if (dbg_read("stats", buf, sizeof(buf)) < 0) {
		fprintf(stderr, "iobus-stress: cannot read %s/stats: %s\n",
			dbg_dir(), strerror(errno));
		return EX_IO;
	}
	if (!c->json) {
		fputs(buf, stdout);
		return EX_OK;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return EX_IO;
	snprintf(r->name, sizeof(r->name), "stats");
	stats_parse(&r->st, buf);
	r->pass = 1;
	write_outputs(c, r, 1, "stats");
	free(r);
	return EX_OK;
}

static int cmd_control(const char *what)
{
	int err = dbg_write("control", what);

	if (err) {
		fprintf(stderr, "iobus-stress: %s failed: %s%s\n", what,
			strerror(-err),
			err == -EBUSY ? " (a run is in progress: iobus-stress stop)" : "");
		return err == -EBUSY ? EX_BUSY : EX_IO;
	}
	return EX_OK;
}

static int known_command(const char *cmd)
{
	size_t i;

	for (i = 0; commands[i]; i++)
		if (!strcmp(commands[i], cmd))
			return 1;
	return 0;
}

int cli_main(int argc, char **argv)
{
	static struct cli c;
	char err[512];
	FILE *human;
	int ret;

	if (argc < 2) {
		cli_usage(stderr, NULL);
		return EX_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		cli_usage(stdout, NULL);
		return EX_OK;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("iobus-stress " VERSION "\n");
		return EX_OK;
	}
	if (!known_command(argv[1])) {
		fprintf(stderr, "iobus-stress: unknown command '%s' (run, matrix, boot, stats, stop, reset, help)\n",
			argv[1]);
		return EX_USAGE;
	}
	if (!strcmp(argv[1], "help")) {
		cli_usage(stdout, argc > 2 ? argv[2] : NULL);
		return EX_OK;
	}
	c.cmd = argv[1];
	ret = cli_parse(&c, argc, argv, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "iobus-stress: %s (see iobus-stress help %s)\n",
			err, c.cmd);
		return ret;
	}
	if (c.help) {
		cli_usage(stdout, c.cmd);
		return EX_OK;
	}
	ret = kernel_ready(c.module, argv[0], err, sizeof(err));
	if (ret) {
		if (c.tap && ret != EX_IO) {
			write_tap_skip(stdout, err);
			return EX_SKIP;
		}
		fprintf(stderr, "iobus-stress: %s\n", err);
		return ret;
	}
	if (sig_install())
		return EX_IO;
	/* Machine output on stdout moves the human tables to stderr. */
	human = c.tap || (c.json && !strcmp(c.json, "-")) ||
		(c.csv && !strcmp(c.csv, "-")) ||
		(c.svg && !strcmp(c.svg, "-")) ? stderr : stdout;
	if (!strcmp(c.cmd, "run"))
		return cmd_run(&c, human);
	if (!strcmp(c.cmd, "matrix"))
		return cmd_cells(&c, human, 0);
	if (!strcmp(c.cmd, "boot"))
		return cmd_cells(&c, human, 1);
	if (!strcmp(c.cmd, "stats"))
		return cmd_stats(&c);
	return cmd_control(c.cmd);
}
