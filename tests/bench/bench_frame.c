/* bench_frame: what one frame of the built-in picture costs the media
 * thread (the scene at its time, the OSD, the JPEG encode, one viewer's note
 * bands).
 *
 * bench_frame FRAMES [SCENE [MODE]] captures FRAMES frames 100 ms apart of
 * built-in scene SCENE (its scene_kind_e number) at 640x480, MODE 1 day, 2
 * night. tests/bench/bench_frame.py times two runs of different FRAMES, so
 * the set-up (layers decoded, fonts loaded) cancels out, and pairs the
 * figure with this same file built against an older tree's media library. */
#include <stdio.h>
#include <stdlib.h>

#include "camera.h"

int main(int argc, char **argv)
{
	char err[256];
	int frames = argc > 1 ? atoi(argv[1]) : 10;
	int scene = argc > 2 ? atoi(argv[2]) : 0;
	int mode = argc > 3 ? atoi(argv[3]) : 1;
	const char *font = getenv("BENCH_FONT") != NULL
	                       ? getenv("BENCH_FONT")
	                       : "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf";
	const camera_conf_s cc = {.cc_w = 640,
	                          .cc_h = 480,
	                          .cc_fps = 10,
	                          .cc_quality = 80,
	                          .cc_sub = ENCODER_420,
	                          .cc_jfif_minor = 1,
	                          .cc_video = "",
	                          .cc_scene = (scene_kind_e)scene,
	                          .cc_daynight = mode == 2 ? LOOK_NIGHT : LOOK_DAY,
	                          .cc_font = font,
	                          .cc_name = "CAMERA 1",
	                          .cc_note = 1,
	                          .cc_note_x = 24,
	                          .cc_note_y = 384,
	                          .cc_note_label = "WEB LOGIN"};
	camera_s *cam = camera_new(&cc, err, sizeof(err));
	long long bytes = 0;

	if (cam == NULL) {
		fprintf(stderr, "bench_frame: %s\n", err);
		return 1;
	}
	for (int i = 0; i < frames; i++) {
		camera_frame_s cf;
		uint8_t *blob = NULL;
		size_t bl = 0;
		/* 14:00 UTC on a Tuesday: office hours, daylight */
		if (camera_capture(cam, 1700575200000LL + i * 100LL, &cf, err, sizeof(err)) != 0 ||
		    camera_note(cam, "jcarter47 / Amber234!", &blob, &bl, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_frame: %s\n", err);
			camera_free(cam);
			return 1;
		}
		bytes += (long long)cf.cf_len;
		free(blob);
	}
	printf("%d frames, %lld bytes a frame\n", frames, frames > 0 ? bytes / frames : 0);
	camera_free(cam);
	return 0;
}
