/* note: the credential on a sheet in the room, in the sheet's perspective. */
#include "note.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "overlay.h"

#define NOTE_MIN_PX 8 /* below this tesseract does not read the text */

/* Where a picture pixel of the sheet's box samples the flat sheet: the
 * top-left of its four texels and the weights, in 1/256 (the warp is the
 * same every frame; only the writing changes). */
typedef struct {
	int32_t wm_at; /* index into nt_flat's luma; -1 off the sheet */
	uint16_t wm_fu, wm_fv;
} note_warp_s;

struct note {
	int nt_x0, nt_y0, nt_x1, nt_y1;
	int nt_fw, nt_fh; /* the flat sheet */
	int nt_tx, nt_ty; /* where the text starts on it */
	overlay_s *nt_ov;
	picture_s nt_flat;   /* the flat sheet with a border of one texel, ink 0 .. 255 */
	note_warp_s *nt_map; /* (nt_x1 - nt_x0) x (nt_y1 - nt_y0) */
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

/* Where the picture point (x, y) falls on the flat sheet (h: picture ->
 * flat sheet pixels); -1 in at when off the sheet. */
static note_warp_s warp_at(const note_s *nt, const double h[9], double x, double y)
{
	note_warp_s wm = {-1, 0, 0};
	double z = h[6] * x + h[7] * y + h[8];
	if (z == 0)
		return wm;
	double u = (h[0] * x + h[1] * y + h[2]) / z - 0.5,
	       v = (h[3] * x + h[4] * y + h[5]) / z - 0.5;
	if (u < -0.5 || v < -0.5 || u > nt->nt_fw - 0.5 || v > nt->nt_fh - 0.5)
		return wm;
	int u0 = (int)floor(u), v0 = (int)floor(v);
	/* u0 >= -1 and u0 + 1 <= nt_fw: inside the bordered sheet */
	wm.wm_at = (int32_t)((v0 + 1) * (nt->nt_fw + 2) + u0 + 1);
	wm.wm_fu = (uint16_t)lrint((u - u0) * 256);
	wm.wm_fv = (uint16_t)lrint((v - v0) * 256);
	return wm;
}

static int note_map(note_s *nt, const double h[9])
{
	int bw = nt->nt_x1 - nt->nt_x0, bh = nt->nt_y1 - nt->nt_y0;

	nt->nt_map = malloc((size_t)bw * bh * sizeof(*nt->nt_map));
	if (nt->nt_map == NULL)
		return -1;
	for (int y = 0; y < bh; y++)
		for (int x = 0; x < bw; x++)
			nt->nt_map[(size_t)y * bw + x] =
			    warp_at(nt, h, nt->nt_x0 + x + 0.5, nt->nt_y0 + y + 0.5);
	return 0;
}

note_s *note_new(const char *font_path, const double quad[8], const char *widest, char *err,
                 size_t errlen)
{
	note_s *nt = calloc(1, sizeof(*nt));
	double m[9], inv[9], h[9];
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
	if (picture_alloc(&nt->nt_flat, nt->nt_fw + 2, nt->nt_fh + 2) != 0) {
		snprintf(err, errlen, "note: out of memory");
		goto fail;
	}
	square_to_quad(quad, m);
	invert3(m, inv);
	/* picture -> unit square -> flat sheet pixels */
	for (int i = 0; i < 3; i++) {
		h[i] = inv[i] * nt->nt_fw;
		h[3 + i] = inv[3 + i] * nt->nt_fh;
		h[6 + i] = inv[6 + i];
	}
	nt->nt_x0 = nt->nt_y0 = 1 << 20;
	nt->nt_x1 = nt->nt_y1 = -(1 << 20);
	for (int c = 0; c < 4; c++) {
		nt->nt_x0 = (int)fmin(nt->nt_x0, floor(quad[2 * c]));
		nt->nt_y0 = (int)fmin(nt->nt_y0, floor(quad[2 * c + 1]));
		nt->nt_x1 = (int)fmax(nt->nt_x1, ceil(quad[2 * c]) + 1);
		nt->nt_y1 = (int)fmax(nt->nt_y1, ceil(quad[2 * c + 1]) + 1);
	}
	if (note_map(nt, h) != 0) {
		snprintf(err, errlen, "note: out of memory");
		goto fail;
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
	free(nt->nt_map);
	free(nt);
}

void note_rows(const note_s *nt, int *y0, int *y1)
{
	*y0 = nt->nt_y0;
	*y1 = nt->nt_y1;
}

/* The ink on the flat sheet, 0 .. 255: white writing on black is the
 * ink's amount as it is (the border stays 0); the warp's bilinear
 * sampling is the lens's softness (a softer pen cost tesseract its reads). */
static void note_ink(note_s *nt, const char *text)
{
	static const overlay_style_s ink = {.os_fg = {255, 255, 255},
	                                    .os_bg = {0, 0, 0},
	                                    .os_bg_alpha = 0,
	                                    .os_shadow = 0,
	                                    .os_pad = 0};

	memset(nt->nt_flat.pic_y, 0, (size_t)nt->nt_flat.pic_w * nt->nt_flat.pic_h);
	overlay_draw(nt->nt_ov, &nt->nt_flat, nt->nt_tx + 1, nt->nt_ty + 1, text, &ink);
}

void note_draw(note_s *nt, picture_s *pic, int row0, const char *text, int night)
{
	/* dark blue marker by day; under IR most inks are dark grey */
	const int strength = 250, ink_u = 150, ink_v = 118;
	const uint8_t *ink = nt->nt_flat.pic_y;
	int bw = nt->nt_x1 - nt->nt_x0, fw = nt->nt_flat.pic_w;

	note_ink(nt, text);
	for (int y = nt->nt_y0; y < nt->nt_y1; y++) {
		int py = y - row0;
		if (py < 0 || py >= pic->pic_h)
			continue;
		const note_warp_s *row = nt->nt_map + (size_t)(y - nt->nt_y0) * bw;
		for (int x = nt->nt_x0 < 0 ? 0 : nt->nt_x0; x < nt->nt_x1 && x < pic->pic_w; x++) {
			const note_warp_s *wm = &row[x - nt->nt_x0];
			if (wm->wm_at < 0)
				continue;
			const uint8_t *p = ink + wm->wm_at;
			int fu = wm->wm_fu, fv = wm->wm_fv;
			int top = p[0] * (256 - fu) + p[1] * fu,
			    bot = p[fw] * (256 - fu) + p[fw + 1] * fu;
			int k = (top * (256 - fv) + bot * fv) >> 16;
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
