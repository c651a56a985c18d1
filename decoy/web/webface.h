/* webface: what one persona's firmware looks like over HTTP: its routes,
 * its pages' and streams' headers, the order it writes them in. Who the
 * camera is (name, model, the other doors) is persona.h's. */
#ifndef CAMDECOY_WEBFACE_H
#define CAMDECOY_WEBFACE_H

#include "persona.h"

typedef enum {
	ROUTE_PAGE,     /* an embedded web_ui asset (pr_arg), rendered at start-up */
	ROUTE_STREAM,   /* multipart/x-mixed-replace MJPEG */
	ROUTE_SNAPSHOT, /* one image/jpeg */
	ROUTE_REDIRECT, /* 302 to pr_arg */
	ROUTE_AUTH,     /* a protected page: 401 with the persona's challenge */
	ROUTE_LOGIN,    /* a login page (pr_arg): GET shows it, POST is a login attempt */
	ROUTE_ONVIF,    /* an ONVIF SOAP endpoint: POST only (decoy/web/onvif.c) */
} route_kind_e;

typedef struct {
	const char *pr_path;
	route_kind_e pr_kind;
	const char *pr_arg;
} persona_route_s;

typedef struct {
	const char *ph_name;
	const char *ph_value;
} persona_header_s;

typedef struct {
	const char *wf_name;        /* the persona's pe_name */
	const char *wf_server;      /* Server header, NULL to send none */
	const char *wf_boundary;    /* multipart boundary token */
	const char *wf_stream_type; /* the stream's Content-Type value, boundary included */
	/* The wire: every answer is "VERSION STATUS REASON\r\n", then the
	 * headers in the order of wf_order, one letter each: S Server, D Date,
	 * X the answer's own (Location, WWW-Authenticate, caching, ...), C
	 * "Connection: close", T the content type (named wf_type_name), L
	 * Content-Length (bodies only: streams have none). A letter whose header
	 * the answer lacks is skipped. Every answer closes the connection. */
	const char *wf_version; /* "HTTP/1.0" or "HTTP/1.1" */
	const char *wf_order;
	const char *wf_type_name; /* "Content-Type", or the firmware's spelling */
	int wf_epoch_date;        /* Date: counts from 1970 like a camera without a clock */
	int wf_no_date;           /* no Date at all */
	const persona_header_s *wf_page_headers;   /* X of pages and errors, NULL-terminated */
	const persona_header_s *wf_stream_headers; /* X of streams */
	const persona_header_s *wf_image_headers;  /* X of snapshots */
	const persona_route_s *wf_routes;          /* terminated by pr_path NULL */
	const char *wf_auth;                       /* WWW-Authenticate value for ROUTE_AUTH */
	const char *wf_error_ext; /* error pages are web_ui/NAME/STATUS plus this (".html") */
} webface_s;

/* The web face of pe; every persona has one (NULL only for a persona
 * without a face, which the unit tests rule out). */
const webface_s *webface_of(const persona_s *pe);

#endif
