// SPDX-License-Identifier: GPL-2.0
/*
 * SVG of latency histograms: one panel per metric that has samples
 * (register, reclaim, probe, vCPU create), x = latency on a log axis,
 * y = share of the series' samples per tenth of a decade, drawn as steps.
 * Results with the same name (repetitions of one cell) are one series:
 * their histograms are summed.  A thin vertical line marks each series' median.
 * Plain SVG 1.1, no scripts, no external fonts: any browser shows it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define PW 650		/* plot width */
#define PH 250		/* panel pitch */
#define PLOT_H 180	/* plot height inside a panel */
#define ML 70		/* left margin */
#define MR_MIN 240	/* right margin, grown to fit the legend's names */
#define CHAR_W 7	/* a generous width of a 12px sans-serif character */
#define LX (ML + PW + 15)	/* legend */
#define MT 50
#define BPD 10		/* bins per decade */
#define NBIN (12 * BPD)	/* 1ns .. 1000s */

static const char *const colors[] = {
	"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
	"#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};

static const char *const panel_titles[RESULT_HISTS] = {
	"register latency (copy, insert, publish, reclaim or defer)",
	"reclaim latency (publish to kfree of the old bus)",
	"probe latency (synchronize_srcu_expedited beside the writers)",
	"vCPU-create latency (synchronize_srcu_expedited)",
};

struct series {
	const char *name;
	unsigned long long bin[NBIN];
	unsigned long long tot;
};

void svg_xml_text(FILE *f, const char *s)
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

static const char *decade_label(int d)
{
	static const char *const l[] = {
		"1ns", "10ns", "100ns", "1us", "10us", "100us", "1ms", "10ms",
		"100ms", "1s", "10s", "100s", "1000s",
	};

	return d >= 0 && d < 13 ? l[d] : "?";
}

static int bin_of(unsigned long long ns)
{
	int b = ns ? (int)floor(log10((double)ns) * BPD + 1e-9) : 0;

	return b < 0 ? 0 : b >= NBIN ? NBIN - 1 : b;
}

/* Distinct names in first-seen order; returns how many. */
static int series_names(const struct result *r, int n, struct series *s)
{
	int i, j, ns = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < ns && strcmp(s[j].name, r[i].name); j++)
			;
		if (j == ns)
			s[ns++].name = r[i].name;
	}
	return ns;
}

static void series_fill(struct series *s, int ns, const struct result *r,
			int n, int m)
{
	int i, j, b;

	for (j = 0; j < ns; j++) {
		memset(s[j].bin, 0, sizeof(s[j].bin));
		s[j].tot = 0;
	}
	for (i = 0; i < n; i++) {
		const struct hist *h = &r[i].hist[m];

		for (j = 0; strcmp(s[j].name, r[i].name); j++)
			;
		for (b = 0; b < h->n; b++) {
			s[j].bin[bin_of(h->lower[b])] += h->count[b];
			s[j].tot += h->count[b];
		}
	}
}

/* The bin holding the median sample. */
static int series_p50(const struct series *s)
{
	unsigned long long c = 0;
	int b;

	for (b = 0; b < NBIN; b++) {
		c += s->bin[b];
		if (2 * c >= s->tot)
			return b;
	}
	return NBIN - 1;
}

static double nice_ceil(double v)
{
	static const double steps[] = { 0.05, 0.1, 0.2, 0.25, 0.5, 1 };
	size_t i;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (v <= steps[i] + 1e-12)
			return steps[i];
	return 1;
}

/*
 * Series j: colour j % 10, line pattern j / 10 (solid, dashed, dotted,
 * dash-dot), so up to NCOLOR * NDASH = 40 series look different (a 5 x 5
 * matrix has 25); beyond that the styles repeat, and the legend says so.
 */
#define NCOLOR (int)(sizeof(colors) / sizeof(colors[0]))
static const char *const dashes[] = { NULL, "6,3", "1.5,2.5", "8,3,1.5,3" };
#define NDASH (int)(sizeof(dashes) / sizeof(dashes[0]))

static void style(FILE *f, int j)
{
	const char *d = dashes[(j / NCOLOR) % NDASH];

	fprintf(f, "stroke=\"%s\"", colors[j % NCOLOR]);
	if (d)
		fprintf(f, " stroke-dasharray=\"%s\"", d);
}

static void panel(FILE *f, const struct series *s, int ns, int m, int y0)
{
	int lo = NBIN, hi = 0, j, b, d, dlo, dhi;
	double ymax = 0, pw = PW, y1 = y0 + PLOT_H;

	for (j = 0; j < ns; j++)
		for (b = 0; b < NBIN; b++)
			if (s[j].bin[b]) {
				lo = b < lo ? b : lo;
				hi = b > hi ? b : hi;
				ymax = fmax(ymax, (double)s[j].bin[b] / s[j].tot);
			}
	if (lo > hi) {		/* buckets listed but all empty */
		lo = 3 * BPD;
		hi = 7 * BPD - 1;
	}
	dlo = lo / BPD;
	dhi = hi / BPD + 1;
	if (dhi - dlo < 2)
		dhi = dlo + 2;
	ymax = nice_ceil(ymax);
#define X(bin) (ML + pw * ((double)(bin) / BPD - dlo) / (dhi - dlo))
#define Y(share) (y1 - PLOT_H * (share) / ymax)
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s</text>\n",
		ML, y0 - 10, panel_titles[m]);
	fprintf(f, "<rect x=\"%d\" y=\"%d\" width=\"%.0f\" height=\"%d\" fill=\"none\" stroke=\"#333\"/>\n",
		ML, y0, pw, PLOT_H);
	for (d = dlo; d <= dhi; d++) {
		fprintf(f, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke=\"#ddd\"/>\n",
			X(d * BPD), y0, X(d * BPD), y1);
		fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"11\" text-anchor=\"middle\">%s</text>\n",
			X(d * BPD), y1 + 15, decade_label(d));
	}
	fprintf(f, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.0f\" y2=\"%.1f\" stroke=\"#eee\"/>\n",
		ML, Y(ymax / 2), ML + pw, Y(ymax / 2));
	fprintf(f, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\">latency (log scale)</text>\n",
		ML + pw / 2, y1 + 32);
	fprintf(f, "<text x=\"%d\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 %d %.0f)\">share of samples</text>\n",
		ML - 45, y0 + PLOT_H / 2.0, ML - 45, y0 + PLOT_H / 2.0);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%g%%</text>\n",
		ML - 5, y0 + 10, ymax * 100);
	fprintf(f, "<text x=\"%d\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">%g%%</text>\n",
		ML - 5, Y(ymax / 2) + 4, ymax * 50);
	fprintf(f, "<text x=\"%d\" y=\"%.0f\" font-size=\"11\" text-anchor=\"end\">0%%</text>\n",
		ML - 5, y1);
	for (j = 0; j < ns; j++) {
		if (!s[j].tot)
			continue;
		fprintf(f, "<polyline fill=\"none\" stroke-width=\"1.5\" ");
		style(f, j);
		fprintf(f, " points=\"%.1f,%.1f", X(lo), y1);
		for (b = lo; b <= hi; b++) {
			double y = Y((double)s[j].bin[b] / s[j].tot);

			fprintf(f, " %.1f,%.1f %.1f,%.1f", X(b), y, X(b + 1), y);
		}
		fprintf(f, " %.1f,%.1f\"/>\n", X(hi + 1), y1);
		b = series_p50(&s[j]);
		fprintf(f, "<line class=\"p50\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\" stroke-width=\"1\" stroke-dasharray=\"2,3\" stroke=\"%s\"/>\n",
			X(b + 0.5), y0, X(b + 0.5), y1, colors[j % NCOLOR]);
	}
#undef X
#undef Y
}

static void legend(FILE *f, const struct series *s, int ns)
{
	int j, y;

	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"12\" font-weight=\"bold\">series</text>\n",
		LX, MT + 12);
	for (j = 0; j < ns; j++) {
		y = MT + 32 + j * 18;
		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke-width=\"3\" ",
			LX, y, LX + 25, y);
		style(f, j);
		fprintf(f, "/>\n<text x=\"%d\" y=\"%d\" font-size=\"12\">",
			LX + 30, y + 4);
		svg_xml_text(f, s[j].name);
		fprintf(f, "</text>\n");
	}
	y = MT + 32 + ns * 18 + 10;
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">steps: share per 1/%d decade</text>\n",
		LX, y, BPD);
	fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#555\">thin vertical: median (p50)</text>\n",
		LX, y + 15);
	if (ns > NCOLOR * NDASH)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"11\" fill=\"#d62728\">%d series: styles repeat after %d</text>\n",
			LX, y + 30, ns, NCOLOR * NDASH);
}

void write_svg(FILE *f, const struct result *r, int n, const char *title)
{
	struct series *s = calloc(n > 0 ? n : 1, sizeof(*s));
	int ns, m, np = 0, used[RESULT_HISTS], h, w, i;

	if (!s)
		return;
	ns = series_names(r, n, s);
	w = ML + PW + MR_MIN;
	for (i = 0; i < ns; i++)
		if (LX + 40 + CHAR_W * (int)strlen(s[i].name) > w)
			w = LX + 40 + CHAR_W * (int)strlen(s[i].name);
	for (m = 0; m < RESULT_HISTS; m++) {
		used[m] = 0;
		for (i = 0; i < n; i++)
			used[m] |= r[i].hist[m].n > 0;
		np += used[m];
	}
	h = MT + (np ? np : 1) * PH;
	if (h < MT + 32 + ns * 18 + 55)
		h = MT + 32 + ns * 18 + 55;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\">\n",
		w, h, w, h);
	fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(f, "<text x=\"%d\" y=\"24\" font-size=\"16\">", ML);
	svg_xml_text(f, title);
	fprintf(f, "</text>\n");
	if (!np)
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-size=\"14\">no latency samples</text>\n",
			ML, MT + 40);
	for (m = 0, i = 0; m < RESULT_HISTS; m++) {
		if (!used[m])
			continue;
		series_fill(s, ns, r, n, m);
		panel(f, s, ns, m, MT + 20 + i++ * PH);
	}
	legend(f, s, ns);
	fprintf(f, "</svg>\n");
	free(s);
}
