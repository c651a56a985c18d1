/* identity: who is at the other end of a request, a session or an event, bound once: the
 * address, the port, the country and the autonomous system. */
#ifndef CAMDECOY_IDENTITY_H
#define CAMDECOY_IDENTITY_H

#include <stdint.h>
#include <sys/socket.h>

#include "geo.h"

/* An address as text (INET6_ADDRSTRLEN). */
#define IDENTITY_IP_MAX 46

typedef struct {
	char id_ip[IDENTITY_IP_MAX];        /* the client (after trusted-proxy resolution) */
	char id_peer_ip[IDENTITY_IP_MAX];   /* the TCP peer when the client came from
	                                       X-Forwarded-For (a trusted proxy), else "" */
	uint16_t id_port;                   /* 0 when the client came from X-Forwarded-For */
	char id_country[3];                 /* ISO 3166 alpha-2, "" unknown */
	uint32_t id_asn;                    /* autonomous system, 0 unknown */
	char id_as_org[GEO_AS_ORG_MAX + 1]; /* its organisation, "" unknown */
} identity_s;

/* The peer at sa: its address and port as text, its country and autonomous
 * system (geo NULL: unknown), no proxy. */
void identity_from(identity_s *id, const geo_s *geo, const struct sockaddr *sa);
/* The client a trusted proxy named (client: an address as text): the
 * peer's address moves to id_peer_ip, the client's takes its place with its
 * own country and autonomous system, and the port (the proxy's) becomes 0. */
void identity_forwarded(identity_s *id, const geo_s *geo, const char *client);

#endif
