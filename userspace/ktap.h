/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one KTAP writer of iobus-stress (KTAP version 1, as
 * Documentation/dev-tools/ktap.rst): run, matrix, boot, kvm and compare
 * print their --tap through it.
 */
#ifndef IOBUS_KTAP_H
#define IOBUS_KTAP_H

#include <stdio.h>

struct ktap {
	FILE *f;
	int n;			/* results written */
	int pass, fail, skip;
};

/* "KTAP version 1"; diagnostics may follow before the plan. */
void ktap_start(struct ktap *t, FILE *f);
/* "1..@n" */
void ktap_plan(struct ktap *t, int n);
/* "# " and the formatted text, one line. */
void ktap_diag(struct ktap *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* "ok N @name" or "not ok N @name", then " # " and @fmt's text if any. */
void ktap_result(struct ktap *t, int ok, const char *name, const char *fmt,
		 ...) __attribute__((format(printf, 4, 5)));
/* "ok N @name # SKIP " and @fmt's text. */
void ktap_skip(struct ktap *t, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "# Totals: pass:P fail:F xfail:0 xpass:0 skip:S error:0" */
void ktap_totals(struct ktap *t);
/* A whole document that skips everything: "KTAP version 1", "1..0 # SKIP". */
void ktap_skip_all(FILE *f, const char *reason);

#endif
