/* persona: what one camera vendor's firmware looks like on the wire. */
#ifndef CAMDECOY_PERSONA_H
#define CAMDECOY_PERSONA_H

#include <stddef.h>

typedef enum {
	ROUTE_PAGE,     /* an embedded web_ui asset (pr_arg), rendered at start-up */
	ROUTE_STREAM,   /* multipart/x-mixed-replace MJPEG */
	ROUTE_SNAPSHOT, /* one image/jpeg */
	ROUTE_REDIRECT, /* 302 to pr_arg */
	ROUTE_AUTH,     /* a protected page: 401 with the persona's challenge */
	ROUTE_LOGIN,    /* a login page (pr_arg): GET shows it, POST is a login attempt */
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
	const char *pe_name;          /* configuration name: "axis" */
	const char *pe_model;         /* shown in page titles: "AXIS M1124" */
	const char *pe_server;        /* Server header, NULL to send none */
	const char *pe_boundary;      /* multipart boundary token */
	int pe_http10;                /* answer "HTTP/1.0" (else HTTP/1.1 with Connection: close) */
	int pe_epoch_date;            /* Date: counts from 1970 like a camera without a clock */
	const persona_header_s *pe_stream_headers; /* extra stream headers, NULL-terminated */
	const persona_header_s *pe_image_headers;  /* extra snapshot headers */
	const persona_route_s *pe_routes;          /* terminated by pr_path NULL */
	const char *pe_auth;          /* WWW-Authenticate value for ROUTE_AUTH */
	const char *pe_telnet_banner; /* the Telnet trap's login prompt */
	const char *pe_401_asset;
	const char *pe_404_asset;
	const char *pe_405_asset;
	const char *pe_413_asset;
	const char *pe_414_asset;
	const char *pe_431_asset;
	const char *pe_500_asset;
	const char *pe_503_asset;
} persona_s;

/* NULL when there is no persona of that name. */
const persona_s *persona_find(const char *name);
/* The personas, for listings: *n set to their number. */
const persona_s *persona_all(size_t *n);

#endif
