/* telnet: a login trap that records every username/password pair and never grants a shell. */
#ifndef CAMDECOY_TELNET_H
#define CAMDECOY_TELNET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "geo.h"
#include "login.h"

#define TELNET_LINE_MAX 128

/* The protocol part, without sockets (fuzzed on its own). */
typedef struct {
	int tp_state; /* data, IAC, IAC+verb, subnegotiation, SB+IAC */
	uint8_t tp_verb;
	size_t tp_sb_len;
	int tp_cr; /* the previous byte was CR */
	char tp_line[TELNET_LINE_MAX + 1];
	size_t tp_len;   /* stored */
	size_t tp_orig;  /* received, before bounding */
	size_t tp_shown; /* on the line editor's line (echoed when echoing): at most 1022 */
	uint64_t
	    tp_typed; /* characters typed (not NUL, not option noise): what keeps a session alive */
} telnet_parser_s;

/* Consumes bytes from in until a line is complete (returns 1, *consumed
 * bytes used, the line in tp_line/tp_len) or the input ends (returns 0).
 * Like BusyBox's line editor, a line takes 1022 characters: the rest are
 * neither echoed nor on the line (tp_orig still counts them).
 * Negotiation answers (refusing every option but ECHO and SGA, which we
 * offered) and echo of typed characters (when echo is set) are appended to
 * out, at most cap bytes in all. Call telnet_line_reset after using a line. */
int telnet_parse(telnet_parser_s *p, const uint8_t *in, size_t n, size_t *consumed, int echo,
                 uint8_t *out, size_t cap, size_t *outlen);
void telnet_line_reset(telnet_parser_s *p);

typedef struct telnet telnet_s;

typedef struct {
	uint64_t ts_sessions; /* accepted */
	uint64_t ts_refused_full, ts_refused_ip, ts_refused_net;
	uint64_t ts_refused_rate; /* its network connected too fast */
	uint64_t ts_evicted;      /* ended for a newcomer from a network holding fewer */
	uint64_t ts_ended_idle, ts_ended_lifetime;
	uint64_t ts_ended_early;       /* of those, by a limit shortened at a full table */
	uint64_t ts_refusals_recorded; /* refusals and evictions handed to the store */
} telnet_stats_s;

void telnet_stats(telnet_s *t, telnet_stats_s *out);

/* Binds addr now (so that privileges can be dropped after start-up), serves
 * from its own thread after telnet_start. banner is the persona's login
 * prompt ("192.0.0.64 login: "). ctx and geo are borrowed; refused connections are rows in ctx's
 * store. A session ends after idle_s without a typed character and after lifetime_s in any case
 * (both shorter as the session table fills). */
telnet_s *telnet_new(const struct sockaddr *addr, socklen_t addrlen, const char *banner, int idle_s,
                     int lifetime_s, const login_ctx_s *ctx, const geo_s *geo, char *err,
                     size_t errlen);
int telnet_start(telnet_s *t, char *err, size_t errlen);
/* Ends every session and the thread; the stats stay readable until telnet_free. */
void telnet_stop(telnet_s *t);
void telnet_free(telnet_s *t);

#endif
