/* http: the fake camera's web server (the only user of libmicrohttpd). */
#ifndef CAMDECOY_HTTP_H
#define CAMDECOY_HTTP_H

#include <stddef.h>

#include "config.h"
#include "front.h"
#include "geo.h"
#include "hub.h"
#include "login.h"
#include "store.h"

typedef struct http http_s;

/* Binds the listening socket and renders the persona's pages; cfg, hub,
 * cam (for per-viewer notes), store, geo (NULL: no countries) and what login
 * points to are borrowed and must outlive the server. */
http_s *http_new(const config_s *cfg, hub_s *hub, camera_s *cam, store_s *store, const geo_s *geo,
                 const login_ctx_s *login, char *err, size_t errlen);
int http_start(http_s *srv, char *err, size_t errlen);
/* The server's counters (requests seen, connections refused by cap, ...),
 * for store_set_counters. */
size_t http_counters(void *arg, store_counter_s *out, size_t cap);
/* Records what another listener answered itself (the RTSP trap's
 * requests) like the front's probes: a request row or its aggregate. */
void http_record_line(http_s *srv, const front_line_s *fl);
/* Stops accepting new connections (first step of shutdown). */
void http_quiesce(http_s *srv);
/* Stops the daemon, completing every request (their events are submitted):
 * call after hub_stop, which resumed every parked viewer. */
void http_stop(http_s *srv);
/* Stops the daemon if still running and frees: call after hub_stop, which resumed every parked
 * viewer. */
void http_free(http_s *srv);

#endif
