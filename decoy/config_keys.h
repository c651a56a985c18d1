/* config_keys: the configuration and its keys as data: name, default, the
 * parser that bounds and stores the value, help text. config.c walks the
 * table for the defaults, the file, the flags and --help; the fuzz target
 * walks it too. */
#ifndef CAMDECOY_CONFIG_KEYS_H
#define CAMDECOY_CONFIG_KEYS_H

#include <limits.h>
#include <stddef.h>
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

typedef struct key key_s;

/* Parses value (qv: the same, quoted for messages) into the key's field; 0,
 * or -1 with err naming the key and what it accepts. */
typedef int (*key_set_f)(config_s *cfg, const key_s *k, const char *value, const char *qv,
                         char *err, size_t errlen);

/* One name of an enumerated value; aliases are accepted but not offered. */
typedef struct {
	const char *ce_name;
	int ce_value;
	int ce_alias;
} config_enum_s;

struct key {
	const char *k_name;
	const char *k_default; /* NULL: empty, zero, off */
	key_set_f k_set;
	size_t k_off;                /* the field set */
	size_t k_cap;                /* strings: buffer size */
	long k_min, k_max;           /* integers: bounds */
	const config_enum_s *k_enum; /* enumerations: the names, NULL-ended */
	const char *k_help;
};

#define OFF(f)              offsetof(config_s, f)
#define FIELD(cfg, k, type) ((type *)((char *)(cfg) + (k)->k_off))

/* The key table: *n set to its number of keys. */
const key_s *config_keys(size_t *n);
/* NULL when there is no such key. */
const key_s *config_key_find(const char *name);
/* 1 when k is an integer key (its bounds and default go in --help). */
int config_key_is_int(const key_s *k);
/* 1 when k is a yes/no key (a flag may give it without a value). */
int config_key_is_flag(const key_s *k);

#endif
