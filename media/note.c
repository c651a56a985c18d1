/* note: the credential on a sheet in the room, in the sheet's perspective. */
#include "note.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"

#define NOTE_MIN_PX 8 /* below this tesseract does not read the text */

struct note {
	double nt_h[9]; /* picture -> flat sheet (u, v in pixels of the flat sheet) */
	int nt_x0, nt_y0, nt_x1, nt_y1;
	int nt_fw, nt_fh; /* the flat sheet */
	int nt_tx, nt_ty; /* where the text starts on it */
	overlay_s *nt_ov;
	picture_s nt_flat;
};

/* The homography taking the unit square's corners (0,0) (1,0) (1,1) (0,1)
 * to the quad (Heckbert's square-to-quad). */
static void square_to_quad(const double q[8], double m[9])
{
	double x0 = q[0], y0 = q[1], x1 = q[2], y1 = q[3], x2 = q[4], y2 = q[5], x3 = q[6],
	       y3 = q[7];
	double sx = x0 - x1 + x2 - x3, sy = y0 - y1 + y2 - y3;
	double dx1 = x1 - x2, dx2 = x3 - x2, dy1 = y1 - y2, dy2 = y3 - y2;
	double den = dx1 * dy2 - dx2 * dy1;
	double g = den != 0 ? (sx * dy2 - dx2 * sy) / den : 0;
	double h = den != 0 ? (dx1 * sy - sx * dy1) / den : 0;

	m[0] = x1 - x0 + g * x1;
	m[1] = x3 - x0 + h * x3;
	m[2] = x0;
	m[3] = y1 - y0 + g * y1;
	m[4] = y3 - y0 + h * y3;
	m[5] = y0;
	m[6] = g;
	m[7] = h;
	m[8] = 1;
}

static void invert3(const double a[9], double r[9])
{
	double det = a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) +
	             a[2] * (a[3] * a[7] - a[4] * a[6]);
	double k = det != 0 ? 1.0 / det : 0;

	r[0] = (a[4] * a[8] - a[5] * a[7]) * k;
	r[1] = (a[2] * a[7] - a[1] * a[8]) * k;
	r[2] = (a[1] * a[5] - a[2] * a[4]) * k;
	r[3] = (a[5] * a[6] - a[3] * a[8]) * k;
	r[4] = (a[0] * a[8] - a[2] * a[6]) * k;
	r[5] = (a[2] * a[3] - a[0] * a[5]) * k;
	r[6] = (a[3] * a[7] - a[4] * a[6]) * k;
	r[7] = (a[1] * a[6] - a[0] * a[7]) * k;
	r[8] = (a[0] * a[4] - a[1] * a[3]) * k;
}

static double edge(const double q[8], int a, int b)
{
	return hypot(q[2 * b] - q[2 * a], q[2 * b + 1] - q[2 * a + 1]);
}

note_s *note_new(const char *font_path, const double quad[8], const char *widest, char *err,
                 size_t errlen)
{
	note_s *nt = calloc(1, sizeof(*nt));
	double m[9], inv[9];
	int tw, th, px;

	if (nt == NULL) {
		snprintf(err, errlen, "note: out of memory");
		return NULL;
	}
	/* the flat sheet at twice the size it has in the picture: sampled
	 * back down, the writing is antialiased, not blurred twice */
	nt->nt_fw = ((int)lrint(edge(quad, 0, 1) + edge(quad, 3, 2)) + 1) & ~1;
	nt->nt_fh = ((int)lrint(edge(quad, 0, 3) + edge(quad, 1, 2)) + 1) & ~1;
	/* the largest face whose two lines fill the sheet within a margin */
	overlay_s *probe = overlay_new(font_path, 40, err, errlen);
	if (probe == NULL)
		goto fail;
	overlay_measure(probe, widest, &tw, &th);
	overlay_free(probe);
	double k = fmin(nt->nt_fw * 0.80 / (tw > 0 ? tw : 1), nt->nt_fh * 0.80 / (th > 0 ? th : 1));
	px = (int)(40 * k);
	if (px < 2 * NOTE_MIN_PX || nt->nt_fw < 32 || nt->nt_fh < 32) {
		snprintf(err, errlen, "note: the sheet (%dx%d pixels) is too small to be read",
		         nt->nt_fw / 2, nt->nt_fh / 2);
		goto fail;
	}
	if ((nt->nt_ov = overlay_new(font_path, px, err, errlen)) == NULL)
		goto fail;
	overlay_measure(nt->nt_ov, widest, &tw, &th);
	nt->nt_tx = nt->nt_fw * 15 / 100; /* written from a margin on the left */
	nt->nt_ty = (nt->nt_fh - th) / 2;
	if (picture_alloc(&nt->nt_flat, nt->nt_fw, nt->nt_fh) != 0) {
		snprintf(err, errlen, "note: out of memory");
		goto fail;
	}
	square_to_quad(quad, m);
	invert3(m, inv);
	/* picture -> unit square -> flat sheet pixels */
	for (int i = 0; i < 3; i++) {
		nt->nt_h[i] = inv[i] * nt->nt_fw;
		nt->nt_h[3 + i] = inv[3 + i] * nt->nt_fh;
		nt->nt_h[6 + i] = inv[6 + i];
	}
	nt->nt_x0 = nt->nt_y0 = 1 << 20;
	nt->nt_x1 = nt->nt_y1 = -(1 << 20);
	for (int c = 0; c < 4; c++) {
		nt->nt_x0 = (int)fmin(nt->nt_x0, floor(quad[2 * c]));
		nt->nt_y0 = (int)fmin(nt->nt_y0, floor(quad[2 * c + 1]));
		nt->nt_x1 = (int)fmax(nt->nt_x1, ceil(quad[2 * c]) + 1);
		nt->nt_y1 = (int)fmax(nt->nt_y1, ceil(quad[2 * c + 1]) + 1);
	}
	return nt;
fail:
	note_free(nt);
	return NULL;
}

void note_free(note_s *nt)
{
	if (nt == NULL)
		return;
	overlay_free(nt->nt_ov);
	picture_release(&nt->nt_flat);
	free(nt);
}

void note_rows(const note_s *nt, int *y0, int *y1)
{
	*y0 = nt->nt_y0;
	*y1 = nt->nt_y1;
}

/* The ink on the flat sheet, 0 .. 255: the warp's bilinear sampling is
 * the lens's softness (a softer pen cost tesseract its reads). */
static void note_ink(note_s *nt, const char *text)
{
	static const overlay_style_s ink = {
	    .os_fg = {0, 0, 0}, .os_bg = {0, 0, 0}, .os_bg_alpha = 0, .os_shadow = 0, .os_pad = 0};
	uint8_t *y = nt->nt_flat.pic_y;
	size_t n = (size_t)nt->nt_fw * nt->nt_fh;

	memset(y, 255, n);
	overlay_draw(nt->nt_ov, &nt->nt_flat, nt->nt_tx, nt->nt_ty, text, &ink);
	for (size_t i = 0; i < n; i++)
		y[i] = (uint8_t)(255 - y[i]);
}

/* The ink at the picture point (x, y), 0 .. 255, bilinear; -1 off the sheet. */
static int ink_at(const note_s *nt, double x, double y)
{
	const double *m = nt->nt_h;
	double z = m[6] * x + m[7] * y + m[8];
	if (z == 0)
		return -1;
	double u = (m[0] * x + m[1] * y + m[2]) / z - 0.5,
	       v = (m[3] * x + m[4] * y + m[5]) / z - 0.5;
	if (u < -0.5 || v < -0.5 || u > nt->nt_fw - 0.5 || v > nt->nt_fh - 0.5)
		return -1;
	int u0 = (int)floor(u), v0 = (int)floor(v);
	double fu = u - u0, fv = v - v0;
	const uint8_t *p = nt->nt_flat.pic_y;
	int w = nt->nt_fw, h = nt->nt_fh;
	int ua = u0 < 0 ? 0 : u0, ub = u0 + 1 >= w ? w - 1 : u0 + 1;
	int va = v0 < 0 ? 0 : v0, vb = v0 + 1 >= h ? h - 1 : v0 + 1;
	double a = p[va * w + ua], b = p[va * w + ub], c = p[vb * w + ua], d = p[vb * w + ub];
	return (int)((a * (1 - fu) + b * fu) * (1 - fv) + (c * (1 - fu) + d * fu) * fv);
}

void note_draw(note_s *nt, picture_s *pic, int row0, const char *text, int night)
{
	/* dark blue marker by day; under IR most inks are dark grey */
	int strength = 250, ink_u = 150, ink_v = 118;

	note_ink(nt, text);
	for (int y = nt->nt_y0; y < nt->nt_y1; y++) {
		int py = y - row0;
		if (py < 0 || py >= pic->pic_h)
			continue;
		for (int x = nt->nt_x0; x < nt->nt_x1; x++) {
			if (x < 0 || x >= pic->pic_w)
				continue;
			int k = ink_at(nt, x + 0.5, y + 0.5);
			if (k <= 0)
				continue;
			int a = k * strength / 255;
			uint8_t *o = pic->pic_y + (size_t)py * pic->pic_w + x;
			*o = (uint8_t)(*o * (256 - a) / 256);
			if (!night && py % 2 == 0 && x % 2 == 0) {
				size_t ci = (size_t)(py / 2) * (pic->pic_w / 2) + x / 2;
				pic->pic_u[ci] =
				    (uint8_t)((pic->pic_u[ci] * (256 - a) + ink_u * a) / 256);
				pic->pic_v[ci] =
				    (uint8_t)((pic->pic_v[ci] * (256 - a) + ink_v * a) / 256);
			}
		}
	}
}
