/* house: the ClickHouse backend's table of operations over chdb.h: the connection (chdb.c), each
 * report's SQL (chtables.c, chviews.c, chabuse.c, chexploits.c, chcharts.c) and the fleet's
 * invariants (chcheck.c). */
#include "house.h"

#include "chdb.h"

static void *house_open(const backend_conf_s *conf, char *note, size_t notelen, char *err,
                        size_t errlen)
{
	const chdb_filter_s f = {
	    .cf_since = conf->bc_since == INT64_MIN ? 0 : conf->bc_since, /* times are UInt64 */
	    .cf_until = conf->bc_until,
	    .cf_sensor = conf->bc_sensor,
	    .cf_persona = conf->bc_persona,
	    .cf_tz = conf->bc_tz,
	};

	if (notelen > 0)
		note[0] = '\0';
	return chdb_open(conf->bc_url, conf->bc_database, &f, err, errlen);
}

static void house_close(void *h)
{
	chdb_close(h);
}

#define HOUSE_TABLES(name, fn)                                                                     \
	static int name(void *h, table_s **out, char *err, size_t errlen)                          \
	{                                                                                          \
		return fn(h, out, err, errlen);                                                    \
	}
HOUSE_TABLES(house_summary, chdb_summary)
HOUSE_TABLES(house_countries, chdb_countries)
HOUSE_TABLES(house_referers, chdb_referers)
HOUSE_TABLES(house_credentials, chdb_credentials)
HOUSE_TABLES(house_funnel, chdb_funnel)
HOUSE_TABLES(house_longest, chdb_longest)
HOUSE_TABLES(house_exploits, chdb_exploits)

static int house_abuse(void *h, table_s **out, long long asn, char *err, size_t errlen)
{
	return chdb_abuse(h, out, asn, err, errlen);
}

static int house_views(void *h, table_s **out, int merged, FILE *csv, FILE *json, char *err,
                       size_t errlen)
{
	return chdb_views(h, out, merged, csv, json, err, errlen);
}

static int house_charts(void *h, chart_data_s *d, char *err, size_t errlen)
{
	return chdb_charts(h, d, err, errlen);
}

static int house_xarf(void *h, long long asn, const abuse_reporter_s *rep, FILE *out, char *err,
                      size_t errlen)
{
	return chdb_abuse_xarf(h, asn, rep, out, err, errlen);
}

static int house_check(const backend_conf_s *conf, FILE *out, char *err, size_t errlen)
{
	char note[8];
	chdb_s *c = house_open(conf, note, sizeof(note), err, errlen);
	int rc;

	if (c == NULL)
		return -1;
	rc = chdb_check(c, out, err, errlen);
	chdb_close(c);
	return rc;
}

const backend_ops_s clickhouse_backend = {
    .bo_name = "ClickHouse",
    .bo_open = house_open,
    .bo_close = house_close,
    .bo_summary = house_summary,
    .bo_countries = house_countries,
    .bo_referers = house_referers,
    .bo_credentials = house_credentials,
    .bo_funnel = house_funnel,
    .bo_exploits = house_exploits,
    .bo_longest = house_longest,
    .bo_abuse = house_abuse,
    .bo_views = house_views,
    .bo_charts = house_charts,
    .bo_xarf = house_xarf,
    .bo_check = house_check,
};
