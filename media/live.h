/* live: a live camera as the picture's source: an MJPEG-over-HTTP camera,
 * an RTSP camera or a V4L2 device, read by a thread of its own that
 * reconnects with back-off while the upstream is away. */
#ifndef CAMDECOY_LIVE_H
#define CAMDECOY_LIVE_H

#include <stddef.h>
#include <stdint.h>

#include "picture.h"

typedef struct live live_s;

/* Whether video names a live source: http:// https:// rtsp:// or /dev/video*. */
int live_is_url(const char *video);

/* Starts reading url, each frame scaled to w x h. Each kind is opened with
 * its own protocol whitelist (http,https,tcp,tls; rtsp,rtp,udp,tcp; the
 * v4l2 device): nothing the upstream says can make it open another kind.
 * Fails only on a bad URL or out of memory: an upstream that is down now is
 * retried. NULL with err filled. */
live_s *live_open(const char *url, int w, int h, char *err, size_t errlen);
void live_free(live_s *lv);

/* Copies the latest frame into out if it arrived at most max_age_ms ago
 * (monotonic): 1; else 0 and out untouched. *age_ms: its age (INT64_MAX:
 * none yet). Frames are decoded while someone asks for them, and one a
 * second otherwise; the connection is kept. */
int live_latest(live_s *lv, picture_s *out, int64_t max_age_ms, int64_t *age_ms);

typedef struct {
	uint64_t ls_frames;   /* decoded */
	uint64_t ls_connects; /* successful opens */
	uint64_t ls_failures; /* opens or reads that failed */
	int ls_up;            /* connected now */
	char ls_error[160];   /* the last failure, printable ASCII */
} live_stats_s;
void live_stats(live_s *lv, live_stats_s *st);

/* url without user:password@, bounded, for logs. */
void live_redact(const char *url, char *out, size_t cap);

#endif
