/* config: defaults, configuration file and command line, each key bounded. */
#ifndef CAMDECOY_CONFIG_H
#define CAMDECOY_CONFIG_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

#include "netaddr.h"
#include "persona.h"

#define CONFIG_NAME_MAX    64
#define CONFIG_PROXIES_MAX 32

typedef struct {
	char cfg_listen[80];
	struct sockaddr_storage cfg_addr;
	socklen_t cfg_addrlen;
	const persona_s *cfg_persona;
	char cfg_video[PATH_MAX];
	int cfg_video_fallback; /* seconds */
	int cfg_scene;          /* scene_kind_e, -1 the persona's */
	int cfg_daynight;       /* look_mode_e */
	char cfg_timezone[64];
	char cfg_font[PATH_MAX];
	char cfg_camera_name[CONFIG_NAME_MAX + 1];
	int cfg_w, cfg_h;
	int cfg_fps;
	int cfg_quality;
	int cfg_encoder_threads;
	int cfg_max_connections;
	int cfg_per_ip_connections;
	int cfg_idle_timeout;
	int cfg_per_net_connections;
	int cfg_request_timeout;
	int cfg_max_stream_seconds;
	int cfg_streams_per_ip;
	int cfg_header_memory;
	int cfg_event_rate; /* detailed rows per second per network; 0 all */
	int cfg_event_burst;
	int cfg_db_max_mb;
	int cfg_retention_days;
	int cfg_retention_truncate;
	char cfg_user[CONFIG_NAME_MAX + 1]; /* "" stay who we are */
	int cfg_allow_root;
	char cfg_db[PATH_MAX];
	char cfg_event_log[PATH_MAX];
	char cfg_geoip[PATH_MAX];
	char cfg_geoip_asn[PATH_MAX];
	char cfg_sensor_id[CONFIG_NAME_MAX + 1];
	int cfg_poll_gap;
	netaddr_cidr_s cfg_proxies[CONFIG_PROXIES_MAX];
	size_t cfg_nproxies;
	int cfg_trap_mode;                       /* trap_mode_e */
	char cfg_trap_user[CONFIG_NAME_MAX + 1]; /* static mode */
	char cfg_trap_password[CONFIG_NAME_MAX + 1];
	char cfg_trap_label[CONFIG_NAME_MAX + 1];
	int cfg_trap_x, cfg_trap_y; /* -1: default place */
	char cfg_telnet[80];        /* "" off */
	struct sockaddr_storage cfg_telnet_addr;
	socklen_t cfg_telnet_addrlen;
	int cfg_telnet_idle, cfg_telnet_lifetime; /* seconds */
	char cfg_rtsp[80];                        /* "" off */
	struct sockaddr_storage cfg_rtsp_addr;
	socklen_t cfg_rtsp_addrlen;
	int cfg_rtsp_idle, cfg_rtsp_lifetime; /* seconds */
	int cfg_rtsp_auth_none;               /* rtsp-auth = none: no credential asked */
	int cfg_onvif_discovery;              /* discovery_mode_e: 0 off, 1 record, 2 answer */
	int cfg_onvif_discovery_multicast;    /* join the WS-Discovery group (LAN only) */
	int cfg_onvif_discovery_port;         /* UDP, on the listen address */
	char cfg_webhook[1024];               /* "" off */
	int cfg_webhook_exploits;             /* also POST every exploit.attempt */
	char cfg_clickhouse[1024];            /* "" off: the fleet shipper */
	char cfg_clickhouse_db[CONFIG_NAME_MAX + 1];
	char cfg_clickhouse_user[CONFIG_NAME_MAX + 1];
	char cfg_clickhouse_password_file[PATH_MAX];
	int cfg_clickhouse_batch;    /* rows per INSERT */
	int cfg_clickhouse_interval; /* seconds between rounds */
	int cfg_check_only;          /* --check-config */
	int cfg_verbose;
	int cfg_help, cfg_version;
} config_s;

void config_defaults(config_s *cfg);

/* Sets one key (the long option name without "--") from text. 0, or -1 with
 * err naming the key and the accepted range. */
int config_set(config_s *cfg, const char *key, const char *value, char *err, size_t errlen);

/* "key = value" lines; '#' starts a comment. Errors name file, line and key. */
int config_load_file(config_s *cfg, const char *path, char *err, size_t errlen);

/* Defaults, then --config FILE (if given), then every other flag on top. */
int config_parse_args(config_s *cfg, int argc, char **argv, char *err, size_t errlen);

/* Writes the option summary for --help. */
void config_usage(FILE *out);

/* The OSD's font: the configured one, or when the font was left at its
 * default, the face named (a file in the default font's folder) if it is
 * there. */
void config_osd_font(const config_s *cfg, const char *face, char *out, size_t cap);

#endif
