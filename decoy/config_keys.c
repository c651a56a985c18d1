/* config_keys: every configuration key, its default, bounds and parser. */
#include "config_keys.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef CAMDECOY_DEFAULT_GEOIP_ASN
#define CAMDECOY_DEFAULT_GEOIP_ASN ""
#endif
#ifndef CAMDECOY_DEFAULT_GEOIP
#define CAMDECOY_DEFAULT_GEOIP ""
#endif

#ifndef CAMDECOY_DEFAULT_FONT
#define CAMDECOY_DEFAULT_FONT "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
#endif

#define OFF(f) offsetof(config_s, f)

/* The names each enumerated key takes, in the order its error lists them. */
static const config_enum_s yesno[] = {{"yes", 1, 0}, {"no", 0, 0}, {"true", 1, 1}, {"false", 0, 1},
                                      {"1", 1, 1},   {"0", 0, 1},  {NULL, 0, 0}};
/* the scene_kind_e values (media/scene.h); -1 the persona's own */
static const config_enum_s scenes[] = {{"server-room", 0, 0}, {"office", 1, 0},
                                       {"warehouse", 2, 0},   {"car-park", 3, 0},
                                       {"persona", -1, 0},    {NULL, 0, 0}};
static const config_enum_s daynights[] = {
    {"auto", 0, 0}, {"day", 1, 0}, {"night", 2, 0}, {NULL, 0, 0}};
static const config_enum_s trap_modes[] = {
    {"per-viewer", 2, 0}, {"static", 1, 0}, {"off", 0, 0}, {NULL, 0, 0}};
static const config_enum_s rtsp_auths[] = {{"trap", 0, 0}, {"none", 1, 0}, {NULL, 0, 0}};
static const config_enum_s discoveries[] = {
    {"off", 0, 0}, {"record", 1, 0}, {"answer", 2, 0}, {NULL, 0, 0}};
static const config_enum_s retentions[] = {{"delete", 0, 0}, {"truncate", 1, 0}, {NULL, 0, 0}};

static int parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno == 0 && end != s && *end == '\0' && !isspace((unsigned char)*s) ? 0 : -1;
}

static int parse_addr(const char *v, struct sockaddr_storage *addr, socklen_t *addrlen)
{
	char host[64];
	const char *colon, *hs = v;
	size_t hl;
	long port;

	if (v[0] == '[') {
		const char *close = strchr(v, ']');
		if (close == NULL || close[1] != ':')
			return -1;
		hs = v + 1;
		hl = (size_t)(close - hs);
		colon = close + 1;
	} else {
		colon = strrchr(v, ':');
		if (colon == NULL)
			return -1;
		hl = (size_t)(colon - v);
	}
	if (hl == 0 || hl >= sizeof(host) || parse_long(colon + 1, &port) != 0 || port < 1 ||
	    port > 65535)
		return -1;
	memcpy(host, hs, hl);
	host[hl] = '\0';
	memset(addr, 0, sizeof(*addr));
	if (v[0] != '[') {
		struct sockaddr_in *sin = (struct sockaddr_in *)addr;
		if (inet_pton(AF_INET, host, &sin->sin_addr) != 1)
			return -1;
		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)port);
		*addrlen = sizeof(*sin);
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)addr;
		if (inet_pton(AF_INET6, host, &sin6->sin6_addr) != 1)
			return -1;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)port);
		*addrlen = sizeof(*sin6);
	}
	return 0;
}

static int set_int(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                   size_t errlen)
{
	long n;

	if (parse_long(value, &n) != 0 || n < k->k_min || n > k->k_max) {
		snprintf(err, errlen, "%s: must be an integer from %ld to %ld (got \"%s\")",
		         k->k_name, k->k_min, k->k_max, qv);
		return -1;
	}
	*FIELD(cfg, k, int) = (int)n;
	return 0;
}

static int set_enum(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                    size_t errlen)
{
	const config_enum_s *e;
	size_t n = 0, listed = 0;

	for (e = k->k_enum; e->ce_name != NULL; e++) {
		if (strcmp(e->ce_name, value) == 0) {
			*FIELD(cfg, k, int) = e->ce_value;
			return 0;
		}
		listed += !e->ce_alias;
	}
	/* "must be a, b or c": the offered names in the table's order */
	n = (size_t)snprintf(err, errlen, "%s: must be ", k->k_name);
	for (e = k->k_enum; e->ce_name != NULL && n < errlen; e++) {
		if (e->ce_alias)
			continue;
		listed--;
		n += (size_t)snprintf(err + n, errlen - n, "%s%s", e->ce_name,
		                      listed == 0   ? ""
		                      : listed == 1 ? " or "
		                                    : ", ");
	}
	if (n < errlen)
		snprintf(err + n, errlen - n, " (got \"%s\")", qv);
	return -1;
}

/* Any bytes that fit (paths). */
static int set_str(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                   size_t errlen)
{
	(void)qv;
	if (strlen(value) >= k->k_cap) {
		snprintf(err, errlen, "%s: longer than %zu bytes", k->k_name, k->k_cap - 1);
		return -1;
	}
	memcpy(FIELD(cfg, k, char), value, strlen(value) + 1);
	return 0;
}

/* Printable ASCII that fits (names shown in the picture, pages and rows). */
static int set_name(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                    size_t errlen)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (*p < 0x20 || *p > 0x7e) {
			snprintf(err, errlen, "%s: only printable ASCII is allowed (got \"%s\")",
			         k->k_name, qv);
			return -1;
		}
	}
	if (strlen(value) >= k->k_cap) {
		snprintf(err, errlen, "%s: longer than %zu characters", k->k_name, k->k_cap - 1);
		return -1;
	}
	memcpy(FIELD(cfg, k, char), value, strlen(value) + 1);
	return 0;
}

/* A ClickHouse identifier: [A-Za-z_][A-Za-z0-9_]*. */
static int set_ident(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                     size_t errlen)
{
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (!(isalpha(*p) || *p == '_' ||
		      (p != (const unsigned char *)value && isdigit(*p)))) {
			snprintf(err, errlen,
			         "%s: must be letters, digits and _, not starting with a digit "
			         "(got \"%s\")",
			         k->k_name, qv);
			return -1;
		}
	}
	if (value[0] == '\0' || strlen(value) >= k->k_cap) {
		snprintf(err, errlen, "%s: 1 to %zu characters", k->k_name, k->k_cap - 1);
		return -1;
	}
	memcpy(FIELD(cfg, k, char), value, strlen(value) + 1);
	return 0;
}

/* An http(s) URL without blanks, or empty for off. */
static int set_url(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                   size_t errlen)
{
	if (value[0] != '\0' &&
	    ((strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0) ||
	     strlen(value) >= k->k_cap || strpbrk(value, " \t\r\n") != NULL)) {
		snprintf(err, errlen, "%s: must be an http:// or https:// URL (got \"%s\")",
		         k->k_name, qv);
		return -1;
	}
	memcpy(FIELD(cfg, k, char), value, strlen(value) + 1);
	return 0;
}

/* A name the C library will find: its file must exist (TZ would silently
 * mean UTC otherwise); no way out of the zone directory. */
static int set_tz(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                  size_t errlen)
{
	char path[PATH_MAX];
	struct stat sb;
	int ok = value[0] != '\0' && strlen(value) < k->k_cap && value[0] != '/' &&
	         strstr(value, "..") == NULL;

	for (const unsigned char *p = (const unsigned char *)value; ok && *p; p++)
		ok = isalnum(*p) || *p == '/' || *p == '_' || *p == '-' || *p == '+';
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", value);
	if (!ok || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || access(path, R_OK) != 0) {
		snprintf(err, errlen,
		         "timezone: not a time zone this system knows (got \"%s\"; e.g. UTC, "
		         "Asia/Tokyo)",
		         qv);
		return -1;
	}
	memcpy(FIELD(cfg, k, char), value, strlen(value) + 1);
	return 0;
}

static int set_size(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                    size_t errlen)
{
	char *x, *end;
	long w, h;

	(void)k;
	errno = 0;
	w = strtol(value, &x, 10);
	if (errno == 0 && x != value && (*x == 'x' || *x == 'X')) {
		h = strtol(x + 1, &end, 10);
		if (errno == 0 && end != x + 1 && *end == '\0' && w >= 160 && w <= 1920 &&
		    h >= 120 && h <= 1080 && !(w & 1) && !(h & 1)) {
			cfg->cfg_w = (int)w;
			cfg->cfg_h = (int)h;
			return 0;
		}
	}
	snprintf(err, errlen,
	         "size: must be WxH with even numbers, 160x120 to 1920x1080 (got \"%s\")", qv);
	return -1;
}

static int set_listen(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                      size_t errlen)
{
	(void)k;
	if (strlen(value) >= sizeof(cfg->cfg_listen) ||
	    parse_addr(value, &cfg->cfg_addr, &cfg->cfg_addrlen) != 0) {
		snprintf(err, errlen,
		         "listen: must be IPv4:PORT or [IPv6]:PORT with an IP literal (got \"%s\")",
		         qv);
		return -1;
	}
	snprintf(cfg->cfg_listen, sizeof(cfg->cfg_listen), "%s", value);
	return 0;
}

/* An optional listener of its own (telnet, rtsp): ADDR:PORT, or empty for off. */
static int set_door(char *text, size_t cap, struct sockaddr_storage *addr, socklen_t *addrlen,
                    const key_s *k, const char *value, const char *qv, char *err, size_t errlen)
{
	if (value[0] == '\0') {
		text[0] = '\0';
		return 0;
	}
	if (strlen(value) >= cap || parse_addr(value, addr, addrlen) != 0) {
		snprintf(err, errlen, "%s: must be IPv4:PORT or [IPv6]:PORT, or empty (got \"%s\")",
		         k->k_name, qv);
		return -1;
	}
	snprintf(text, cap, "%s", value);
	return 0;
}

static int set_telnet(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                      size_t errlen)
{
	return set_door(cfg->cfg_telnet, sizeof(cfg->cfg_telnet), &cfg->cfg_telnet_addr,
	                &cfg->cfg_telnet_addrlen, k, value, qv, err, errlen);
}

static int set_rtsp(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                    size_t errlen)
{
	return set_door(cfg->cfg_rtsp, sizeof(cfg->cfg_rtsp), &cfg->cfg_rtsp_addr,
	                &cfg->cfg_rtsp_addrlen, k, value, qv, err, errlen);
}

/* Repeatable: each value adds one CIDR. */
static int set_proxy(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                     size_t errlen)
{
	(void)k;
	if (cfg->cfg_nproxies >= CONFIG_PROXIES_MAX) {
		snprintf(err, errlen, "trust-proxy: at most %d entries", CONFIG_PROXIES_MAX);
		return -1;
	}
	if (netaddr_parse_cidr(value, &cfg->cfg_proxies[cfg->cfg_nproxies]) != 0) {
		snprintf(err, errlen,
		         "trust-proxy: must be an address or CIDR like 192.0.2.0/24 (got \"%s\")",
		         qv);
		return -1;
	}
	cfg->cfg_nproxies++;
	return 0;
}

static int set_persona(config_s *cfg, const key_s *k, const char *value, const char *qv, char *err,
                       size_t errlen)
{
	const persona_s *pe = persona_find(value), *all;
	size_t n, len;

	if (pe != NULL) {
		cfg->cfg_persona = pe;
		return 0;
	}
	all = persona_all(&n);
	len = (size_t)snprintf(err, errlen, "%s: must be one of ", k->k_name);
	for (size_t i = 0; i < n && len < errlen; i++)
		len += (size_t)snprintf(err + len, errlen - len, "%s%s", all[i].pe_name,
		                        i + 1 < n ? ", " : "");
	if (len < errlen)
		snprintf(err + len, errlen - len, " (got \"%s\")", qv);
	return -1;
}

static const key_s keys[] = {
    {"listen", "127.0.0.1:8080", set_listen, OFF(cfg_listen), 0, 0, 0, NULL,
     "ADDR:PORT to serve on (IP literal; IPv6 as [::1]:8080)"},
    {"persona", "axis", set_persona, 0, 0, 0, 0, NULL,
     "camera vendor to imitate: axis, panasonic, hikvision, netwave"},
    {"video", NULL, set_str, OFF(cfg_video), PATH_MAX, 0, 0, NULL,
     "picture source: a local video file to loop, a camera's http(s):// MJPEG or rtsp:// URL, "
     "or /dev/videoN (default: the built-in scene)"},
    {"video-fallback", "10", set_int, OFF(cfg_video_fallback), 0, 1, 3600, NULL,
     "seconds a live camera may be away (its last frame held) before the built-in scene shows"},
    {"scene", "persona", set_enum, OFF(cfg_scene), 0, 0, 0, scenes,
     "built-in scene: server-room, office, warehouse, car-park or persona (the persona's own)"},
    {"day-night", NULL, set_enum, OFF(cfg_daynight), 0, 0, 0, daynights,
     "built-in scene by day and by night (IR) from the camera's clock: auto, day or night"},
    {"timezone", "UTC", set_tz, OFF(cfg_timezone), sizeof(((config_s *)0)->cfg_timezone), 0, 0,
     NULL, "the camera's time zone (IANA name, e.g. Asia/Tokyo): its clock and its day and night"},
    {"size", "640x480", set_size, 0, 0, 0, 0, NULL, "picture size WxH, even, 160x120..1920x1080"},
    {"fps", "10", set_int, OFF(cfg_fps), 0, 1, 30, NULL, "frames per second"},
    {"quality", "0", set_int, OFF(cfg_quality), 0, 0, 100, NULL,
     "JPEG quality, 1 (small) .. 100 (best) on the IJG scale; 0: the persona's firmware's"},
    {"encoder-threads", "1", set_int, OFF(cfg_encoder_threads), 0, 1, 8, NULL,
     "unused (the JPEG encoder is one thread); kept so older configurations load"},
    {"camera-name", "SERVER ROOM 1", set_name, OFF(cfg_camera_name), CONFIG_NAME_MAX + 1, 0, 0,
     NULL, "camera name in the picture and the pages (printable ASCII, at most 64)"},
    {"font", CAMDECOY_DEFAULT_FONT, set_str, OFF(cfg_font), PATH_MAX, 0, 0, NULL,
     "TrueType font for the on-screen display (default: the persona's face of the default family)"},
    {"max-connections", "4096", set_int, OFF(cfg_max_connections), 0, 16, 65536, NULL,
     "connection limit"},
    {"per-ip-connections", "64", set_int, OFF(cfg_per_ip_connections), 0, 1, 65536, NULL,
     "connections allowed from one address"},
    {"idle-timeout", "30", set_int, OFF(cfg_idle_timeout), 0, 1, 3600, NULL,
     "seconds before an idle connection is closed"},
    {"per-net-connections", "256", set_int, OFF(cfg_per_net_connections), 0, 1, 65536, NULL,
     "connections allowed from one /24 (IPv4) or /64 (IPv6)"},
    {"request-timeout", "15", set_int, OFF(cfg_request_timeout), 0, 1, 3600, NULL,
     "seconds a connection has to send a whole request (slowloris)"},
    {"max-stream-seconds", "14400", set_int, OFF(cfg_max_stream_seconds), 0, 0, 604800, NULL,
     "longest MJPEG stream in seconds (0: no limit)"},
    {"streams-per-ip", "8", set_int, OFF(cfg_streams_per_ip), 0, 1, 65536, NULL,
     "concurrent MJPEG streams from one address"},
    {"header-memory", "32768", set_int, OFF(cfg_header_memory), 0, 8192, 1048576, NULL,
     "bytes of memory per connection for the request line and headers"},
    {"event-rate", "50", set_int, OFF(cfg_event_rate), 0, 0, 1000000, NULL,
     "detailed request rows per second per /24 or /64; the rest are counted (0: all detailed)"},
    {"event-burst", "500", set_int, OFF(cfg_event_burst), 0, 1, 1000000, NULL,
     "detailed rows a network may burst to"},
    {"db", "camdecoy.db", set_str, OFF(cfg_db), PATH_MAX, 0, 0, NULL,
     "SQLite database of requests and views"},
    {"db-max-mb", "8192", set_int, OFF(cfg_db_max_mb), 0, 0, 16777216, NULL,
     "database size cap in MiB; writes past it are retried and counted (0: none)"},
    {"retention-days", NULL, set_int, OFF(cfg_retention_days), 0, 0, 36500, NULL,
     "age in days after which rows are deleted or truncated (0: keep)"},
    {"retention", NULL, set_enum, OFF(cfg_retention_truncate), 0, 0, 0, retentions,
     "what happens to old rows: delete, or truncate addresses to /24 and /48"},
    {"user", NULL, set_name, OFF(cfg_user), CONFIG_NAME_MAX + 1, 0, 0, NULL,
     "after binding and opening files, switch to this user (and its group)"},
    {"allow-root", NULL, set_enum, OFF(cfg_allow_root), 0, 0, 0, yesno,
     "keep running as root without --user (yes/no)"},
    {"event-log", NULL, set_str, OFF(cfg_event_log), PATH_MAX, 0, 0, NULL,
     "JSON-lines event log: a file, - for stdout, empty for none"},
    {"geoip", CAMDECOY_DEFAULT_GEOIP, set_str, OFF(cfg_geoip), PATH_MAX, 0, 0, NULL,
     "MaxMind-format country database (GeoIP2/GeoLite2 Country or ip-location-db)"},
    {"geoip-asn", CAMDECOY_DEFAULT_GEOIP_ASN, set_str, OFF(cfg_geoip_asn), PATH_MAX, 0, 0, NULL,
     "MaxMind-format ASN database (GeoLite2-ASN, or the one make geoip builds; empty: none)"},
    {"sensor-id", NULL, set_name, OFF(cfg_sensor_id), CONFIG_NAME_MAX + 1, 0, 0, NULL,
     "name stored on every row (default: the host name)"},
    {"poll-gap", "30", set_int, OFF(cfg_poll_gap), 0, 1, 86400, NULL,
     "seconds without a snapshot that end a polling viewer's view"},
    {"trust-proxy", NULL, set_proxy, 0, 0, 0, 0, NULL,
     "CIDR of a reverse proxy whose X-Forwarded-For is believed (repeatable)"},
    {"trap-mode", "per-viewer", set_enum, OFF(cfg_trap_mode), 0, 0, 0, trap_modes,
     "credential shown in the picture: per-viewer, static or off"},
    {"trap-user", "admin", set_name, OFF(cfg_trap_user), CONFIG_NAME_MAX + 1, 0, 0, NULL,
     "static mode: the username shown"},
    {"trap-password", "Server2024", set_name, OFF(cfg_trap_password), CONFIG_NAME_MAX + 1, 0, 0,
     NULL, "static mode: the password shown"},
    {"trap-label", "WEB LOGIN", set_name, OFF(cfg_trap_label), CONFIG_NAME_MAX + 1, 0, 0, NULL,
     "first line of the note in the picture"},
    {"trap-x", "-1", set_int, OFF(cfg_trap_x), 0, -1, 1920, NULL,
     "note position from the left (-1: default)"},
    {"trap-y", "-1", set_int, OFF(cfg_trap_y), 0, -1, 1080, NULL,
     "note position from the top, moved to a 16-row band (-1: default)"},
    {"telnet", NULL, set_telnet, 0, 0, 0, 0, NULL,
     "ADDR:PORT of the Telnet login trap (empty: off)"},
    {"telnet-idle", "60", set_int, OFF(cfg_telnet_idle), 0, 1, 3600, NULL,
     "seconds without a typed character (NUL and option noise do not count) that end a Telnet "
     "session"},
    {"telnet-lifetime", "180", set_int, OFF(cfg_telnet_lifetime), 0, 1, 86400, NULL,
     "seconds a Telnet session may last at most"},
    {"rtsp", NULL, set_rtsp, 0, 0, 0, 0, NULL,
     "ADDR:PORT of the RTSP login trap, e.g. 0.0.0.0:554 (empty: off; axis and hikvision only)"},
    {"rtsp-idle", "30", set_int, OFF(cfg_rtsp_idle), 0, 1, 3600, NULL,
     "seconds an RTSP connection may wait between requests"},
    {"rtsp-lifetime", "180", set_int, OFF(cfg_rtsp_lifetime), 0, 1, 86400, NULL,
     "seconds an RTSP connection may last at most"},
    {"rtsp-auth", NULL, set_enum, OFF(cfg_rtsp_auth_none), 0, 0, 0, rtsp_auths,
     "trap: RTSP asks for credentials and plays for a trap credential; none: plays for anyone"},
    {"onvif-discovery", NULL, set_enum, OFF(cfg_onvif_discovery), 0, 0, 0, discoveries,
     "WS-Discovery on UDP: off, record (each Probe a row, never answered) or answer (one "
     "ProbeMatch to the unicast sender, never more bytes than it sent; axis and hikvision only)"},
    {"onvif-discovery-multicast", NULL, set_enum, OFF(cfg_onvif_discovery_multicast), 0, 0, 0,
     yesno, "join the WS-Discovery multicast group 239.255.255.250 (LAN deployments only; yes/no)"},
    {"onvif-discovery-port", "3702", set_int, OFF(cfg_onvif_discovery_port), 0, 1, 65535, NULL,
     "UDP port of WS-Discovery, on the listen address"},
    {"webhook", NULL, set_url, OFF(cfg_webhook), sizeof(((config_s *)0)->cfg_webhook), 0, 0, NULL,
     "http(s) URL that receives each credential use as a JSON POST (empty: off)"},
    {"webhook-exploits", NULL, set_enum, OFF(cfg_webhook_exploits), 0, 0, 0, yesno,
     "also POST every exploit attempt to the webhook (yes/no)"},
    {"clickhouse", NULL, set_url, OFF(cfg_clickhouse), sizeof(((config_s *)0)->cfg_clickhouse), 0,
     0, NULL, "http(s) URL of a ClickHouse HTTP interface the rows are shipped to (empty: off)"},
    {"clickhouse-database", "camdecoy", set_ident, OFF(cfg_clickhouse_db), CONFIG_NAME_MAX + 1, 0,
     0, NULL, "ClickHouse database of the fleet's tables"},
    {"clickhouse-user", NULL, set_name, OFF(cfg_clickhouse_user), CONFIG_NAME_MAX + 1, 0, 0, NULL,
     "ClickHouse user (empty: the server's default user)"},
    {"clickhouse-password-file", NULL, set_str, OFF(cfg_clickhouse_password_file), PATH_MAX, 0, 0,
     NULL, "file whose first line is the ClickHouse user's password (read before dropping root)"},
    {"clickhouse-batch", "20000", set_int, OFF(cfg_clickhouse_batch), 0, 1, 100000, NULL,
     "rows per INSERT sent to ClickHouse"},
    {"clickhouse-interval", "5", set_int, OFF(cfg_clickhouse_interval), 0, 1, 3600, NULL,
     "seconds between two shipping rounds"},
};

const key_s *config_key_find(const char *name)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].k_name, name) == 0)
			return &keys[i];
	return NULL;
}

const key_s *config_keys(size_t *n)
{
	*n = sizeof(keys) / sizeof(keys[0]);
	return keys;
}

int config_key_is_int(const key_s *k)
{
	return k->k_set == set_int;
}

int config_key_is_flag(const key_s *k)
{
	return k->k_enum == yesno;
}
