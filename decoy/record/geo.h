/* geo: country and autonomous system of an address from MaxMind-format databases (memory-mapped).
 */
#ifndef CAMDECOY_GEO_H
#define CAMDECOY_GEO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

typedef struct geo geo_s;

/* Opens path read-only with mmap. NULL with err filled when the file is
 * missing or not a MaxMind DB; the caller decides whether that is fatal. */
geo_s *geo_open(const char *path, char *err, size_t errlen);
void geo_free(geo_s *geo);
/* A handle without a country database (geo_country gives ""), for an ASN
 * database alone. NULL when out of memory. */
geo_s *geo_empty(void);
/* Adds an ASN database (GeoLite2-ASN's schema: autonomous_system_number,
 * autonomous_system_organization; `make geoip` builds one from
 * ip-location-db). 0, or -1 with err filled. */
int geo_add_asn(geo_s *geo, const char *path, char *err, size_t errlen);

/* An AS organisation is kept up to this many bytes. */
#define GEO_AS_ORG_MAX 128

/* The autonomous system of an address: *asn 0 and org "" when unknown (or
 * no ASN database). */
void geo_asn(const geo_s *geo, const struct sockaddr *sa, uint32_t *asn,
             char org[GEO_AS_ORG_MAX + 1]);
void geo_asn_str(const geo_s *geo, const char *ip, uint32_t *asn, char org[GEO_AS_ORG_MAX + 1]);

/* Writes the ISO 3166 alpha-2 code (upper case) into cc[3]; "" when unknown.
 * Reads GeoIP2/GeoLite2 (country.iso_code, else registered_country.iso_code)
 * and the flat ip-location-db schema (country_code). */
void geo_country(const geo_s *geo, const struct sockaddr *sa, char cc[3]);
void geo_country_str(const geo_s *geo, const char *ip, char cc[3]);

/* Database type and build time (seconds since the epoch), for the meta table. */
const char *geo_type(const geo_s *geo);
long long geo_build_epoch(const geo_s *geo);
/* The same of the ASN database (NULL and 0: none). */
const char *geo_asn_type(const geo_s *geo);
long long geo_asn_build_epoch(const geo_s *geo);

#endif
