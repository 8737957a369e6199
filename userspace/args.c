// SPDX-License-Identifier: GPL-2.0
/* Command-line arguments of iobus-stress (getopt_long). */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "exit_codes.h"
#include "num.h"

enum {
	O_DURATION = 256, O_REPEAT, O_MODULE, O_JSON, O_CSV, O_SVG, O_TAP,
	O_EARLY, O_KEY,		/* O_KEY + index into key_specs */
};

static const struct {
	const char *name;
	int has_arg, val;
	unsigned int flag;
} fixed[] = {
	{ "duration", required_argument, O_DURATION, F_DURATION },
	{ "repeat", required_argument, O_REPEAT, F_REPEAT },
	{ "module", required_argument, O_MODULE, F_MODULE },
	{ "json", required_argument, O_JSON, F_JSON },
	{ "csv", required_argument, O_CSV, F_CSV },
	{ "svg", required_argument, O_SVG, F_SVG },
	{ "tap", no_argument, O_TAP, F_TAP },
	{ "early", required_argument, O_EARLY, F_EARLY },
	{ "help", no_argument, 'h', ~0U },
};
#define N_FIXED (sizeof(fixed) / sizeof(fixed[0]))

/* fixed[], then each key as --block-len and --block_len, then the end. */
static struct option *long_options(void)
{
	static struct option *opts;
	static char dashed[64][32];
	size_t i, n = 0;

	if (opts)
		return opts;
	opts = calloc(N_FIXED + 2 * n_key_specs + 1, sizeof(*opts));
	if (!opts)
		return NULL;
	for (i = 0; i < N_FIXED; i++)
		opts[n++] = (struct option){ fixed[i].name, fixed[i].has_arg,
					     NULL, fixed[i].val };
	for (i = 0; i < n_key_specs && i < 64; i++) {
		key_flag(&key_specs[i], dashed[i], sizeof(dashed[i]));
		opts[n++] = (struct option){ dashed[i], required_argument, NULL,
					     O_KEY + (int)i };
		if (strcmp(dashed[i], key_specs[i].name))
			opts[n++] = (struct option){ key_specs[i].name,
						     required_argument, NULL,
						     O_KEY + (int)i };
	}
	return opts;
}

static unsigned int flag_of(int val)
{
	size_t i;

	if (val >= O_KEY)
		return F_KEYS;
	for (i = 0; i < N_FIXED; i++)
		if (fixed[i].val == val)
			return fixed[i].flag;
	return 0;
}

static int usage_err(char *err, size_t len, const char *fmt, const char *a,
		     const char *b)
{
	snprintf(err, len, fmt, a, b);
	return EX_USAGE;
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

int cli_parse(struct cli *c, unsigned int flags, int argc, char **argv,
	      char *err, size_t len)
{
	struct option *opts = long_options();
	const char *arg;
	unsigned long long v;
	int o, idx, stdout_users;

	if (!opts)
		return usage_err(err, len, "out of memory%s%s", "", "");
	c->cmd = argv[1];
	optind = 0;		/* a full reset: cli_parse may run again */
	opterr = 0;
	while ((o = getopt_long(argc - 1, argv + 1, "+:h", opts, &idx)) != -1) {
		arg = argv[optind];	/* argv + 1 shifted: the option just read */
		if (o == '?')
			return usage_err(err, len, "unknown option '%s'%s", arg, "");
		if (o == ':')
			return usage_err(err, len, "%s needs a value%s", arg, "");
		/* -h has no long-option index: idx is stale for it */
		if (o != 'h' && !(flag_of(o) & flags))
			return usage_err(err, len, "--%s does not apply to '%s'",
					 opts[idx].name, c->cmd);
		/* "--json --help" must not write a file named "--help" */
		if ((o == O_JSON || o == O_CSV || o == O_SVG || o == O_MODULE) &&
		    !strncmp(optarg, "--", 2))
			return usage_err(err, len, "--%s needs a file name, not '%s'",
					 opts[idx].name, optarg);
		switch (o) {
		case 'h':
			c->help = 1;
			break;
		case O_DURATION:
			if (parse_seconds_ms(optarg, 86400000, &c->duration_ms))
				return usage_err(err, len,
						 "bad value '%s' for --duration (seconds, at least 0.001, at most 86400)%s",
						 optarg, "");
			c->duration_set = 1;
			break;
		case O_REPEAT:
			if (parse_u64(optarg, 1, 100, &v))
				return usage_err(err, len,
						 "bad value '%s' for --repeat (decimal 1..100)%s",
						 optarg, "");
			c->repeat = (unsigned int)v;
			break;
		case O_MODULE:
			c->module = optarg;
			break;
		case O_JSON:
			c->json = optarg;
			break;
		case O_CSV:
			c->csv = optarg;
			break;
		case O_SVG:
			c->svg = optarg;
			break;
		case O_TAP:
			c->tap = 1;
			break;
		case O_EARLY:
			if (kv_set_put(&c->kv, "early_devices", optarg, err, len))
				return EX_USAGE;
			break;
		default: {
			const struct key_spec *k = &key_specs[o - O_KEY];

			if ((flags & F_LISTS) && k->values &&
			    (!strcmp(k->name, "reclaim") ||
			     !strcmp(k->name, "pattern"))) {
				if (set_list(c, k, optarg, err, len))
					return EX_USAGE;
			} else if (kv_set_put(&c->kv, k->name, optarg, err, len)) {
				return EX_USAGE;
			}
		}
		}
	}
	optind++;		/* back to indexes of argv */
	if (optind < argc && (flags & F_ARG) && !c->arg)
		c->arg = argv[optind++];
	if (optind < argc)
		return usage_err(err, len, "unexpected argument '%s'%s",
				 argv[optind], "");
	stdout_users = c->tap + (c->json && !strcmp(c->json, "-")) +
		       (c->csv && !strcmp(c->csv, "-")) +
		       (c->svg && !strcmp(c->svg, "-"));
	if (stdout_users > 1)
		return usage_err(err, len,
				 "only one output can go to stdout (--tap, --json -, --csv -, --svg -)%s%s",
				 "", "");
	return 0;
}

void cli_free(struct cli *c)
{
	free(c->reclaim);
	free(c->pattern);
	c->reclaim = c->pattern = NULL;
}
