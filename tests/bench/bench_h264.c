/* bench_h264: what one RTSP session's own H.264 encoder costs: CPU per picture (its JPEG decoded,
 * then encoded by libx264 as media/h264.c sets it) and memory per encoder.
 *
 * bench_h264 [SESSIONS [PICTURES [SUBSAMPLING]]] renders 20 day pictures
 * (2 s at 10 fps) of the server room at 640x480, encodes them as the hub's
 * banded JPEGs, then runs SESSIONS encoders over PICTURES pictures each,
 * in turn as the RTSP thread does. Prints the process CPU time per picture
 * (decode + encode), the JPEG encode's for comparison, the RSS each encoder
 * adds, and the bytes per picture (IDR and P). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "encoder.h"
#include "h264.h"
#include "source.h"

#define W    640
#define H    480
#define FPS  10
#define PICS 20

static double cpu_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static long rss_kb(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");

	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	fclose(f);
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

int main(int argc, char **argv)
{
	int sessions = argc > 1 ? atoi(argv[1]) : 4;
	int pictures = argc > 2 ? atoi(argv[2]) : 100;
	int sub = argc > 3 ? atoi(argv[3]) : 422;
	const source_conf_s so = {.so_video = "",
	                          .so_w = W,
	                          .so_h = H,
	                          .so_scene = SCENE_SERVER_ROOM,
	                          .so_daynight = LOOK_DAY};
	const encoder_conf_s ec = {.ec_w = W,
	                           .ec_h = H,
	                           .ec_quality = 80,
	                           .ec_sub = sub == 420 ? ENCODER_420 : ENCODER_422,
	                           .ec_jfif_minor = 1,
	                           .ec_bands = 1};
	const h264_conf_s hc = {.hc_w = W, .hc_h = H, .hc_fps = FPS};
	uint8_t *jpeg[PICS];
	size_t jlen[PICS];
	char err[256];
	source_s *src = source_open(&so, err, sizeof(err));
	encoder_s *enc = encoder_new(&ec, err, sizeof(err));
	h264_s **h;
	picture_s pic;
	double t0, jpeg_us, h264_us;
	long rss0, rss1;
	size_t idr_bytes = 0, p_bytes = 0, nidr = 0, np = 0;

	if (sessions < 1 || pictures < 1 || src == NULL || enc == NULL ||
	    picture_alloc(&pic, W, H) != 0 || (h = calloc((size_t)sessions, sizeof(*h))) == NULL) {
		fprintf(stderr, "bench_h264: %s\n", src == NULL || enc == NULL ? err : "bad usage");
		return 1;
	}
	t0 = cpu_us();
	for (int i = 0; i < PICS; i++) {
		const uint8_t *d;
		int night;
		if (source_read(src, &pic, 1700000000000LL + i * 1000 / FPS, &night, err,
		                sizeof(err)) != 0 ||
		    encoder_encode(enc, &pic, &d, &jlen[i], err, sizeof(err)) != 0 ||
		    (jpeg[i] = malloc(jlen[i])) == NULL) {
			fprintf(stderr, "bench_h264: %s\n", err);
			return 1;
		}
		memcpy(jpeg[i], d, jlen[i]);
	}
	jpeg_us = (cpu_us() - t0) / PICS; /* the scene's rendering included */
	rss0 = rss_kb();
	for (int s = 0; s < sessions; s++)
		if ((h[s] = h264_new(&hc, err, sizeof(err))) == NULL) {
			fprintf(stderr, "bench_h264: %s\n", err);
			return 1;
		}
	t0 = cpu_us();
	for (int i = 0; i < pictures; i++)
		for (int s = 0; s < sessions; s++) {
			const uint8_t *au;
			size_t len;
			if (h264_encode(h[s], jpeg[i % PICS], jlen[i % PICS],
			                (int64_t)i * 1000 / FPS, 0, &au, &len, err,
			                sizeof(err)) != 0) {
				fprintf(stderr, "bench_h264: %s\n", err);
				return 1;
			}
			if (s == 0 && i % (2 * FPS) == 0)
				idr_bytes += len, nidr++;
			else if (s == 0)
				p_bytes += len, np++;
		}
	h264_us = (cpu_us() - t0) / ((double)pictures * sessions);
	rss1 = rss_kb();
	printf("sessions %d pictures %d (%s JPEGs of %zu bytes)\n", sessions, pictures,
	       sub == 420 ? "4:2:0" : "4:2:2", jlen[0]);
	printf("shared: render + JPEG encode %.0f us per frame\n", jpeg_us);
	printf("per session: decode + H.264 encode %.0f us per picture (%.1f%% of a core at %d "
	       "fps)\n",
	       h264_us, h264_us * FPS / 1e4, FPS);
	printf("per session: %.1f MB RSS per encoder\n", (double)(rss1 - rss0) / 1024.0 / sessions);
	printf("bytes: IDR %zu, P %zu per picture (%.0f kbit/s)\n", nidr ? idr_bytes / nidr : 0,
	       np ? p_bytes / np : 0,
	       (double)(idr_bytes + p_bytes) * 8 / ((double)(nidr + np) / FPS) / 1000.0);
	for (int s = 0; s < sessions; s++)
		h264_free(h[s]);
	for (int i = 0; i < PICS; i++)
		free(jpeg[i]);
	free(h);
	picture_release(&pic);
	encoder_free(enc);
	source_free(src);
	return 0;
}
