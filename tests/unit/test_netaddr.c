/* test_netaddr: CIDR parsing and matching, X-Forwarded-For walking. */
#include <arpa/inet.h>
#include <netinet/in.h>

#include "check.h"
#include "netaddr.h"

static int xff(const char *h, const netaddr_cidr_s *t, size_t n, char *out)
{
	return netaddr_xff_client(h, strlen(h), t, n, out, 64);
}

int main(void)
{
	netaddr_cidr_s c[3];
	char out[64];
	int fam;
	uint8_t a[16];

	CHECK(netaddr_parse_cidr("10.0.0.0/8", &c[0]) == 0 && c[0].na_prefix == 8);
	CHECK(netaddr_parse_cidr("2001:db8::/32", &c[1]) == 0 && c[1].na_family == AF_INET6);
	CHECK(netaddr_parse_cidr("127.0.0.1", &c[2]) == 0 && c[2].na_prefix == 32);
	CHECK(netaddr_parse_cidr("10.0.0.0/33", &c[0]) == -1);
	CHECK(netaddr_parse_cidr("10.0.0.0/", &c[0]) == -1);
	CHECK(netaddr_parse_cidr("example.com/8", &c[0]) == -1);
	CHECK(netaddr_parse_cidr("10.0.0.0/8x", &c[0]) == -1);
	netaddr_parse_cidr("10.0.0.0/8", &c[0]);

	CHECK(netaddr_parse_ip("10.1.2.3", 8, &fam, a) == 0 && netaddr_in_cidrs(fam, a, c, 3));
	CHECK(netaddr_parse_ip("11.1.2.3", 8, &fam, a) == 0 && !netaddr_in_cidrs(fam, a, c, 3));
	CHECK(netaddr_parse_ip("::ffff:10.9.9.9", 15, &fam, a) == 0 && fam == AF_INET &&
	      netaddr_in_cidrs(fam, a, c, 3));
	CHECK(netaddr_parse_ip("2001:db8:1::5", 13, &fam, a) == 0 &&
	      netaddr_in_cidrs(fam, a, c, 3));
	CHECK(netaddr_parse_ip("2001:db9::5", 11, &fam, a) == 0 && !netaddr_in_cidrs(fam, a, c, 3));
	CHECK(netaddr_parse_ip("1.2.3.4 ", 8, &fam, a) == -1);

	/* networks: retention (/24, /48) and budgets (/24, /64) */
	CHECK(netaddr_truncate("203.0.113.77", 12, 24, 48, out, sizeof(out)) == 0 &&
	      strcmp(out, "203.0.113.0/24") == 0);
	CHECK(netaddr_truncate("2001:db8:1:2:3::9", 17, 24, 48, out, sizeof(out)) == 0 &&
	      strcmp(out, "2001:db8:1::/48") == 0);
	CHECK(netaddr_truncate("2001:db8:1:2:3::9", 17, 24, 64, out, sizeof(out)) == 0 &&
	      strcmp(out, "2001:db8:1:2::/64") == 0);
	CHECK(netaddr_truncate("::ffff:198.51.100.9", 19, 24, 64, out, sizeof(out)) == 0 &&
	      strcmp(out, "198.51.100.0/24") == 0);
	CHECK(netaddr_truncate("10.1.2.3", 8, 20, 48, out, sizeof(out)) == 0 &&
	      strcmp(out, "10.1.0.0/20") == 0);
	CHECK(netaddr_truncate("203.0.113.0/24", 14, 24, 48, out, sizeof(out)) == -1 &&
	      out[0] == '\0');
	CHECK(netaddr_truncate("203.0.113.77", 12, 24, 48, out, 8) == -1);

	/* right-most untrusted hop wins; trusted hops are skipped */
	CHECK(xff("198.51.100.7", c, 3, out) == 0 && strcmp(out, "198.51.100.7") == 0);
	CHECK(xff("6.6.6.6, 198.51.100.7, 10.0.0.2", c, 3, out) == 0 &&
	      strcmp(out, "198.51.100.7") == 0);
	CHECK(xff(" 198.51.100.7 ,10.0.0.2 ", c, 3, out) == 0 && strcmp(out, "198.51.100.7") == 0);
	/* spoofed left part is ignored even if it looks trusted */
	CHECK(xff("10.0.0.5, 203.0.113.9", c, 3, out) == 0 && strcmp(out, "203.0.113.9") == 0);
	/* all trusted: the left-most */
	CHECK(xff("10.0.0.5, 10.0.0.6", c, 3, out) == 0 && strcmp(out, "10.0.0.5") == 0);
	CHECK(xff("garbage", c, 3, out) == -1);
	CHECK(xff("198.51.100.7, garbage", c, 3, out) == -1);
	CHECK(xff("", c, 3, out) == -1);
	CHECK(xff(",,,", c, 3, out) == -1);
	CHECK(xff("::ffff:198.51.100.7", c, 3, out) == 0 && strcmp(out, "198.51.100.7") == 0);

	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6, .sin6_port = htons(8080)};
	uint16_t port;
	inet_pton(AF_INET6, "::ffff:192.0.2.1", &s6.sin6_addr);
	netaddr_format((struct sockaddr *)&s6, out, sizeof(out), &port);
	CHECK_STR(out, "192.0.2.1");
	CHECK(port == 8080);
	return check_report();
}
