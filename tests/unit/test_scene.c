/* test_scene: the path-traced scenes: names and each persona's, the light by
 * the clock and the zone, animation only where something is animated, the
 * note's sheet inside the bands the per-viewer splice re-encodes. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "camera.h"
#include "check.h"
#include "picture.h"
#include "scene.h"

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
	test_sheet();
	return check_report();
}
