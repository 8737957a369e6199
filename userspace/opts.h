/* SPDX-License-Identifier: GPL-2.0 */
/* The one option parser of iobus-stress: a table per command, getopt_long underneath. */
#ifndef IOBUS_OPTS_H
#define IOBUS_OPTS_H

#include <stddef.h>

enum opt_kind {
	OPT_FLAG,	/* no value: *(int *)dst = 1 */
	OPT_UINT,	/* decimal min..max (max <= UINT_MAX): unsigned int */
	OPT_U64,	/* decimal min..max: unsigned long long */
	OPT_SECONDS,	/* seconds as ms, 1..max ms: unsigned int */
	OPT_DECIMAL,	/* plain decimal lo..hi: double */
	OPT_FILE,	/* a file name, never "--...": const char * */
	OPT_STRING,	/* any value: const char * */
	OPT_CALL,	/* a value handed to call() */
};

/* opt.flags */
enum {
	OPT_STDOUT = 1 << 0,	/* OPT_FILE: "-" is stdout (the refusal says so) */
	OPT_ABOVE = 1 << 1,	/* OPT_DECIMAL: above lo, not equal */
	OPT_STOP = 1 << 2,	/* ends the parse at once, a success (--help) */
};

struct opt {
	const char *name;	/* --name */
	enum opt_kind kind;
	void *dst;		/* where the value goes; OPT_CALL: call()'s */
	unsigned long long min, max;	/* OPT_UINT, OPT_U64; OPT_SECONDS: max ms */
	double lo, hi;		/* OPT_DECIMAL */
	/*
	 * What a good value is, for "bad value 'V' for --NAME (WHAT)"; NULL:
	 * "decimal MIN..MAX" or "seconds, at least 0.001, at most MAX".
	 */
	const char *what;
	/*
	 * OPT_CALL: 0, or non-zero with @err set (left empty: the "bad value"
	 * line with @what).  @ctx is opts_how.ctx.
	 */
	int (*call)(void *ctx, const struct opt *o, const char *value,
		    char *err, size_t len);
	unsigned int mask;	/* 0: every command; else one of opts_how.allow */
	int *set;		/* set to 1 when the option is given */
	unsigned int flags;	/* OPT_STDOUT, OPT_ABOVE, OPT_STOP */
	char short_name;	/* -h for --help; 0: long only */
};

struct opts_how {
	const char *cmd;	/* for "--NAME does not apply to 'CMD'" */
	unsigned int allow;	/* the masks this command accepts */
	int max_args;		/* positional arguments allowed; -1: any */
	int permute;		/* options after positionals too; else they end */
	void *ctx;		/* for the callbacks */
};

/*
 * Parse @argv (argv[0] is the command, not an option) against @tab's @n
 * options: "--name value" and "--name=value"; `--` ends the options, and
 * so does the first positional argument unless how->permute.  0 with
 * *@next_arg the first positional argument's index, or EX_USAGE with @err
 * set: "unknown option 'X'", "X needs a value", "bad value 'V' for --NAME
 * (WHAT)", "--NAME needs a file name[ or -], not 'V'", "--NAME does not
 * apply to 'CMD'", "unexpected argument 'X'", or a callback's line.
 * EX_IO, "out of memory", when its option list cannot be allocated.
 * Numbers go through num.c.  Not reentrant (getopt_long's state).
 */
int opts_parse(const struct opt *tab, size_t n, const struct opts_how *how,
	       int argc, char **argv, char *err, size_t len, int *next_arg);

#endif
