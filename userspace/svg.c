// SPDX-License-Identifier: GPL-2.0
/*
 * SVG of latency histograms: one panel per metric (register, reclaim,
 * probe), x = latency on a log axis, y = share of the run's samples per
 * bucket, one line per result, a legend.  Plain SVG 1.1, no scripts.
 */
#include <math.h>
#include <string.h>

#include "result.h"

#define W 900
#define PH 260		/* panel height */
#define ML 70		/* margins */
#define MR 180
#define MT 40
#define MB 50

static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

static void xml_text(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '>')
			fputs("&gt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else
			fputc(*s, f);
	}
}

static double xpos(double ns, double lo, double hi)
{
	double pw = W - ML - MR;

	if (ns < 1)
		ns = 1;
	return ML + pw * (log10(ns) - lo) / (hi - lo);
}

static const char *decade_label(int d)
{
	static const char *const l[] = {
		"1ns", "10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms",
		"100ms", "1s", "10s", "100s",
	};

	return d >= 0 && d < 12 ? l[d] : "?";
}

static void panel(FILE *f, const struct result *r, int n, int m, int y0)
{
	double lo = 9, hi = 0, ymax = 0, pw = W - ML - MR;
	int i, b, d;

	for (i = 0; i < n; i++) {
		const struct hist *h = &r[i].hist[m];
		unsigned long long tot = 0;

		for (b = 0; b < h->n; b++)
			tot += h->count[b];
		for (b = 0; b < h->n; b++) {
			double x = log10(h->lower[b] ? h->lower[b] : 1);

			lo = fmin(lo, floor(x));
			hi = fmax(hi, ceil(x + 0.01));
			ymax = fmax(ymax, (double)h->count[b] / tot);
		}
	}
	if (hi <= lo) {
		lo = 3;
		hi = 7;
	}
	if (ymax <= 0)
		ymax = 1;
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s latency</text>\n",
		ML, y0 - 10, result_hist_names[m]);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
		ML, y0, pw, PH - MB);
	for (d = (int)lo; d <= (int)hi; d++) {
		double x = xpos(pow(10, d), lo, hi);

		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>\n",
			x, y0, x, y0 + PH - MB);
		fprintf(f, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
			x, y0 + PH - MB + 15, decade_label(d));
	}
	fprintf(f, "<text x=\"%.0f\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">latency (log scale)</text>\n",
		ML + pw / 2, y0 + PH - MB + 32);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 %d %d)\">share of samples</text>\n",
		ML - 45, y0 + (PH - MB) / 2, ML - 45, y0 + (PH - MB) / 2);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%.0f%%</text>\n",
		ML - 5, y0 + 10, ymax * 100);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0%%</text>\n",
		ML - 5, y0 + PH - MB);
	for (i = 0; i < n; i++) {
		const struct hist *h = &r[i].hist[m];
		unsigned long long tot = 0;

		for (b = 0; b < h->n; b++)
			tot += h->count[b];
		if (!tot)
			continue;
		fprintf(f, "<polyline fill=\"none\" stroke-width=\"1.5\" stroke=\"%s\" points=\"",
			colors[i % 10]);
		for (b = 0; b < h->n; b++) {
			double x = xpos(h->lower[b], lo, hi);
			double y = y0 + (PH - MB) *
				   (1 - (double)h->count[b] / tot / ymax);

			fprintf(f, "%.1f,%.1f ", x, y);
		}
		fprintf(f, "\"/>\n");
	}
}

void write_svg(FILE *f, const struct result *r, int n, const char *title)
{
	int m, i, h = MT + RESULT_HISTS * PH + 20;

	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\">\n",
		W, h);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"22\" font-size=\"16\">", ML);
	xml_text(f, title);
	fprintf(f, "</text>\n");
	for (m = 0; m < RESULT_HISTS; m++)
		panel(f, r, n, m, MT + 20 + m * PH);
	for (i = 0; i < n; i++) {
		int y = MT + 30 + i * 18;

		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>\n",
			W - MR + 15, y, W - MR + 40, y, colors[i % 10]);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\">", W - MR + 45,
			y + 4);
		xml_text(f, r[i].name);
		fprintf(f, "</text>\n");
	}
	fprintf(f, "</svg>\n");
}
