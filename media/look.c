/* look: the lens, once per start; exposure, flicker and noise, per frame. */
#include "look.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pixmath.h"

#define LOOK_NOISE_PAD 8192
#define LOOK_BARREL    0.08   /* k: a source radius r (1 + k r^2), r = 1 at the corners */
#define LOOK_FRINGE    0.0035 /* red and blue drawn at radii this much apart, at the corners */
#define LOOK_VIGNETTE  0.38   /* the corners' light lost */

struct look {
	int lk_w, lk_h;
	int8_t *lk_noise; /* w*h + pad, read at a random offset per frame */
	uint64_t lk_rng;
	uint8_t lk_amp_day[256], lk_amp_night[256]; /* noise per brightness, 1/16 */
};

/* ---- day and night ---- */

int look_night_at(int yday, int minute)
{
	/* half the day's length: 6 h at the equinoxes, 6 h 15 min more or
	 * less at the solstices (June 21 is day 171) */
	double half = 360.0 + 75.0 * cos(2.0 * M_PI * (yday - 171) / 365.0);
	double sunrise = 720.0 - half, sunset = 720.0 + half;

	return minute < sunrise + 20.0 || minute >= sunset + 20.0;
}

int look_daylight_at(int yday, int minute)
{
	double half = 360.0 + 75.0 * cos(2.0 * M_PI * (yday - 171) / 365.0);
	double sunrise = 720.0 - half, sunset = 720.0 + half, m = minute;

	if (look_night_at(yday, minute))
		return 0;
	/* the sensor's light falls over the last half hour before sunset and
	 * the twenty minutes after it (then IR); in the morning it rises from
	 * the IR switch-off for forty minutes */
	if (m < sunrise + 60.0)
		return (int)(80.0 + 176.0 * (m - sunrise - 20.0) / 40.0);
	if (m > sunset - 30.0)
		return (int)(256.0 - 176.0 * (m - sunset + 30.0) / 50.0);
	return 256;
}

int look_is_night(int64_t t_ms)
{
	time_t s = (time_t)(t_ms / 1000);
	struct tm tm;

	if (localtime_r(&s, &tm) == NULL)
		return 0;
	return look_night_at(tm.tm_yday, tm.tm_hour * 60 + tm.tm_min);
}

/* ---- the lens ---- */

/* channel c of the canvas at (x, y), bilinear, clamped to the edges */
static double sample(const canvas_s *cv, double x, double y, int c)
{
	int x0 = (int)floor(x), y0 = (int)floor(y);
	double fx = x - x0, fy = y - y0;
	int xa = pix_clamp(x0, 0, cv->cv_w - 1), xb = pix_clamp(x0 + 1, 0, cv->cv_w - 1);
	int ya = pix_clamp(y0, 0, cv->cv_h - 1), yb = pix_clamp(y0 + 1, 0, cv->cv_h - 1);
	const uint8_t *p = cv->cv_rgb;
	size_t w = (size_t)cv->cv_w;
	double a = p[(ya * w + xa) * 3 + c], b = p[(ya * w + xb) * 3 + c];
	double d = p[(yb * w + xa) * 3 + c], e = p[(yb * w + xb) * 3 + c];

	return (a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy;
}

/* A lens softer than the drawing: [1 2 1] each way. */
static int soften(const canvas_s *in, canvas_s *out)
{
	int w = in->cv_w, h = in->cv_h;
	uint16_t *tmp = malloc((size_t)w * h * 3 * sizeof(uint16_t));

	if (tmp == NULL)
		return -1;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 3; c++) {
				const uint8_t *r = in->cv_rgb + (size_t)y * w * 3;
				int l = r[pix_clamp(x - 1, 0, w - 1) * 3 + c], m = r[x * 3 + c];
				int q = r[pix_clamp(x + 1, 0, w - 1) * 3 + c];
				tmp[((size_t)y * w + x) * 3 + c] = (uint16_t)(l + 2 * m + q);
			}
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++)
			for (int c = 0; c < 3; c++) {
				int u = tmp[((size_t)pix_clamp(y - 1, 0, h - 1) * w + x) * 3 + c];
				int m = tmp[((size_t)y * w + x) * 3 + c];
				int d = tmp[((size_t)pix_clamp(y + 1, 0, h - 1) * w + x) * 3 + c];
				out->cv_rgb[((size_t)y * w + x) * 3 + c] =
				    (uint8_t)((u + 2 * m + d + 8) / 16);
			}
	free(tmp);
	return 0;
}

static void rgb_to_picture(const uint8_t *rgb, picture_s *pic)
{
	int w = pic->pic_w, h = pic->pic_h;

	for (int y = 0; y < h; y += 2)
		for (int x = 0; x < w; x += 2) {
			int su = 0, sv = 0;
			for (int k = 0; k < 4; k++) {
				const uint8_t *p = rgb + ((size_t)(y + k / 2) * w + x + k % 2) * 3;
				uint8_t yy, uu, vv;
				picture_rgb_to_yuv(p[0], p[1], p[2], &yy, &uu, &vv);
				pic->pic_y[(size_t)(y + k / 2) * w + x + k % 2] = yy;
				su += uu;
				sv += vv;
			}
			pic->pic_u[(size_t)(y / 2) * (w / 2) + x / 2] = (uint8_t)((su + 2) / 4);
			pic->pic_v[(size_t)(y / 2) * (w / 2) + x / 2] = (uint8_t)((sv + 2) / 4);
		}
}

/* The lens's geometry for a w x h picture: its centre, the radius of its
 * corners, and the zoom that keeps the corners inside the room. The
 * picture, its depth (look_optics_plane) and the points drawn on it
 * (look_map) all go through this one. */
typedef struct {
	double lg_cx, lg_cy, lg_rad, lg_zoom;
} lens_geom_s;

static lens_geom_s lens_geom(int w, int h)
{
	double cx = (w - 1) / 2.0, cy = (h - 1) / 2.0;

	return (lens_geom_s){cx, cy, sqrt(cx * cx + cy * cy), 1.0 / (1.0 + LOOK_BARREL)};
}

/* Picture pixel (x, y): its offset from the centre in corner radii (*u,
 * *v, squared radius *r2), and the room's scale there (a room point is
 * centre + (u, v) * the scale returned). */
static double lens_at(const lens_geom_s *g, int x, int y, double *u, double *v, double *r2)
{
	*u = (x - g->lg_cx) / g->lg_rad;
	*v = (y - g->lg_cy) / g->lg_rad;
	*r2 = *u * *u + *v * *v;
	return g->lg_zoom * (1.0 + LOOK_BARREL * *r2) * g->lg_rad;
}

/* The lens over the canvas into rgb (w x h x 3); ir: the IR illuminator's
 * monochrome light instead of the room's. */
static void lens(const canvas_s *cv, uint8_t *rgb, double dx, double dy, int ir)
{
	int w = cv->cv_w, h = cv->cv_h;
	const lens_geom_s g = lens_geom(w, h);
	double cx = g.lg_cx, cy = g.lg_cy;

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double u, v, r2, s = lens_at(&g, x, y, &u, &v, &r2);
			double vig = 1.0 - LOOK_VIGNETTE * r2 * (0.6 + 0.4 * r2);
			uint8_t *o = rgb + ((size_t)y * w + x) * 3;
			if (ir) {
				/* IR: reds and fabrics reflect more; an illuminator beside the
				 * lens lights the centre and falls off fast */
				double sx = cx + u * s + dx, sy = cy + v * s + dy;
				double l = 0.45 * sample(cv, sx, sy, 0) +
				           0.4 * sample(cv, sx, sy, 1) +
				           0.15 * sample(cv, sx, sy, 2);
				double lit = 0.14 + 1.0 * exp(-r2 / 0.34);
				int val = (int)(pow(l / 255.0, 0.85) * 255.0 * lit * vig + 6.0);
				o[0] = o[1] = o[2] = (uint8_t)pix_clamp(val, 0, 255);
				continue;
			}
			/* lateral chromatic aberration: red a little further out than
			 * green, blue a little further in */
			for (int c = 0; c < 3; c++) {
				double cs = s * (1.0 + (c == 0   ? 1
				                        : c == 2 ? -1
				                                 : 0) *
				                           LOOK_FRINGE * r2);
				double val =
				    sample(cv, cx + u * cs + dx, cy + v * cs + dy, c) * vig;
				o[c] = (uint8_t)pix_clamp((int)(val + 0.5), 0, 255);
			}
		}
}

void look_optics_plane(const canvas_s *cv, int c, uint8_t *out)
{
	int w = cv->cv_w, h = cv->cv_h;
	const lens_geom_s g = lens_geom(w, h);

	/* lens()'s mapping for green, the channel without fringe */
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double u, v, r2, s = lens_at(&g, x, y, &u, &v, &r2);
			double val = sample(cv, g.lg_cx + u * s, g.lg_cy + v * s, c);
			out[(size_t)y * w + x] = (uint8_t)pix_clamp((int)(val + 0.5), 0, 255);
		}
}

void look_map_f(int w, int h, double x, double y, double *ox, double *oy)
{
	const lens_geom_s g = lens_geom(w, h);
	double px = (x - g.lg_cx) / g.lg_rad, py = (y - g.lg_cy) / g.lg_rad;
	double ux = px, uy = py;

	/* lens() samples the room at r (1 + k r^2) * zoom for picture radius
	 * r: solve that for r by iteration */
	for (int i = 0; i < 6; i++) {
		double r2 = ux * ux + uy * uy, s = g.lg_zoom * (1.0 + LOOK_BARREL * r2);
		ux = px / s;
		uy = py / s;
	}
	*ox = g.lg_cx + ux * g.lg_rad;
	*oy = g.lg_cy + uy * g.lg_rad;
}

void look_map(int w, int h, int x, int y, int *ox, int *oy)
{
	double fx, fy;

	look_map_f(w, h, x, y, &fx, &fy);
	*ox = pix_clamp((int)lrint(fx), 0, w - 1);
	*oy = pix_clamp((int)lrint(fy), 0, h - 1);
}

static void optics(const canvas_s *cv, picture_s *out, double dx, double dy, int ir)
{
	canvas_s soft = {cv->cv_w, cv->cv_h, malloc((size_t)cv->cv_w * cv->cv_h * 3)};
	uint8_t *rgb = malloc((size_t)cv->cv_w * cv->cv_h * 3);

	if (soft.cv_rgb != NULL && rgb != NULL && soften(cv, &soft) == 0) {
		lens(&soft, rgb, dx, dy, ir);
		rgb_to_picture(rgb, out);
	} else { /* out of memory at start: the room as drawn */
		rgb_to_picture(cv->cv_rgb, out);
	}
	free(soft.cv_rgb);
	free(rgb);
}

void look_optics(const canvas_s *cv, picture_s *out, double dx, double dy)
{
	optics(cv, out, dx, dy, 0);
}

void look_optics_ir(const canvas_s *cv, picture_s *out, double dx, double dy)
{
	optics(cv, out, dx, dy, 1);
	memset(out->pic_u, 128, (size_t)(out->pic_w / 2) * (out->pic_h / 2));
	memset(out->pic_v, 128, (size_t)(out->pic_w / 2) * (out->pic_h / 2));
}

/* ---- per frame ---- */

static uint32_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 2685821657736338717ULL) >> 32);
}

look_s *look_new(int w, int h, char *err, size_t errlen)
{
	look_s *lk = calloc(1, sizeof(*lk));
	size_t n = (size_t)w * (size_t)h + LOOK_NOISE_PAD;

	if (lk == NULL || (lk->lk_noise = malloc(n)) == NULL) {
		snprintf(err, errlen, "look: out of memory for %dx%d", w, h);
		look_free(lk);
		return NULL;
	}
	lk->lk_w = w;
	lk->lk_h = h;
	lk->lk_rng = 0x2545f4914f6cdd1dULL;
	for (size_t i = 0; i < n; i++) {
		/* roughly Gaussian, sigma ~2.3 levels: four uniforms */
		uint32_t r = rng_next(&lk->lk_rng);
		int v = (int)(r & 7) + (int)((r >> 3) & 7) + (int)((r >> 6) & 7) +
		        (int)((r >> 9) & 7) - 14;
		lk->lk_noise[i] = (int8_t)(v / 2);
	}
	/* shot noise grows with the light (sqrt), on a floor of read noise;
	 * the IR mode's gain is high, so everything is noisier */
	for (int v = 0; v < 256; v++) {
		lk->lk_amp_day[v] = (uint8_t)(8.0 + 1.2 * sqrt((double)v));
		lk->lk_amp_night[v] = (uint8_t)(20.0 + 2.0 * sqrt((double)v));
	}
	return lk;
}

void look_free(look_s *lk)
{
	if (lk == NULL)
		return;
	free(lk->lk_noise);
	free(lk);
}

void look_frame(look_s *lk, const picture_s *bg, picture_s *out, int64_t t_ms, int night)
{
	look_frame_lit(lk, bg, out, t_ms, night, 256);
}

void look_frame_lit(look_s *lk, const picture_s *bg, picture_s *out, int64_t t_ms, int night,
                    int level)
{
	size_t npix = (size_t)lk->lk_w * (size_t)lk->lk_h, nc = npix / 4;
	uint32_t r = rng_next(&lk->lk_rng);
	const int8_t *noise = lk->lk_noise + r % LOOK_NOISE_PAD;
	const uint8_t *amp = night ? lk->lk_amp_night : lk->lk_amp_day;
	uint8_t dim_amp[256];
	double t = (double)(t_ms % 3600000) / 1000.0;
	/* auto-exposure breathing slowly, the tubes' flicker frame to frame */
	int gain =
	    256 +
	    (int)lrint(4.0 * sin(2 * M_PI * t / 61.0) + 2.5 * sin(2 * M_PI * t / 17.0 + 1.0)) +
	    (night ? 0 : (int)((r >> 16) % 5) - 2);
	uint8_t out_of[256 * 16]; /* [v * 16 + noise + 8]: the pixel out of v and its noise */

	/* less light than the day (dusk): the auto-exposure makes up for part
	 * of it with gain, which is noise (shot noise times the gain's root) */
	if (level < 256) {
		level = level < 16 ? 16 : level;
		double lit = pow(level / 256.0, 0.6), more = sqrt(256.0 / level);
		gain = (int)(gain * lit);
		for (int v = 0; v < 256; v++) {
			int a = (int)(amp[v] * more);
			dim_amp[v] = (uint8_t)(a > 255 ? 255 : a);
		}
		amp = dim_amp;
	}
	/* the noise is -7 .. 7 (look_new): 16 x 256 answers, then a lookup a pixel */
	for (int v = 0; v < 256; v++)
		for (int n = -8; n < 8; n++) {
			int y = (v * gain >> 8) + ((n * amp[v]) >> 4);
			out_of[v * 16 + n + 8] = (uint8_t)(y < 0 ? 0 : y > 255 ? 255 : y);
		}
	for (size_t i = 0; i < npix; i++)
		out->pic_y[i] = out_of[bg->pic_y[i] * 16 + noise[i] + 8];
	if (night) {
		memset(out->pic_u, 128, nc);
		memset(out->pic_v, 128, nc);
		return;
	}
	/* a little colour noise, at a quarter of the pixels */
	const int8_t *cn = lk->lk_noise + (r >> 8) % LOOK_NOISE_PAD;
	for (size_t i = 0; i < nc; i++) {
		int u = bg->pic_u[i] + (cn[i] >> 1), v = bg->pic_v[i] + (cn[i + nc] >> 1);
		out->pic_u[i] = (uint8_t)(u < 0 ? 0 : u > 255 ? 255 : u);
		out->pic_v[i] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
	}
}
