/* source: where pictures come from: the built-in scene or a looped video file. */
#ifndef CAMDECOY_SOURCE_H
#define CAMDECOY_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

typedef struct source source_s;

/* video NULL or "" selects the built-in scene. Otherwise video is a local
 * file opened with libavformat (protocol whitelist "file" only), decoded and
 * scaled to w x h; the first frame is decoded here, so a missing or
 * undecodable file fails now, not later. */
source_s *source_open(const char *video, int w, int h, char *err, size_t errlen);
void source_free(source_s *src);

/* Fills out (w x h) with the picture for wall time t_ms. Files play at their
 * own speed and loop at the end. 0 on success, -1 with err filled. */
int source_read(source_s *src, picture_s *out, int64_t t_ms, char *err, size_t errlen);

#endif
