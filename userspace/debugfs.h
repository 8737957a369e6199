/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the module: its debugfs files, loading it, its log lines. */
#ifndef IOBUS_DEBUGFS_H
#define IOBUS_DEBUGFS_H

#include <stddef.h>

#include "exit_codes.h"

/* The module's debugfs directory ($IOBUS_STRESS_DEBUGFS overrides). */
const char *dbg_dir(void);
/*
 * Read a whole debugfs file of the module into a malloc'd, NUL-terminated
 * buffer (*@out; any size); bytes read or -errno.
 */
long dbg_read(const char *file, char **out);
/* Write @text to a debugfs file of the module; 0 or -errno. */
int dbg_write(const char *file, const char *text);
/*
 * Check root, debugfs and the module; with @load, load it from
 * @module_path (or next to @argv0) when absent.  Returns EX_OK or an exit
 * code (EX_NOMODULE: not loaded and no .ko found; EX_LOADFAIL: a .ko that
 * did not load) with @err set.
 */
int kernel_ready(const char *module_path, const char *argv0, int load,
		 char *err, size_t errlen);
/*
 * The kernel log from now on (/dev/kmsg, positioned at its end), to
 * find the module's own reason for refusing this run's write; -1 when
 * unavailable.
 */
/*
 * The loaded module's debugfs keys file against this driver's keys
 * (module/keys.h of the same version): EX_OK; EX_REJECTED with @err naming
 * the differences; EX_IO when it cannot be read.  A module without the
 * file (older than the driver) is a note on stderr and EX_OK.
 */
int module_keys_check(char *err, size_t errlen);

int kmsg_mark(void);
/* The last "iobus_stress: " line logged since kmsg_mark(); closes @fd. */
void kmsg_reason(int fd, char *buf, size_t len);

#endif
