/* onvif: the device and media services of a persona's firmware, as a pure
 * request -> answer step (no sockets): SOAP in, SOAP out, the login it carried. */
#ifndef CAMDECOY_ONVIF_H
#define CAMDECOY_ONVIF_H

#include <stddef.h>
#include <stdint.h>

#include "authparse.h"
#include "persona.h"

/* A WS-Security Created this far from the camera's clock is stale. */
#define ONVIF_CREATED_SKEW_S 300
/* Nonces remembered for replay detection (a ring: a flood of fresh ones
 * pushes old ones out). A replay is answered, as the firmware answers it,
 * and said so in the request's row. */
#define ONVIF_NONCES 4096

typedef struct onvif onvif_s;

typedef enum {
	ONVIF_AUTH_NONE,    /* no credential came */
	ONVIF_AUTH_OK,      /* a trap credential */
	ONVIF_AUTH_REFUSED, /* a credential that is not one */
	ONVIF_AUTH_STALE,   /* Created too far from the clock, or unreadable */
} onvif_auth_e;

/* Whether a credential (c) or a digest (d) is a trap credential the trap
 * holds now (login_accepts). Called on the request thread: O(1). */
typedef int (*onvif_accepts_fn)(void *arg, const authparse_cred_s *c, const authparse_digest_s *d);

typedef struct {
	const char *oq_host; /* the Host header (NULL: none), for XAddrs and URIs */
	size_t oq_host_len;
	const char *oq_body; /* the POST body */
	size_t oq_body_len;
	const char *oq_auth; /* Authorization (NULL: none): HTTP Basic or Digest */
	size_t oq_auth_len;
	int64_t oq_now_ms; /* the camera's clock, wall ms */
	onvif_accepts_fn oq_accepts;
	void *oq_arg;
} onvif_request_s;

typedef enum { ONVIF_LOGIN_NONE, ONVIF_LOGIN_CRED, ONVIF_LOGIN_DIGEST } onvif_login_e;

typedef struct {
	unsigned oa_status;   /* 200; 400 or 500 with a SOAP fault; 401: challenge, with a fault */
	const char *oa_route; /* static: "onvif/<Action>", "onvif/replay/<Action>",
	                       * "onvif/stale/<Action>", "onvif/unknown", "onvif/malformed" */
	onvif_auth_e oa_auth;
	int oa_replay;          /* the nonce+Created was seen before (answered all the same) */
	onvif_login_e oa_login; /* the attempt to record on channel onvif */
	authparse_cred_s oa_cred;
	authparse_digest_s oa_digest;
	char *oa_body; /* the caller's: free() */
	size_t oa_len;
} onvif_answer_s;

/* pe must have pe_onvif; tz is the camera's IANA zone ("UTC"), rtsp the
 * rtsp key ("" off: the URI names port 554). NULL with err filled. */
onvif_s *onvif_new(const persona_s *pe, const char *tz, const char *rtsp, char *err, size_t errlen);
void onvif_free(onvif_s *o);

/* Answers one POST. 0, or -1 when out of memory (out->oa_body NULL). Thread-safe. */
int onvif_answer(onvif_s *o, const onvif_request_s *rq, onvif_answer_s *out);

#endif
