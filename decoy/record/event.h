/* event: the one catalogue of event kinds, and the bounded event record. */
#ifndef CAMDECOY_EVENT_H
#define CAMDECOY_EVENT_H

#include <stddef.h>
#include <stdint.h>

#include "identity.h"

typedef enum {
	EV_REQUEST = 1,    /* "http.request": one per HTTP request, at its end */
	EV_VIEW_OPEN,      /* "view.open": a viewing session starts */
	EV_VIEW_PROGRESS,  /* "view.progress": frames so far (lets a crash be closed at the last
	                      frame) */
	EV_VIEW_CLOSE,     /* "view.close": a viewing session ends */
	EV_LOGIN,          /* "login.attempt": a username/password tried on any channel */
	EV_CREDENTIAL_USE, /* "credential.use": a login with a trap credential */
	EV_EXPLOIT, /* "exploit.attempt": a request a rule of exploit.c names, answered or not */
	EV_KIND_MAX
} event_kind_e;

/* What a view is: an HTTP stream, a poller's run of snapshots, or an RTSP session's PLAY. */
typedef enum { VIEW_NONE, VIEW_STREAM, VIEW_POLL, VIEW_RTSP } view_kind_e;

/* Attacker-supplied strings, each kept up to its limit with its original length. */
typedef enum {
	EVS_METHOD,
	EVS_PATH,
	EVS_QUERY,
	EVS_USER_AGENT,
	EVS_REFERER,
	EVS_FORWARDED, /* X-Forwarded-For as received, believed or not */
	EVS_USERNAME,  /* a login attempt's username and password */
	EVS_PASSWORD,
	EVS_PAYLOAD,  /* an exploit attempt's body, as received (NULs and all) */
	EVS_IOC_URLS, /* its indicators (exploit_iocs_s), our own bounded text */
	EVS_IOC_IPS,
	EVS_IOC_HOSTS,
	EVS_IOC_FETCH,
	EVS_MAX
} event_str_e;

#define EV_METHOD_MAX     32
#define EV_PATH_MAX       2048
#define EV_QUERY_MAX      2048
#define EV_USER_AGENT_MAX 512
#define EV_REFERER_MAX    2048
#define EV_FORWARDED_MAX  512
#define EV_CREDENTIAL_MAX 128
#define EV_PAYLOAD_MAX    4096 /* an exploit's body: the rest is counted, not kept */
#define EV_IOC_MAX        1024 /* EXPLOIT_IOC_MAX */
#define EV_TRAP_FIELD_MAX 64   /* a trap credential's username or password (TRAP_FIELD_MAX) */

typedef struct event {
	event_kind_e ev_kind;
	int64_t ev_ts;     /* ms since the epoch, UTC */
	identity_s ev_who; /* the client, and the TCP peer when it differs (a trusted proxy) */
	const char *ev_referer_class; /* static strings from classify */
	const char *ev_client_class;
	const char *ev_route;     /* page, stream, snapshot, auth, redirect, error */
	const char *ev_forwarded; /* X-Forwarded-For: NULL none, "used", "untrusted" (not from a
	                             trusted proxy), "invalid" (from one, but NUL, oversized or
	                             malformed) */
	int ev_status;
	uint64_t ev_bytes;
	const char *ev_refused; /* a connection a door refused: why (static), else NULL */
	/* views */
	int64_t ev_view_id; /* 0: none */
	view_kind_e ev_view_kind;
	int64_t ev_started_at, ev_ended_at, ev_last_frame_at;
	uint64_t ev_frames;
	const char *ev_end_reason;
	/* logins */
	const char *ev_channel;    /* logins: form, basic, digest, query, telnet, rtsp, onvif;
	                              exploit attempts: http, onvif, rtsp, telnet (NULL: http) */
	const char *ev_match_kind; /* exact, password-only, username-only, static, none */
	int64_t ev_matched_view;   /* 0: none */
	char ev_trap_user[EV_TRAP_FIELD_MAX + 1],
	    ev_trap_pass[EV_TRAP_FIELD_MAX + 1]; /* view.open: the credential it shows */
	uint64_t ev_trap_seq;                    /* its issue number (per-viewer), 0: none */
	char ev_view_ip[46], ev_view_country[3], ev_view_referer_class[16];
	int64_t ev_shown_at; /* when the matched credential was first shown */
	int ev_moved_ip, ev_moved_country;
	/* exploit attempts: the rule (static strings of exploit.c) and whether
	 * the persona answered it as its vulnerable firmware did */
	const char *ev_exploit_id, *ev_cve, *ev_family;
	int ev_answered;
	int ev_logged;               /* written to the JSON log already (retries skip it) */
	const char *ev_str[EVS_MAX]; /* NUL-terminated copies, bounded */
	size_t ev_len[EVS_MAX];      /* stored length */
	size_t ev_orig_len[EVS_MAX]; /* length before bounding */
	struct event *ev_next;       /* queue link */
} event_s;

/* The catalogue name of a kind ("http.request"...). */
const char *event_kind_name(event_kind_e kind);
/* "stream", "poll", "rtsp", or NULL for VIEW_NONE. */
const char *event_view_kind_name(view_kind_e kind);
/* Bound of a string field. */
size_t event_str_max(event_str_e which);

/* A zeroed event of kind with the given strings (NULL = absent) copied in one
 * allocation, each cut at its bound; lens may be NULL for C strings.
 * NULL when out of memory. Free with event_free. */
event_s *event_new(event_kind_e kind, const char *const strs[EVS_MAX], const size_t lens[EVS_MAX]);
void event_free(event_s *ev);
/* What ev holds in memory (event_new's one allocation), for bounds on
 * events held. */
size_t event_bytes(const event_s *ev);

/* Appends one JSON object (no newline) for ev to buf; sensor and persona are
 * configuration. Strings are escaped so the line is valid UTF-8 JSON whatever
 * bytes they hold. Returns the length, or 0 if it did not fit. */
size_t event_json(const event_s *ev, const char *sensor, const char *persona, char *buf,
                  size_t cap);

#endif
