/* respond: every answer of the persona as a plain reply: status line version,
 * headers in the firmware's order, body. The server turns a reply into bytes. */
#ifndef CAMDECOY_RESPOND_H
#define CAMDECOY_RESPOND_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "webface.h"

#define REPLY_HEADERS_MAX 8

typedef enum {
	REPLY_BODY,        /* rp_body, rp_len */
	REPLY_STREAM,      /* multipart parts from the stream stage, until the viewer leaves */
	REPLY_STREAM_HEAD, /* a stream's headers only (HEAD) */
} reply_kind_e;

typedef struct {
	reply_kind_e rp_kind;
	unsigned int rp_status;
	const char *rp_route;   /* page, error, redirect, auth, snapshot, stream */
	const webface_s *rp_wf; /* its wire: status-line version, header order */
	const char *rp_type;    /* the content type, NULL: none */
	/* the answer's own headers (the persona's X letter), in order */
	const char *rp_name[REPLY_HEADERS_MAX], *rp_value[REPLY_HEADERS_MAX];
	size_t rp_nheaders;
	char rp_date[40];       /* empty: no Date */
	char rp_challenge[256]; /* built for this reply */
	const uint8_t *rp_body;
	size_t rp_len;
	/* Called once when the body is no longer needed (sent or dropped);
	 * NULL: the body lives as long as the server (a rendered page). */
	void (*rp_release)(void *arg);
	void *rp_release_arg;
} reply_s;

/* The persona's error pages, one per status. */
typedef enum {
	ERR_400,
	ERR_401,
	ERR_404,
	ERR_405,
	ERR_413,
	ERR_414,
	ERR_431,
	ERR_500,
	ERR_503,
	RESPOND_NERRORS
} respond_error_e;

typedef struct respond respond_s;

/* Renders every page and error page of cfg's persona (templated once); cfg
 * is borrowed. NULL with err filled on failure. */
respond_s *respond_new(const config_s *cfg, char *err, size_t errlen);
void respond_free(respond_s *r);

/* The multipart boundary token of the persona's streams. */
const char *respond_boundary(const respond_s *r);

/* The rendered page of route (one of the persona's ROUTE_PAGE/ROUTE_LOGIN). */
void respond_page(const respond_s *r, reply_s *out, const persona_route_s *route);
void respond_error(const respond_s *r, reply_s *out, respond_error_e which);
void respond_redirect(const respond_s *r, reply_s *out, const char *to);
/* 401 with the persona's challenge and a fresh nonce. */
void respond_auth(const respond_s *r, reply_s *out);
/* One JPEG; release(arg) when it is no longer needed. */
void respond_image(const respond_s *r, reply_s *out, const uint8_t *jpeg, size_t len,
                   void (*release)(void *), void *arg);
void respond_stream(const respond_s *r, reply_s *out, int head_only);
/* A SOAP answer (ONVIF): body is malloc'd and taken (freed once sent);
 * challenge: with the persona's WWW-Authenticate (a 401). */
void respond_soap(const respond_s *r, reply_s *out, unsigned int status, const char *route,
                  char *body, size_t len, int challenge);
/* What a vulnerable firmware gave an exploit (route "exploit"): status, type
 * and body with the persona's page headers; release(arg) when sent (NULL:
 * the body is static). */
void respond_data(const respond_s *r, reply_s *out, unsigned status, const char *type,
                  const uint8_t *body, size_t len, void (*release)(void *), void *arg);
/* One more header of the answer's own (value borrowed: it must live as long
 * as the reply's body). */
void respond_header(reply_s *out, const char *name, const char *value);

/* The reply's header block as the persona writes it, from the status line
 * to the blank line (a HEAD answer is only this): its length, or 0 when it
 * does not fit in cap bytes. */
size_t respond_head(const reply_s *rp, char *buf, size_t cap);

/* Releases a reply's body if it has a release function (a reply that is
 * not sent after all). */
void reply_release(reply_s *rp);

#endif
