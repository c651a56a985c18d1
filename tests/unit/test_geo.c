/* test_geo: both database schemas give the right country; missing files are errors. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>

#include "check.h"
#include "geo.h"

static void both(const char *path)
{
	char err[256], cc[3];
	geo_s *g = geo_open(path, err, sizeof(err));

	CHECK(g != NULL);
	if (g == NULL) {
		fprintf(stderr, "  %s\n", err);
		return;
	}
	geo_country_str(g, "198.51.100.7", cc);
	CHECK_STR(cc, "JP");
	geo_country_str(g, "203.0.113.200", cc);
	CHECK_STR(cc, "DE");
	geo_country_str(g, "2001:db8::1", cc);
	CHECK_STR(cc, "FR");
	geo_country_str(g, "127.0.0.1", cc);
	CHECK_STR(cc, "NL");
	geo_country_str(g, "8.8.8.8", cc);
	CHECK_STR(cc, "");
	geo_country_str(g, "not an address", cc);
	CHECK_STR(cc, "");
	geo_country_str(g, "example.com", cc); /* never resolved */
	CHECK_STR(cc, "");

	struct sockaddr_in sin = {.sin_family = AF_INET};
	inet_pton(AF_INET, "192.0.2.44", &sin.sin_addr);
	geo_country(g, (struct sockaddr *)&sin, cc);
	CHECK_STR(cc, "US");
	struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
	inet_pton(AF_INET6, "::ffff:198.51.100.1", &s6.sin6_addr);
	geo_country(g, (struct sockaddr *)&s6, cc);
	CHECK_STR(cc, "JP");
	CHECK(geo_type(g) != NULL && geo_build_epoch(g) > 0);
	geo_free(g);
}

int main(void)
{
	const char *dir = getenv("CAMDECOY_TESTDATA");
	char path[512], err[256], cc[3] = "XX";

	CHECK(dir != NULL);
	if (dir == NULL)
		return check_report();
	snprintf(path, sizeof(path), "%s/test-geoip2.mmdb", dir);
	both(path);
	snprintf(path, sizeof(path), "%s/test-flat.mmdb", dir);
	both(path);
	CHECK(geo_open("/nonexistent.mmdb", err, sizeof(err)) == NULL && strstr(err, "nonexistent") != NULL);
	snprintf(path, sizeof(path), "%s/not-a-db.mmdb", dir);
	FILE *f = fopen(path, "w");
	fputs("garbage", f);
	fclose(f);
	CHECK(geo_open(path, err, sizeof(err)) == NULL);
	geo_country_str(NULL, "1.2.3.4", cc); /* no database: unknown */
	CHECK_STR(cc, "");
	return check_report();
}
