// SPDX-License-Identifier: GPL-2.0
/* Command-line arguments of iobus-stress (opts.c's table). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "exit_codes.h"
#include "opts.h"

/* The callbacks' context: the command's result and allowed flags. */
struct ctx {
	struct cli *c;
	unsigned int flags;
};

static int set_early(void *ctx, const struct opt *o, const char *v, char *err,
		     size_t len)
{
	(void)o;
	return kv_set_put(&((struct ctx *)ctx)->c->kv, "early_devices", v, err, len);
}

static int set_list(struct cli *c, const struct key_spec *k, const char *v,
		    char *err, size_t len)
{
	int pat = !strcmp(k->name, "pattern");
	char (*items)[64];
	int n = list_parse(k, v, &items, err, len);

	if (n < 0)
		return EX_USAGE;
	if (pat) {
		free(c->pattern);
		c->pattern = items;
		c->n_pattern = n;
	} else {
		free(c->reclaim);
		c->reclaim = items;
		c->n_reclaim = n;
	}
	return 0;
}

/* --KEY VALUE for one of key_specs (o->dst); comma lists with F_LISTS. */
static int set_key(void *ctx, const struct opt *o, const char *v, char *err,
		   size_t len)
{
	struct ctx *x = ctx;
	const struct key_spec *k = o->dst;

	if ((x->flags & F_LISTS) && k->values &&
	    (!strcmp(k->name, "reclaim") || !strcmp(k->name, "pattern")))
		return set_list(x->c, k, v, err, len);
	return kv_set_put(&x->c->kv, k->name, v, err, len);
}

static int set_sort(void *ctx, const struct opt *o, const char *v, char *err,
		    size_t len)
{
	(void)o;
	(void)err;
	(void)len;
	if (strcmp(v, "kernel") && strcmp(v, "host"))
		return -1;	/* "bad value 'V' for --sort (kernel or host)" */
	((struct ctx *)ctx)->c->sort = v;
	return 0;
}

#define MAX_KEYS 64
#define N_FIXED 10

/* The fixed flags into @c, then each key as --block-len and --block_len. */
static size_t table(struct opt *tab, struct cli *c)
{
	static char dashed[MAX_KEYS][32];
	const struct opt fixed[N_FIXED] = {
		{ .name = "duration", .kind = OPT_SECONDS, .dst = &c->duration_ms,
		  .max = 86400000, .mask = F_DURATION, .set = &c->duration_set },
		{ .name = "repeat", .kind = OPT_UINT, .dst = &c->repeat, .min = 1,
		  .max = 100, .mask = F_REPEAT },
		{ .name = "module", .kind = OPT_FILE, .dst = &c->module,
		  .mask = F_MODULE },
		{ .name = "json", .kind = OPT_FILE, .dst = &c->json, .mask = F_JSON,
		  .flags = OPT_STDOUT },
		{ .name = "csv", .kind = OPT_FILE, .dst = &c->csv, .mask = F_CSV,
		  .flags = OPT_STDOUT },
		{ .name = "svg", .kind = OPT_FILE, .dst = &c->svg, .mask = F_SVG,
		  .flags = OPT_STDOUT },
		{ .name = "tap", .kind = OPT_FLAG, .dst = &c->tap, .mask = F_TAP },
		{ .name = "early", .kind = OPT_CALL, .call = set_early,
		  .mask = F_EARLY },
		{ .name = "sort", .kind = OPT_CALL, .call = set_sort,
		  .mask = F_SORT, .what = "kernel or host" },
		{ .name = "help", .kind = OPT_FLAG, .dst = &c->help, .short_name = 'h' },
	};
	size_t i, n = N_FIXED;

	memcpy(tab, fixed, sizeof(fixed));
	for (i = 0; i < n_key_specs && i < MAX_KEYS; i++) {
		struct opt key = { .kind = OPT_CALL, .call = set_key,
				   .dst = (void *)&key_specs[i], .mask = F_KEYS };

		key.name = key_flag(&key_specs[i], dashed[i], sizeof(dashed[i]));
		tab[n++] = key;
		if (strcmp(dashed[i], key_specs[i].name)) {
			key.name = key_specs[i].name;
			tab[n++] = key;
		}
	}
	return n;
}

int cli_parse(struct cli *c, unsigned int flags, int argc, char **argv,
	      char *err, size_t len)
{
	struct opt tab[N_FIXED + 2 * MAX_KEYS];
	struct ctx x = { c, flags };
	/* F_FILES: files anywhere ("report a.json --json - b.json") */
	struct opts_how how = { .cmd = argv[1], .allow = flags,
				.max_args = flags & F_FILES ? -1 :
					    flags & F_ARG ? 1 : 0,
				.permute = !!(flags & F_FILES), .ctx = &x };
	int next, ret, stdout_users;

	c->cmd = argv[1];
	/* argv[1], the command, is the parser's argv[0] */
	ret = opts_parse(tab, table(tab, c), &how, argc - 1, argv + 1, err, len,
			 &next);
	if (ret)
		return ret;
	if (next + 1 < argc)
		c->arg = argv[next + 1];
	if (flags & F_FILES) {
		c->files = argv + next + 1;
		c->nfiles = argc - next - 1;
	}
	stdout_users = c->tap + (c->json && !strcmp(c->json, "-")) +
		       (c->csv && !strcmp(c->csv, "-")) +
		       (c->svg && !strcmp(c->svg, "-"));
	if (stdout_users > 1) {
		snprintf(err, len,
			 "only one output can go to stdout (--tap, --json -, --csv -, --svg -)");
		return EX_USAGE;
	}
	return 0;
}

void cli_free(struct cli *c)
{
	free(c->reclaim);
	free(c->pattern);
	c->reclaim = c->pattern = NULL;
}
