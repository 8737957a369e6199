/* SPDX-License-Identifier: GPL-2.0 */
/* Command line of iobus-stress. */
#ifndef IOBUS_CLI_H
#define IOBUS_CLI_H

#include <stdio.h>

#include "opts.h"
#include "result.h"

#define CLI_MAX_LIST 8

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
	int n_reclaim, n_pattern;
	char reclaim[CLI_MAX_LIST][64];
	char pattern[CLI_MAX_LIST][64];
};

/* Parse argv[2..]; 0 or EX_USAGE with @err set. */
int cli_parse(struct cli *c, int argc, char **argv, char *err, size_t len);
int cli_main(int argc, char **argv);
void cli_usage(FILE *f, const char *cmd);

int run_cell(const struct kv_set *kv, unsigned int duration_ms,
	     const char *name, struct result *r, FILE *human, int show);

/* Human reports (report.c). */
void report_run(FILE *f, const struct result *r);
void report_matrix(FILE *f, const struct result *r, int n);
void report_boot(FILE *f, const struct result *r, int n);

#endif
