/* stream: one viewer's MJPEG stream: multipart parts of the shared frame around its own note, its
 * view, its limits. */
#ifndef CAMDECOY_STREAM_H
#define CAMDECOY_STREAM_H

#include <stddef.h>
#include <sys/types.h>

#include "request.h"

/* stream_fill's end of the stream (the viewer's time is up, or the decoy stops). */
#define STREAM_END ((ssize_t)-1)

/* Admits a stream (the per-address cap) and fills its reply: the persona's
 * 503 when refused. A stream reply holds a reference on rq until
 * stream_release. */
web_action_e stream_begin(request_s *rq, int head_only, reply_s *out);
/* Up to max bytes of the stream into buf: their number, 0 when the viewer
 * was parked until the next frame (its connection is suspended), or
 * STREAM_END. */
ssize_t stream_fill(request_s *rq, uint8_t *buf, size_t max);
/* The stream's response is gone: the viewer leaves, the reference drops. */
void stream_release(request_s *rq);

#endif
