/* SPDX-License-Identifier: GPL-2.0 */
/* The commands of iobus-stress and their dispatcher. */
#ifndef IOBUS_COMMANDS_H
#define IOBUS_COMMANDS_H

#include <stdio.h>

#include "args.h"
#include "output.h"

/* What a command needs before it runs. */
enum need {
	NEED_NOTHING,		/* help */
	NEED_LOADED,		/* stats, stop, reset: never loads the module */
	NEED_MODULE,		/* run, matrix, boot: loads it when absent */
	NEED_FILES,		/* report: reads files only (no root, no HZ measured);
				 * opens its own outputs after reading them */
};

/* The environment a command runs in, set up by the dispatcher. */
struct cmd_env {
	const struct cli *cli;
	FILE *human;			/* tables and progress */
	struct outputs *out;		/* opened before the command starts */
};

struct command {
	const char *name;
	int (*fn)(const struct cmd_env *env);
	unsigned int flags;		/* F_* of args.h it accepts */
	enum need need;
	const char *summary;		/* one line of `iobus-stress --help` */
	const char *usage;		/* `iobus-stress help NAME` */
};

int cli_main(int argc, char **argv);
void cli_usage(FILE *f, const char *cmd);

#endif
