/* SPDX-License-Identifier: GPL-2.0 */
/* SIGINT/SIGTERM: stop the run cleanly and still report. */
#ifndef IOBUS_SIG_H
#define IOBUS_SIG_H

int sig_install(void);
/* The signal received since sig_install(), or 0. */
int sig_pending(void);

#endif
