/* main: the camdecoy daemon as a list of stages (decoy/stage/): configure,
 * open as root, drop privileges, start, wait for a signal, stop in reverse. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "soap.h"
#include "stage.h"

/* Flags, file and the switches that end at once: -1 to go on, else the
 * exit status. */
static int configure(config_s *cfg, int argc, char **argv)
{
	char err[512];

	if (config_parse_args(cfg, argc, argv, err, sizeof(err)) != 0) {
		fprintf(stderr, "camdecoy: %s\n", err);
		return 2;
	}
	if (cfg->cfg_help) {
		config_usage(stdout);
		return 0;
	}
	if (cfg->cfg_version) {
		printf("camdecoy %s\n", CAMDECOY_VERSION);
		return 0;
	}
	log_set_verbose(cfg->cfg_verbose);
	return -1;
}

/* What is still configuration (exit status 2 when refused): the picture,
 * root, the password file and the database. -1 to go on, else the status. */
static int prepare(daemon_s *dm, char *err, size_t errlen)
{
	config_s *cfg = dm->dm_cfg;

	process_set_zone(cfg->cfg_timezone);
	if ((dm->dm_cam = camera_stage_open(cfg, err, errlen)) == NULL)
		return 2;
	if (cfg->cfg_check_only) {
		printf("configuration OK\n");
		return 0;
	}
	if (process_refuse_root(cfg, err, errlen) != 0 || ship_stage_password(dm, err, errlen) != 0)
		return 2;
	process_raise_nofile(cfg->cfg_max_connections);
	process_default_sensor(cfg);
	if (record_stage_open(dm, err, errlen) != 0)
		return 2;
	return -1;
}

/* Every stage created and bound, as root; then nothing needs root. */
static int open_stages(daemon_s *dm, char *err, size_t errlen)
{
	if (login_stage_open(dm, err, errlen) != 0 || ship_stage_open(dm, err, errlen) != 0 ||
	    hub_stage_open(dm, err, errlen) != 0)
		return -1;
	soap_init(); /* libxml2's global state, before any request thread parses */
	dm->dm_srv = http_new(dm->dm_cfg, dm->dm_hub, dm->dm_cam, dm->dm_store, dm->dm_geo,
	                      &dm->dm_login, err, errlen);
	if (dm->dm_srv == NULL || door_stage_open(dm, err, errlen) != 0)
		return -1;
	return process_drop_privileges(dm->dm_cfg->cfg_user, err, errlen);
}

static int start_stages(daemon_s *dm, char *err, size_t errlen)
{
	store_set_counters(dm->dm_store, daemon_counters, dm);
	if (store_start(dm->dm_store, err, errlen) != 0 ||
	    matcher_start(dm->dm_matcher, err, errlen) != 0 ||
	    hub_start(dm->dm_hub, err, errlen) != 0 || http_start(dm->dm_srv, err, errlen) != 0 ||
	    door_stage_start(dm, err, errlen) != 0 ||
	    (dm->dm_ship != NULL && ship_start(dm->dm_ship, err, errlen) != 0))
		return -1;
	return 0;
}

static void log_serving(const daemon_s *dm)
{
	const config_s *cfg = dm->dm_cfg;
	const char *video = cfg->cfg_video[0] == '\0'                  ? "built-in scene"
	                    : strstr(cfg->cfg_video, "://") != NULL    ? "live camera"
	                    : strncmp(cfg->cfg_video, "/dev/", 5) == 0 ? "live device"
	                                                               : "video file";
	const char *trap = cfg->cfg_trap_mode == TRAP_OFF      ? "off"
	                   : cfg->cfg_trap_mode == TRAP_STATIC ? "static"
	                                                       : "per-viewer";

	log_info("serving persona %s on http://%s/ as uid %u (%dx%d, %d fps, %s), trap %s%s%s%s%s",
	         cfg->cfg_persona->pe_name, cfg->cfg_listen, (unsigned)geteuid(), cfg->cfg_w,
	         cfg->cfg_h, cfg->cfg_fps, video, trap, dm->dm_tel != NULL ? ", telnet on " : "",
	         dm->dm_tel != NULL ? cfg->cfg_telnet : "", dm->dm_rtsp != NULL ? ", rtsp on " : "",
	         dm->dm_rtsp != NULL ? cfg->cfg_rtsp : "");
}

/* Reverse order of start-up: the doors stop, the server stops accepting,
 * parked viewers are released, the server completes every request, the
 * matcher queues its last logins, the counters are taken for the last time,
 * the writer flushes, and what it committed last ships. */
static void close_stages(daemon_s *dm)
{
	door_stage_stop(dm);
	if (dm->dm_srv != NULL)
		http_quiesce(dm->dm_srv);
	hub_stage_stop(dm);
	http_stop(dm->dm_srv);
	matcher_stop(dm->dm_matcher);
	if (dm->dm_store != NULL)
		store_freeze_counters(dm->dm_store);
	door_stage_free(dm);
	http_free(dm->dm_srv);
	hub_free(dm->dm_hub);
	record_stage_stop(dm);
	ship_stage_free(dm);
	login_stage_free(dm);
	record_stage_free(dm);
	camera_free(dm->dm_cam);
}

int main(int argc, char **argv)
{
	config_s cfg;
	daemon_s dm = {.dm_cfg = &cfg};
	sigset_t sigs;
	char err[512];
	int status;

	if ((status = configure(&cfg, argc, argv)) >= 0)
		return status;
	process_block_signals(&sigs);
	if ((status = prepare(&dm, err, sizeof(err))) >= 0) {
		if (status != 0)
			fprintf(stderr, "camdecoy: %s\n", err);
		close_stages(&dm);
		return status;
	}
	if (open_stages(&dm, err, sizeof(err)) != 0 || start_stages(&dm, err, sizeof(err)) != 0) {
		log_warnx("%s", err);
		close_stages(&dm);
		return 1;
	}
	log_serving(&dm);
	log_info("signal %d: shutting down", process_wait(&sigs));
	close_stages(&dm);
	log_info("stopped");
	return 0;
}
