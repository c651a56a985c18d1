/* guard: the HTTP door's connection table (the door policy: caps per
 * address and network, a newcomer from a smaller network taking the place
 * of a waiting connection of the largest), streams per address, and a
 * request deadline libmicrohttpd 0.9.75 does not have.
 *
 * MHD's timeout is an idle timeout: a socket that trickles one header byte
 * now and then keeps its connection for ever. The guard remembers when each
 * connection started waiting for a request and shuts down (never closes: the
 * descriptor stays MHD's) those that have not delivered one in time; the
 * deadline shortens as the table fills (door_limit). */
#ifndef CAMDECOY_GUARD_H
#define CAMDECOY_GUARD_H

#include <stdint.h>
#include <sys/socket.h>

#include "door.h"

typedef struct guard guard_s;

typedef struct {
	int gf_max_connections; /* all connections */
	int gf_per_ip;          /* from one address */
	int gf_per_net;         /* from one /24 (IPv4) or /64 (IPv6) */
	int gf_streams_per_ip;  /* concurrent MJPEG streams from one address */
	int gf_request_timeout; /* seconds a connection has to deliver a whole request */
	int gf_request_floor;   /* seconds it shortens to when the table is full */
} guard_conf_s;

typedef enum {
	GUARD_OK = 0,
	GUARD_FULL, /* global cap */
	GUARD_PER_IP,
	GUARD_PER_NET,
} guard_verdict_e;

/* An address as the guard counts it: IPv4-mapped IPv6 is IPv4. */
typedef door_addr_s guard_addr_s;

/* One live connection; embedded in the caller's per-connection state and
 * registered between guard_open and guard_close. */
typedef struct guard_conn {
	struct guard_conn *gc_prev, *gc_next;
	door_seat_s gc_seat;
	guard_addr_s gc_addr;
	int gc_fd;
	int gc_busy;         /* a response is queued: no request deadline */
	int gc_shut;         /* the guard shut it down */
	int64_t gc_since;    /* monotonic ms it started waiting for a request */
	int64_t gc_deadline; /* by when the request must have arrived, unpressed */
} guard_conn_s;

typedef struct {
	uint64_t gs_refused_full, gs_refused_ip, gs_refused_net;
	uint64_t gs_evicted;          /* shut to seat a newcomer from a smaller network */
	uint64_t gs_deadline_closed;  /* connections shut for missing the deadline */
	uint64_t gs_deadline_pressed; /* of those, before the configured one (a full table) */
	uint64_t gs_peer_closed;      /* shut because the peer had closed its side */
	uint64_t gs_streams_refused;
	uint64_t gs_connections; /* open now */
} guard_stats_s;

guard_s *guard_new(const guard_conf_s *conf);
/* Starts the thread that enforces request deadlines once a second. */
int guard_start(guard_s *g, char *err, size_t errlen);
void guard_free(guard_s *g);

void guard_addr(const struct sockaddr *sa, socklen_t len, guard_addr_s *out);

/* At accept: may a connection from sa be opened? Refusals are counted.
 * At a full table, a connection still waiting for its request from the
 * network holding the most may be shut down (counted) to make room. */
guard_verdict_e guard_admit(guard_s *g, const struct sockaddr *sa, socklen_t len);
/* The accepted connection's life; fd stays the caller's. settled: it has
 * delivered a complete request already (it cannot be evicted). */
void guard_open(guard_s *g, guard_conn_s *gc, const struct sockaddr *sa, socklen_t len, int fd,
                int settled);
void guard_close(guard_s *g, guard_conn_s *gc);
/* Counts a connection from a (delta 1) or stops counting it (-1) without a
 * deadline: for a connection between two owners (the front has handed it
 * to libmicrohttpd, which has not yet reported it started), so that the
 * caps see it all along. */
void guard_hold(guard_s *g, const guard_addr_s *a, int delta);
/* A response was queued (busy) / the exchange completed (the deadline for
 * the next request starts now). */
void guard_busy(guard_s *g, guard_conn_s *gc, int busy);

/* A stream from addr starts: 0, or -1 if the address has its cap of streams.
 * Every 0 is paired with guard_stream_end. */
int guard_stream_begin(guard_s *g, const guard_addr_s *addr);
void guard_stream_end(guard_s *g, const guard_addr_s *addr);

/* Shuts down the connections past their deadline at monotonic time now_ms,
 * and those waiting for a request whose peer has closed its side; how many. (The guard's thread
 * calls this; tests call it directly.) */
int guard_sweep(guard_s *g, int64_t now_ms);

void guard_stats(guard_s *g, guard_stats_s *out);

#endif
