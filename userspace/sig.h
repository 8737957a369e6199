/* SPDX-License-Identifier: GPL-2.0 */
/*
 * SIGINT/SIGTERM: the first one asks the run to stop cleanly and still
 * report; a second one (the module stuck in "stopping") falls back to the
 * signal's default action, with a message.
 */
#ifndef IOBUS_SIG_H
#define IOBUS_SIG_H

int sig_install(void);
/* The signal received since sig_install(), or 0. */
int sig_pending(void);

#endif
