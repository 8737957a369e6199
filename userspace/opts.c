// SPDX-License-Identifier: GPL-2.0
/* The one option parser of iobus-stress: a table per command, getopt_long underneath. */
#define _GNU_SOURCE
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit_codes.h"
#include "num.h"
#include "opts.h"

#define O_BASE 256	/* getopt_long's val: O_BASE + index into the table */

static int bad_value(const struct opt *o, const char *v, char *err, size_t len)
{
	if (o->what)
		snprintf(err, len, "bad value '%s' for --%s (%s)", v, o->name,
			 o->what);
	else if (o->kind == OPT_SECONDS)
		snprintf(err, len, "bad value '%s' for --%s (seconds, at least 0.001, at most %llu)",
			 v, o->name, o->max / 1000);
	else
		snprintf(err, len, "bad value '%s' for --%s (decimal %llu..%llu)",
			 v, o->name, o->min, o->max);
	return EX_USAGE;
}

/* One option's value @v (NULL for OPT_FLAG) into its destination. */
static int take(const struct opt *o, const char *v, void *ctx, char *err,
		size_t len)
{
	unsigned long long u;
	unsigned int ms;
	double d;

	switch (o->kind) {
	case OPT_FLAG:
		*(int *)o->dst = 1;
		break;
	case OPT_UINT:
	case OPT_U64:
		if (parse_u64(v, o->min, o->max, &u))
			return bad_value(o, v, err, len);
		if (o->kind == OPT_UINT)
			*(unsigned int *)o->dst = (unsigned int)u;
		else
			*(unsigned long long *)o->dst = u;
		break;
	case OPT_SECONDS:
		if (parse_seconds_ms(v, (unsigned int)o->max, &ms))
			return bad_value(o, v, err, len);
		*(unsigned int *)o->dst = ms;
		break;
	case OPT_DECIMAL:
		if (parse_decimal(v, o->lo, o->hi, &d) ||
		    ((o->flags & OPT_ABOVE) && !(d > o->lo)))
			return bad_value(o, v, err, len);
		*(double *)o->dst = d;
		break;
	case OPT_FILE:
		/* "--json --help" must not write a file named "--help" */
		if (!strncmp(v, "--", 2)) {
			snprintf(err, len, "--%s needs a file name%s, not '%s'",
				 o->name, o->flags & OPT_STDOUT ? " or -" : "", v);
			return EX_USAGE;
		}
		/* fall through */
	case OPT_STRING:
		*(const char **)o->dst = v;
		break;
	case OPT_CALL:
		err[0] = '\0';
		if (o->call(ctx, o, v, err, len)) {
			if (!err[0])
				bad_value(o, v, err, len);
			return EX_USAGE;
		}
		break;
	}
	if (o->set)
		*o->set = 1;
	return 0;
}

int opts_parse(const struct opt *tab, size_t n, const struct opts_how *how,
	       int argc, char **argv, char *err, size_t len, int *next_arg)
{
	struct option *lo = calloc(n + 1, sizeof(*lo));
	char shorts[40];
	size_t i, ns;
	int c, ret = 0;

	if (!lo) {
		snprintf(err, len, "out of memory");
		return EX_IO;
	}
	ns = (size_t)snprintf(shorts, sizeof(shorts), "%s:", how->permute ? "" : "+");
	for (i = 0; i < n; i++) {
		lo[i] = (struct option){ tab[i].name,
					 tab[i].kind == OPT_FLAG ? no_argument :
					 required_argument, NULL, O_BASE + (int)i };
		if (tab[i].short_name && ns + 2 < sizeof(shorts)) {
			shorts[ns++] = tab[i].short_name;
			if (tab[i].kind != OPT_FLAG)
				shorts[ns++] = ':';
			shorts[ns] = '\0';
		}
	}
	optind = 0;		/* glibc: a full reset, for repeated calls */
	opterr = 0;
	while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
		const struct opt *o = NULL;

		if (c >= O_BASE) {
			o = &tab[c - O_BASE];
		} else if (c != '?' && c != ':') {
			for (i = 0; i < n && !o; i++)
				if (tab[i].short_name == c)
					o = &tab[i];
		}
		if (c == '?' && optopt && optopt < O_BASE) {
			snprintf(err, len, "unknown option '-%c'", optopt);
			ret = EX_USAGE;
		} else if (c == '?') {
			snprintf(err, len, "unknown option '%s'", argv[optind - 1]);
			ret = EX_USAGE;
		} else if (c == ':') {
			snprintf(err, len, "%s needs a value", argv[optind - 1]);
			ret = EX_USAGE;
		} else if (o->mask && !(o->mask & how->allow)) {
			snprintf(err, len, "--%s does not apply to '%s'", o->name,
				 how->cmd);
			ret = EX_USAGE;
		} else {
			ret = take(o, optarg, how->ctx, err, len);
		}
		if (ret || (o && (o->flags & OPT_STOP)))
			goto out;
	}
	if (how->max_args >= 0 && argc - optind > how->max_args) {
		snprintf(err, len, "unexpected argument '%s'",
			 argv[optind + how->max_args]);
		ret = EX_USAGE;
	}
out:
	if (next_arg)
		*next_arg = optind;
	free(lo);
	return ret;
}
