/* geo: country of an address from a MaxMind-format database (memory-mapped). */
#ifndef CAMDECOY_GEO_H
#define CAMDECOY_GEO_H

#include <stddef.h>
#include <sys/socket.h>

typedef struct geo geo_s;

/* Opens path read-only with mmap. NULL with err filled when the file is
 * missing or not a MaxMind DB; the caller decides whether that is fatal. */
geo_s *geo_open(const char *path, char *err, size_t errlen);
void geo_free(geo_s *geo);

/* Writes the ISO 3166 alpha-2 code (upper case) into cc[3]; "" when unknown.
 * Reads GeoIP2/GeoLite2 (country.iso_code, else registered_country.iso_code)
 * and the flat ip-location-db schema (country_code). */
void geo_country(const geo_s *geo, const struct sockaddr *sa, char cc[3]);
void geo_country_str(const geo_s *geo, const char *ip, char cc[3]);

/* Database type and build time (seconds since the epoch), for the meta table. */
const char *geo_type(const geo_s *geo);
long long geo_build_epoch(const geo_s *geo);

#endif
