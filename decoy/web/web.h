/* web: what the files of the web stage share: the configuration, the handles
 * they borrow, the tables they own, and their counters. Filled by the server. */
#ifndef CAMDECOY_WEB_H
#define CAMDECOY_WEB_H

#include <stdatomic.h>

#include "budget.h"
#include "camera.h"
#include "config.h"
#include "geo.h"
#include "guard.h"
#include "hub.h"
#include "login.h"
#include "onvif.h"
#include "polls.h"
#include "respond.h"
#include "store.h"

typedef struct {
	const config_s *wb_cfg;
	const persona_s *wb_pe;
	hub_s *wb_hub;
	camera_s *wb_cam; /* per-viewer notes */
	store_s *wb_store;
	const geo_s *wb_geo; /* NULL: no countries */
	login_ctx_s wb_login;
	int wb_per_viewer; /* trap credentials spliced per viewer */
	polls_s *wb_polls; /* the request thread's only */
	guard_s *wb_guard;
	budget_s *wb_budget;
	respond_s *wb_respond;
	onvif_s *wb_onvif; /* NULL: the persona has no ONVIF */
	/* the persona answers 414 and 431 itself below libmicrohttpd's limits */
	size_t wb_uri_max, wb_headers_max;
	atomic_ullong wb_requests_seen, wb_no_request, wb_stream_limit;
	/* requests pipelined behind a closing answer without a row (front.h) */
	atomic_ullong wb_pipelined_unrecorded;
} web_s;

#endif
