/* camera: source + on-screen display + encoder = one JPEG per capture. */
#ifndef CAMDECOY_CAMERA_H
#define CAMDECOY_CAMERA_H

#include <stddef.h>
#include <stdint.h>

typedef struct camera camera_s;

typedef struct {
	int cc_w, cc_h;        /* even, 160x120 .. 1920x1080 */
	int cc_fps;
	int cc_quality;        /* 1..100 */
	int cc_threads;        /* encoder slice threads */
	const char *cc_video;  /* NULL or "": built-in scene */
	const char *cc_font;   /* TrueType file for the OSD */
	const char *cc_name;   /* camera name shown in the OSD */
} camera_conf_s;

/* Strings in conf are copied. NULL with err filled on failure. */
camera_s *camera_new(const camera_conf_s *conf, char *err, size_t errlen);
void camera_free(camera_s *cam);

/* Produces the JPEG for wall time t_ms (ms since the epoch; the OSD clock
 * shows it in local time). *jpeg stays valid until the next call. */
int camera_capture(camera_s *cam, int64_t t_ms, const uint8_t **jpeg, size_t *len, char *err,
                   size_t errlen);

#endif
