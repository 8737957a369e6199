/* SPDX-License-Identifier: GPL-2.0 */
/* Command-line arguments of iobus-stress (opts.c's table). */
#ifndef IOBUS_ARGS_H
#define IOBUS_ARGS_H

#include <stddef.h>

#include "config_keys.h"

/* The flags a command accepts; any other is refused. */
enum {
	F_DURATION = 1 << 0,	/* --duration S */
	F_REPEAT = 1 << 1,	/* --repeat N */
	F_MODULE = 1 << 2,	/* --module PATH */
	F_JSON = 1 << 3,	/* --json FILE|- */
	F_CSV = 1 << 4,		/* --csv FILE|- */
	F_SVG = 1 << 5,		/* --svg FILE|- */
	F_TAP = 1 << 6,		/* --tap (KTAP on stdout) */
	F_KEYS = 1 << 7,	/* --KEY VALUE for the module's config keys */
	F_LISTS = 1 << 8,	/* --reclaim/--pattern take comma lists */
	F_EARLY = 1 << 9,	/* --early N (= --early-devices N) */
	F_ARG = 1 << 10,	/* one positional argument */
	F_FILES = 1 << 11,	/* any number of files, flags before or after them */
	F_SORT = 1 << 12,	/* --sort kernel|host (report) */
};

struct cli {
	const char *cmd;
	struct kv_set kv;		/* --KEY VALUE for module config keys */
	unsigned int duration_ms;
	int duration_set;
	unsigned int repeat;
	const char *module;
	const char *json, *csv, *svg;
	int tap;
	int help;
	const char *arg;		/* the positional argument (F_ARG) */
	char **files;			/* F_FILES: the positional arguments */
	int nfiles;
	const char *sort;		/* F_SORT: "kernel" or "host"; NULL: kernel */
	int n_reclaim, n_pattern;	/* F_LISTS */
	char (*reclaim)[64], (*pattern)[64];
};

/*
 * Parse the options after the command (argv[0] is the program, argv[1]
 * the command) allowing @flags; 0, or EX_USAGE with @err set.  `--` ends
 * the options; numbers are decimal.
 */
int cli_parse(struct cli *c, unsigned int flags, int argc, char **argv,
	      char *err, size_t len);
void cli_free(struct cli *c);

#endif
