// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "table.h"

char *fmt_ns(unsigned long long ns, char *buf, size_t len)
{
	static const char *const unit[] = { "ns", "us", "ms", "s" };
	double v = (double)ns;
	int u = 0;

	while (v >= 1000.0 && u < 3) {
		v /= 1000.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%lluns", ns);
	else if (v >= 100.0)
		snprintf(buf, len, "%.0f%s", v, unit[u]);
	else if (v >= 10.0)
		snprintf(buf, len, "%.1f%s", v, unit[u]);
	else
		snprintf(buf, len, "%.2f%s", v, unit[u]);
	return buf;
}

char *fmt_count(unsigned long long n, char *buf, size_t len)
{
	if (n < 10000)
		snprintf(buf, len, "%llu", n);
	else if (n < 10000000)
		snprintf(buf, len, "%.1fk", n / 1e3);
	else if (n < 10000000000ULL)
		snprintf(buf, len, "%.1fM", n / 1e6);
	else
		snprintf(buf, len, "%.1fG", n / 1e9);
	return buf;
}

char *fmt_ratio(double v, double base, char *buf, size_t len)
{
	if (base <= 0.0)
		snprintf(buf, len, "-");
	else if (v / base >= 10.0)
		snprintf(buf, len, "%.0fx", v / base);
	else
		snprintf(buf, len, "%.2fx", v / base);
	return buf;
}

int table_init(struct table *t, int ncols, const char *const *head)
{
	int i;

	memset(t, 0, sizeof(*t));
	if (ncols > TABLE_MAX_COLS)
		return -1;
	t->ncols = ncols;
	for (i = 0; i < t->ncols; i++)
		t->head[i] = head[i];
	return 0;
}

int table_row(struct table *t)
{
	if (t->nrows == t->cap) {
		int cap = t->cap ? 2 * t->cap : 16;
		void *grown = realloc(t->cell, (size_t)cap * sizeof(*t->cell));

		if (!grown)
			return -1;
		t->cell = grown;
		t->cap = cap;
	}
	memset(t->cell[t->nrows], 0, sizeof(*t->cell));
	return t->nrows++;
}

void table_free(struct table *t)
{
	free(t->cell);
	t->cell = NULL;
	t->nrows = t->cap = 0;
}

void table_set(struct table *t, int row, int col, const char *s)
{
	if (row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return;
	snprintf(t->cell[row][col], sizeof(t->cell[row][col]), "%s", s);
}

void table_print(const struct table *t, FILE *f)
{
	size_t w[TABLE_MAX_COLS];
	int r, c;

	for (c = 0; c < t->ncols; c++) {
		w[c] = strlen(t->head[c]);
		for (r = 0; r < t->nrows; r++)
			if (strlen(t->cell[r][c]) > w[c])
				w[c] = strlen(t->cell[r][c]);
	}
	for (c = 0; c < t->ncols; c++)
		fprintf(f, "%-*s%s", (int)w[c], t->head[c],
			c + 1 < t->ncols ? "  " : "\n");
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			fprintf(f, "%-*s%s", (int)w[c], t->cell[r][c],
				c + 1 < t->ncols ? "  " : "\n");
}
