/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the module: debugfs files, loading, errors. */
#ifndef IOBUS_KERNEL_H
#define IOBUS_KERNEL_H

#include <stddef.h>

/* Exit codes (README.md lists them). */
enum {
	EX_OK = 0,
	EX_FAIL = 1,		/* a verdict or cell failed */
	EX_USAGE = 2,		/* unknown flag or bad value */
	EX_NOROOT = 3,
	EX_SKIP = 4,		/* --tap: precondition missing */
	EX_NODEBUGFS = 5,
	EX_NOMODULE = 6,
	EX_BUSY = 7,
	EX_REJECTED = 8,	/* the module refused the config */
	EX_IO = 9,
};

/* The module's debugfs directory ($IOBUS_STRESS_DEBUGFS overrides). */
const char *dbg_dir(void);
/* Read a debugfs file of the module; bytes read or -errno. */
long dbg_read(const char *file, char *buf, size_t len);
/* Write @text to a debugfs file of the module; 0 or -errno. */
int dbg_write(const char *file, const char *text);
/*
 * Check root, debugfs and the module, loading it from @module_path (or next
 * to @argv0) when absent.  Returns EX_OK or an exit code with @err set.
 */
int kernel_ready(const char *module_path, const char *argv0, char *err,
		 size_t errlen);
/* The kernel's reason for a rejected write: the last iobus_stress line of
 * the kernel log, when readable. */
void kernel_reason(char *buf, size_t len);

#endif
