/* netaddr: address parsing, CIDR matching, X-Forwarded-For walking. */
#include "netaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

int netaddr_parse_ip(const char *text, size_t len, int *family, uint8_t addr[16])
{
	char buf[64];

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, text, len);
	buf[len] = '\0';
	memset(addr, 0, 16);
	if (inet_pton(AF_INET, buf, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, buf, addr) == 1) {
		if (memcmp(addr, v4mapped, 12) == 0) {
			memmove(addr, addr + 12, 4);
			memset(addr + 4, 0, 12);
			*family = AF_INET;
		} else {
			*family = AF_INET6;
		}
		return 0;
	}
	return -1;
}

int netaddr_truncate(const char *ip, size_t len, int v4_bits, int v6_bits, char *out, size_t cap)
{
	uint8_t addr[16];
	char text[INET6_ADDRSTRLEN];
	int family, bits;

	if (cap > 0)
		out[0] = '\0';
	if (netaddr_parse_ip(ip, len, &family, addr) != 0)
		return -1;
	bits = family == AF_INET ? v4_bits : v6_bits;
	for (int i = 0; i < 16; i++) {
		int keep = bits - 8 * i;
		if (keep <= 0)
			addr[i] = 0;
		else if (keep < 8)
			addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
	if (inet_ntop(family, addr, text, sizeof(text)) == NULL)
		return -1;
	return snprintf(out, cap, "%s/%d", text, bits) < (int)cap ? 0 : -1;
}

int netaddr_parse_cidr(const char *text, netaddr_cidr_s *out)
{
	const char *slash = strchr(text, '/');
	size_t alen = slash != NULL ? (size_t)(slash - text) : strlen(text);
	int max;

	memset(out, 0, sizeof(*out));
	if (netaddr_parse_ip(text, alen, &out->na_family, out->na_addr) != 0)
		return -1;
	max = out->na_family == AF_INET ? 32 : 128;
	out->na_prefix = max;
	if (slash != NULL) {
		char *end;
		long p = strtol(slash + 1, &end, 10);
		if (end == slash + 1 || *end != '\0' || p < 0 || p > max)
			return -1;
		out->na_prefix = (int)p;
	}
	return 0;
}

int netaddr_in_cidrs(int family, const uint8_t addr[16], const netaddr_cidr_s *cidrs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const netaddr_cidr_s *c = &cidrs[i];
		int bits = c->na_prefix, full = bits / 8, rest = bits % 8;
		if (c->na_family != family)
			continue;
		if (memcmp(addr, c->na_addr, (size_t)full) != 0)
			continue;
		if (rest != 0) {
			uint8_t mask = (uint8_t)(0xff << (8 - rest));
			if ((addr[full] & mask) != (c->na_addr[full] & mask))
				continue;
		}
		return 1;
	}
	return 0;
}

void netaddr_format(const struct sockaddr *sa, char *out, size_t cap, uint16_t *port)
{
	out[0] = '\0';
	*port = 0;
	if (sa == NULL)
		return;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &in->sin_addr, out, (socklen_t)cap);
		*port = ntohs(in->sin_port);
	} else if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)sa;
		if (memcmp(&in6->sin6_addr, v4mapped, 12) == 0)
			inet_ntop(AF_INET, (const uint8_t *)&in6->sin6_addr + 12, out,
			          (socklen_t)cap);
		else
			inet_ntop(AF_INET6, &in6->sin6_addr, out, (socklen_t)cap);
		*port = ntohs(in6->sin6_port);
	}
}

int netaddr_xff_client(const char *xff, size_t len, const netaddr_cidr_s *trusted, size_t n,
                       char *out, size_t cap)
{
	size_t end = len;

	while (end > 0) {
		size_t start = end, a, b;
		int family;
		uint8_t addr[16];

		while (start > 0 && xff[start - 1] != ',')
			start--;
		a = start;
		b = end;
		while (a < b && (xff[a] == ' ' || xff[a] == '\t'))
			a++;
		while (b > a && (xff[b - 1] == ' ' || xff[b - 1] == '\t'))
			b--;
		/* A malformed hop cannot be trusted or believed: stop there. */
		if (netaddr_parse_ip(xff + a, b - a, &family, addr) != 0)
			return -1;
		if (!netaddr_in_cidrs(family, addr, trusted, n) || start == 0) {
			if (inet_ntop(family, addr, out, (socklen_t)cap) == NULL)
				return -1;
			return 0;
		}
		end = start - 1;
	}
	return -1;
}

int netaddr_listen(const struct sockaddr *addr, socklen_t addrlen, int backlog, const char *what,
                   char *err, size_t errlen)
{
	char text[64];
	uint16_t port;
	int fd, one = 1;

	netaddr_format(addr, text, sizeof(text), &port);
	fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot create a socket: %s", what, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (addr->sa_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, addr, addrlen) != 0 || listen(fd, backlog) != 0) {
		snprintf(err, errlen, "%s: cannot listen on %s%s%s:%u: %s", what,
		         addr->sa_family == AF_INET6 ? "[" : "", text,
		         addr->sa_family == AF_INET6 ? "]" : "", port, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
