/* scene: the built-in rooms, drawn procedurally once and seen through the
 * camera's lens (look.c), with live LEDs, screens and the occasional light
 * or shadow passing, by day and, under the IR illuminator, by night. */
#include "scene.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCENE_RACKS    5
#define SCENE_MAX_LEDS 512
#define SCENE_PHASES   3      /* sub-pixel positions of the whole image (jitter) */
#define SCENE_EVENT_MS 300000 /* at most one passing light or shadow per 5 minutes */

typedef struct {
	int led_x, led_y, led_size; /* where the lens puts it */
	uint8_t led_r, led_g, led_b;
	uint8_t led_kind; /* 0 steady, 1 activity, 2 slow blink */
	uint16_t led_period_ms;
	uint32_t led_seed;
} scene_led_s;

/* A region whose light changes: a screen (its content every few seconds),
 * or where a door's light or a passer-by's shadow crosses now and then. */
typedef struct {
	int gl_x, gl_y, gl_w, gl_h;
	int gl_kind; /* 0 screen, 1 door light, 2 shadow */
} scene_glow_s;

struct scene {
	int sc_w, sc_h;
	scene_kind_e sc_kind;
	look_mode_e sc_mode;
	picture_s sc_day[SCENE_PHASES], sc_night[SCENE_PHASES];
	int sc_have_day, sc_have_night;
	look_s *sc_look;
	scene_led_s sc_leds[SCENE_MAX_LEDS];
	int sc_nleds;
	scene_glow_s sc_glow[8];
	int sc_nglow;
	uint64_t sc_rng;
	int sc_night_now;      /* what the last frame was */
	const canvas_s *sc_cv; /* while drawing: for the lens mapping of LEDs */
};

static const double phases[SCENE_PHASES][2] = {{0, 0}, {0.35, -0.2}, {-0.25, 0.3}};

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

/* Light falling off away from (lx, ly): the room lit from its lamps, not
 * evenly (gain 256 at the lamp, `fall` less at the far corner). */
static void cv_falloff(canvas_s *cv, int lx, int ly, int fall)
{
	int w = cv->cv_w, h = cv->cv_h;
	double far = sqrt((double)w * w + (double)h * h);

	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			double d =
			    sqrt((double)(x - lx) * (x - lx) + (double)(y - ly) * (y - ly)) / far;
			int g = 256 - (int)(fall * d * d * 2.0);
			uint8_t *p = cv->cv_rgb + ((size_t)y * w + x) * 3;
			for (int c = 0; c < 3; c++)
				p[c] = (uint8_t)clampi(p[c] * g >> 8, 0, 255);
		}
}

static void add_led(scene_s *sc, int x, int y, int size, int r, int g, int b, int kind)
{
	scene_led_s *led;

	if (sc->sc_nleds >= SCENE_MAX_LEDS)
		return;
	led = &sc->sc_leds[sc->sc_nleds++];
	look_map(sc->sc_w, sc->sc_h, x, y, &led->led_x, &led->led_y);
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
					        unit * 2 - 1, uh - 5, shade + 25, shade + 25,
					        shade + 28);
			} else if (kind == 3) { /* vents */
				for (int vx = inner_x + unit * 3; vx < inner_x + inner_w - unit;
				     vx += 3)
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
				add_led(sc, inner_x + inner_w - unit, cy + uh / 3, ls, 80, 140, 255,
				        2);
		}
		cy += uh;
	}
	/* door handle */
	cv_rect(cv, x + w - w / 20 - 2, y + h / 2 - h / 16, 2, h / 8, 140, 140, 145);
}

static void add_glow(scene_s *sc, int x, int y, int w, int h, int kind)
{
	int x0, y0, x1, y1;

	if (sc->sc_nglow >= 8)
		return;
	look_map(sc->sc_w, sc->sc_h, x, y, &x0, &y0);
	look_map(sc->sc_w, sc->sc_h, x + w, y + h, &x1, &y1);
	sc->sc_glow[sc->sc_nglow++] = (scene_glow_s){x0, y0, x1 - x0, y1 - y0, kind};
}

/* The server room: racks down an aisle, fluorescent panels (off at night:
 * the IR light alone), a raised floor in perspective. */
static void draw_server_room(scene_s *sc, canvas_s *cv, int night)
{
	int w = cv->cv_w, h = cv->cv_h;
	int ceil_h = h * 16 / 100, floor_y = h * 78 / 100;
	const int ceil0[3] = {150, 152, 150}, ceil1[3] = {185, 187, 184};
	const int wall0[3] = {168, 166, 158}, wall1[3] = {128, 126, 120};
	const int floor0[3] = {120, 122, 124}, floor1[3] = {175, 177, 180};
	int vx = w / 2, panel = night ? 120 : 248;

	cv_vgrad(cv, 0, 0, w, ceil_h, ceil0, ceil1);
	cv_vgrad(cv, 0, ceil_h, w, floor_y - ceil_h, wall0, wall1);
	cv_vgrad(cv, 0, floor_y, w, h - floor_y, floor0, floor1);
	/* fluorescent panels and a cable tray */
	cv_rect(cv, w * 18 / 100, h * 3 / 100, w * 22 / 100, h * 5 / 100, panel, panel + 2,
	        panel - 3);
	cv_rect(cv, w * 60 / 100, h * 3 / 100, w * 22 / 100, h * 5 / 100, panel, panel + 2,
	        panel - 3);
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
		draw_rack(sc, cv, margin + i * (rw + gap), h * 15 / 100, rw,
		          floor_y - h * 15 / 100 + h / 60);
	/* the lamps light the middle of the aisle more than its ends */
	if (!night)
		cv_falloff(cv, w / 2, h / 10, 70);
	/* a door out of view to the right: its light on the floor, now and then */
	add_glow(sc, w * 70 / 100, floor_y, w * 30 / 100, h - floor_y, 1);
}

/* An office: a window (daylight by day, dark at night), a whiteboard, two
 * desks with screens, chairs, a plant, a router with its LEDs. */
static void draw_office(scene_s *sc, canvas_s *cv, int night)
{
	int w = cv->cv_w, h = cv->cv_h;
	int ceil_h = h * 10 / 100, floor_y = h * 62 / 100;
	const int ceil0[3] = {196, 196, 190}, ceil1[3] = {214, 212, 205};
	const int wall0[3] = {206, 198, 178}, wall1[3] = {176, 168, 150};
	const int floor0[3] = {84, 90, 102}, floor1[3] = {112, 118, 130};
	const int sky0[3] = {190, 214, 236}, sky1[3] = {232, 238, 240};
	const int dark0[3] = {22, 26, 38}, dark1[3] = {34, 36, 44};

	cv_vgrad(cv, 0, 0, w, ceil_h, ceil0, ceil1);
	cv_vgrad(cv, 0, ceil_h, w, floor_y - ceil_h, wall0, wall1);
	cv_vgrad(cv, 0, floor_y, w, h - floor_y, floor0, floor1);
	/* carpet tiles in perspective */
	for (int i = -6; i <= 6; i++)
		cv_line(cv, w / 2 + i * w / 5, h - 1, w / 2 + i * w / 16, floor_y, 78, 84, 96);
	/* the window, left, with its frame and blinds half down */
	int wx = w * 5 / 100, wy = h * 17 / 100, ww = w * 30 / 100, wh = h * 34 / 100;
	cv_rect(cv, wx - 4, wy - 4, ww + 8, wh + 8, 150, 150, 146);
	cv_vgrad(cv, wx, wy, ww, wh, night ? dark0 : sky0, night ? dark1 : sky1);
	if (!night) /* a building across the street */
		cv_rect(cv, wx + ww / 3, wy + wh * 55 / 100, ww / 2, wh * 45 / 100, 150, 146, 140);
	for (int y = wy; y < wy + wh * 40 / 100; y += h / 80 + 2)
		cv_rect(cv, wx, y, ww, h / 160 + 1, 222, 220, 212);
	cv_rect(cv, wx + ww / 2 - 2, wy, 4, wh, 150, 150, 146);
	/* the whiteboard, with a few lines of marker */
	int bx = w * 44 / 100, by = h * 19 / 100, bw = w * 30 / 100, bh = h * 22 / 100;
	cv_rect(cv, bx - 3, by - 3, bw + 6, bh + 6, 120, 122, 126);
	cv_rect(cv, bx, by, bw, bh, 238, 240, 238);
	for (int k = 0; k < 5; k++) {
		int ly = by + bh / 6 + k * bh / 7,
		    len = bw / 3 + (int)(hash32((uint32_t)k) % (uint32_t)(bw / 2));
		cv_line(cv, bx + bw / 12, ly, bx + bw / 12 + len, ly + (k % 2), k == 2 ? 200 : 40,
		        k == 2 ? 40 : 60, k == 2 ? 40 : 150);
	}
	/* a door, right, with its frame */
	int dx = w * 84 / 100, dy = h * 18 / 100;
	cv_rect(cv, dx - 4, dy - 4, w * 12 / 100 + 8, floor_y - dy + 4, 120, 104, 84);
	cv_rect(cv, dx, dy, w * 12 / 100, floor_y - dy, 150, 128, 100);
	cv_rect(cv, dx + w * 10 / 100, dy + (floor_y - dy) / 2, w / 100 + 1, h / 60 + 1, 200, 200,
	        190);
	/* desks, screens on them, chairs */
	for (int d = 0; d < 2; d++) {
		int x = w * (12 + d * 46) / 100, y = h * 60 / 100, dw = w * 34 / 100,
		    dh = h * 4 / 100;
		cv_rect(cv, x, y, dw, dh, 132, 100, 70);                                 /* top */
		cv_rect(cv, x, y + dh, dw, h / 100 + 1, 96, 72, 50);                     /* edge */
		cv_rect(cv, x + dw / 20, y + dh, w / 100 + 2, h * 22 / 100, 70, 70, 74); /* legs */
		cv_rect(cv, x + dw - dw / 20 - w / 100, y + dh, w / 100 + 2, h * 22 / 100, 70, 70,
		        74);
		int mx = x + dw / 4, mw = dw / 2, my = y - h * 17 / 100, mh = h * 15 / 100;
		cv_rect(cv, mx - 3, my - 3, mw + 6, mh + 6, 28, 28, 30); /* bezel */
		if (night) {
			cv_rect(cv, mx, my, mw, mh, 12, 14, 18);
		} else {
			const int s0[3] = {60, 96, 150}, s1[3] = {120, 160, 200};
			cv_vgrad(cv, mx, my, mw, mh, s0, s1);
			for (int k = 0; k < 6; k++) /* lines of something on screen */
				cv_rect(cv, mx + mw / 10, my + mh / 8 + k * mh / 8,
				        mw / 2 + (k * 37) % (mw / 3), mh / 30 + 1, 220, 228, 236);
		}
		add_glow(sc, mx, my, mw, mh, 0);
		cv_rect(cv, mx + mw / 2 - mw / 16, my + mh + 3, mw / 8, h * 2 / 100, 40, 40,
		        44); /* stand */
		add_led(sc, mx + mw - 6, my + mh + 1, 1, 80, 170, 255, 0);
		int kx = x + dw / 3, ky = y + dh / 4; /* keyboard */
		cv_rect(cv, kx, ky, dw / 3, dh / 2, 40, 40, 44);
		int cx = x + dw / 2 - dw / 8, cy = y + dh + h * 2 / 100; /* chair */
		cv_rect(cv, cx, cy - h * 12 / 100, dw / 4, h * 14 / 100, 36, 38, 44);
		cv_rect(cv, cx + dw / 8 - 3, cy + h * 2 / 100, 6, h * 12 / 100, 30, 30, 32);
		cv_rect(cv, cx - dw / 20, cy + h * 14 / 100, dw / 4 + dw / 10, h / 100 + 2, 30, 30,
		        32);
	}
	/* a plant in the corner, a router on a shelf with its LEDs */
	for (int k = 0; k < 40; k++) {
		uint32_t r = hash32((uint32_t)k * 7919u);
		int px = w * 2 / 100 + (int)(r % (uint32_t)(w * 7 / 100));
		int py = h * 48 / 100 + (int)((r >> 8) % (uint32_t)(h * 14 / 100));
		cv_rect(cv, px, py, w / 90 + 2, h / 60 + 2, 40 + (int)(r % 30), 90 + (int)(r % 50),
		        40);
	}
	cv_rect(cv, w * 3 / 100, h * 62 / 100, w * 6 / 100, h * 8 / 100, 150, 90, 60); /* pot */
	int sx = w * 76 / 100, sy = h * 12 / 100;
	cv_rect(cv, sx - w / 40, sy + h * 4 / 100, w * 9 / 100, h / 100 + 2, 120, 96,
	        70);                                                  /* shelf */
	cv_rect(cv, sx, sy, w * 5 / 100, h * 4 / 100, 230, 230, 226); /* router */
	for (int k = 0; k < 4; k++)
		add_led(sc, sx + w / 200 + k * (w * 5 / 100) / 5, sy + h * 3 / 100, 1, 60, 255, 80,
		        k == 0 ? 0 : 1);
	/* the ceiling lights (off at night), the window's daylight */
	if (!night) {
		cv_rect(cv, w * 30 / 100, h * 2 / 100, w * 16 / 100, h * 3 / 100, 250, 250, 244);
		cv_rect(cv, w * 62 / 100, h * 2 / 100, w * 16 / 100, h * 3 / 100, 250, 250, 244);
		cv_falloff(cv, wx + ww / 2, wy + wh / 2, 80);
	}
	/* someone passing the door's glass now and then */
	add_glow(sc, dx, dy, w * 12 / 100, floor_y - dy, 2);
}

static void draw(scene_s *sc, canvas_s *cv, int night)
{
	sc->sc_rng = 0x9e3779b97f4a7c15ULL; /* fixed: the room looks the same every start */
	sc->sc_nleds = 0;
	sc->sc_nglow = 0;
	if (sc->sc_kind == SCENE_OFFICE)
		draw_office(sc, cv, night);
	else
		draw_server_room(sc, cv, night);
}

scene_s *scene_new(int w, int h, scene_kind_e kind, look_mode_e mode, char *err, size_t errlen)
{
	scene_s *sc = calloc(1, sizeof(*sc));
	canvas_s cv = {w, h, NULL};
	size_t npix = (size_t)w * (size_t)h;

	if (sc == NULL)
		goto fail;
	sc->sc_w = w;
	sc->sc_h = h;
	sc->sc_kind = kind;
	sc->sc_mode = mode;
	if ((cv.cv_rgb = calloc(npix, 3)) == NULL)
		goto fail;
	/* the room drawn by day and by night, each through the lens at every
	 * jitter phase: per frame only exposure, noise and the live parts */
	for (int night = 0; night < 2; night++) {
		if ((night && mode == LOOK_DAY) || (!night && mode == LOOK_NIGHT))
			continue;
		memset(cv.cv_rgb, 0, npix * 3);
		draw(sc, &cv, night);
		for (int p = 0; p < SCENE_PHASES; p++) {
			picture_s *pic = night ? &sc->sc_night[p] : &sc->sc_day[p];
			if (picture_alloc(pic, w, h) != 0)
				goto fail;
			if (night)
				look_optics_ir(&cv, pic, phases[p][0], phases[p][1]);
			else
				look_optics(&cv, pic, phases[p][0], phases[p][1]);
		}
		if (night)
			sc->sc_have_night = 1;
		else
			sc->sc_have_day = 1;
	}
	if ((sc->sc_look = look_new(w, h, err, errlen)) == NULL) {
		free(cv.cv_rgb);
		scene_free(sc);
		return NULL;
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
	for (int p = 0; p < SCENE_PHASES; p++) {
		picture_release(&sc->sc_day[p]);
		picture_release(&sc->sc_night[p]);
	}
	look_free(sc->sc_look);
	free(sc);
}

int scene_is_night(const scene_s *sc)
{
	return sc->sc_night_now;
}

/* Adds delta (scaled by 0..256 per column) to the luma of a rectangle. */
static void light_rect(picture_s *out, const scene_glow_s *g, int delta, int peak_x, int spread)
{
	int x0 = clampi(g->gl_x, 0, out->pic_w), x1 = clampi(g->gl_x + g->gl_w, 0, out->pic_w);
	int y0 = clampi(g->gl_y, 0, out->pic_h), y1 = clampi(g->gl_y + g->gl_h, 0, out->pic_h);

	for (int x = x0; x < x1; x++) {
		int d = spread > 0 ? abs(x - peak_x) * 256 / spread : 0;
		int k = d >= 256 ? 0 : 256 - d;
		int add = delta * k >> 8;
		if (add == 0)
			continue;
		for (int y = y0; y < y1; y++) {
			uint8_t *p = out->pic_y + (size_t)y * out->pic_w + x;
			*p = (uint8_t)clampi(*p + add, 0, 255);
		}
	}
}

static void scene_life(scene_s *sc, picture_s *out, int64_t t_ms, int night)
{
	for (int i = 0; i < sc->sc_nglow; i++) {
		const scene_glow_s *g = &sc->sc_glow[i];
		if (g->gl_kind == 0) {
			/* a screen: its picture changes every few seconds */
			uint32_t slot = (uint32_t)(t_ms / 7000) + (uint32_t)i * 977u;
			int delta = (int)(hash32(slot) % 25) - 12 + (night ? 40 : 0);
			light_rect(out, g, delta, g->gl_x + g->gl_w / 2, 0);
			continue;
		}
		/* a door's light, or a shadow, crossing for 6 s in some 5-minute slots */
		uint32_t slot = (uint32_t)(t_ms / SCENE_EVENT_MS),
		         hs = hash32(slot ^ (uint32_t)i * 0x9e37u);
		if (hs % 3 != 0)
			continue;
		int64_t at =
		    (int64_t)slot * SCENE_EVENT_MS + (int64_t)(hs >> 8) % (SCENE_EVENT_MS - 6000);
		if (t_ms < at || t_ms >= at + 6000)
			continue;
		int pos = (int)((t_ms - at) * (g->gl_w + g->gl_w / 2) / 6000) - g->gl_w / 4;
		int sign = g->gl_kind == 1 ? 1 : -1;
		light_rect(out, g, sign * (night ? 30 : 45), g->gl_x + pos, g->gl_w / 3 + 1);
	}
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
		if (night) /* visible light through the IR filter-less sensor: white dots */
			picture_fill_rect(out, led->led_x, led->led_y, led->led_size + 1,
			                  led->led_size, on ? 235 : 60, on ? 235 : 60,
			                  on ? 235 : 60);
		else if (on)
			picture_fill_rect(out, led->led_x, led->led_y, led->led_size + 1,
			                  led->led_size, led->led_r, led->led_g, led->led_b);
		else
			picture_fill_rect(out, led->led_x, led->led_y, led->led_size + 1,
			                  led->led_size, 30, 45, 30);
	}
	if (night) { /* the LEDs were drawn in colour space: keep the picture grey */
		memset(out->pic_u, 128, (size_t)(out->pic_w / 2) * (out->pic_h / 2));
		memset(out->pic_v, 128, (size_t)(out->pic_w / 2) * (out->pic_h / 2));
	}
}

int scene_render(scene_s *sc, picture_s *out, int64_t t_ms)
{
	int night = sc->sc_mode == LOOK_NIGHT ? 1
	            : sc->sc_mode == LOOK_DAY ? 0
	                                      : look_is_night(t_ms);
	/* the whole image shakes a fraction of a pixel now and then */
	uint32_t j = hash32((uint32_t)(t_ms / 800)) % 8;
	int phase = j < 5 ? 0 : j < 7 ? 1 : 2;
	const picture_s *bg = night ? &sc->sc_night[phase] : &sc->sc_day[phase];

	sc->sc_night_now = night;
	look_frame(sc->sc_look, bg, out, t_ms, night);
	scene_life(sc, out, t_ms, night);
	return night;
}
