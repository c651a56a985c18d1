/* geo: libmaxminddb lookups, reading both the GeoIP2 and the flat country schema. */
#include "geo.h"

#include <maxminddb.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct geo {
	MMDB_s geo_db;
	int geo_has_country;
	MMDB_s geo_asn_db;
	int geo_has_asn;
};

geo_s *geo_open(const char *path, char *err, size_t errlen)
{
	geo_s *geo = calloc(1, sizeof(*geo));
	int rc;

	if (geo == NULL) {
		snprintf(err, errlen, "geoip: out of memory");
		return NULL;
	}
	rc = MMDB_open(path, MMDB_MODE_MMAP, &geo->geo_db);
	if (rc != MMDB_SUCCESS) {
		snprintf(err, errlen, "geoip: cannot use %s: %s", path, MMDB_strerror(rc));
		free(geo);
		return NULL;
	}
	geo->geo_has_country = 1;
	return geo;
}

geo_s *geo_empty(void)
{
	return calloc(1, sizeof(geo_s));
}

int geo_add_asn(geo_s *geo, const char *path, char *err, size_t errlen)
{
	int rc;

	if (geo->geo_has_asn) {
		MMDB_close(&geo->geo_asn_db);
		geo->geo_has_asn = 0;
	}
	rc = MMDB_open(path, MMDB_MODE_MMAP, &geo->geo_asn_db);
	if (rc != MMDB_SUCCESS) {
		snprintf(err, errlen, "geoip-asn: cannot use %s: %s", path, MMDB_strerror(rc));
		return -1;
	}
	geo->geo_has_asn = 1;
	return 0;
}

void geo_free(geo_s *geo)
{
	if (geo == NULL)
		return;
	if (geo->geo_has_country)
		MMDB_close(&geo->geo_db);
	if (geo->geo_has_asn)
		MMDB_close(&geo->geo_asn_db);
	free(geo);
}

static int entry_code(MMDB_entry_s *entry, char cc[3], const char *const *path)
{
	MMDB_entry_data_s data;

	if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
	    data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size != 2)
		return -1;
	if (!isalpha((unsigned char)data.utf8_string[0]) ||
	    !isalpha((unsigned char)data.utf8_string[1]))
		return -1;
	cc[0] = (char)toupper((unsigned char)data.utf8_string[0]);
	cc[1] = (char)toupper((unsigned char)data.utf8_string[1]);
	cc[2] = '\0';
	return 0;
}

static void result_code(MMDB_lookup_result_s *res, char cc[3])
{
	static const char *const geoip2[] = {"country", "iso_code", NULL};
	static const char *const registered[] = {"registered_country", "iso_code", NULL};
	static const char *const flat[] = {"country_code", NULL};

	cc[0] = '\0';
	if (!res->found_entry)
		return;
	if (entry_code(&res->entry, cc, geoip2) == 0 || entry_code(&res->entry, cc, flat) == 0 ||
	    entry_code(&res->entry, cc, registered) == 0)
		return;
	cc[0] = '\0';
}

void geo_country(const geo_s *geo, const struct sockaddr *sa, char cc[3])
{
	MMDB_lookup_result_s res;
	int mmdb_err = 0;

	cc[0] = '\0';
	if (geo == NULL || !geo->geo_has_country)
		return;
	res = MMDB_lookup_sockaddr(&geo->geo_db, sa, &mmdb_err);
	if (mmdb_err == MMDB_SUCCESS)
		result_code(&res, cc);
}

void geo_country_str(const geo_s *geo, const char *ip, char cc[3])
{
	MMDB_lookup_result_s res;
	int gai = 0, mmdb_err = 0;

	cc[0] = '\0';
	if (geo == NULL || !geo->geo_has_country)
		return;
	/* MMDB_lookup_string uses getaddrinfo with AI_NUMERICHOST: no DNS. */
	res = MMDB_lookup_string(&geo->geo_db, ip, &gai, &mmdb_err);
	if (gai == 0 && mmdb_err == MMDB_SUCCESS)
		result_code(&res, cc);
}

/* The number, and the organisation as the database spells it, bounded;
 * control bytes become spaces (a database is data too). */
static void result_asn(MMDB_lookup_result_s *res, uint32_t *asn, char org[GEO_AS_ORG_MAX + 1])
{
	static const char *const num[] = {"autonomous_system_number", NULL};
	static const char *const name[] = {"autonomous_system_organization", NULL};
	MMDB_entry_data_s data;

	*asn = 0;
	org[0] = '\0';
	if (!res->found_entry)
		return;
	if (MMDB_aget_value(&res->entry, &data, num) == MMDB_SUCCESS && data.has_data) {
		if (data.type == MMDB_DATA_TYPE_UINT32)
			*asn = data.uint32;
		else if (data.type == MMDB_DATA_TYPE_UINT16)
			*asn = data.uint16;
		else if (data.type == MMDB_DATA_TYPE_UINT64 && data.uint64 <= UINT32_MAX)
			*asn = (uint32_t)data.uint64;
	}
	if (MMDB_aget_value(&res->entry, &data, name) == MMDB_SUCCESS && data.has_data &&
	    data.type == MMDB_DATA_TYPE_UTF8_STRING) {
		size_t n = data.data_size < GEO_AS_ORG_MAX ? data.data_size : GEO_AS_ORG_MAX;
		/* cut on a character boundary */
		while (n > 0 && n < data.data_size &&
		       ((unsigned char)data.utf8_string[n] & 0xc0) == 0x80)
			n--;
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)data.utf8_string[i];
			org[i] = c < 0x20 || c == 0x7f ? ' ' : (char)c;
		}
		org[n] = '\0';
	}
}

void geo_asn(const geo_s *geo, const struct sockaddr *sa, uint32_t *asn,
             char org[GEO_AS_ORG_MAX + 1])
{
	MMDB_lookup_result_s res;
	int mmdb_err = 0;

	*asn = 0;
	org[0] = '\0';
	if (geo == NULL || !geo->geo_has_asn)
		return;
	res = MMDB_lookup_sockaddr(&geo->geo_asn_db, sa, &mmdb_err);
	if (mmdb_err == MMDB_SUCCESS)
		result_asn(&res, asn, org);
}

void geo_asn_str(const geo_s *geo, const char *ip, uint32_t *asn, char org[GEO_AS_ORG_MAX + 1])
{
	MMDB_lookup_result_s res;
	int gai = 0, mmdb_err = 0;

	*asn = 0;
	org[0] = '\0';
	if (geo == NULL || !geo->geo_has_asn)
		return;
	res = MMDB_lookup_string(&geo->geo_asn_db, ip, &gai, &mmdb_err);
	if (gai == 0 && mmdb_err == MMDB_SUCCESS)
		result_asn(&res, asn, org);
}

const char *geo_type(const geo_s *geo)
{
	return geo != NULL && geo->geo_has_country ? geo->geo_db.metadata.database_type : NULL;
}

long long geo_build_epoch(const geo_s *geo)
{
	return geo != NULL && geo->geo_has_country ? (long long)geo->geo_db.metadata.build_epoch
	                                           : 0;
}

const char *geo_asn_type(const geo_s *geo)
{
	return geo != NULL && geo->geo_has_asn ? geo->geo_asn_db.metadata.database_type : NULL;
}

long long geo_asn_build_epoch(const geo_s *geo)
{
	return geo != NULL && geo->geo_has_asn ? (long long)geo->geo_asn_db.metadata.build_epoch
	                                       : 0;
}
