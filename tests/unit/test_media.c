/* test_media: the scene moves, the OSD draws, the encoder emits JPEGs of the configured size. */
#include <stdint.h>
#include <stdlib.h>

#include "camera.h"
#include "check.h"
#include "encoder.h"
#include "overlay.h"
#include "picture.h"
#include "scene.h"
#include "source.h"

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

int main(void)
{
	char err[256];
	picture_s a, b, odd;
	const uint8_t *jpeg;
	size_t len;
	int w = 0, h = 0;

	CHECK(picture_alloc(&a, 320, 240) == 0 && picture_alloc(&b, 320, 240) == 0);
	CHECK(picture_alloc(&odd, 321, 240) == -1);

	scene_s *sc = scene_new(320, 240, err, sizeof(err));
	CHECK(sc != NULL);
	scene_render(sc, &a, 1000);
	scene_render(sc, &b, 1100);
	CHECK(memcmp(a.pic_y, b.pic_y, 320 * 240) != 0); /* noise and LEDs move */
	long sum = 0;
	for (int i = 0; i < 320 * 240; i++)
		sum += a.pic_y[i];
	CHECK(sum / (320 * 240) > 40 && sum / (320 * 240) < 200); /* neither black nor blown out */
	scene_free(sc);

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
	overlay_draw(ov, &b, 300, 230, "clipped at the edge", &st); /* must not write out of bounds */
	overlay_free(ov);
	CHECK(overlay_new("/nonexistent.ttf", 18, err, sizeof(err)) == NULL && strstr(err, "font") != NULL);

	encoder_s *enc = encoder_new(320, 240, 10, 80, 1, 0, err, sizeof(err));
	CHECK(enc != NULL);
	CHECK(encoder_encode(enc, &a, &jpeg, &len, err, sizeof(err)) == 0);
	CHECK(len > 1000 && jpeg[len - 2] == 0xff && jpeg[len - 1] == 0xd9);
	CHECK(jpeg_size(jpeg, len, &w, &h) == 0 && w == 320 && h == 240);
	encoder_free(enc);
	CHECK(encoder_qscale(100) == 2 && encoder_qscale(1) == 31 && encoder_qscale(80) < 10);

	CHECK(source_open("/nonexistent/video.mkv", 320, 240, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "/nonexistent/video.mkv") != NULL);

	camera_conf_s cc = {.cc_w = 640, .cc_h = 480, .cc_fps = 10, .cc_quality = 80, .cc_threads = 1,
	                    .cc_video = "", .cc_font = CAMDECOY_TEST_FONT, .cc_name = "TEST CAM"};
	camera_s *cam = camera_new(&cc, err, sizeof(err));
	CHECK(cam != NULL);
	camera_frame_s cf;
	CHECK(camera_capture(cam, 1700000000000, &cf, err, sizeof(err)) == 0);
	CHECK(jpeg_size(cf.cf_jpeg, cf.cf_len, &w, &h) == 0 && w == 640 && h == 480);
	CHECK(cf.cf_splice_start == 0 && cf.cf_splice_end == 0);
	camera_free(cam);

	/* Per-viewer note: a viewer's bands splice into any later frame. */
	cc.cc_note = 1;
	cc.cc_note_x = 24;
	cc.cc_note_y = 384;
	cc.cc_note_label = "WEB LOGIN";
	cc.cc_note_text = NULL;
	cam = camera_new(&cc, err, sizeof(err));
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
	memcpy(spliced + cf.cf_splice_start + bl, cf.cf_jpeg + cf.cf_splice_end, cf.cf_len - cf.cf_splice_end);
	CHECK(encoder_segments(spliced, out_len, ss, se, 64) == 30); /* still 30 bands, markers in order */
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
	cc.cc_note_y = 470; /* does not fit */
	CHECK(camera_new(&cc, err, sizeof(err)) == NULL && strstr(err, "note") != NULL);
	picture_release(&a);
	picture_release(&b);
	return check_report();
}
