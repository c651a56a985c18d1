/* ship_stage: the ClickHouse shipper, from the clickhouse keys; its
 * figures at exit. */
#include "stage.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

/* The first line of the password file, read before the switch of user (it
 * may be readable by root alone). 0, or -1 with err naming the key. */
int ship_stage_password(daemon_s *dm, char *err, size_t errlen)
{
	const char *path = dm->dm_cfg->cfg_clickhouse_password_file;
	char *out = dm->dm_ch_password;
	FILE *f;

	out[0] = '\0';
	if (path[0] == '\0')
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "clickhouse-password-file: cannot read %.300s: %s", path,
		         strerror(errno));
		return -1;
	}
	if (fgets(out, (int)sizeof(dm->dm_ch_password), f) == NULL)
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

static ship_conf_s ship_conf_from(const config_s *cfg, const char *password)
{
	return (ship_conf_s){
	    .sh_url = cfg->cfg_clickhouse,
	    .sh_database = cfg->cfg_clickhouse_db,
	    .sh_user = cfg->cfg_clickhouse_user,
	    .sh_password = password,
	    .sh_db_path = cfg->cfg_db,
	    .sh_sensor = cfg->cfg_sensor_id,
	    .sh_batch = cfg->cfg_clickhouse_batch,
	    .sh_interval_ms = cfg->cfg_clickhouse_interval * 1000,
	    .sh_flush_ms = 3000,
	};
}

/* The shipper when clickhouse is set; the password is wiped either way. */
int ship_stage_open(daemon_s *dm, char *err, size_t errlen)
{
	const ship_conf_s shc = ship_conf_from(dm->dm_cfg, dm->dm_ch_password);

	if (dm->dm_cfg->cfg_clickhouse[0] != '\0')
		dm->dm_ship = ship_new(&shc, err, errlen);
	memset(dm->dm_ch_password, 0, sizeof(dm->dm_ch_password));
	return dm->dm_cfg->cfg_clickhouse[0] == '\0' || dm->dm_ship != NULL ? 0 : -1;
}

/* After the writer stopped: what it committed last ships now, for a few
 * seconds at most. */
void ship_stage_free(daemon_s *dm)
{
	if (dm->dm_ship != NULL) {
		ship_stats_s sh;
		ship_stop(dm->dm_ship);
		ship_stats(dm->dm_ship, &sh);
		log_info("clickhouse: %llu rows in %llu batches shipped, %llu failed batches, %llu "
		         "rows pending",
		         (unsigned long long)sh.ss_rows, (unsigned long long)sh.ss_batches,
		         (unsigned long long)sh.ss_failed_batches,
		         (unsigned long long)sh.ss_pending);
	}
	ship_free(dm->dm_ship);
	dm->dm_ship = NULL;
}
