/* test_media: the scene moves, the OSD draws, the encoder emits JPEGs of the configured size. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "camera.h"
#include "check.h"
#include "encoder.h"
#include "overlay.h"
#include "picture.h"
#include "scene.h"
#include "source.h"
#include "live.h"
#include "look.h"

/* Reads the frame size from the JPEG's SOF0 marker. */
static int jpeg_size(const uint8_t *d, size_t n, int *w, int *h)
{
	if (n < 4 || d[0] != 0xff || d[1] != 0xd8)
		return -1;
	for (size_t i = 2; i + 9 < n;) {
		if (d[i] != 0xff)
			return -1;
		uint8_t m = d[i + 1];
		size_t len = (size_t)d[i + 2] << 8 | d[i + 3];
		if (m == 0xc0 || m == 0xc1) {
			*h = d[i + 5] << 8 | d[i + 6];
			*w = d[i + 7] << 8 | d[i + 8];
			return 0;
		}
		i += 2 + len;
	}
	return -1;
}

/* Two pictures the cases draw into in turn (the encoder and the source read
 * what the scenes and the lens left there). */
static picture_s a, b;

static void pictures(void)
{
	picture_s odd;

	CHECK(picture_alloc(&a, 320, 240) == 0 && picture_alloc(&b, 320, 240) == 0);
	CHECK(picture_alloc(&odd, 321, 240) == -1);
}

/* both scenes, by day and by night, at the smallest and a large size */
static void scenes(void)
{
	char err[256];

	for (int kind = 0; kind < 2; kind++)
		for (int mode = LOOK_DAY; mode <= LOOK_NIGHT; mode++) {
			scene_s *sc = scene_new(320, 240, kind, mode, err, sizeof(err));
			CHECK(sc != NULL);
			if (sc == NULL)
				continue;
			CHECK(scene_render(sc, &a, 1000) == (mode == LOOK_NIGHT));
			scene_render(sc, &b, 1100);
			CHECK(memcmp(a.pic_y, b.pic_y, 320 * 240) != 0); /* noise and LEDs move */
			long sum = 0, grey = 0;
			for (int i = 0; i < 320 * 240; i++)
				sum += a.pic_y[i];
			for (int i = 0; i < 160 * 120; i++)
				grey += a.pic_u[i] == 128 && a.pic_v[i] == 128;
			CHECK(sum / (320 * 240) > 25 &&
			      sum / (320 * 240) < 200); /* neither black nor blown out */
			/* the IR picture is monochrome; the day's is in colour */
			CHECK(mode == LOOK_NIGHT ? grey == 160 * 120 : grey < 160 * 120 / 2);
			scene_free(sc);
		}
	scene_s *big = scene_new(1920, 1080, SCENE_OFFICE, LOOK_AUTO, err, sizeof(err));
	CHECK(big != NULL);
	scene_free(big);
}

/* the lens on an even grey wall: corners darker (vignetting), red and
 * blue apart at the edges of a white square (fringing), none of it
 * outside the picture */
static void optics(void)
{
	canvas_s cv = {320, 240, calloc(320 * 240, 3)};
	CHECK(cv.cv_rgb != NULL);
	if (cv.cv_rgb != NULL) {
		memset(cv.cv_rgb, 160, 320 * 240 * 3);
		look_optics(&cv, &a, 0, 0);
		CHECK(a.pic_y[0] + 20 < a.pic_y[120 * 320 + 160] &&
		      a.pic_y[239 * 320 + 319] + 20 < a.pic_y[120 * 320 + 160]);
		for (int y = 100; y < 140; y++) /* a white square: its edges move */
			memset(cv.cv_rgb + (y * 320 + 140) * 3, 250, 40 * 3);
		look_optics(&cv, &a, 0, 0);
		look_optics(&cv, &b, 0.5, 0);
		CHECK(memcmp(a.pic_y, b.pic_y, 320 * 240) != 0); /* half a pixel of jitter shows */
		/* where the lens puts a point is where look_map says (LEDs rely on it) */
		memset(cv.cv_rgb, 0, 320 * 240 * 3);
		for (int y = 39; y <= 41; y++)
			memset(cv.cv_rgb + (y * 320 + 59) * 3, 255, 3 * 3);
		look_optics(&cv, &b, 0, 0);
		int bx = 0, by = 0, best = -1, mx, my;
		for (int i = 0; i < 320 * 240; i++)
			if (b.pic_y[i] > best)
				best = b.pic_y[i], bx = i % 320, by = i / 320;
		look_map(320, 240, 60, 40, &mx, &my);
		CHECK(abs(bx - mx) <= 1 && abs(by - my) <= 1 && (bx != 60 || by != 40));
		/* the lens's geometry alone (the depth layer that hides the
		 * passer-by) puts it there too */
		uint8_t *plane = malloc(320 * 240);
		int px = 0, py = 0;
		CHECK(plane != NULL);
		if (plane != NULL) {
			look_optics_plane(&cv, 0, plane);
			for (int i = 0, top = -1; i < 320 * 240; i++)
				if (plane[i] > top)
					top = plane[i], px = i % 320, py = i / 320;
			CHECK(abs(px - mx) <= 1 && abs(py - my) <= 1);
			free(plane);
		}
		/* look_map_f: the same unrounded, and unclamped beyond the picture
		 * (a car driving in from off it) */
		double fx, fy;
		look_map_f(320, 240, 60, 40, &fx, &fy);
		CHECK(lrint(fx) == mx && lrint(fy) == my);
		look_map_f(320, 240, 400, 120, &fx, &fy);
		CHECK(fx > 320 && fx < 400); /* outward of the picture, not clamped into it */
		free(cv.cv_rgb);
	}
}

/* the night switch: by the camera's local time (TZ), around the year */
static void night_switch(void)
{
	CHECK(look_night_at(171, 3 * 60) &&
	      !look_night_at(171, 5 * 60 + 30)); /* June: light at 05:30 */
	CHECK(!look_night_at(171, 19 * 60) && look_night_at(171, 19 * 60 + 40)); /* dark at 19:40 */
	CHECK(look_night_at(354, 6 * 60 + 30) && !look_night_at(354, 8 * 60));   /* December */
	CHECK(!look_night_at(354, 16 * 60) && look_night_at(354, 17 * 60 + 10));
	CHECK(!look_night_at(80, 12 * 60) && look_night_at(80, 0)); /* March: noon, midnight */
	setenv("TZ", "Asia/Tokyo", 1);
	tzset();
	/* 2026-06-21T03:00Z is noon in Tokyo, 03:00 in UTC */
	CHECK(!look_is_night(1782010800000LL));
	setenv("TZ", "UTC", 1);
	tzset();
	CHECK(look_is_night(1782010800000LL));
	setenv("TZ", "America/New_York", 1);
	tzset();
	CHECK(look_is_night(1782010800000LL));                   /* 23:00 the evening before */
	CHECK(!look_is_night(1782010800000LL + 14 * 3600000LL)); /* 13:00 */
	setenv("TZ", "UTC", 1);
	tzset();
}

static void overlay(void)
{
	char err[256];
	overlay_s *ov = overlay_new(CAMDECOY_TEST_FONT, 18, err, sizeof(err));
	CHECK(ov != NULL);
	int tw, th;
	overlay_measure(ov, "2026-01-01 00:00:00", &tw, &th);
	CHECK(tw > 100 && th >= 18);
	overlay_measure(ov, "a\nb", &tw, &th);
	CHECK(th >= 36);
	memset(b.pic_y, 128, 320 * 240);
	overlay_style_s st = {.os_fg = {255, 255, 255}, .os_bg_alpha = 0};
	overlay_draw(ov, &b, 10, 10, "HELLO \x01\xff", &st);
	int bright = 0;
	for (int y = 10; y < 40; y++)
		for (int x = 10; x < 120; x++)
			bright += b.pic_y[y * 320 + x] > 200;
	CHECK(bright > 50);
	overlay_draw(ov, &b, 300, 230, "clipped at the edge",
	             &st); /* must not write out of bounds */
	overlay_free(ov);
	CHECK(overlay_new("/nonexistent.ttf", 18, err, sizeof(err)) == NULL &&
	      strstr(err, "font") != NULL);
}

static void encoder(void)
{
	char err[256];
	const uint8_t *jpeg;
	size_t len;
	int w = 0, h = 0;
	const encoder_conf_s ec = {.ec_w = 320, .ec_h = 240, .ec_quality = 80, .ec_jfif_minor = 1};
	encoder_s *enc = encoder_new(&ec, err, sizeof(err));
	CHECK(enc != NULL);
	CHECK(encoder_encode(enc, &a, &jpeg, &len, err, sizeof(err)) == 0);
	CHECK(len > 1000 && jpeg[len - 2] == 0xff && jpeg[len - 1] == 0xd9);
	CHECK(jpeg_size(jpeg, len, &w, &h) == 0 && w == 320 && h == 240);
	encoder_free(enc);
}

/* a video that is not there; a live camera that is not there: the scene at
 * once, retried behind; credentials never in what is logged */
static void sources(void)
{
	char err[256];
	source_conf_s so = {.so_video = "/nonexistent/video.mkv", .so_w = 320, .so_h = 240};
	CHECK(source_open(&so, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent/video.mkv") != NULL);
	/* a live camera that is not there: the scene at once, retried behind */
	so.so_video = "http://127.0.0.1:9/video.mjpg";
	so.so_fallback_ms = 1000;
	source_s *src = source_open(&so, err, sizeof(err));
	CHECK(src != NULL);
	if (src != NULL) {
		int night = -1;
		source_status_s ss;
		CHECK(source_read(src, &a, 1000, &night, err, sizeof(err)) == 0);
		source_status(src, &ss);
		CHECK(ss.ss_live == 1 && ss.ss_state == SOURCE_FALLBACK && ss.ss_frames == 0);
		source_free(src);
	}
	so.so_video = "gopher://127.0.0.1/x";
	CHECK(source_open(&so, err, sizeof(err)) == NULL); /* a file that is not there, not a URL */
	char red[128];
	live_redact("rtsp://admin:secret@192.0.2.1:554/live?x=1", red, sizeof(red));
	CHECK_STR(red, "rtsp://192.0.2.1:554/live?x=1");
	live_redact("http://192.0.2.1/a@b", red, sizeof(red));
	CHECK_STR(red, "http://192.0.2.1/a@b"); /* an @ in the path is not a password's */
}

static const camera_conf_s camera_conf = {.cc_w = 640,
                                          .cc_h = 480,
                                          .cc_fps = 10,
                                          .cc_quality = 80,
                                          .cc_video = "",
                                          .cc_font = CAMDECOY_TEST_FONT,
                                          .cc_name = "TEST CAM"};

static void camera(void)
{
	char err[256];
	int w = 0, h = 0;
	camera_s *cam = camera_new(&camera_conf, err, sizeof(err));
	CHECK(cam != NULL);
	camera_frame_s cf;
	CHECK(camera_capture(cam, 1700000000000, &cf, err, sizeof(err)) == 0);
	CHECK(jpeg_size(cf.cf_jpeg, cf.cf_len, &w, &h) == 0 && w == 640 && h == 480);
	CHECK(cf.cf_splice_start == 0 && cf.cf_splice_end == 0);
	camera_free(cam);
}

/* the camera of the per-viewer note */
static camera_conf_s note_conf(void)
{
	camera_conf_s cc = camera_conf;

	cc.cc_note = 1;
	cc.cc_note_x = 24;
	cc.cc_note_y = 384;
	cc.cc_note_label = "WEB LOGIN";
	cc.cc_note_text = NULL;
	return cc;
}

/* Per-viewer note: a viewer's bands splice into any later frame. */
static void note_splice(void)
{
	char err[256];
	camera_conf_s cc = note_conf();
	camera_frame_s cf;
	camera_s *cam = camera_new(&cc, err, sizeof(err));
	CHECK(cam != NULL);
	uint8_t *blob = NULL, *blob2 = NULL;
	size_t bl = 0, bl2 = 0, ss[64], se[64];
	CHECK(camera_note(cam, "x", &blob, &bl, err, sizeof(err)) == -1); /* no frame yet */
	CHECK(camera_capture(cam, 1700000000000, &cf, err, sizeof(err)) == 0);
	CHECK(cf.cf_splice_start > 0 && cf.cf_splice_end > cf.cf_splice_start);
	CHECK(encoder_segments(cf.cf_jpeg, cf.cf_len, ss, se, 64) == 30);
	CHECK(camera_note(cam, "admin / Amber234!", &blob, &bl, err, sizeof(err)) == 0);
	CHECK(camera_note(cam, "viewer / Zebra999", &blob2, &bl2, err, sizeof(err)) == 0);
	CHECK(bl > 0 && bl2 > 0 && (bl != bl2 || memcmp(blob, blob2, bl) != 0));
	CHECK(camera_capture(cam, 1700000000100, &cf, err, sizeof(err)) == 0);
	size_t out_len = cf.cf_splice_start + bl + (cf.cf_len - cf.cf_splice_end);
	uint8_t *spliced = malloc(out_len);
	memcpy(spliced, cf.cf_jpeg, cf.cf_splice_start);
	memcpy(spliced + cf.cf_splice_start, blob, bl);
	memcpy(spliced + cf.cf_splice_start + bl, cf.cf_jpeg + cf.cf_splice_end,
	       cf.cf_len - cf.cf_splice_end);
	CHECK(encoder_segments(spliced, out_len, ss, se, 64) ==
	      30); /* still 30 bands, markers in order */
	int in_order = 1;
	for (int k = 0; k < 29; k++)
		in_order &= spliced[se[k] + 1] == 0xd0 + k % 8;
	CHECK(in_order);
	const char *dump = getenv("CAMDECOY_DUMP_NOTE");
	if (dump != NULL) {
		FILE *f = fopen(dump, "wb");
		fwrite(spliced, 1, out_len, f);
		fclose(f);
	}
	free(spliced);
	free(blob);
	free(blob2);
	camera_free(cam);
}

/* Byte-compatible bands, at 4:2:0 and at 4:2:2: a note with the text
 * the shared frame shows ("") is the shared frame's own bytes. */
static void note_bands(void)
{
	char err[256];
	camera_conf_s cc = note_conf();
	camera_frame_s cf;
	camera_s *cam;
	uint8_t *blob = NULL;
	size_t bl = 0, ss[64], se[64];

	for (int sub = ENCODER_420; sub <= ENCODER_422; sub++) {
		cc.cc_sub = (encoder_sub_e)sub;
		cam = camera_new(&cc, err, sizeof(err));
		CHECK(cam != NULL);
		if (cam == NULL)
			continue;
		CHECK(camera_capture(cam, 1700000000000, &cf, err, sizeof(err)) == 0);
		CHECK(camera_note(cam, "", &blob, &bl, err, sizeof(err)) == 0);
		CHECK(bl == cf.cf_splice_end - cf.cf_splice_start &&
		      memcmp(blob, cf.cf_jpeg + cf.cf_splice_start, bl) == 0);
		CHECK(encoder_segments(cf.cf_jpeg, cf.cf_len, ss, se, 64) == 30);
		free(blob);
		camera_free(cam);
	}
	cc.cc_sub = ENCODER_420;
	/* in the built-in scene the note is on the scene's own sheet: a
	 * position that would not fit a flat note does not matter */
	cc.cc_note_y = 470;
	cam = camera_new(&cc, err, sizeof(err));
	CHECK(cam != NULL);
	camera_free(cam);
}

int main(void)
{
	RUN(pictures);
	RUN(scenes);
	RUN(optics);
	RUN(night_switch);
	RUN(overlay);
	RUN(encoder);
	RUN(sources);
	RUN(camera);
	RUN(note_splice);
	RUN(note_bands);
	picture_release(&a);
	picture_release(&b);
	return check_report();
}
