/* passer: the passer-by's frames, its way across, and what hides it. */
#include "passer.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "look.h"
#include "pixmath.h"

#define PASSER_EVENT_MS 120000 /* at most one pass per 2 minutes */
#define PASSER_RAMP     4      /* depth levels (1/16 m) over which it fades out behind an edge */

typedef struct {
	int pr_x, pr_y, pr_w, pr_h;
} passer_rect_s;

/* Luma, alpha, and chroma per 2x2 block. */
struct passer {
	int ps_frames, ps_w, ps_h;
	uint8_t *ps_y, *ps_a, *ps_u, *ps_v; /* ps_frames x (ps_w x ps_h), chroma a quarter */
	double ps_x0, ps_y0;                /* top-left from the foot point */
	double ps_from[2], ps_to[2];        /* the foot point's way */
	int ps_ms, ps_one_way;
	passer_rect_s ps_path; /* everything it can cover */
	passer_rect_s ps_vr;   /* ps_path within the picture: where ps_vis is */
	uint8_t *ps_vis;       /* a pixel of ps_vr: 255 it shows, 0 the room hides it */
};

/* The frames of the sheet (colour above, alpha below) as luma, alpha and
 * chroma at the picture's scale. */
static int cut_frames(passer_s *ps, const scene_def_s *d, const uint8_t *sheet, int sw,
                      double scale, char *err, size_t errlen)
{
	size_t n = (size_t)ps->ps_w * ps->ps_h, fn = (size_t)d->sd_fw * d->sd_fh * 3;
	uint8_t *crop = malloc(fn), *rgb = malloc(n * 3), *alpha = malloc(n * 3);
	layer_fit_s f = {scale, 0, 0};
	int rc = -1;

	ps->ps_y = malloc(n * ps->ps_frames);
	ps->ps_a = malloc(n * ps->ps_frames);
	ps->ps_u = malloc(n / 4 * ps->ps_frames);
	ps->ps_v = malloc(n / 4 * ps->ps_frames);
	if (crop == NULL || rgb == NULL || alpha == NULL || ps->ps_y == NULL || ps->ps_a == NULL ||
	    ps->ps_u == NULL || ps->ps_v == NULL) {
		snprintf(err, errlen, "scene: out of memory for the sprite");
		goto out;
	}
	for (int fr = 0; fr < ps->ps_frames; fr++) {
		for (int half = 0; half < 2; half++) {
			for (int y = 0; y < d->sd_fh; y++)
				memcpy(crop + (size_t)y * d->sd_fw * 3,
				       sheet + (((size_t)(half * d->sd_fh + y) * sw) +
				                (size_t)fr * d->sd_fw) *
				                   3,
				       (size_t)d->sd_fw * 3);
			layer_resample(crop, d->sd_fw, d->sd_fh, &f, half ? alpha : rgb, ps->ps_w,
			               ps->ps_h);
		}
		uint8_t *py = ps->ps_y + n * fr, *pa = ps->ps_a + n * fr;
		uint8_t *pu = ps->ps_u + n / 4 * fr, *pv = ps->ps_v + n / 4 * fr;
		for (size_t i = 0; i < n; i++) {
			uint8_t u, v;
			picture_rgb_to_yuv(rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2], &py[i], &u,
			                   &v);
			/* JPEG ringing around the figure: nothing faint is kept */
			pa[i] = alpha[i * 3 + 1] < 24    ? 0
			        : alpha[i * 3 + 1] > 232 ? 255
			                                 : alpha[i * 3 + 1];
			if ((i / ps->ps_w) % 2 == 0 && (i % ps->ps_w) % 2 == 0) {
				size_t c = (i / ps->ps_w / 2) * (ps->ps_w / 2) + (i % ps->ps_w) / 2;
				pu[c] = u;
				pv[c] = v;
			}
		}
	}
	rc = 0;
out:
	free(crop);
	free(rgb);
	free(alpha);
	return rc;
}

/* The sprite sheet cut into frames, and its way across the picture. */
static int load_sprite(passer_s *ps, const scene_def_s *d, const layer_fit_s *fit, int w, int h,
                       char *err, size_t errlen)
{
	char name[64];
	uint8_t *sheet = NULL;
	int sw, sh, rc = -1;

	snprintf(name, sizeof(name), "%s.jpg", d->sd_sprite);
	if (layer_load(name, &sheet, &sw, &sh, err, errlen) != 0)
		return -1;
	if (d->sd_frames < 1 || sw < d->sd_frames * d->sd_fw || sh < 2 * d->sd_fh) {
		snprintf(err, errlen, "scene: sprite %s is %dx%d", name, sw, sh);
		goto out;
	}
	ps->ps_frames = d->sd_frames;
	ps->ps_w = ((int)lrint(d->sd_fw * fit->ly_scale) + 1) & ~1;
	ps->ps_h = ((int)lrint(d->sd_fh * fit->ly_scale) + 1) & ~1;
	if (cut_frames(ps, d, sheet, sw, fit->ly_scale, err, errlen) != 0)
		goto out;
	double mx, my, x, y;
	layer_map(fit, d->sd_mid[0], d->sd_mid[1], &mx, &my);
	layer_map(fit, d->sd_fx, d->sd_fy, &ps->ps_x0, &ps->ps_y0);
	ps->ps_x0 -= mx;
	ps->ps_y0 -= my;
	/* its feet where the lens shows its way (the room it walks in went
	 * through the lens: up to 8 pixels at 640x480 off, floating) */
	layer_map(fit, d->sd_from[0], d->sd_from[1], &x, &y);
	look_map_f(w, h, x, y, &ps->ps_from[0], &ps->ps_from[1]);
	layer_map(fit, d->sd_to[0], d->sd_to[1], &x, &y);
	look_map_f(w, h, x, y, &ps->ps_to[0], &ps->ps_to[1]);
	double ax = fmin(ps->ps_from[0], ps->ps_to[0]) + ps->ps_x0;
	double ay = fmin(ps->ps_from[1], ps->ps_to[1]) + ps->ps_y0;
	double bx = fmax(ps->ps_from[0], ps->ps_to[0]) + ps->ps_x0 + ps->ps_w;
	double by = fmax(ps->ps_from[1], ps->ps_to[1]) + ps->ps_y0 + ps->ps_h;
	ps->ps_path =
	    (passer_rect_s){(int)ax - 2, (int)ay - 2, (int)(bx - ax) + 4, (int)(by - ay) + 4};
	rc = 0;
out:
	free(sheet);
	return rc;
}

/* What hides it: the scene's depth layer (see scene_data.h) fitted and
 * through the lens exactly as the picture's layers are, as how much of the
 * passer shows at each pixel it can cover. Ahead of its path by more than
 * its reach, the room hides it; the edges of what hides it are as soft as
 * the resampled depth (a pixel or so). */
static int load_depth(passer_s *ps, const scene_def_s *d, int w, int h, char *err, size_t errlen)
{
	char name[64];
	uint8_t *grey = NULL, *fitted = NULL, *lensed = NULL;
	int sw, sh, rc = -1;
	layer_fit_s fit;
	passer_rect_s *r = &ps->ps_vr;
	int level = SCENE_DEPTH_ZERO + (int)lrint(SCENE_DEPTH_PER_M * d->sd_reach);

	snprintf(name, sizeof(name), "%s_depth.jpg", d->sd_name);
	if (layer_load(name, &grey, &sw, &sh, err, errlen) != 0)
		return -1;
	r->pr_x = pix_clamp(ps->ps_path.pr_x, 0, w);
	r->pr_y = pix_clamp(ps->ps_path.pr_y, 0, h);
	r->pr_w = pix_clamp(ps->ps_path.pr_x + ps->ps_path.pr_w, 0, w) - r->pr_x;
	r->pr_h = pix_clamp(ps->ps_path.pr_y + ps->ps_path.pr_h, 0, h) - r->pr_y;
	fitted = malloc((size_t)w * h * 3);
	lensed = malloc((size_t)w * h);
	ps->ps_vis = malloc((size_t)r->pr_w * r->pr_h + 1);
	if (fitted == NULL || lensed == NULL || ps->ps_vis == NULL) {
		snprintf(err, errlen, "scene: out of memory for the depth layer");
		goto out;
	}
	layer_fit(sw, sh, w, h, &fit); /* its own size: a depth rendered smaller fits the same */
	layer_resample(grey, sw, sh, &fit, fitted, w, h);
	look_optics_plane(&(canvas_s){w, h, fitted}, 0, lensed);
	for (int y = 0; y < r->pr_h; y++)
		for (int x = 0; x < r->pr_w; x++) {
			int v = lensed[(size_t)(r->pr_y + y) * w + r->pr_x + x];
			ps->ps_vis[(size_t)y * r->pr_w + x] = (uint8_t)pix_clamp(
			    (level + PASSER_RAMP - v) * 255 / (2 * PASSER_RAMP), 0, 255);
		}
	rc = 0;
out:
	free(grey);
	free(fitted);
	free(lensed);
	return rc;
}

passer_s *passer_new(const scene_def_s *d, const layer_fit_s *fit, int w, int h, int ms,
                     int one_way, char *err, size_t errlen)
{
	passer_s *ps = calloc(1, sizeof(*ps));

	if (ps == NULL) {
		snprintf(err, errlen, "scene: out of memory");
		return NULL;
	}
	ps->ps_ms = ms;
	ps->ps_one_way = one_way;
	if (load_sprite(ps, d, fit, w, h, err, errlen) != 0 ||
	    load_depth(ps, d, w, h, err, errlen) != 0) {
		passer_free(ps);
		return NULL;
	}
	return ps;
}

void passer_free(passer_s *ps)
{
	if (ps == NULL)
		return;
	free(ps->ps_y);
	free(ps->ps_a);
	free(ps->ps_u);
	free(ps->ps_v);
	free(ps->ps_vis);
	free(ps);
}

int passer_at(const passer_s *ps, int64_t t_ms, int *frame, int *x, int *y)
{
	uint32_t slot = (uint32_t)(t_ms / PASSER_EVENT_MS), hs = pix_hash32(slot ^ 0x51f15e3u);

	if (ps->ps_frames == 0 || hs % 2 != 0) /* every other slot, about */
		return 0;
	int64_t at =
	    (int64_t)slot * PASSER_EVENT_MS + (int64_t)(hs >> 8) % (PASSER_EVENT_MS - ps->ps_ms);
	if (t_ms < at || t_ms >= at + ps->ps_ms)
		return 0;
	double s = (double)(t_ms - at) / ps->ps_ms;
	if ((hs & 0x10000) && !ps->ps_one_way) /* the other way */
		s = 1.0 - s;
	double fx = ps->ps_from[0] + (ps->ps_to[0] - ps->ps_from[0]) * s;
	double fy = ps->ps_from[1] + (ps->ps_to[1] - ps->ps_from[1]) * s;
	*x = ((int)lrint(fx + ps->ps_x0)) & ~1;
	*y = ((int)lrint(fy + ps->ps_y0)) & ~1;
	/* a stride of the walk cycle per ~0.6 s */
	*frame = (int)((t_ms - at) * ps->ps_frames / 1200) % ps->ps_frames;
	return 1;
}

void passer_draw(const passer_s *ps, picture_s *out, int frame, int x, int y, int night)
{
	size_t n = (size_t)ps->ps_w * ps->ps_h;
	const uint8_t *sy = ps->ps_y + n * frame, *sa = ps->ps_a + n * frame;
	const uint8_t *su = ps->ps_u + n / 4 * frame, *sv = ps->ps_v + n / 4 * frame;
	const passer_rect_s *vr = &ps->ps_vr;
	/* clipped once to where it can pass, within the picture (ps_vr): the
	 * frame always lies inside its way, so that is clipping to the picture */
	int r0 = vr->pr_y > y ? vr->pr_y - y : 0, c0 = vr->pr_x > x ? vr->pr_x - x : 0;
	int r1 = vr->pr_y + vr->pr_h - y < ps->ps_h ? vr->pr_y + vr->pr_h - y : ps->ps_h;
	int c1 = vr->pr_x + vr->pr_w - x < ps->ps_w ? vr->pr_x + vr->pr_w - x : ps->ps_w;

	for (int r = r0; r < r1; r++) {
		int py = y + r;
		/* this row of what hides it, of the frame, of the picture */
		const uint8_t *vis = ps->ps_vis + (size_t)(py - vr->pr_y) * vr->pr_w;
		const uint8_t *ar = sa + (size_t)r * ps->ps_w, *yr = sy + (size_t)r * ps->ps_w;
		uint8_t *row = out->pic_y + (size_t)py * out->pic_w;
		for (int c = c0; c < c1; c++) {
			int px = x + c, a = ar[c];
			if (a == 0)
				continue;
			a = (a * vis[px - vr->pr_x] + 127) / 255;
			if (a == 0) /* behind a desk, a rack */
				continue;
			/* under IR the figure is lit by the illuminator: a little dimmer */
			int v = night ? yr[c] * 3 / 4 + 16 : yr[c];
			row[px] = (uint8_t)((row[px] * (255 - a) + v * a + 127) / 255);
			if (!night && r % 2 == 0 && c % 2 == 0) {
				size_t ci = (size_t)(py / 2) * (out->pic_w / 2) + px / 2;
				size_t si = (size_t)(r / 2) * (ps->ps_w / 2) + c / 2;
				out->pic_u[ci] =
				    (uint8_t)((out->pic_u[ci] * (255 - a) + su[si] * a) / 255);
				out->pic_v[ci] =
				    (uint8_t)((out->pic_v[ci] * (255 - a) + sv[si] * a) / 255);
			}
		}
	}
}

int passer_covers(const passer_s *ps, int x, int y, int pad)
{
	const passer_rect_s *r = &ps->ps_path;

	return x >= r->pr_x - pad && x < r->pr_x + r->pr_w + pad && y >= r->pr_y - pad &&
	       y < r->pr_y + r->pr_h + pad;
}

int passer_hidden(const passer_s *ps, int x, int y)
{
	const passer_rect_s *r = &ps->ps_vr;

	if (x < r->pr_x || y < r->pr_y || x >= r->pr_x + r->pr_w || y >= r->pr_y + r->pr_h)
		return 0;
	return ps->ps_vis[(size_t)(y - r->pr_y) * r->pr_w + (x - r->pr_x)] == 0;
}
