/* bench_encoder: the JPEG encoder's cost per frame, for callgrind.
 *
 * bench_encoder FRAMES [SCENE SUBSAMPLING QUALITY [OUT.jpg]] renders eight
 * day pictures of a built-in scene (0 server room, 1 office) at 640x480,
 * then encodes FRAMES of them in turn the way the shared stream does (a
 * restart interval per band). Instructions per frame are the difference of
 * two runs under `valgrind --tool=callgrind` divided by the difference of
 * their FRAMES: the set-up cancels out (wall-clock times are too noisy on
 * a shared machine). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "encoder.h"
#include "source.h"

#define W    640
#define H    480
#define PICS 8

int main(int argc, char **argv)
{
	picture_s pics[PICS];
	char err[256];
	int frames = argc > 1 ? atoi(argv[1]) : 20;
	int scene = argc > 2 ? atoi(argv[2]) : 0;
	int sub = argc > 3 ? atoi(argv[3]) : 420;
	int quality = argc > 4 ? atoi(argv[4]) : 80;
	const char *out = argc > 5 ? argv[5] : NULL;
	const source_conf_s so = {.so_video = "",
	                          .so_w = W,
	                          .so_h = H,
	                          .so_scene = scene == 1 ? SCENE_OFFICE : SCENE_SERVER_ROOM,
	                          .so_daynight = LOOK_DAY};
	const encoder_conf_s ec = {.ec_w = W,
	                           .ec_h = H,
	                           .ec_quality = quality,
	                           .ec_sub = sub == 422 ? ENCODER_422 : ENCODER_420,
	                           .ec_jfif_minor = 1,
	                           .ec_bands = 1};
	source_s *src = source_open(&so, err, sizeof(err));
	encoder_s *enc = encoder_new(&ec, err, sizeof(err));
	long long bytes = 0;

	if (src == NULL || enc == NULL) {
		fprintf(stderr, "bench_encoder: %s\n", err);
		return 1;
	}
	for (int i = 0; i < PICS; i++) {
		int night;
		if (picture_alloc(&pics[i], W, H) != 0 ||
		    source_read(src, &pics[i], 1700000000000LL + i * 100, &night, err,
		                sizeof(err)) != 0) {
			fprintf(stderr, "bench_encoder: %s\n", err);
			return 1;
		}
	}
	for (int i = 0; i < frames; i++) {
		const uint8_t *jpeg;
		size_t len;
		if (encoder_encode(enc, &pics[i % PICS], &jpeg, &len, err, sizeof(err)) != 0) {
			fprintf(stderr, "bench_encoder: %s\n", err);
			return 1;
		}
		bytes += (long long)len;
		if (i == 0 && out != NULL) {
			FILE *f = fopen(out, "wb");
			if (f == NULL || fwrite(jpeg, 1, len, f) != len || fclose(f) != 0) {
				fprintf(stderr, "bench_encoder: cannot write %s\n", out);
				return 1;
			}
		}
	}
	printf("%d frames, %lld bytes a frame\n", frames, frames > 0 ? bytes / frames : 0);
	for (int i = 0; i < PICS; i++)
		picture_release(&pics[i]);
	encoder_free(enc);
	source_free(src);
	return 0;
}
