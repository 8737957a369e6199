/* SPDX-License-Identifier: GPL-2.0 */
/* Human units and aligned tables of the reports. */
#ifndef IOBUS_TABLE_H
#define IOBUS_TABLE_H

#include <stddef.h>
#include <stdio.h>

/* 950 -> "950ns", 12345 -> "12.3us", 20100000 -> "20.1ms", 3e9 -> "3.00s". */
char *fmt_ns(unsigned long long ns, char *buf, size_t len);
/* 1234567 -> "1.23M", 999 -> "999". */
char *fmt_count(unsigned long long n, char *buf, size_t len);
/* "12.5x" (or "-" when @base is 0). */
char *fmt_ratio(double v, double base, char *buf, size_t len);

#define TABLE_MAX_COLS 20

/* Rows grow as needed; a cell holds up to 39 characters. */
struct table {
	int ncols, nrows, cap;
	const char *head[TABLE_MAX_COLS];
	char (*cell)[TABLE_MAX_COLS][40];
};

/* 0, or -1 when @ncols exceeds TABLE_MAX_COLS. */
int table_init(struct table *t, int ncols, const char *const *head);
/* Append a row; returns its index, or -1 when out of memory. */
int table_row(struct table *t);
void table_set(struct table *t, int row, int col, const char *s);
void table_print(const struct table *t, FILE *f);
void table_free(struct table *t);

#endif
