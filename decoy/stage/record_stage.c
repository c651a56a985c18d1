/* record_stage: GeoIP and the event store, from the database keys; the
 * writer's figures at exit. */
#include "stage.h"

#include "log.h"

/* A decoy without countries or autonomous systems still records everything
 * else (one handle holds both). */
static geo_s *geo_from(const config_s *cfg)
{
	geo_s *geo = NULL;
	char err[512];

	if (cfg->cfg_geoip[0] == '\0')
		log_warnx("geoip: no database configured; countries will be NULL");
	else if ((geo = geo_open(cfg->cfg_geoip, err, sizeof(err))) == NULL)
		log_warnx("%s; countries will be NULL", err);
	if (cfg->cfg_geoip_asn[0] == '\0')
		log_warnx("geoip-asn: no database configured; asn and as_org will be NULL");
	else if ((geo != NULL || (geo = geo_empty()) != NULL) &&
	         geo_add_asn(geo, cfg->cfg_geoip_asn, err, sizeof(err)) != 0)
		log_warnx("%s; asn and as_org will be NULL", err);
	return geo;
}

static store_conf_s store_conf_from(const config_s *cfg, const geo_s *geo)
{
	return (store_conf_s){
	    .sc_db_path = cfg->cfg_db,
	    .sc_log_path = cfg->cfg_event_log,
	    .sc_sensor = cfg->cfg_sensor_id,
	    .sc_persona = cfg->cfg_persona->pe_name,
	    .sc_version = CAMDECOY_VERSION,
	    .sc_geoip_type = geo_type(geo),
	    .sc_geoip_build = geo_build_epoch(geo),
	    .sc_geoip_asn_type = geo_asn_type(geo),
	    .sc_geoip_asn_build = geo_asn_build_epoch(geo),
	    .sc_max_mb = cfg->cfg_db_max_mb,
	    .sc_retention_days = cfg->cfg_retention_days,
	    .sc_retention_truncate = cfg->cfg_retention_truncate,
	};
}

/* A database refused (newer, foreign, corrupt) or unopenable is
 * configuration: -1 with err. */
int record_stage_open(daemon_s *dm, char *err, size_t errlen)
{
	dm->dm_geo = geo_from(dm->dm_cfg);
	const store_conf_s sc = store_conf_from(dm->dm_cfg, dm->dm_geo);
	dm->dm_store = store_open(&sc, err, errlen);
	return dm->dm_store != NULL ? 0 : -1;
}

/* Flushes what the server and the matcher queued; the writer's figures. */
void record_stage_stop(daemon_s *dm)
{
	store_stats_s ss;

	if (dm->dm_store == NULL)
		return;
	store_stop(dm->dm_store);
	store_stats(dm->dm_store, &ss);
	log_info("events: %llu written, %llu dropped (%llu shed at db-max-mb or for a failing "
	         "row),"
	         " %llu squeezed, %llu failed batches",
	         (unsigned long long)ss.ss_written, (unsigned long long)ss.ss_dropped,
	         (unsigned long long)ss.ss_shed, (unsigned long long)ss.ss_squeezed,
	         (unsigned long long)ss.ss_write_failures);
}

void record_stage_free(daemon_s *dm)
{
	store_free(dm->dm_store);
	geo_free(dm->dm_geo);
	dm->dm_store = NULL;
	dm->dm_geo = NULL;
}
