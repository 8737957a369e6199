// SPDX-License-Identifier: GPL-2.0
/* The one KTAP writer (ktap.h). */
#include <stdarg.h>
#include <stdio.h>

#include "ktap.h"

void ktap_start(struct ktap *t, FILE *f)
{
	t->f = f;
	t->n = t->pass = t->fail = t->skip = 0;
	fputs("KTAP version 1\n", f);
}

void ktap_plan(struct ktap *t, int n)
{
	fprintf(t->f, "1..%d\n", n);
}

void ktap_diag(struct ktap *t, const char *fmt, ...)
{
	va_list ap;

	fputs("# ", t->f);
	va_start(ap, fmt);
	vfprintf(t->f, fmt, ap);
	va_end(ap);
	fputc('\n', t->f);
}

void ktap_result(struct ktap *t, int ok, const char *name, const char *fmt,
		 ...)
{
	va_list ap;

	fprintf(t->f, "%s %d %s", ok ? "ok" : "not ok", ++t->n, name);
	if (fmt) {
		fputs(" # ", t->f);
		va_start(ap, fmt);
		vfprintf(t->f, fmt, ap);
		va_end(ap);
	}
	fputc('\n', t->f);
	if (ok)
		t->pass++;
	else
		t->fail++;
}

void ktap_skip(struct ktap *t, const char *name, const char *fmt, ...)
{
	va_list ap;

	fprintf(t->f, "ok %d %s # SKIP ", ++t->n, name);
	va_start(ap, fmt);
	vfprintf(t->f, fmt, ap);
	va_end(ap);
	fputc('\n', t->f);
	t->skip++;
}

void ktap_totals(struct ktap *t)
{
	fprintf(t->f, "# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:%d error:0\n",
		t->pass, t->fail, t->skip);
}

void ktap_skip_all(FILE *f, const char *reason)
{
	fprintf(f, "KTAP version 1\n1..0 # SKIP %s\n", reason);
}
