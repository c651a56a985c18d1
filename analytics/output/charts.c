/* charts: query -> data table (also written out) -> one drawing per format. */
#include "charts.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <cairo.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "plot.h"
#include "table.h"

/* The listing moment for the charts that mark it, set by charts_write for
 * one run (chart_data_s). */
static double listing_s;
static char listing_bucket[32];

typedef struct {
	const char *ch_name, *ch_title;
	table_s *ch_data;
	void (*ch_draw)(cairo_t *cr, const table_s *t, const char *title);
} chart_s;

/* 1. viewing duration per view against time, one colour per country.
 * data: started_ms, duration_s, country (rows ordered by country frequency) */
static void draw_durations(cairo_t *cr, const table_s *t, const char *title)
{
	int n = table_rows(t), ns = 0, other = 0;
	const char *names[NPAL];
	double t0 = INFINITY, t1 = -INFINITY, ymax = 60;

	plot_frame(cr, title, "time of view", "viewing duration (m:ss)");
	if (n == 0) {
		plot_no_data(cr);
		return;
	}
	for (int r = 0; r < n; r++) {
		double ts = plot_num(t, r, 0) / 1000, d = plot_num(t, r, 1);
		t0 = fmin(t0, ts);
		t1 = fmax(t1, ts);
		ymax = fmax(ymax, d);
	}
	if (t1 - t0 < 60)
		t0 -= 30, t1 += 30;
	ymax *= 1.05;
	plot_time_axis(cr, t0, t1);
	plot_y_axis(cr, 0, ymax, 0, 1, 0);
	/* at most ~20,000 dots: a denser cloud adds nothing but file size */
	int every = n / 20000 + 1;
	for (int r = 0; r < n; r += every) {
		const char *cc = table_cell(t, r, 2) ? table_cell(t, r, 2) : "unknown";
		int si = plot_series_of(names, &ns, cc);
		double x = ML + (plot_num(t, r, 0) / 1000 - t0) / (t1 - t0) * PW;
		double y = MT + PH - plot_num(t, r, 1) / ymax * PH;
		other |= si == NPAL - 1;
		cairo_set_source_rgba(cr, plot_palette[si][0], plot_palette[si][1],
		                      plot_palette[si][2], 0.8);
		cairo_arc(cr, x, y, 3.5, 0, 2 * M_PI);
		cairo_fill(cr);
	}
	for (int i = 0; i < ns; i++)
		plot_legend(cr, i, names[i]);
	if (other)
		plot_legend(cr, NPAL - 1, "other");
	if (listing_s > 0 && listing_s >= t0 && listing_s <= t1)
		plot_mark_listing(cr, ML + (listing_s - t0) / (t1 - t0) * PW);
}

/* 2. hosts per day (or hour): accessed, Insecam-referred, fetched images.
 * data: bucket, accessed, insecam, fetched */
static void draw_series(cairo_t *cr, const table_s *t, const char *title)
{
	static const char *const names[] = {"hosts accessed", "Referer Insecam", "fetched images"};
	int n = table_rows(t), logscale;
	double ymax = 1, ymin = INFINITY;

	plot_frame(cr, title, n > 0 && strlen(table_cell(t, 0, 0)) > 10 ? "hour" : "day", "hosts");
	if (n == 0) {
		plot_no_data(cr);
		return;
	}
	for (int r = 0; r < n; r++)
		for (int c = 1; c <= 3; c++) {
			double v = plot_num(t, r, c);
			ymax = fmax(ymax, v);
			if (v > 0)
				ymin = fmin(ymin, v);
		}
	/* the reference saw a jump by a factor of thousands: log scale then */
	logscale = isfinite(ymin) && ymax / ymin >= 100;
	double lo = logscale ? 1 : 0, hi = logscale ? pow(10, ceil(log10(ymax))) : ymax * 1.1;
	plot_y_axis(cr, lo, hi, logscale, 0, 0);
	cairo_set_font_size(cr, 11);
	int every = n / 10 + 1;
	for (int r = 0; r < n; r += every) {
		double x = ML + (n == 1 ? PW / 2.0 : (double)r / (n - 1) * PW);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		plot_text(cr, x, MT + PH + 16, table_cell(t, r, 0) + 5, 0.5); /* MM-DD[ HH:00] */
	}
	for (int c = 1; c <= 3; c++) {
		cairo_set_source_rgb(cr, plot_palette[c - 1][0], plot_palette[c - 1][1],
		                     plot_palette[c - 1][2]);
		cairo_set_line_width(cr, 2);
		for (int r = 0; r < n; r++) {
			double v = plot_num(t, r, c);
			double x = ML + (n == 1 ? PW / 2.0 : (double)r / (n - 1) * PW);
			double y = logscale ? MT + PH - (v > 0 ? log10(v) / log10(hi) : 0) * PH
			                    : MT + PH - (v - lo) / (hi - lo) * PH;
			if (r == 0)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		cairo_stroke(cr);
		for (int r = 0; r < n; r++) {
			double v = plot_num(t, r, c);
			double x = ML + (n == 1 ? PW / 2.0 : (double)r / (n - 1) * PW);
			double y = logscale ? MT + PH - (v > 0 ? log10(v) / log10(hi) : 0) * PH
			                    : MT + PH - (v - lo) / (hi - lo) * PH;
			cairo_arc(cr, x, y, 3, 0, 2 * M_PI);
			cairo_fill(cr);
		}
		plot_legend(cr, c - 1, names[c - 1]);
	}
	if (logscale) {
		cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
		plot_text(cr, ML + PW - 4, MT + 14, "log scale", 1);
	}
	for (int r = 0; listing_s > 0 && r < n; r++)
		if (strcmp(table_cell(t, r, 0), listing_bucket) == 0)
			plot_mark_listing(cr, ML + (n == 1 ? PW / 2.0 : (double)r / (n - 1) * PW));
}

/* 3. country shares of accessing hosts. data: country, hosts, share_pct */
static void draw_countries(cairo_t *cr, const table_s *t, const char *title)
{
	int n = table_rows(t);
	double max = 1;
	char label[64];

	plot_frame(cr, title, "share of accessing hosts", "country");
	if (n == 0) {
		plot_no_data(cr);
		return;
	}
	for (int r = 0; r < n; r++)
		max = fmax(max, plot_num(t, r, 2));
	double bar = fmin(34, (double)PH / n);
	cairo_set_font_size(cr, 12);
	for (int r = 0; r < n; r++) {
		double y = MT + r * bar + 4, w = plot_num(t, r, 2) / max * (PW - 80);
		cairo_set_source_rgb(cr, plot_palette[r % NPAL][0], plot_palette[r % NPAL][1],
		                     plot_palette[r % NPAL][2]);
		cairo_rectangle(cr, ML + 2, y, w, bar - 8);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
		plot_text(cr, ML - 8, y + bar / 2, table_cell(t, r, 0), 1);
		snprintf(label, sizeof(label), "%.1f%% (%s)", plot_num(t, r, 2),
		         table_cell(t, r, 1));
		plot_text(cr, ML + 8 + w, y + bar / 2, label, 0);
	}
}

/* 4. distribution of viewing time by referer class: empirical CDFs.
 * data: referer_class, duration_s, fraction (quantiles per class) */
static void draw_cdf(cairo_t *cr, const table_s *t, const char *title)
{
	int n = table_rows(t), ns = 0;
	double xmax = 10;
	const char *names[NPAL];

	plot_frame(cr, title, "viewing duration (m:ss), log scale from 1 s",
	           "fraction of views at most this long");
	if (n == 0) {
		plot_no_data(cr);
		return;
	}
	for (int r = 0; r < n; r++)
		xmax = fmax(xmax, plot_num(t, r, 1));
	double lx = log10(xmax * 1.2);
	plot_y_axis(cr, 0, 1, 0, 0, 1);
	/* x ticks */
	static const double ticks[] = {1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400};
	char label[32];
	cairo_set_font_size(cr, 11);
	for (size_t i = 0; i < sizeof(ticks) / sizeof(ticks[0]) && ticks[i] <= xmax * 1.2; i++) {
		double x = ML + log10(ticks[i]) / lx * PW;
		snprintf(label, sizeof(label), "%d:%02d", (int)ticks[i] / 60, (int)ticks[i] % 60);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		plot_text(cr, x, MT + PH + 16, label, 0.5);
	}
	for (int r = 0; r < n;) {
		const char *cls = table_cell(t, r, 0) ? table_cell(t, r, 0) : "none";
		int end = r, si;
		while (end < n &&
		       strcmp(table_cell(t, end, 0) ? table_cell(t, end, 0) : "none", cls) == 0)
			end++;
		si = plot_series_of(names, &ns, cls);
		cairo_set_source_rgb(cr, plot_palette[si][0], plot_palette[si][1],
		                     plot_palette[si][2]);
		cairo_set_line_width(cr, 2);
		cairo_move_to(cr, ML, MT + PH);
		double prev = 0;
		for (int k = r; k < end; k++) {
			double d = fmax(plot_num(t, k, 1), 1), f = plot_num(t, k, 2);
			double x = ML + log10(d) / lx * PW;
			cairo_line_to(cr, x, MT + PH - prev * PH);
			cairo_line_to(cr, x, MT + PH - f * PH);
			prev = f;
		}
		cairo_line_to(cr, ML + PW, MT);
		cairo_stroke(cr);
		r = end;
	}
	for (int i = 0; i < ns; i++)
		plot_legend(cr, i, names[i]);
}

/* 5. credential uses: a segment from first display to use, per use.
 * data: view_id, shown_ms, used_ms, channel, moved_ip */
static void draw_timeline(cairo_t *cr, const table_s *t, const char *title)
{
	int n = table_rows(t);
	double t0 = INFINITY, t1 = -INFINITY;
	char label[48];

	plot_frame(cr, title, "time (shown -> used)", "credential use");
	if (n == 0) {
		plot_no_data(cr);
		return;
	}
	for (int r = 0; r < n; r++) {
		t0 = fmin(t0, fmin(plot_num(t, r, 1), plot_num(t, r, 2)) / 1000);
		t1 = fmax(t1, fmax(plot_num(t, r, 1), plot_num(t, r, 2)) / 1000);
	}
	if (t1 - t0 < 60)
		t0 -= 30, t1 += 30;
	plot_time_axis(cr, t0, t1);
	cairo_set_font_size(cr, 10);
	for (int r = 0; r < n; r++) {
		double y = MT + (r + 0.5) * PH / n;
		double xs = ML + (plot_num(t, r, 1) / 1000 - t0) / (t1 - t0) * PW;
		double xu = ML + (plot_num(t, r, 2) / 1000 - t0) / (t1 - t0) * PW;
		int moved = plot_num(t, r, 4) != 0;
		cairo_set_source_rgb(cr, 0.5, 0.5, 0.5);
		cairo_set_line_width(cr, 1.5);
		cairo_move_to(cr, xs, y);
		cairo_line_to(cr, xu, y);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, plot_palette[0][0], plot_palette[0][1],
		                     plot_palette[0][2]);
		cairo_arc(cr, xs, y, 4, 0, 2 * M_PI);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, plot_palette[moved ? 3 : 2][0],
		                     plot_palette[moved ? 3 : 2][1],
		                     plot_palette[moved ? 3 : 2][2]);
		cairo_arc(cr, xu, y, 4, 0, 2 * M_PI);
		cairo_fill(cr);
		if (n <= 30) {
			snprintf(label, sizeof(label), "view %s",
			         table_cell(t, r, 0) ? table_cell(t, r, 0) : "-");
			cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
			plot_text(cr, fmax(xs, xu) + 8, y + 3, label, 0);
		}
	}
	plot_legend(cr, 0, "shown (first frame)");
	plot_legend(cr, 2, "used, same address");
	plot_legend(cr, 3, "used elsewhere");
}

/* 6. the viewer funnel: hosts reaching each stage, in all and per referer
 * class, on a log scale (a stage nobody reached sits on the axis).
 * data: funnel_table's (by, value, then one count per stage) */
static void draw_funnel(cairo_t *cr, const table_s *t, const char *title)
{
	static const char *const stages[] = {"requested", "frame",     ">10 s",          ">60 s",
	                                     ">4 min",    "login try", "trap credential"};
	enum { NST = 7 };
	int n = table_rows(t), ns = 0;
	const char *names[NPAL];
	double ymax = 1;
	char label[32];

	plot_frame(cr, title, "stage", "hosts (log scale)");
	for (int r = 0; r < n; r++)
		if (strcmp(table_cell(t, r, 0), "country") != 0)
			ymax = fmax(ymax, plot_num(t, r, 2));
	if (n == 0 || ymax < 1) {
		plot_no_data(cr);
		return;
	}
	double top = pow(10, ceil(log10(ymax * 1.5))), lo = 0.5;
	plot_y_axis(cr, lo, top, 1, 0, 0);
	plot_y_tick(cr, MT + PH, "0"); /* where none of them got to */
	cairo_set_font_size(cr, 11);
	for (int k = 0; k < NST; k++) {
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		plot_text(cr, ML + (k + 0.5) * PW / NST, MT + PH + 16, stages[k], 0.5);
	}
	for (int r = 0; r < n; r++) {
		const char *by = table_cell(t, r, 0), *value = table_cell(t, r, 1);
		if (strcmp(by, "country") == 0)
			continue;
		int si = plot_series_of(
		    names, &ns, strcmp(by, "all") == 0 ? "all hosts" : (value ? value : "none"));
		cairo_set_source_rgb(cr, plot_palette[si][0], plot_palette[si][1],
		                     plot_palette[si][2]);
		cairo_set_line_width(cr, si == 0 ? 3 : 1.8);
		for (int k = 0; k < NST; k++) {
			double v = fmax(plot_num(t, r, 2 + k), lo);
			double x = ML + (k + 0.5) * PW / NST;
			double y = MT + PH - (log10(v) - log10(lo)) / (log10(top) - log10(lo)) * PH;
			if (k == 0)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		cairo_stroke(cr);
		for (int k = 0; k < NST; k++) {
			double v = plot_num(t, r, 2 + k), x = ML + (k + 0.5) * PW / NST;
			double y = MT + PH -
			           (log10(fmax(v, lo)) - log10(lo)) / (log10(top) - log10(lo)) * PH;
			cairo_arc(cr, x, y, 3.5, 0, 2 * M_PI);
			cairo_fill(cr);
			if (strcmp(by, "all") == 0) { /* the totals, written out */
				snprintf(label, sizeof(label), "%.0f", v);
				cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
				plot_text(cr, x + 6, y - 6, label, 0);
				cairo_set_source_rgb(cr, plot_palette[si][0], plot_palette[si][1],
				                     plot_palette[si][2]);
			}
		}
	}
	for (int i = 0; i < ns; i++)
		plot_legend(cr, i, names[i]);
}

/* 7. exploitation attempts per family and day: a line per family.
 * data: day, family, attempts (ordered by day, then family) */
static void draw_families(cairo_t *cr, const table_s *t, const char *title)
{
	const char *fams[NPAL], *days[CHARTS_FAMILY_DAYS];
	int n = table_rows(t), nf = 0, nd = 0, other = 0;
	double v[NPAL][CHARTS_FAMILY_DAYS] = {{0}}, ymax = 1;

	plot_frame(cr, title, "day", "attempts");
	for (int r = 0; r < n; r++) {
		const char *day = table_cell(t, r, 0), *fam = table_cell(t, r, 1);
		if (day == NULL || fam == NULL)
			continue;
		if (nd == 0 || strcmp(days[nd - 1], day) != 0) {
			if (nd == CHARTS_FAMILY_DAYS)
				break; /* the data file has them all */
			days[nd++] = day;
		}
		int f = plot_series_of(fams, &nf, fam);
		other |= f == NPAL - 1;
		v[f][nd - 1] += plot_num(t, r, 2);
		ymax = fmax(ymax, v[f][nd - 1]);
	}
	if (nd == 0) {
		plot_no_data(cr);
		return;
	}
	plot_y_axis(cr, 0, ymax * 1.1, 0, 0, 0);
	cairo_set_font_size(cr, 11);
	for (int d = 0; d < nd; d += nd / 10 + 1) {
		double x = ML + (nd == 1 ? PW / 2.0 : (double)d / (nd - 1) * PW);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		plot_text(cr, x, MT + PH + 16, days[d] + 5, 0.5); /* MM-DD */
	}
	for (int f = 0; f < NPAL; f++) {
		if (f >= nf && !(f == NPAL - 1 && other))
			continue;
		cairo_set_source_rgb(cr, plot_palette[f][0], plot_palette[f][1],
		                     plot_palette[f][2]);
		cairo_set_line_width(cr, 2);
		for (int d = 0; d < nd; d++) {
			double x = ML + (nd == 1 ? PW / 2.0 : (double)d / (nd - 1) * PW);
			double y = MT + PH - v[f][d] / (ymax * 1.1) * PH;
			if (d == 0)
				cairo_move_to(cr, x, y);
			else
				cairo_line_to(cr, x, y);
		}
		cairo_stroke(cr);
		plot_legend(cr, f, f < nf ? fams[f] : "other");
	}
}

static int render(const chart_s *ch, const char *dir, char *err, size_t errlen)
{
	char path[4096];
	cairo_surface_t *s;
	cairo_t *cr;

	for (int k = 0; k < 3; k++) {
		snprintf(path, sizeof(path), "%s/%s.%s", dir, ch->ch_name,
		         k == 0   ? "svg"
		         : k == 1 ? "pdf"
		                  : "png");
		s = k == 0   ? cairo_svg_surface_create(path, W, H)
		    : k == 1 ? cairo_pdf_surface_create(path, W, H)
		             : cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
		cr = cairo_create(s);
		ch->ch_draw(cr, ch->ch_data, ch->ch_title);
		cairo_destroy(cr);
		if (k == 2 && cairo_surface_write_to_png(s, path) != CAIRO_STATUS_SUCCESS) {
			snprintf(err, errlen, "report: cannot write %.300s", path);
			cairo_surface_destroy(s);
			return -1;
		}
		cairo_surface_finish(s);
		if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
			snprintf(err, errlen, "report: cannot write %.300s: %s", path,
			         cairo_status_to_string(cairo_surface_status(s)));
			cairo_surface_destroy(s);
			return -1;
		}
		cairo_surface_destroy(s);
	}
	return 0;
}

static const char *const c1[] = {"started_ms", "duration_s", "country"};
static const char *const c2[] = {"bucket", "accessed_hosts", "insecam_hosts", "fetched_hosts"};
static const char *const c3[] = {"country", "hosts", "share_pct"};
static const char *const c4[] = {"referer_class", "duration_s", "fraction"};
static const char *const c5[] = {"view_id", "shown_ms", "used_ms", "channel", "moved_ip"};
static const char *const c7[] = {"day", "family", "attempts"};
static const int n1[] = {1, 1, 0}, n7[] = {0, 0, 1}, n2[] = {0, 1, 1, 1}, n3[] = {0, 1, 1},
                 n4[] = {0, 1, 1}, n5[] = {1, 1, 1, 0, 1};
static const chart_s charts[CHARTS_N] = {
    {"view_durations", "Viewing duration per view", NULL, draw_durations},
    {"host_series", "Hosts: accessed, referred by Insecam, fetched images", NULL, draw_series},
    {"country_shares", "Country shares of accessing hosts", NULL, draw_countries},
    {"duration_cdf", "Distribution of viewing time by referer class", NULL, draw_cdf},
    {"credential_timeline", "Credential uses: shown -> used", NULL, draw_timeline},
    {"funnel", "Viewer funnel: hosts reaching each stage", NULL, draw_funnel},
    {"exploit_families", "Exploitation attempts per family and day", NULL, draw_families},
};

const char *charts_name(int i)
{
	return charts[i].ch_name;
}

int charts_data_new(chart_data_s *d)
{
	memset(d, 0, sizeof(*d));
	d->cd_data[0] = table_new(charts[0].ch_name, 3, c1, n1);
	d->cd_data[1] = table_new(charts[1].ch_name, 4, c2, n2);
	d->cd_data[2] = table_new(charts[2].ch_name, 3, c3, n3);
	d->cd_data[3] = table_new(charts[3].ch_name, 3, c4, n4);
	d->cd_data[4] = table_new(charts[4].ch_name, 5, c5, n5);
	d->cd_data[6] = table_new(charts[6].ch_name, 3, c7, n7);
	for (int i = 0; i < CHARTS_N; i++)
		if (d->cd_data[i] == NULL && i != 5)
			return -1;
	return 0; /* the funnel's is the funnel subcommand's table */
}

void charts_data_free(chart_data_s *d)
{
	for (int i = 0; i < CHARTS_N; i++)
		table_free(d->cd_data[i]);
	memset(d, 0, sizeof(*d));
}

void charts_fini(void)
{
	/* cairo's font caches hold fontconfig's patterns: released first */
	cairo_debug_reset_static_data();
	FcFini();
}

int charts_write(const chart_data_s *d, const char *dir, char *err, size_t errlen)
{
	listing_s = d->cd_listing_s;
	snprintf(listing_bucket, sizeof(listing_bucket), "%s", d->cd_listing_bucket);
	for (int i = 0; i < CHARTS_N; i++) {
		chart_s ch = charts[i];
		char path[4096];
		if ((ch.ch_data = d->cd_data[i]) == NULL) {
			snprintf(err, errlen, "report: out of memory");
			return -1;
		}
		for (int k = 0; k < 2; k++) {
			FILE *f;
			snprintf(path, sizeof(path), "%s/%s.%s", dir, ch.ch_name,
			         k ? "json" : "csv");
			if ((f = fopen(path, "w")) == NULL) {
				snprintf(err, errlen, "report: cannot write %.300s: %s", path,
				         strerror(errno));
				return -1;
			}
			table_write(ch.ch_data, f, k ? FMT_JSON : FMT_CSV);
			fclose(f);
		}
		if (render(&ch, dir, err, errlen) != 0)
			return -1;
	}
	return 0;
}
