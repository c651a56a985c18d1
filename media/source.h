/* source: where pictures come from: the built-in scene, a looped video file,
 * or a live camera (MJPEG over HTTP, RTSP, V4L2) with the scene as its
 * fallback. */
#ifndef CAMDECOY_SOURCE_H
#define CAMDECOY_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "look.h"
#include "picture.h"
#include "scene.h"

typedef struct source source_s;

typedef struct {
	/* NULL or "": the built-in scene; http:// https:// rtsp:// /dev/videoN:
	 * a live camera (live.h); else a local file opened with libavformat
	 * (protocol whitelist "file" only), decoded, scaled and looped */
	const char *so_video;
	int so_w, so_h;
	scene_kind_e so_scene;
	look_mode_e so_daynight;
	int64_t so_fallback_ms; /* a live camera away this long: the scene (0: 10 s) */
} source_conf_s;

/* A live camera's last frame is "live" up to this age, then "held". */
#define SOURCE_LIVE_AGE_MS 2000

typedef enum { SOURCE_LIVE, SOURCE_HELD, SOURCE_FALLBACK } source_state_e;

/* A file's first frame is decoded here, so a missing or undecodable file
 * fails now, not later; a live camera that is down is retried. NULL with
 * err filled. */
source_s *source_open(const source_conf_s *conf, char *err, size_t errlen);
void source_free(source_s *src);

/* Fills out (w x h) with the picture for wall time t_ms; *night: 1 when it
 * is the scene's IR picture. Files play at their own speed and loop at the
 * end. 0 on success, -1 with err filled. */
int source_read(source_s *src, picture_s *out, int64_t t_ms, int *night, char *err, size_t errlen);

typedef struct {
	int ss_live;             /* a live camera is configured */
	source_state_e ss_state; /* what the last frame was */
	uint64_t ss_frames, ss_connects, ss_failures;
	char ss_error[160]; /* its last failure, printable */
} source_status_s;
void source_status(source_s *src, source_status_s *st);
/* The built-in scene's sheet for the note (corners TL, TR, BR, BL in
 * picture pixels): 0, or -1 when the picture is not the scene alone. */
int source_note_quad(const source_s *src, double quad[8]);

#endif
