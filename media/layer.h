/* layer: the pre-rendered scene layers, decoded once at start: a JPEG from
 * the embedded table to RGB, and fitted (scaled to cover, cropped) to the
 * camera's picture size. */
#ifndef CAMDECOY_LAYER_H
#define CAMDECOY_LAYER_H

#include <stddef.h>
#include <stdint.h>

/* The embedded asset called name (e.g. "office_day.jpg") decoded to RGB
 * (*rgb malloc'd, the caller's). 0 or -1 with err filled. */
int layer_load(const char *name, uint8_t **rgb, int *w, int *h, char *err, size_t errlen);

/* How a sw x sh render covers a dw x dh picture: scaled by ly_scale, then
 * cropped at (ly_ox, ly_oy) in the scaled render (centred across, the
 * bottom kept: that is where the note and the floor are). */
typedef struct {
	double ly_scale;
	double ly_ox, ly_oy;
} layer_fit_s;

void layer_fit(int sw, int sh, int dw, int dh, layer_fit_s *fit);
/* Where the render's point (x, y) lands in the picture. */
void layer_map(const layer_fit_s *fit, double x, double y, double *ox, double *oy);
/* out (dw x dh RGB) = the render resampled through fit (bilinear). */
void layer_resample(const uint8_t *rgb, int sw, int sh, const layer_fit_s *fit, uint8_t *out,
                    int dw, int dh);

#endif
