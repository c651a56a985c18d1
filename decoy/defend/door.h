/* door: who gets a place when a door's table is full, and how long a place
 * may be kept under pressure; one policy for the HTTP, Telnet and RTSP doors.
 *
 * A table has a number of places and caps per address and per network (/24
 * or /64). When it is full, a newcomer whose network holds fewer places
 * takes the place of the oldest waiting seat (one that has not sent a
 * complete request) of the network holding the most, provided that leaves
 * the table fairer (the newcomer's network then holds fewer than the
 * victim's held): one network's sockets cannot keep another network out,
 * and holders of equal share cannot evict each other in turn. Waiting
 * limits (request deadlines, idle and lifetime limits) shrink as the table
 * fills, as Apache's event MPM and nginx cut idle keep-alive connections
 * when they run short of them.
 *
 * Pure bookkeeping over seats the caller embeds in its own connection
 * state: no sockets, no clock, no lock (the caller serializes). */
#ifndef CAMDECOY_DOOR_H
#define CAMDECOY_DOOR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An address as a door counts it: IPv4-mapped IPv6 is IPv4. */
typedef struct {
	uint8_t da_family; /* 4 or 6; 0 for anything else (counted in the table only) */
	uint8_t da_addr[16];
} door_addr_s;

void door_addr(const struct sockaddr *sa, socklen_t len, door_addr_s *out);

typedef struct door door_s;
struct door_key;

typedef enum {
	DOOR_OUT = 0, /* not in the table (never seated, left, or evicted) */
	DOOR_WAITING, /* no complete request yet: may be evicted */
	DOOR_SETTLED, /* has sent a complete request */
} door_state_e;

/* One seat, embedded in the caller's connection state; it must not move
 * while seated. Zeroed (DOOR_OUT) before door_sit. */
typedef struct door_seat {
	struct door_seat *ds_prev, *ds_next; /* its network's waiting seats, oldest first */
	struct door_key *ds_ip, *ds_net;     /* NULL: not counted (out of memory, family 0) */
	int64_t ds_since;                    /* when it was seated */
	door_state_e ds_state;
} door_seat_s;

typedef struct {
	int dc_places; /* the table's size */
	int dc_per_ip;
	int dc_per_net;
} door_conf_s;

typedef enum {
	DOOR_OK = 0,
	DOOR_EVICT, /* admitted in place of *victim, which has left the table */
	DOOR_FULL,
	DOOR_PER_IP,
	DOOR_PER_NET,
} door_verdict_e;

typedef struct {
	uint64_t dst_admitted;
	uint64_t dst_evicted; /* places taken from the network holding the most */
	uint64_t dst_refused_full, dst_refused_ip, dst_refused_net;
} door_stats_s;

door_s *door_new(const door_conf_s *conf);
void door_free(door_s *d);

/* May a newcomer from a take a place? DOOR_OK, DOOR_EVICT (then *victim,
 * the caller's seat, is out of the table already: the caller ends that
 * connection), or a refusal. Every verdict is counted. An admitted
 * newcomer is seated with door_sit. */
door_verdict_e door_admit(door_s *d, const door_addr_s *a, door_seat_s **victim);
/* Seats s (from a, at now) in the table, waiting or settled. Out of memory
 * for a new address: seated, counted in the table only. */
void door_sit(door_s *d, door_seat_s *s, const door_addr_s *a, int64_t now, int settled);
/* A complete request arrived: s can no longer be evicted. */
void door_settle(door_s *d, door_seat_s *s);
/* Gives the place back; a seat that is out (evicted) is left alone. */
void door_leave(door_s *d, door_seat_s *s);
/* A place counted without a seat (delta 1) or given back (-1): for a
 * connection between two owners. */
void door_hold(door_s *d, const door_addr_s *a, int delta);

/* A waiting limit of full_ms under the table's pressure: full_ms while at
 * most half the places are used, then shrinking linearly to floor_ms (or
 * full_ms if smaller) when the table is full. */
int64_t door_limit(const door_s *d, int64_t full_ms, int64_t floor_ms);

/* Places used now. */
size_t door_used(const door_s *d);
void door_stats(const door_s *d, door_stats_s *out);

#endif
