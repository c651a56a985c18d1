/* geo: libmaxminddb lookups, reading both the GeoIP2 and the flat country schema. */
#include "geo.h"

#include <maxminddb.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct geo {
	MMDB_s geo_db;
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
	return geo;
}

void geo_free(geo_s *geo)
{
	if (geo == NULL)
		return;
	MMDB_close(&geo->geo_db);
	free(geo);
}

static int entry_code(MMDB_entry_s *entry, char cc[3], const char *const *path)
{
	MMDB_entry_data_s data;

	if (MMDB_aget_value(entry, &data, path) != MMDB_SUCCESS || !data.has_data ||
	    data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size != 2)
		return -1;
	if (!isalpha((unsigned char)data.utf8_string[0]) || !isalpha((unsigned char)data.utf8_string[1]))
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
	if (geo == NULL)
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
	if (geo == NULL)
		return;
	/* MMDB_lookup_string uses getaddrinfo with AI_NUMERICHOST: no DNS. */
	res = MMDB_lookup_string(&geo->geo_db, ip, &gai, &mmdb_err);
	if (gai == 0 && mmdb_err == MMDB_SUCCESS)
		result_code(&res, cc);
}

const char *geo_type(const geo_s *geo)
{
	return geo != NULL ? geo->geo_db.metadata.database_type : NULL;
}

long long geo_build_epoch(const geo_s *geo)
{
	return geo != NULL ? (long long)geo->geo_db.metadata.build_epoch : 0;
}
