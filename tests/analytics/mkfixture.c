/* mkfixture DB SQL SENSOR: a decoy database with the real schema (made by the
 * store's migrations) filled from a SQL file of known rows, for golden tests. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>

#include "store.h"

int main(int argc, char **argv)
{
	char err[512], *sql, *msg = NULL;
	store_conf_s conf = {.sc_log_path = "", .sc_persona = "axis", .sc_version = "fixture"};
	store_s *st;
	sqlite3 *db;
	FILE *f;
	long n;

	if (argc != 4) {
		fprintf(stderr, "usage: mkfixture DB SQL SENSOR\n");
		return 2;
	}
	conf.sc_db_path = argv[1];
	conf.sc_sensor = argv[3];
	if ((st = store_open(&conf, err, sizeof(err))) == NULL) {
		fprintf(stderr, "mkfixture: %s\n", err);
		return 1;
	}
	store_free(st);
	f = fopen(argv[2], "rb");
	if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "mkfixture: cannot read %s\n", argv[2]);
		return 1;
	}
	sql = calloc(1, (size_t)n + 1);
	if (sql == NULL || fread(sql, 1, (size_t)n, f) != (size_t)n)
		return 1;
	fclose(f);
	if (sqlite3_open(argv[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		fprintf(stderr, "mkfixture: %s\n", msg ? msg : sqlite3_errmsg(db));
		return 1;
	}
	sqlite3_close(db);
	free(sql);
	return 0;
}
