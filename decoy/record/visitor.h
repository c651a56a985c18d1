/* visitor: who made a request, bound once: the address, the country and the
 * bounded copies of what it sent, and the events that carry them. */
#ifndef CAMDECOY_VISITOR_H
#define CAMDECOY_VISITOR_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

/* A bounded copy of attacker bytes, with the length they arrived with. */
typedef struct {
	char *bs_data; /* NUL-terminated, NULL when absent */
	size_t bs_len, bs_orig;
} bstr_s;

typedef struct {
	identity_s vi_who;      /* the client (after trusted-proxy resolution) */
	bstr_s vi_str[EVS_MAX]; /* method, path, query, User-Agent, Referer, X-Forwarded-For */
	const char *vi_referer_class, *vi_client_class; /* static strings from classify */
	const char *vi_forwarded; /* what became of X-Forwarded-For (event.h: ev_forwarded) */
} visitor_s;

/* Copies n bytes of s, cut at the field's bound (event_str_max); 0, or -1
 * when out of memory (the field stays absent). */
int visitor_set(visitor_s *v, event_str_e which, const char *s, size_t n);
/* The request target (len bytes, any byte kept), split at the first '?'
 * into path and query (absent without a '?'). */
int visitor_target(visitor_s *v, const char *uri, size_t len);
/* Frees the copies (the struct itself is the caller's). */
void visitor_clear(visitor_s *v);

/* A new event of kind stamped now with the visitor's identity and the
 * strings that kind records (requests: all; views: path, User-Agent,
 * Referer). NULL when out of memory. */
event_s *visitor_event(const visitor_s *v, event_kind_e kind, int64_t now_ms);

#endif
