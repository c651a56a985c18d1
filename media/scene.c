/* scene: the path-traced rooms (media/scenes/<scene>.py) as layers fitted to the
 * picture once, composited per frame: the light by the clock, LEDs,
 * screens, someone passing now and then (passer.c), then the sensor (look.c). */
#include "scene.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "layer.h"
#include "passer.h"
#include "pixmath.h"
#include "scene_data.h"

#define SCENE_MAX_LEDS    256
#define SCENE_MAX_SCREENS 8
#define SCENE_PASS_MS     7000 /* a walk across the view */
#define SCENE_DRIVE_MS    4000 /* a car across the car park */

typedef struct {
	int led_x, led_y, led_size;
	uint8_t led_r, led_g, led_b, led_kind;
	uint16_t led_period_ms;
	uint32_t led_seed;
} scene_led_s;

typedef struct {
	int sr_x, sr_y, sr_w, sr_h;
} scene_rect_s;

struct scene {
	int sc_w, sc_h;
	scene_kind_e sc_kind;
	look_mode_e sc_mode;
	picture_s sc_day, sc_night;
	look_s *sc_look;
	scene_led_s sc_leds[SCENE_MAX_LEDS];
	int sc_nleds;
	scene_rect_s sc_screens[SCENE_MAX_SCREENS];
	int sc_nscreens;
	passer_s *sc_passer;
	double sc_note[8];
	int sc_night_now;
};

static const char *const scene_names[] = {"server-room", "office", "warehouse", "car-park"};

int scene_from_name(const char *name)
{
	for (int i = 0; i < (int)(sizeof(scene_names) / sizeof(scene_names[0])); i++)
		if (strcmp(name, scene_names[i]) == 0)
			return i;
	return -1;
}

const char *scene_name(scene_kind_e kind)
{
	return (unsigned)kind < 4 ? scene_names[kind] : "?";
}

scene_kind_e scene_for_persona(const char *persona)
{
	/* Where such cameras hang: Axis in shops and warehouses, Panasonic's
	 * BB-HCM at a small firm's front desk, Hikvision bullets over car parks
	 * and entrances, Netwave/Foscam clones in a server cupboard. */
	if (strcmp(persona, "axis") == 0)
		return SCENE_WAREHOUSE;
	if (strcmp(persona, "panasonic") == 0)
		return SCENE_OFFICE;
	if (strcmp(persona, "hikvision") == 0)
		return SCENE_CAR_PARK;
	return SCENE_SERVER_ROOM;
}

int scene_light_at(scene_kind_e kind, int wday, int yday, int minute, int *level)
{
	int office_hours = wday >= 1 && wday <= 5 && minute >= 7 * 60 && minute < 19 * 60;
	int dark = look_night_at(yday, minute);

	*level = 256;
	if (kind == SCENE_CAR_PARK) {
		if (dark) {
			*level = 0;
			return 1;
		}
		*level = look_daylight_at(yday, minute);
		return 0;
	}
	if (office_hours || (kind == SCENE_OFFICE && !dark))
		return 0;
	*level = 0;
	return 1;
}

/* ---- loading ---- */

/* One render fitted to the picture and through the lens. */
static int load_layer(scene_s *sc, const char *name, picture_s *pic, layer_fit_s *fit, char *err,
                      size_t errlen)
{
	uint8_t *rgb = NULL;
	int sw, sh, rc = -1;
	canvas_s cv = {sc->sc_w, sc->sc_h, NULL};

	if (layer_load(name, &rgb, &sw, &sh, err, errlen) != 0)
		return -1;
	layer_fit(sw, sh, sc->sc_w, sc->sc_h, fit);
	cv.cv_rgb = malloc((size_t)sc->sc_w * sc->sc_h * 3);
	if (cv.cv_rgb == NULL || picture_alloc(pic, sc->sc_w, sc->sc_h) != 0) {
		snprintf(err, errlen, "scene: out of memory for %dx%d", sc->sc_w, sc->sc_h);
		goto out;
	}
	layer_resample(rgb, sw, sh, fit, cv.cv_rgb, sc->sc_w, sc->sc_h);
	look_optics(&cv, pic, 0, 0);
	rc = 0;
out:
	free(cv.cv_rgb);
	free(rgb);
	return rc;
}

/* A render point (640x480 pixels) to the picture: fitted, then the lens. */
static void to_picture(const scene_s *sc, const layer_fit_s *fit, double x, double y, double *ox,
                       double *oy)
{
	int lx, ly;

	layer_map(fit, x, y, ox, oy);
	look_map(sc->sc_w, sc->sc_h, (int)lrint(*ox), (int)lrint(*oy), &lx, &ly);
	*ox = lx;
	*oy = ly;
}

static void place_leds(scene_s *sc, const scene_def_s *d, const layer_fit_s *fit)
{
	uint32_t seed = 0x9e3779b9u;
	int size = (int)lrint(fit->ly_scale * 1.5);

	for (int i = 0; i < d->sd_nleds && sc->sc_nleds < SCENE_MAX_LEDS; i++) {
		const scene_led_def_s *ld = &d->sd_leds[i];
		scene_led_s *led = &sc->sc_leds[sc->sc_nleds];
		double x, y;
		to_picture(sc, fit, ld->sl_x, ld->sl_y, &x, &y);
		if (x < 0 || y < 0 || x >= sc->sc_w - 2 || y >= sc->sc_h - 2)
			continue;
		led->led_x = (int)x;
		led->led_y = (int)y;
		led->led_size = size < 1 ? 1 : size;
		led->led_r = ld->sl_rgb[0];
		led->led_g = ld->sl_rgb[1];
		led->led_b = ld->sl_rgb[2];
		led->led_kind = ld->sl_kind;
		seed = pix_hash32(seed + (uint32_t)i);
		led->led_period_ms =
		    (uint16_t)(ld->sl_kind == 1 ? 60 + seed % 140 : 700 + seed % 900);
		led->led_seed = pix_hash32(seed);
		sc->sc_nleds++;
	}
	for (int i = 0; i < d->sd_nscreens && sc->sc_nscreens < SCENE_MAX_SCREENS; i++) {
		double x0 = 1e9, y0 = 1e9, x1 = -1e9, y1 = -1e9;
		for (int k = 0; k < 4; k++) {
			double x, y;
			to_picture(sc, fit, d->sd_screens[i][2 * k], d->sd_screens[i][2 * k + 1],
			           &x, &y);
			x0 = fmin(x0, x);
			y0 = fmin(y0, y);
			x1 = fmax(x1, x);
			y1 = fmax(y1, y);
		}
		/* the inside of the screen: its bezel stays as rendered */
		sc->sc_screens[sc->sc_nscreens++] = (scene_rect_s){
		    (int)x0 + 1, (int)y0 + 1, (int)(x1 - x0) - 2, (int)(y1 - y0) - 2};
	}
}

/* 1 when (x, y) is inside the convex quad q (corners in order), shrunk by m pixels. */
static int in_quad(const double q[8], double x, double y, double m)
{
	for (int k = 0; k < 4; k++) {
		double ax = q[2 * k], ay = q[2 * k + 1];
		double bx = q[(2 * k + 2) % 8], by = q[(2 * k + 3) % 8];
		double len = hypot(bx - ax, by - ay);
		/* corners run clockwise on the screen (y down): inside is to the right */
		if (len == 0 || ((bx - ax) * (y - ay) - (by - ay) * (x - ax)) / len < m)
			return 0;
	}
	return 1;
}

/* The path tracer's grain on the sheet, smoothed (a 7x7 box over the
 * paper only): paper is even, and the writing must stay legible. Under IR
 * (ir) paper shines: it reflects the illuminator's light far more than
 * the room's paint does, evenly (the render's paper is an ordinary white). */
static void smooth_sheet(const scene_s *sc, picture_s *pic, int ir)
{
	int w = pic->pic_w, x0 = w, y0 = pic->pic_h, x1 = 0, y1 = 0;

	for (int k = 0; k < 4; k++) {
		x0 = pix_clamp((int)fmin(x0, sc->sc_note[2 * k]), 0, w - 1);
		y0 = pix_clamp((int)fmin(y0, sc->sc_note[2 * k + 1]), 0, pic->pic_h - 1);
		x1 = pix_clamp((int)fmax(x1, sc->sc_note[2 * k] + 1), 0, w);
		y1 = pix_clamp((int)fmax(y1, sc->sc_note[2 * k + 1] + 1), 0, pic->pic_h);
	}
	if (x1 <= x0 || y1 <= y0)
		return;
	int bw = x1 - x0, bh = y1 - y0;
	uint8_t *src = malloc((size_t)bw * bh);
	if (src == NULL)
		return;
	for (int y = y0; y < y1; y++)
		memcpy(src + (size_t)(y - y0) * bw, pic->pic_y + (size_t)y * w + x0, (size_t)bw);
	for (int y = y0; y < y1; y++)
		for (int x = x0; x < x1; x++) {
			if (!in_quad(sc->sc_note, x + 0.5, y + 0.5, 2.0))
				continue;
			int sum = 0, n = 0;
			for (int dy = -3; dy <= 3; dy++)
				for (int dx = -3; dx <= 3; dx++) {
					int xx = x + dx, yy = y + dy;
					if (xx < x0 || xx >= x1 || yy < y0 || yy >= y1 ||
					    !in_quad(sc->sc_note, xx + 0.5, yy + 0.5, 2.0))
						continue;
					sum += src[(size_t)(yy - y0) * bw + (xx - x0)];
					n++;
				}
			int v = sum / n;
			pic->pic_y[(size_t)y * w + x] = (uint8_t)(ir ? 190 + (v - 128) / 4 : v);
		}
	free(src);
}

static const scene_def_s *scene_def(scene_kind_e kind)
{
	for (size_t i = 0; i < scene_defs_count; i++)
		if (strcmp(scene_defs[i].sd_name, kind == SCENE_OFFICE      ? "office"
		                                  : kind == SCENE_WAREHOUSE ? "warehouse"
		                                  : kind == SCENE_CAR_PARK  ? "car_park"
		                                                            : "server_room") == 0)
			return &scene_defs[i];
	return NULL;
}

scene_s *scene_new(int w, int h, scene_kind_e kind, look_mode_e mode, char *err, size_t errlen)
{
	const scene_def_s *d = scene_def(kind);
	scene_s *sc = calloc(1, sizeof(*sc));
	layer_fit_s fit;
	char name[64];

	if (sc == NULL || d == NULL) {
		snprintf(err, errlen, "scene: %s", sc == NULL ? "out of memory" : "unknown scene");
		free(sc);
		return NULL;
	}
	sc->sc_w = w;
	sc->sc_h = h;
	sc->sc_kind = kind;
	sc->sc_mode = mode;
	/* both layers even when pinned: the test of the night picture is a
	 * start with --day-night night, and loading costs ~50 ms */
	snprintf(name, sizeof(name), "%s_day.jpg", d->sd_name);
	if (load_layer(sc, name, &sc->sc_day, &fit, err, errlen) != 0)
		goto fail;
	snprintf(name, sizeof(name), "%s_night.jpg", d->sd_name);
	if (load_layer(sc, name, &sc->sc_night, &fit, err, errlen) != 0)
		goto fail;
	/* the IR picture is grey: the sensor sees no colour under 850 nm */
	memset(sc->sc_night.pic_u, 128, (size_t)(w / 2) * (h / 2));
	memset(sc->sc_night.pic_v, 128, (size_t)(w / 2) * (h / 2));
	place_leds(sc, d, &fit);
	sc->sc_passer =
	    passer_new(d, &fit, w, h, kind == SCENE_CAR_PARK ? SCENE_DRIVE_MS : SCENE_PASS_MS,
	               kind == SCENE_CAR_PARK, err, errlen);
	if (sc->sc_passer == NULL)
		goto fail;
	for (int k = 0; k < 4; k++)
		to_picture(sc, &fit, d->sd_note[2 * k], d->sd_note[2 * k + 1], &sc->sc_note[2 * k],
		           &sc->sc_note[2 * k + 1]);
	smooth_sheet(sc, &sc->sc_day, 0);
	smooth_sheet(sc, &sc->sc_night, 1);
	if ((sc->sc_look = look_new(w, h, err, errlen)) == NULL)
		goto fail;
	return sc;
fail:
	scene_free(sc);
	return NULL;
}

void scene_free(scene_s *sc)
{
	if (sc == NULL)
		return;
	picture_release(&sc->sc_day);
	picture_release(&sc->sc_night);
	passer_free(sc->sc_passer);
	look_free(sc->sc_look);
	free(sc);
}

int scene_is_night(const scene_s *sc)
{
	return sc->sc_night_now;
}

void scene_note_quad(const scene_s *sc, double quad[8])
{
	memcpy(quad, sc->sc_note, sizeof(sc->sc_note));
}

/* ---- per frame ---- */

/* Adds delta to the luma of a rectangle. */
static void light_rect(picture_s *out, const scene_rect_s *r, int delta)
{
	int x0 = pix_clamp(r->sr_x, 0, out->pic_w),
	    x1 = pix_clamp(r->sr_x + r->sr_w, 0, out->pic_w);
	int y0 = pix_clamp(r->sr_y, 0, out->pic_h),
	    y1 = pix_clamp(r->sr_y + r->sr_h, 0, out->pic_h);

	for (int y = y0; y < y1; y++) {
		uint8_t *p = out->pic_y + (size_t)y * out->pic_w;
		for (int x = x0; x < x1; x++)
			p[x] = (uint8_t)pix_clamp(p[x] + delta, 0, 255);
	}
}

static void scene_life(const scene_s *sc, picture_s *out, int64_t t_ms, int night)
{
	int frame, x, y;

	if (!night) /* screens are off out of hours */
		for (int i = 0; i < sc->sc_nscreens; i++) {
			/* a screen: its picture changes every few seconds */
			uint32_t slot = (uint32_t)(t_ms / 7000) + (uint32_t)i * 977u;
			light_rect(out, &sc->sc_screens[i], (int)(pix_hash32(slot) % 25) - 12);
		}
	if (passer_at(sc->sc_passer, t_ms, &frame, &x, &y))
		passer_draw(sc->sc_passer, out, frame, x, y, night);
	for (int i = 0; i < sc->sc_nleds; i++) {
		const scene_led_s *led = &sc->sc_leds[i];
		uint32_t slot = (uint32_t)(t_ms / led->led_period_ms);
		int on, s = led->led_size;

		if (led->led_kind == 0)
			on = 1;
		else if (led->led_kind == 1)
			on = (pix_hash32(led->led_seed ^ slot) & 3) != 0; /* busy disk/port */
		else
			on = (slot + led->led_seed) & 1;
		if (night) { /* visible light through the IR-filterless sensor: white dots */
			uint8_t v = on ? 235 : 60;
			for (int r = 0; r < s; r++)
				memset(out->pic_y + (size_t)(led->led_y + r) * out->pic_w +
				           led->led_x,
				       v, (size_t)s + 1);
		} else if (on) {
			picture_fill_rect(out, led->led_x, led->led_y, s + 1, s, led->led_r,
			                  led->led_g, led->led_b);
		} else {
			picture_fill_rect(out, led->led_x, led->led_y, s + 1, s, 30, 45, 30);
		}
	}
}

/* Which layer and how much light at t_ms. */
static int scene_light(const scene_s *sc, int64_t t_ms, int *level)
{
	time_t s = (time_t)(t_ms / 1000);
	struct tm tm;

	*level = 256;
	if (sc->sc_mode == LOOK_DAY)
		return 0;
	if (sc->sc_mode == LOOK_NIGHT || localtime_r(&s, &tm) == NULL)
		return sc->sc_mode == LOOK_NIGHT;
	return scene_light_at(sc->sc_kind, tm.tm_wday, tm.tm_yday, tm.tm_hour * 60 + tm.tm_min,
	                      level);
}

int scene_render(scene_s *sc, picture_s *out, int64_t t_ms)
{
	int level, night = scene_light(sc, t_ms, &level);

	sc->sc_night_now = night;
	look_frame_lit(sc->sc_look, night ? &sc->sc_night : &sc->sc_day, out, t_ms, night,
	               night ? 256 : level);
	scene_life(sc, out, t_ms, night);
	return night;
}

int scene_compose(scene_s *sc, picture_s *out, int64_t t_ms)
{
	int level, night = scene_light(sc, t_ms, &level);

	sc->sc_night_now = night;
	picture_copy(out, night ? &sc->sc_night : &sc->sc_day);
	scene_life(sc, out, t_ms, night);
	return night;
}

static int in_rect(const scene_rect_s *r, int x, int y, int pad)
{
	return x >= r->sr_x - pad && x < r->sr_x + r->sr_w + pad && y >= r->sr_y - pad &&
	       y < r->sr_y + r->sr_h + pad;
}

int scene_passing(const scene_s *sc, int64_t t_ms)
{
	int frame, x, y;

	return passer_at(sc->sc_passer, t_ms, &frame, &x, &y);
}

int scene_hides_passer(const scene_s *sc, int x, int y)
{
	return passer_hidden(sc->sc_passer, x, y);
}

int scene_animated(const scene_s *sc, int x, int y)
{
	if (passer_covers(sc->sc_passer, x, y, 2))
		return 1;
	for (int i = 0; i < sc->sc_nscreens; i++)
		if (in_rect(&sc->sc_screens[i], x, y, 0))
			return 1;
	for (int i = 0; i < sc->sc_nleds; i++) {
		const scene_led_s *l = &sc->sc_leds[i];
		const scene_rect_s r = {l->led_x, l->led_y, l->led_size + 1, l->led_size};
		if (in_rect(&r, x, y, 1))
			return 1;
	}
	return 0;
}
