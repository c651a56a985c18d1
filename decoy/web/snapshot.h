/* snapshot: one JPEG per request, grouped into poll views, with the viewer's own note. */
#ifndef CAMDECOY_SNAPSHOT_H
#define CAMDECOY_SNAPSHOT_H

#include "request.h"

/* The freshest frame (waiting for the next one when the latest is older
 * than a frame interval: WEB_PARKED), or the persona's 503. */
web_action_e snapshot_serve(request_s *rq, reply_s *out);

#endif
