/* SPDX-License-Identifier: GPL-2.0 */
/* Human reports (aligned tables) of run, matrix and boot. */
#ifndef IOBUS_REPORT_H
#define IOBUS_REPORT_H

#include <stdio.h>

#include "result.h"

void report_run(FILE *f, const struct result *r);
void report_matrix(FILE *f, const struct result *r, int n);
void report_boot(FILE *f, const struct result *r, int n);

#endif
