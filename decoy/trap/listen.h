/* listen: one bounded-session listener for the trap's TCP doors (Telnet, RTSP): the socket, the
 * poll() loop, the session table under the door policy (defend/door.c), idle and lifetime limits
 * that shrink as the table fills, and every refused connection counted and recorded with its
 * reason. The protocol (telnet.c, rtspd.c) is a set of callbacks over a session. */
#ifndef CAMDECOY_LISTEN_H
#define CAMDECOY_LISTEN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "door.h"
#include "geo.h"
#include "identity.h"
#include "store.h"

typedef struct listen listen_s;

/* Why a session ended. */
typedef enum {
	LISTEN_END_CLIENT,   /* the peer closed, an error, or the protocol ended it */
	LISTEN_END_IDLE,     /* no activity within the idle limit */
	LISTEN_END_LIFETIME, /* the lifetime limit */
	LISTEN_END_EVICTED,  /* its place went to a newcomer from a network holding fewer */
	LISTEN_END_SHUTDOWN, /* the decoy stops */
} listen_end_e;

/* Why a connection was refused at accept (the row's requests.refused). */
typedef enum {
	LISTEN_REFUSED_FULL,   /* the table is full and no place could be taken */
	LISTEN_REFUSED_IP,     /* the per-address cap */
	LISTEN_REFUSED_NET,    /* the per-network cap */
	LISTEN_REFUSED_RATE,   /* its network opened connections too fast */
	LISTEN_REFUSED_MEMORY, /* admitted, but no memory for the session */
} listen_refused_e;

/* One session. The peer fields are bound once at accept; the protocol
 * keeps its own state in lc_proto (set in lp_open, freed in lp_close). */
typedef struct listen_conn {
	int lc_fd;
	struct sockaddr_storage lc_addr;
	socklen_t lc_addrlen;
	identity_s lc_who;
	int64_t lc_start;     /* monotonic ms it was accepted */
	int64_t lc_active_at; /* the last activity that resets the idle limit */
	int64_t lc_keep_ms;   /* the protocol's own idle limit (RTSP's session timeout), 0: none */
	int64_t lc_wake_at;   /* monotonic ms lp_timer is due, 0: none */
	void *lc_proto;
	door_seat_s lc_seat; /* the listener's */
} listen_conn_s;

/* What the protocol does; -1 from a callback ends the session
 * (LISTEN_END_CLIENT). Only lp_readable and lp_close are required. */
typedef struct {
	int (*lp_open)(void *arg, listen_conn_s *c);     /* accepted; -1: out of memory */
	int (*lp_readable)(void *arg, listen_conn_s *c); /* read what is there */
	int (*lp_writable)(void *arg, listen_conn_s *c); /* called when lp_wants_write said so */
	int (*lp_wants_write)(void *arg, const listen_conn_s *c);
	int (*lp_timer)(void *arg, listen_conn_s *c, int64_t now_ms); /* lc_wake_at came */
	void (*lp_close)(void *arg, listen_conn_s *c, listen_end_e end);
	/* a descriptor the loop also polls (the hub's frames), -1 none, and
	 * what to do after every round of the loop (it readable or not);
	 * sessions do not end in lp_extra */
	int (*lp_extra_fd)(void *arg);
	void (*lp_extra)(void *arg);
} listen_proto_s;

typedef struct {
	const char *lf_name; /* "telnet", "rtsp": the thread, errors, the rows' route */
	int lf_places, lf_per_ip, lf_per_net;
	int64_t lf_idle_ms, lf_lifetime_ms;             /* the configured limits */
	int64_t lf_idle_floor_ms, lf_lifetime_floor_ms; /* what they shrink to at a full table */
	double lf_rate, lf_burst; /* new connections a second per /24 or /64, 0: unlimited */
	const geo_s *lf_geo;      /* borrowed, NULL: no countries */
	store_s *lf_store;        /* borrowed: refusals recorded here, NULL: counted only */
	const listen_proto_s *lf_proto;
	void *lf_arg;
} listen_conf_s;

typedef struct {
	uint64_t ls_sessions;
	uint64_t ls_refused[LISTEN_REFUSED_MEMORY + 1];
	uint64_t ls_evicted;
	uint64_t ls_ended_idle, ls_ended_lifetime;
	uint64_t ls_ended_early; /* of idle and lifetime, by a limit shortened at a full table */
	/* refusals and evictions handed to the store: each is a requests row, or
	 * counted in aggregated (past the rows budget) or as dropped, like a request */
	uint64_t ls_recorded;
} listen_stats_s;

/* The name of a refusal as rows store it ("per-ip", "full"...), and "evicted". */
const char *listen_refused_name(listen_refused_e why);

/* Binds addr now (privileges are dropped after start-up); serves from its
 * own thread (camdecoy-NAME) after listen_start. conf is copied, what it
 * points to is borrowed. */
listen_s *listen_new(const struct sockaddr *addr, socklen_t addrlen, const listen_conf_s *conf,
                     char *err, size_t errlen);
int listen_start(listen_s *l, char *err, size_t errlen);
/* Ends every session (LISTEN_END_SHUTDOWN) and the thread. */
void listen_stop(listen_s *l);
void listen_free(listen_s *l);
void listen_stats(listen_s *l, listen_stats_s *out);

/* The sessions, for the protocol's own walks (from its callbacks, on the
 * listener's thread): index 0..listen_count-1. */
int listen_count(const listen_s *l);
listen_conn_s *listen_conn(listen_s *l, int i);
/* Activity that resets c's idle limit. */
void listen_active(listen_conn_s *c, int64_t now_ms);

#endif
