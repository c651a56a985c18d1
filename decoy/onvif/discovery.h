/* discovery: WS-Discovery on UDP 3702, off by default: Probes recorded, and
 * (answer) one ProbeMatch to the unicast sender, bounded so that the decoy
 * can never be used as an amplifier. */
#ifndef CAMDECOY_DISCOVERY_H
#define CAMDECOY_DISCOVERY_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "persona.h"
#include "soap.h"

typedef enum { DISCOVERY_OFF, DISCOVERY_RECORD, DISCOVERY_ANSWER } discovery_mode_e;

/* Bytes received from and sent to an address are counted over this window;
 * an answer goes out only while sent + answer <= received. */
#define DISCOVERY_WINDOW_MS 60000
/* At most one answer per address per this. */
#define DISCOVERY_ADDR_GAP_MS 1000
/* Answers per second from the whole decoy (and its burst). */
#define DISCOVERY_GLOBAL_PER_S 20
/* Addresses tracked at once; a full table forgets the oldest window (its
 * counts start again from zero: received bytes too, so no budget is made). */
#define DISCOVERY_ADDRS 4096
/* Larger datagrams are recorded, never answered. */
#define DISCOVERY_DGRAM_MAX 8192
#define DISCOVERY_GROUP     "239.255.255.250"

/* ---- the pure parts, for tests ---- */

typedef struct discovery_limit discovery_limit_s;

discovery_limit_s *discovery_limit_new(void);
void discovery_limit_free(discovery_limit_s *l);
/* n bytes came from addr (family 4 or 6, 16 bytes) at now_ms. */
void discovery_limit_received(discovery_limit_s *l, int family, const uint8_t addr[16], size_t n,
                              int64_t now_ms);
/* 1 when an answer of n bytes may go to addr now (then it is counted), else 0. */
int discovery_limit_take(discovery_limit_s *l, int family, const uint8_t addr[16], size_t n,
                         int64_t now_ms);

/* 1 when a probe's Types ask for what the camera is (none, a
 * NetworkVideoTransmitter, or a Device). */
int discovery_wanted(const soap_probe_s *p);

/* The ProbeMatch answering p, naming http://host[:port] (host escaped), with
 * message_id as its own MessageID: its length, 0 when it does not fit in cap. */
size_t discovery_match(const persona_onvif_s *po, const soap_probe_s *p, const char *host,
                       unsigned port, const char *message_id, char *buf, size_t cap);

/* ---- the listener ---- */

typedef struct {
	const struct sockaddr *di_addr;   /* the sender */
	const char *di_types, *di_scopes; /* bounded, raw; "" when none or not a Probe */
	size_t di_types_len, di_scopes_len;
	int di_probe;       /* it was a Probe */
	unsigned di_status; /* 200: a ProbeMatch went out; 0: none */
	size_t di_bytes;    /* the datagram's size */
} discovery_info_s;

typedef struct {
	discovery_mode_e dc_mode;
	int dc_multicast; /* join DISCOVERY_GROUP (LAN deployments only) */
	const persona_s *dc_pe;
	unsigned dc_http_port; /* what the XAddrs name */
	/* Records each datagram (on the discovery thread); NULL: not recorded. */
	void (*dc_record)(void *arg, const discovery_info_s *di);
	void *dc_arg;
} discovery_conf_s;

typedef struct {
	uint64_t ds_datagrams, ds_probes, ds_answered;
	uint64_t ds_limited; /* Probes not answered: byte budget, per-address gap or global rate */
	uint64_t ds_bytes_in, ds_bytes_out;
} discovery_stats_s;

typedef struct discovery discovery_s;

/* Binds addr (UDP) now; with dc_multicast, the wildcard address of addr's
 * port and the group. conf is borrowed. NULL with err filled. */
discovery_s *discovery_new(const struct sockaddr *addr, socklen_t addrlen,
                           const discovery_conf_s *conf, char *err, size_t errlen);
int discovery_start(discovery_s *d, char *err, size_t errlen);
void discovery_stats(discovery_s *d, discovery_stats_s *out);
void discovery_free(discovery_s *d);

#endif
