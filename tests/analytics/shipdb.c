/* shipdb DB URL DATABASE: ships one database to ClickHouse with the decoy's
 * own shipper (one round until caught up), so that a report fixture can be
 * read by both backends. Exit 0 when everything was acknowledged. */
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "ship.h"

int main(int argc, char **argv)
{
	char err[512], sensor[128] = "";
	sqlite3 *db;
	sqlite3_stmt *q;

	if (argc != 4) {
		fprintf(stderr, "usage: shipdb DB URL DATABASE\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[1], &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'sensor'", -1, &q, NULL) !=
	        SQLITE_OK) {
		fprintf(stderr, "shipdb: cannot read %s\n", argv[1]);
		return 1;
	}
	if (sqlite3_step(q) == SQLITE_ROW && sqlite3_column_text(q, 0) != NULL)
		snprintf(sensor, sizeof(sensor), "%s", (const char *)sqlite3_column_text(q, 0));
	sqlite3_finalize(q);
	sqlite3_close(db);
	const ship_conf_s conf = {
	    .sh_url = argv[2],
	    .sh_database = argv[3],
	    .sh_db_path = argv[1],
	    .sh_sensor = sensor,
	    .sh_batch = 20000, /* the decoy's default */
	    .sh_interval_ms = 1000,
	    .sh_flush_ms = 1000,
	};
	ship_s *s = ship_new(&conf, err, sizeof(err));
	if (s == NULL) {
		fprintf(stderr, "shipdb: %s\n", err);
		return 1;
	}
	int rc = ship_round(s, clock_mono_ms() + 60000);
	ship_free(s);
	return rc == 0 ? 0 : 1;
}
