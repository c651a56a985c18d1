/* stage: the daemon's parts, each built from its own part of the
 * configuration and closed with its own figures in the log; main.c lists
 * them in the order they start and stop. Prototypes grouped by file. */
#ifndef CAMDECOY_STAGE_H
#define CAMDECOY_STAGE_H

#include <signal.h>
#include <stddef.h>

#include "camera.h"
#include "config.h"
#include "discovery.h"
#include "geo.h"
#include "hub.h"
#include "login.h"
#include "matcher.h"
#include "rtspd.h"
#include "server.h"
#include "ship.h"
#include "store.h"
#include "telnet.h"
#include "trap.h"
#include "webhook.h"

/* Every handle of the running daemon: NULL when off or not open yet. */
typedef struct {
	config_s *dm_cfg;
	camera_s *dm_cam;
	hub_s *dm_hub;
	geo_s *dm_geo;
	store_s *dm_store;
	trap_s *dm_trap;
	webhook_s *dm_hook;
	matcher_s *dm_matcher;
	login_ctx_s dm_login; /* what every door hands its logins to */
	ship_s *dm_ship;
	http_s *dm_srv;
	telnet_s *dm_tel;
	rtsp_s *dm_rtsp;
	discovery_s *dm_wsd;
	char dm_ch_password[256]; /* read as root; wiped once the shipper holds it */
} daemon_s;

/* process.c: the process around the stages. */
void process_block_signals(sigset_t *sigs);
void process_set_zone(const char *tz);
int process_refuse_root(const config_s *cfg, char *err, size_t errlen);
void process_raise_nofile(int connections);
void process_default_sensor(config_s *cfg);
int process_drop_privileges(const char *user, char *err, size_t errlen);
/* The signal that ends the daemon (SIGINT or SIGTERM). */
int process_wait(const sigset_t *sigs);

/* camera_stage.c: the picture (persona's firmware and picture keys) and
 * the hub that encodes it. */
camera_s *camera_stage_open(config_s *cfg, char *err, size_t errlen);
int hub_stage_open(daemon_s *dm, char *err, size_t errlen);
void hub_stage_stop(daemon_s *dm);

/* record_stage.c: GeoIP and the event store. */
int record_stage_open(daemon_s *dm, char *err, size_t errlen);
void record_stage_stop(daemon_s *dm);
void record_stage_free(daemon_s *dm);

/* login_stage.c: the trap's credentials, the webhook and the login matcher. */
int login_stage_open(daemon_s *dm, char *err, size_t errlen);
void login_stage_free(daemon_s *dm);

/* ship_stage.c: the ClickHouse shipper and its password. */
int ship_stage_password(daemon_s *dm, char *err, size_t errlen);
int ship_stage_open(daemon_s *dm, char *err, size_t errlen);
void ship_stage_free(daemon_s *dm);

/* door_stage.c: the Telnet, RTSP and WS-Discovery doors beside the web. */
int door_stage_open(daemon_s *dm, char *err, size_t errlen);
int door_stage_start(daemon_s *dm, char *err, size_t errlen);
void door_stage_stop(daemon_s *dm);
void door_stage_free(daemon_s *dm);

/* counters.c: every stage's counters, for store_set_counters (arg: daemon_s). */
size_t daemon_counters(void *arg, store_counter_s *out, size_t cap);

#endif
