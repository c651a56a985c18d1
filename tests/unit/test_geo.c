/* test_geo: both database schemas give the right country, the ASN database the right AS; missing
 * files are errors. */
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
	CHECK(geo_open("/nonexistent.mmdb", err, sizeof(err)) == NULL &&
	      strstr(err, "nonexistent") != NULL);
	snprintf(path, sizeof(path), "%s/not-a-db.mmdb", dir);
	FILE *f = fopen(path, "w");
	fputs("garbage", f);
	fclose(f);
	CHECK(geo_open(path, err, sizeof(err)) == NULL);
	geo_country_str(NULL, "1.2.3.4", cc); /* no database: unknown */
	CHECK_STR(cc, "");

	/* autonomous systems, with and without a country database */
	{
		char org[GEO_AS_ORG_MAX + 1];
		uint32_t asn = 1;
		geo_s *e = geo_empty();
		snprintf(path, sizeof(path), "%s/test-asn.mmdb", dir);
		CHECK(e != NULL && geo_add_asn(e, path, err, sizeof(err)) == 0);
		geo_asn_str(e, "8.8.8.8", &asn, org);
		CHECK(asn == 15169);
		CHECK_STR(org, "GOOGLE");
		geo_asn_str(e, "127.0.1.9", &asn, org);
		CHECK(asn == 64497);
		CHECK_STR(org, "Second \"Test\" AS, Inc.");
		struct sockaddr_in6 s6 = {.sin6_family = AF_INET6};
		inet_pton(AF_INET6, "2001:db8::5", &s6.sin6_addr);
		geo_asn(e, (struct sockaddr *)&s6, &asn, org);
		CHECK(asn == 64502);
		geo_asn_str(e, "192.0.2.1", &asn, org); /* not in it */
		CHECK(asn == 0 && org[0] == '\0');
		geo_country_str(e, "8.8.8.8", cc); /* no country database in this handle */
		CHECK_STR(cc, "");
		CHECK(geo_type(e) == NULL && geo_asn_type(e) != NULL && geo_asn_build_epoch(e) > 0);
		CHECK(geo_add_asn(e, "/nonexistent.mmdb", err, sizeof(err)) == -1 &&
		      strstr(err, "geoip-asn") != NULL);
		geo_asn_str(e, "8.8.8.8", &asn, org); /* the failed one replaced it: none now */
		CHECK(asn == 0);
		geo_free(e);
		geo_asn_str(NULL, "8.8.8.8", &asn, org);
		CHECK(asn == 0 && org[0] == '\0');
	}
	return check_report();
}
