/* netaddr: CIDR lists, X-Forwarded-For resolution and listening sockets; never DNS. */
#ifndef CAMDECOY_NETADDR_H
#define CAMDECOY_NETADDR_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct {
	int na_family; /* AF_INET or AF_INET6 */
	uint8_t na_addr[16];
	int na_prefix;
} netaddr_cidr_s;

/* "192.0.2.0/24", "2001:db8::/32", or a single address. 0, or -1 if invalid. */
/* The network an address text belongs to, as "a.b.c.0/24" or
 * "2001:db8::/48" (v4_bits, v6_bits: the prefix kept). 0, or -1 if ip is not
 * an address or out is too small. */
int netaddr_truncate(const char *ip, size_t len, int v4_bits, int v6_bits, char *out, size_t cap);

int netaddr_parse_cidr(const char *text, netaddr_cidr_s *out);

/* Parses a numeric IPv4 or IPv6 address (IPv4-mapped IPv6 becomes IPv4). */
int netaddr_parse_ip(const char *text, size_t len, int *family, uint8_t addr[16]);

int netaddr_in_cidrs(int family, const uint8_t addr[16], const netaddr_cidr_s *cidrs, size_t n);

/* Formats a socket address as text (IPv4-mapped IPv6 as IPv4); port out. */
void netaddr_format(const struct sockaddr *sa, char *out, size_t cap, uint16_t *port);

/* The client behind trusted proxies: walks X-Forwarded-For from the right,
 * skipping trusted hops; the first untrusted address is the client. Writes
 * it (normalised) to out and returns 0; -1 when the header holds no usable
 * address (the caller keeps the peer). */
int netaddr_xff_client(const char *xff, size_t len, const netaddr_cidr_s *trusted, size_t n,
                       char *out, size_t cap);

/* A non-blocking listening TCP socket on addr (IPv6 sockets are IPv6 only:
 * exactly what was configured). The descriptor, or -1 with err naming what
 * (a label such as "listen" or "telnet") failed. */
int netaddr_listen(const struct sockaddr *addr, socklen_t addrlen, int backlog, const char *what,
                   char *err, size_t errlen);

#endif
