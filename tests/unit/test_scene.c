/* test_scene: the path-traced scenes: names and each persona's, the light by
 * the clock and the zone, animation only where something is animated, the
 * passer-by behind what stands in front of it, the note's sheet inside the
 * bands the per-viewer splice re-encodes. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "camera.h"
#include "check.h"
#include "look.h"
#include "picture.h"
#include "scene.h"
#include "scene_data.h"

#define W 320
#define H 240

/* 2026-06-15 03:00 UTC, a Monday: noon in Tokyo, Sunday 23:00 in New York */
#define T_JUNE 1781492400000LL

static int differing(const picture_s *a, const picture_s *b, const scene_s *sc, int *outside)
{
	int n = 0;

	*outside = 0;
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++)
			if (a->pic_y[y * W + x] != b->pic_y[y * W + x]) {
				n++;
				*outside += !scene_animated(sc, x, y);
			}
	return n;
}

static void test_light(void)
{
	int level;

	CHECK(scene_from_name("server-room") == SCENE_SERVER_ROOM &&
	      scene_from_name("office") == SCENE_OFFICE &&
	      scene_from_name("warehouse") == SCENE_WAREHOUSE &&
	      scene_from_name("car-park") == SCENE_CAR_PARK && scene_from_name("attic") == -1);
	CHECK(scene_for_persona("panasonic") == SCENE_OFFICE &&
	      scene_for_persona("hikvision") == SCENE_CAR_PARK &&
	      scene_for_persona("axis") == SCENE_WAREHOUSE &&
	      scene_for_persona("netwave") == SCENE_SERVER_ROOM);
	/* indoors: the lamps in office hours, on weekdays */
	CHECK(scene_light_at(SCENE_WAREHOUSE, 1, 165, 10 * 60, &level) == 0 && level == 256);
	CHECK(scene_light_at(SCENE_WAREHOUSE, 3, 165, 20 * 60, &level) == 1);
	CHECK(scene_light_at(SCENE_SERVER_ROOM, 0, 165, 13 * 60, &level) == 1); /* a Sunday */
	/* the office has a window: a Sunday afternoon is light, its night is not */
	CHECK(scene_light_at(SCENE_OFFICE, 0, 165, 13 * 60, &level) == 0);
	CHECK(scene_light_at(SCENE_OFFICE, 0, 165, 23 * 60, &level) == 1);
	/* outdoors: the sun, a dusk darker than the day, then IR */
	CHECK(scene_light_at(SCENE_CAR_PARK, 0, 171, 12 * 60, &level) == 0 && level == 256);
	CHECK(scene_light_at(SCENE_CAR_PARK, 0, 171, 19 * 60, &level) == 0 && level < 256 &&
	      level > 64);
	CHECK(scene_light_at(SCENE_CAR_PARK, 0, 171, 19 * 60 + 40, &level) == 1);
	CHECK(scene_light_at(SCENE_CAR_PARK, 0, 354, 17 * 60 + 10, &level) == 1); /* December */
}

static void test_zone(void)
{
	char err[256];
	picture_s a;
	scene_s *sc = scene_new(W, H, SCENE_WAREHOUSE, LOOK_AUTO, err, sizeof(err));

	CHECK(sc != NULL && picture_alloc(&a, W, H) == 0);
	if (sc == NULL)
		return;
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	CHECK(scene_compose(sc, &a, T_JUNE) == 0); /* Monday noon: lit */
	setenv("TZ", "America/New_York", 1);
	tzset();
	CHECK(scene_compose(sc, &a, T_JUNE) == 1); /* Sunday 23:00: IR */
	setenv("TZ", "UTC", 1);
	tzset();
	picture_release(&a);
	scene_free(sc);
}

/* Two frames 2 s apart differ where something is animated and nowhere
 * else; someone passes in every scene within the hour, by day and night. */
static void test_life(void)
{
	char err[256];
	picture_s a, b;

	CHECK(picture_alloc(&a, W, H) == 0 && picture_alloc(&b, W, H) == 0);
	for (int kind = 0; kind < 4; kind++)
		for (int mode = LOOK_DAY; mode <= LOOK_NIGHT; mode++) {
			scene_s *sc = scene_new(W, H, kind, mode, err, sizeof(err));
			int passes = 0, still = 0, bad = 0, out;
			CHECK(sc != NULL);
			if (sc == NULL)
				continue;
			for (int64_t t = T_JUNE; t < T_JUNE + 3600000; t += 1000) {
				int both = scene_passing(sc, t) && scene_passing(sc, t + 2000);
				int none = !scene_passing(sc, t) && !scene_passing(sc, t + 2000);
				if (!both && !none)
					continue;
				if ((both && passes > 3) || (none && still > 40))
					continue;
				scene_compose(sc, &a, t);
				scene_compose(sc, &b, t + 2000);
				int n = differing(&a, &b, sc, &out);
				bad += out;
				if (both && n > 150)
					passes++;
				still += none;
			}
			if (bad || passes == 0)
				fprintf(stderr,
				        "%s by %s: %d passing pairs, %d pixels off the animation\n",
				        scene_name((scene_kind_e)kind),
				        mode == LOOK_DAY ? "day" : "night", passes, bad);
			CHECK(bad == 0);
			CHECK(passes > 0);
			scene_free(sc);
		}
	picture_release(&a);
	picture_release(&b);
}

/* A render point (640x480) in the W x H picture: fitted (half the size),
 * then the lens. */
static void render_to_picture(double x, double y, int *px, int *py)
{
	look_map(W, H, (int)lrint(x * W / SCENE_DATA_W), (int)lrint(y * H / SCENE_DATA_H), px, py);
}

/* Through a whole pass no pixel where the room stands in front of the
 * passer's path changes, but pixels elsewhere do. What animates by itself
 * (screens, LEDs) is found from frames with nobody passing and left out. */
static void check_pass_hidden(scene_kind_e kind, look_mode_e mode)
{
	char err[256];
	picture_s base, pic;
	scene_s *sc = scene_new(W, H, kind, mode, err, sizeof(err));
	uint8_t *live = calloc(W * H, 1);
	int quiet = 0, hidden = 0, shown = 0;
	int64_t t = T_JUNE;

	CHECK(sc != NULL && live != NULL && picture_alloc(&base, W, H) == 0 &&
	      picture_alloc(&pic, W, H) == 0);
	if (sc == NULL || live == NULL) {
		free(live);
		scene_free(sc);
		return;
	}
	/* uneven steps: no blinking LED is seen in one phase only */
	for (; quiet < 60 && t < T_JUNE + 3600000; t += 777 + quiet * 131) {
		if (scene_passing(sc, t))
			continue;
		scene_compose(sc, quiet ? &pic : &base, t);
		for (int i = 0; quiet && i < W * H; i++)
			live[i] |= pic.pic_y[i] != base.pic_y[i];
		quiet++;
	}
	for (t = T_JUNE; !scene_passing(sc, t) && t < T_JUNE + 3600000; t += 100)
		;
	for (; scene_passing(sc, t); t += 100) {
		scene_compose(sc, &pic, t);
		for (int i = 0; i < W * H; i++) {
			if (live[i] || pic.pic_y[i] == base.pic_y[i])
				continue;
			if (scene_hides_passer(sc, i % W, i / W))
				hidden++;
			else
				shown++;
		}
	}
	if (hidden != 0 || shown < 1000)
		fprintf(stderr, "%s by %s: the passer drawn over %d hidden pixels, %d shown\n",
		        scene_name(kind), mode == LOOK_DAY ? "day" : "night", hidden, shown);
	CHECK(hidden == 0);
	CHECK(shown >= 1000);
	free(live);
	picture_release(&base);
	picture_release(&pic);
	scene_free(sc);
}

/* The room hides the passer-by where it stands in front of its path: in
 * the office the walker goes behind the far row of desks, whose monitors
 * hide it (the depth layer, put through the lens as the picture is); the
 * wall behind its head does not. */
static void test_hidden(void)
{
	char err[256];
	const scene_def_s *d = &scene_defs[SCENE_OFFICE];
	scene_s *sc = scene_new(W, H, SCENE_OFFICE, LOOK_DAY, err, sizeof(err));
	double mx = 0, my = 0;
	int x, y;

	CHECK(sc != NULL && strcmp(d->sd_name, "office") == 0 && d->sd_nscreens == 6);
	if (sc == NULL || d->sd_nscreens != 6)
		return;
	for (int k = 0; k < 4; k++) { /* screens 3..5 are the far row's */
		mx += d->sd_screens[4][2 * k] / 4;
		my += d->sd_screens[4][2 * k + 1] / 4;
	}
	render_to_picture(mx, my, &x, &y);
	CHECK(scene_hides_passer(sc, x, y) == 1);
	render_to_picture(d->sd_mid[0], d->sd_fy + 6, &x, &y);
	CHECK(scene_hides_passer(sc, x, y) == 0);
	scene_free(sc);
	for (int kind = 0; kind < 4; kind++)
		check_pass_hidden((scene_kind_e)kind, LOOK_DAY);
	check_pass_hidden(SCENE_OFFICE, LOOK_NIGHT);
}

/* The passer's feet are where the lens shows its way, as the floor it
 * walks on went through the lens: in the warehouse at 640x480 half way
 * across, the lowest row it changes is on or a few rows below (the nearer
 * shoe) the lensed path's middle; placed through the fit alone it was 2
 * rows above it, floating 6 rows above the floor. */
static void test_feet(void)
{
	enum { FW = SCENE_DATA_W, FH = SCENE_DATA_H }; /* the fit is the identity */
	char err[256];
	const scene_def_s *d = &scene_defs[SCENE_WAREHOUSE];
	scene_s *sc = scene_new(FW, FH, SCENE_WAREHOUSE, LOOK_DAY, err, sizeof(err));
	picture_s a, b;
	double x, y0, y1;
	int64_t t = T_JUNE, first;
	int low = -1;

	CHECK(sc != NULL && d->sd_nleds == 0 && d->sd_nscreens == 0 &&
	      picture_alloc(&a, FW, FH) == 0 && picture_alloc(&b, FW, FH) == 0);
	if (sc == NULL)
		return;
	while (!scene_passing(sc, t) && t < T_JUNE + 3600000)
		t += 100;
	for (first = t; scene_passing(sc, t);)
		t += 100;
	scene_compose(sc, &a, first - 1000); /* nothing else moves in the warehouse */
	scene_compose(sc, &b, (first + t - 100) / 2);
	for (int i = 0; i < FW * FH; i++)
		if (a.pic_y[i] != b.pic_y[i])
			low = i / FW;
	look_map_f(FW, FH, d->sd_from[0], d->sd_from[1], &x, &y0);
	look_map_f(FW, FH, d->sd_to[0], d->sd_to[1], &x, &y1);
	int mid = (int)lrint((y0 + y1) / 2);
	if (low < mid || low > mid + 6)
		fprintf(stderr, "warehouse: the feet on row %d, the path's middle on %d\n", low,
		        mid);
	CHECK(low >= mid && low <= mid + 6);
	picture_release(&a);
	picture_release(&b);
	scene_free(sc);
}

/* In each scene the note's sheet lies in the bands the splice re-encodes,
 * and a viewer's credential on it changes only those bytes. */
static void test_sheet(void)
{
	char err[256];

	for (int kind = 0; kind < 4; kind++) {
		const camera_conf_s cc = {.cc_w = 640,
		                          .cc_h = 480,
		                          .cc_fps = 10,
		                          .cc_quality = 80,
		                          .cc_scene = (scene_kind_e)kind,
		                          .cc_daynight = LOOK_DAY,
		                          .cc_font = CAMDECOY_TEST_FONT,
		                          .cc_name = "CAM",
		                          .cc_note = 1,
		                          .cc_note_x = 20,
		                          .cc_note_y = 380,
		                          .cc_note_label = "WEB LOGIN"};
		camera_s *cam = camera_new(&cc, err, sizeof(err));
		camera_frame_s cf;
		uint8_t *blob = NULL;
		size_t bl = 0;
		CHECK(cam != NULL);
		if (cam == NULL) {
			fprintf(stderr, "%s\n", err);
			continue;
		}
		CHECK(camera_capture(cam, T_JUNE, &cf, err, sizeof(err)) == 0);
		CHECK(cf.cf_splice_end > cf.cf_splice_start);
		CHECK(camera_note(cam, "someone / Secret123", &blob, &bl, err, sizeof(err)) == 0);
		CHECK(bl > 0 && (bl != cf.cf_splice_end - cf.cf_splice_start ||
		                 memcmp(blob, cf.cf_jpeg + cf.cf_splice_start, bl) != 0));
		free(blob);
		camera_free(cam);
	}
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	tzset();
	test_light();
	test_zone();
	test_life();
	test_hidden();
	test_feet();
	test_sheet();
	return check_report();
}
