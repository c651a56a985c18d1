/* plot: the frame every chart of charts.c is drawn in (cairo): the plot area and its margins,
 * axes and ticks, the legend, the listing mark, the palette. */
#ifndef CAMDECOY_PLOT_H
#define CAMDECOY_PLOT_H

#include <cairo.h>

#include "table.h"

#define W  960
#define H  520
#define ML 90 /* margins: left, right (legend), top, bottom */
#define MR 180
#define MT 56
#define MB 70
#define PW (W - ML - MR)
#define PH (H - MT - MB)

#define NPAL 9
extern const double plot_palette[NPAL][3];

/* A cell of a data table as a number (0 for none). */
double plot_num(const table_s *t, int r, int c);
/* s at (x, y); align 0 left, 0.5 centred, 1 right. */
void plot_text(cairo_t *cr, double x, double y, const char *s, double align);
/* The listing moment's dashed line at x, labelled. */
void plot_mark_listing(cairo_t *cr, double x);
void plot_frame(cairo_t *cr, const char *title, const char *xlabel, const char *ylabel);
void plot_no_data(cairo_t *cr);
/* x axis over [t0, t1] seconds, labelled in the report's zone. */
void plot_time_axis(cairo_t *cr, double t0, double t1);
/* A tick and its label at height y of the plot area. */
void plot_y_tick(cairo_t *cr, double y, const char *label);
void plot_y_axis(cairo_t *cr, double y0, double y1, int logscale, int fmt_mmss, int pct);
/* The legend's i-th entry, in the palette's i-th colour. */
void plot_legend(cairo_t *cr, int i, const char *label);
/* Index of a label among the first NPAL-1 distinct ones (legend order), the
 * last colour for the rest ("other"). */
int plot_series_of(const char **names, int *n, const char *s);

#endif
