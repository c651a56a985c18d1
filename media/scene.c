/* scene: a server room drawn procedurally, with live LEDs, flicker and noise. */
#include "scene.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCENE_RACKS 5
#define SCENE_MAX_LEDS 512
#define SCENE_NOISE_PAD 8192

typedef struct {
	int led_x, led_y, led_size;
	uint8_t led_r, led_g, led_b;
	uint8_t led_kind; /* 0 steady, 1 activity, 2 slow blink */
	uint16_t led_period_ms;
	uint32_t led_seed;
} scene_led_s;

struct scene {
	int sc_w, sc_h;
	picture_s sc_bg;
	scene_led_s sc_leds[SCENE_MAX_LEDS];
	int sc_nleds;
	int8_t *sc_noise; /* w*h + pad values, read at a random offset per frame */
	uint64_t sc_rng;
};

typedef struct {
	int cv_w, cv_h;
	uint8_t *cv_rgb;
} canvas_s;

static uint32_t rng_next(uint64_t *s)
{
	/* xorshift64*: cheap, and quality is irrelevant for pixels. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return (uint32_t)((*s * 2685821657736338717ULL) >> 32);
}

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352dU;
	x ^= x >> 15;
	x *= 0x846ca68bU;
	x ^= x >> 16;
	return x;
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void cv_rect(canvas_s *cv, int x, int y, int w, int h, int r, int g, int b)
{
	int x0 = clampi(x, 0, cv->cv_w), x1 = clampi(x + w, 0, cv->cv_w);
	int y0 = clampi(y, 0, cv->cv_h), y1 = clampi(y + h, 0, cv->cv_h);

	for (int row = y0; row < y1; row++) {
		uint8_t *p = cv->cv_rgb + ((size_t)row * cv->cv_w + x0) * 3;
		for (int col = x0; col < x1; col++, p += 3) {
			p[0] = (uint8_t)clampi(r, 0, 255);
			p[1] = (uint8_t)clampi(g, 0, 255);
			p[2] = (uint8_t)clampi(b, 0, 255);
		}
	}
}

/* Vertical gradient between two colours. */
static void cv_vgrad(canvas_s *cv, int x, int y, int w, int h, const int c0[3], const int c1[3])
{
	for (int i = 0; i < h; i++) {
		int t = h > 1 ? i * 256 / (h - 1) : 0;
		cv_rect(cv, x, y + i, w, 1, c0[0] + ((c1[0] - c0[0]) * t >> 8),
		        c0[1] + ((c1[1] - c0[1]) * t >> 8), c0[2] + ((c1[2] - c0[2]) * t >> 8));
	}
}

static void cv_line(canvas_s *cv, int x0, int y0, int x1, int y1, int r, int g, int b)
{
	int dx = abs(x1 - x0), dy = -abs(y1 - y0);
	int sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
	int e = dx + dy;

	for (;;) {
		cv_rect(cv, x0, y0, 1, 1, r, g, b);
		if (x0 == x1 && y0 == y1)
			break;
		int e2 = 2 * e;
		if (e2 >= dy) {
			e += dy;
			x0 += sx;
		}
		if (e2 <= dx) {
			e += dx;
			y0 += sy;
		}
	}
}

static void add_led(scene_s *sc, int x, int y, int size, int r, int g, int b, int kind)
{
	scene_led_s *led;

	if (sc->sc_nleds >= SCENE_MAX_LEDS)
		return;
	led = &sc->sc_leds[sc->sc_nleds++];
	led->led_x = x;
	led->led_y = y;
	led->led_size = size;
	led->led_r = (uint8_t)r;
	led->led_g = (uint8_t)g;
	led->led_b = (uint8_t)b;
	led->led_kind = (uint8_t)kind;
	led->led_period_ms = (uint16_t)(kind == 1 ? 60 + rng_next(&sc->sc_rng) % 140
	                                          : 700 + rng_next(&sc->sc_rng) % 900);
	led->led_seed = rng_next(&sc->sc_rng);
}

/* One rack: frame, a column of equipment of mixed heights, LEDs. */
static void draw_rack(scene_s *sc, canvas_s *cv, int x, int y, int w, int h)
{
	int unit = h / 42 > 2 ? h / 42 : 2;
	int inner_x = x + w / 12, inner_w = w - 2 * (w / 12);
	int cy = y + h / 30;

	cv_rect(cv, x, y, w, h, 22, 23, 26);
	cv_rect(cv, x + 1, y + 1, w - 2, 2, 60, 62, 66); /* top highlight */
	cv_rect(cv, x + w / 2 - w / 6, y + h / 60, w / 3, h / 60 + 1, 200, 200, 190); /* label */
	while (cy < y + h - 2 * unit) {
		int units = 1 + (int)(rng_next(&sc->sc_rng) % 4);
		int uh = units * unit;
		int shade = 40 + (int)(rng_next(&sc->sc_rng) % 45);
		int kind = (int)(rng_next(&sc->sc_rng) % 6);

		if (cy + uh > y + h - unit)
			break;
		if (kind == 0) { /* blank panel */
			cv_rect(cv, inner_x, cy, inner_w, uh - 1, 30, 31, 34);
		} else {
			cv_rect(cv, inner_x, cy, inner_w, uh - 1, shade, shade, shade + 4);
			cv_rect(cv, inner_x, cy, inner_w, 1, shade + 30, shade + 30, shade + 34);
			if (kind == 1 || kind == 2) { /* drive bays */
				int bays = inner_w / (unit * 2 + 1);
				for (int i = 0; i < bays; i++)
					cv_rect(cv, inner_x + unit + i * (unit * 2 + 1), cy + 2,
					        unit * 2 - 1, uh - 5, shade + 25, shade + 25, shade + 28);
			} else if (kind == 3) { /* vents */
				for (int vx = inner_x + unit * 3; vx < inner_x + inner_w - unit; vx += 3)
					cv_rect(cv, vx, cy + 2, 1, uh - 5, 15, 15, 17);
			} else { /* switch ports */
				for (int px = inner_x + unit * 3; px < inner_x + inner_w - unit * 2;
				     px += unit + 1)
					cv_rect(cv, px, cy + uh / 3, unit, uh / 3 + 1, 12, 12, 12);
			}
			int ls = unit / 2 > 1 ? unit / 2 : 1;
			add_led(sc, inner_x + unit / 2, cy + uh / 3, ls, 40, 255, 60, 0);
			add_led(sc, inner_x + unit / 2 + ls + 2, cy + uh / 3, ls, 60, 255, 80, 1);
			if (kind >= 4)
				for (int px = inner_x + unit * 3; px < inner_x + inner_w - unit * 2;
				     px += (unit + 1) * 2)
					add_led(sc, px, cy + uh / 3 - ls - 1, ls, 255, 170, 20, 1);
			if (rng_next(&sc->sc_rng) % 7 == 0)
				add_led(sc, inner_x + inner_w - unit, cy + uh / 3, ls, 80, 140, 255, 2);
		}
		cy += uh;
	}
	/* door handle */
	cv_rect(cv, x + w - w / 20 - 2, y + h / 2 - h / 16, 2, h / 8, 140, 140, 145);
}

static void draw_background(scene_s *sc, canvas_s *cv)
{
	int w = cv->cv_w, h = cv->cv_h;
	int ceil_h = h * 16 / 100, floor_y = h * 78 / 100;
	const int ceil0[3] = {150, 152, 150}, ceil1[3] = {185, 187, 184};
	const int wall0[3] = {168, 166, 158}, wall1[3] = {128, 126, 120};
	const int floor0[3] = {120, 122, 124}, floor1[3] = {175, 177, 180};
	int vx = w / 2;

	cv_vgrad(cv, 0, 0, w, ceil_h, ceil0, ceil1);
	cv_vgrad(cv, 0, ceil_h, w, floor_y - ceil_h, wall0, wall1);
	cv_vgrad(cv, 0, floor_y, w, h - floor_y, floor0, floor1);
	/* fluorescent panels and a cable tray */
	cv_rect(cv, w * 18 / 100, h * 3 / 100, w * 22 / 100, h * 5 / 100, 248, 250, 245);
	cv_rect(cv, w * 60 / 100, h * 3 / 100, w * 22 / 100, h * 5 / 100, 248, 250, 245);
	cv_rect(cv, 0, h * 11 / 100, w, h * 2 / 100, 95, 98, 100);
	for (int x = 0; x < w; x += w / 40 + 1)
		cv_rect(cv, x, h * 11 / 100, 1, h * 2 / 100, 70, 72, 74);
	/* raised-floor tiles in perspective */
	for (int i = -8; i <= 8; i++)
		cv_line(cv, vx + i * w / 8, h - 1, vx + i * w / 24, floor_y, 100, 102, 104);
	for (int j = 1; j < 6; j++) {
		int y = floor_y + (h - floor_y) * j * j / 36;
		cv_line(cv, 0, y, w - 1, y, 105, 107, 109);
	}
	/* racks */
	int margin = w * 5 / 100, gap = w * 15 / 1000;
	int rw = (w - 2 * margin - (SCENE_RACKS - 1) * gap) / SCENE_RACKS;
	for (int i = 0; i < SCENE_RACKS; i++)
		draw_rack(sc, cv, margin + i * (rw + gap), h * 15 / 100, rw, floor_y - h * 15 / 100 + h / 60);
	/* vignette: real lenses darken towards the corners */
	for (int y = 0; y < h; y++) {
		for (int x = 0; x < w; x++) {
			int dx = (x - w / 2) * 256 / (w / 2), dy = (y - h / 2) * 256 / (h / 2);
			int d2 = (dx * dx + dy * dy) >> 8; /* 0..512 */
			int gain = 256 - d2 / 6;
			uint8_t *p = cv->cv_rgb + ((size_t)y * w + x) * 3;
			for (int c = 0; c < 3; c++)
				p[c] = (uint8_t)clampi(p[c] * gain >> 8, 0, 255);
		}
	}
}

static void canvas_to_picture(const canvas_s *cv, picture_s *pic)
{
	int w = cv->cv_w, h = cv->cv_h;

	for (int y = 0; y < h; y += 2) {
		for (int x = 0; x < w; x += 2) {
			int su = 0, sv = 0;
			for (int k = 0; k < 4; k++) {
				const uint8_t *p = cv->cv_rgb + ((size_t)(y + k / 2) * w + x + k % 2) * 3;
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
}

scene_s *scene_new(int w, int h, char *err, size_t errlen)
{
	scene_s *sc = NULL;
	canvas_s cv = {w, h, NULL};
	size_t npix = (size_t)w * (size_t)h;

	sc = calloc(1, sizeof(*sc));
	if (sc == NULL)
		goto fail;
	sc->sc_w = w;
	sc->sc_h = h;
	sc->sc_rng = 0x9e3779b97f4a7c15ULL; /* fixed: the room looks the same every start */
	if (picture_alloc(&sc->sc_bg, w, h) != 0)
		goto fail;
	cv.cv_rgb = calloc(npix, 3);
	sc->sc_noise = malloc(npix + SCENE_NOISE_PAD);
	if (cv.cv_rgb == NULL || sc->sc_noise == NULL)
		goto fail;
	draw_background(sc, &cv);
	canvas_to_picture(&cv, &sc->sc_bg);
	for (size_t i = 0; i < npix + SCENE_NOISE_PAD; i++) {
		/* Roughly Gaussian, sigma ~2 levels: sum of four uniforms. */
		uint32_t r = rng_next(&sc->sc_rng);
		int n = (int)(r & 7) + (int)((r >> 3) & 7) + (int)((r >> 6) & 7) + (int)((r >> 9) & 7) - 14;
		sc->sc_noise[i] = (int8_t)(n / 2);
	}
	free(cv.cv_rgb);
	return sc;
fail:
	snprintf(err, errlen, "scene: out of memory for %dx%d", w, h);
	free(cv.cv_rgb);
	scene_free(sc);
	return NULL;
}

void scene_free(scene_s *sc)
{
	if (sc == NULL)
		return;
	picture_release(&sc->sc_bg);
	free(sc->sc_noise);
	free(sc);
}

void scene_render(scene_s *sc, picture_s *out, int64_t t_ms)
{
	size_t npix = (size_t)sc->sc_w * (size_t)sc->sc_h;
	uint32_t frame_rand = rng_next(&sc->sc_rng);
	const int8_t *noise = sc->sc_noise + frame_rand % SCENE_NOISE_PAD;
	/* Mains flicker of fluorescent tubes: a gain of 254..258 / 256. */
	int gain = 254 + (int)((frame_rand >> 16) % 5);
	const uint8_t *bg = sc->sc_bg.pic_y;

	picture_copy(out, &sc->sc_bg);
	for (size_t i = 0; i < npix; i++)
		out->pic_y[i] = (uint8_t)clampi(((bg[i] * gain) >> 8) + noise[i], 0, 255);
	for (int i = 0; i < sc->sc_nleds; i++) {
		const scene_led_s *led = &sc->sc_leds[i];
		uint32_t slot = (uint32_t)(t_ms / led->led_period_ms);
		int on;

		if (led->led_kind == 0)
			on = 1;
		else if (led->led_kind == 1)
			on = (hash32(led->led_seed ^ slot) & 3) != 0; /* busy disk/port */
		else
			on = (slot + led->led_seed) & 1;
		if (on)
			picture_fill_rect(out, led->led_x, led->led_y, led->led_size + 1, led->led_size,
			                  led->led_r, led->led_g, led->led_b);
		else
			picture_fill_rect(out, led->led_x, led->led_y, led->led_size + 1, led->led_size,
			                  30, 45, 30);
	}
}
