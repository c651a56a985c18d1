/* plot: what every chart is drawn with: the plot area, axes, ticks, legend, the listing mark
 * and the palette (cairo). */
#include "plot.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const double plot_palette[NPAL][3] = {
    {0.12, 0.47, 0.71}, {1.00, 0.50, 0.05}, {0.17, 0.63, 0.17},
    {0.84, 0.15, 0.16}, {0.58, 0.40, 0.74}, {0.55, 0.34, 0.29},
    {0.89, 0.47, 0.76}, {0.09, 0.75, 0.81}, {0.50, 0.50, 0.50},
};

double plot_num(const table_s *t, int r, int c)
{
	const char *s = table_cell(t, r, c);
	return s != NULL ? atof(s) : 0;
}

void plot_text(cairo_t *cr, double x, double y, const char *s, double align)
{
	cairo_text_extents_t e;

	cairo_text_extents(cr, s, &e);
	cairo_move_to(cr, x - e.width * align - e.x_bearing * (1 - align), y);
	cairo_show_text(cr, s);
}

/* A dashed line at x, labelled: where a directory started sending viewers. */
void plot_mark_listing(cairo_t *cr, double x)
{
	static const double dash[] = {5, 4};

	cairo_save(cr);
	cairo_set_source_rgb(cr, 0.35, 0.35, 0.35);
	cairo_set_line_width(cr, 1.2);
	cairo_set_dash(cr, dash, 2, 0);
	cairo_move_to(cr, x, MT);
	cairo_line_to(cr, x, MT + PH);
	cairo_stroke(cr);
	cairo_restore(cr);
	cairo_set_font_size(cr, 11);
	cairo_set_source_rgb(cr, 0.25, 0.25, 0.25);
	if (x > ML + PW - 60) /* near the legend: the label goes left of the line */
		plot_text(cr, x - 4, MT + 12, "listed", 1);
	else
		plot_text(cr, x + 4, MT + 12, "listed", 0);
}

void plot_frame(cairo_t *cr, const char *title, const char *xlabel, const char *ylabel)
{
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
	cairo_set_font_size(cr, 17);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	plot_text(cr, ML + PW / 2.0, 30, title, 0.5);
	cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
	                       CAIRO_FONT_WEIGHT_NORMAL);
	cairo_set_font_size(cr, 12);
	plot_text(cr, ML + PW / 2.0, H - 16, xlabel, 0.5);
	cairo_save(cr);
	cairo_translate(cr, 18, MT + PH / 2.0);
	cairo_rotate(cr, -M_PI / 2);
	plot_text(cr, 0, 0, ylabel, 0.5);
	cairo_restore(cr);
	cairo_set_line_width(cr, 1);
	cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
	cairo_rectangle(cr, ML, MT, PW, PH);
	cairo_stroke(cr);
}

void plot_no_data(cairo_t *cr)
{
	cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
	cairo_set_font_size(cr, 15);
	plot_text(cr, ML + PW / 2.0, MT + PH / 2.0, "no data in this period", 0.5);
}

/* Time axis: ticks at a round step chosen for the span, labelled in the
 * report's zone (TZ). */
void plot_time_axis(cairo_t *cr, double t0, double t1)
{
	static const double steps[] = {60,        300,        900,        1800,      3600,
	                               3 * 3600,  6 * 3600,   12 * 3600,  86400,     2 * 86400,
	                               7 * 86400, 14 * 86400, 30 * 86400, 91 * 86400};
	double span = t1 - t0, step = steps[sizeof(steps) / sizeof(steps[0]) - 1];
	char label[32];

	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] <= 8) {
			step = steps[i];
			break;
		}
	/* first tick: t0 rounded up to the step in local time */
	time_t first = (time_t)(ceil(t0 / step) * step);
	if (step >= 86400) {
		struct tm tm;
		time_t s = (time_t)t0;
		localtime_r(&s, &tm);
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
		tm.tm_mday += 1;
		tm.tm_isdst = -1;
		first = mktime(&tm);
	}
	cairo_set_font_size(cr, 11);
	for (double t = (double)first; t <= t1; t += step) {
		double x = ML + (t - t0) / span * PW;
		struct tm tm;
		time_t s = (time_t)t;
		localtime_r(&s, &tm);
		strftime(label, sizeof(label),
		         step >= 86400  ? "%m-%d"
		         : span > 86400 ? "%m-%d %H:%M"
		                        : "%H:%M",
		         &tm);
		cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
		cairo_move_to(cr, x, MT);
		cairo_line_to(cr, x, MT + PH);
		cairo_stroke(cr);
		cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
		plot_text(cr, x, MT + PH + 16, label, 0.5);
	}
}

/* A horizontal gridline at y with its label left of the plot. */
void plot_y_tick(cairo_t *cr, double y, const char *label)
{
	cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
	cairo_move_to(cr, ML, y);
	cairo_line_to(cr, ML + PW, y);
	cairo_stroke(cr);
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	plot_text(cr, ML - 6, y + 4, label, 1);
}

/* y ticks; fmt_mmss prints seconds as m:ss. */
void plot_y_axis(cairo_t *cr, double y0, double y1, int logscale, int fmt_mmss, int pct)
{
	char label[32];

	cairo_set_font_size(cr, 11);
	if (logscale) {
		for (double v = 1; v <= y1 * 1.0001; v *= 10) {
			double y = MT + PH - (log10(v) - log10(y0)) / (log10(y1) - log10(y0)) * PH;
			snprintf(label, sizeof(label), "%.0f", v);
			plot_y_tick(cr, y, label);
		}
		return;
	}
	double span = y1 - y0, raw = span / 6, mag = pow(10, floor(log10(raw > 0 ? raw : 1))),
	       step = mag;
	if (fmt_mmss) {
		static const double s[] = {1,   5,   10,  15,   30,   60,  120,
		                           300, 600, 900, 1800, 3600, 7200};
		step = s[sizeof(s) / sizeof(s[0]) - 1];
		for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
			if (span / s[i] <= 7) {
				step = s[i];
				break;
			}
	} else if (raw / mag > 5) {
		step = 10 * mag;
	} else if (raw / mag > 2) {
		step = 5 * mag;
	} else if (raw / mag > 1) {
		step = 2 * mag;
	}
	for (double v = ceil(y0 / step) * step; v <= y1 + step * 1e-9; v += step) {
		double y = MT + PH - (v - y0) / span * PH;
		if (fmt_mmss)
			snprintf(label, sizeof(label), "%d:%02d", (int)v / 60, (int)v % 60);
		else if (pct)
			snprintf(label, sizeof(label), "%.0f%%", v * 100);
		else
			snprintf(label, sizeof(label), "%g", v);
		plot_y_tick(cr, y, label);
	}
}

void plot_legend(cairo_t *cr, int i, const char *label)
{
	double y = MT + 10 + i * 20;

	cairo_set_source_rgb(cr, plot_palette[i % NPAL][0], plot_palette[i % NPAL][1],
	                     plot_palette[i % NPAL][2]);
	cairo_rectangle(cr, ML + PW + 16, y - 9, 12, 12);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
	cairo_set_font_size(cr, 12);
	plot_text(cr, ML + PW + 34, y + 1, label, 0);
}

/* Index of a label among the first NPAL-1 distinct ones (legend order), the
 * last colour for the rest ("other"). */
int plot_series_of(const char **names, int *n, const char *s)
{
	for (int i = 0; i < *n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	if (*n < NPAL - 1) {
		names[*n] = s;
		return (*n)++;
	}
	return NPAL - 1;
}
