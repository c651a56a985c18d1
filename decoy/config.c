/* config: one table of keys drives the file parser, the flags and --help. */
#include "config.h"

#include "scene.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
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

typedef enum {
	K_INT,
	K_STR,
	K_SIZE,
	K_LISTEN,
	K_PERSONA,
	K_NAME,
	K_PROXY,
	K_TRAPMODE,
	K_RTSPAUTH,
	K_TELNET,
	K_RTSP,
	K_URL,
	K_BOOL,
	K_RETENTION,
	K_IDENT, /* a ClickHouse identifier: [A-Za-z_][A-Za-z0-9_]* */
	K_SCENE,
	K_DAYNIGHT,
	K_TZ, /* an IANA zone name with its file under /usr/share/zoneinfo */
	K_DISCOVERY
} key_type_e;

typedef struct {
	const char *k_name;
	key_type_e k_type;
	size_t k_off;
	size_t k_cap; /* K_STR: buffer size */
	long k_min, k_max;
	const char *k_help;
} key_s;

#define OFF(f) offsetof(config_s, f)

static const key_s keys[] = {
    {"listen", K_LISTEN, OFF(cfg_listen), 0, 0, 0,
     "ADDR:PORT to serve on (IP literal; IPv6 as [::1]:8080)"},
    {"persona", K_PERSONA, 0, 0, 0, 0,
     "camera vendor to imitate: axis, panasonic, hikvision, netwave"},
    {"video", K_STR, OFF(cfg_video), PATH_MAX, 0, 0,
     "picture source: a local video file to loop, a camera's http(s):// MJPEG or rtsp:// URL, "
     "or /dev/videoN (default: the built-in scene)"},
    {"video-fallback", K_INT, OFF(cfg_video_fallback), 0, 1, 3600,
     "seconds a live camera may be away (its last frame held) before the built-in scene shows"},
    {"scene", K_SCENE, 0, 0, 0, 0,
     "built-in scene: server-room, office, warehouse, car-park or persona (the persona's own)"},
    {"day-night", K_DAYNIGHT, 0, 0, 0, 0,
     "built-in scene by day and by night (IR) from the camera's clock: auto, day or night"},
    {"timezone", K_TZ, OFF(cfg_timezone), sizeof(((config_s *)0)->cfg_timezone), 0, 0,
     "the camera's time zone (IANA name, e.g. Asia/Tokyo): its clock and its day and night"},
    {"size", K_SIZE, 0, 0, 0, 0, "picture size WxH, even, 160x120..1920x1080"},
    {"fps", K_INT, OFF(cfg_fps), 0, 1, 30, "frames per second"},
    {"quality", K_INT, OFF(cfg_quality), 0, 0, 100,
     "JPEG quality, 1 (small) .. 100 (best) on the IJG scale; 0: the persona's firmware's"},
    {"encoder-threads", K_INT, OFF(cfg_encoder_threads), 0, 1, 8,
     "unused (the JPEG encoder is one thread); kept so older configurations load"},
    {"camera-name", K_NAME, OFF(cfg_camera_name), CONFIG_NAME_MAX + 1, 0, 0,
     "camera name in the picture and the pages (printable ASCII, at most 64)"},
    {"font", K_STR, OFF(cfg_font), PATH_MAX, 0, 0,
     "TrueType font for the on-screen display (default: the persona's face of the default family)"},
    {"max-connections", K_INT, OFF(cfg_max_connections), 0, 16, 65536, "connection limit"},
    {"per-ip-connections", K_INT, OFF(cfg_per_ip_connections), 0, 1, 65536,
     "connections allowed from one address"},
    {"idle-timeout", K_INT, OFF(cfg_idle_timeout), 0, 1, 3600,
     "seconds before an idle connection is closed"},
    {"per-net-connections", K_INT, OFF(cfg_per_net_connections), 0, 1, 65536,
     "connections allowed from one /24 (IPv4) or /64 (IPv6)"},
    {"request-timeout", K_INT, OFF(cfg_request_timeout), 0, 1, 3600,
     "seconds a connection has to send a whole request (slowloris)"},
    {"max-stream-seconds", K_INT, OFF(cfg_max_stream_seconds), 0, 0, 604800,
     "longest MJPEG stream in seconds (0: no limit)"},
    {"streams-per-ip", K_INT, OFF(cfg_streams_per_ip), 0, 1, 65536,
     "concurrent MJPEG streams from one address"},
    {"header-memory", K_INT, OFF(cfg_header_memory), 0, 8192, 1048576,
     "bytes of memory per connection for the request line and headers"},
    {"event-rate", K_INT, OFF(cfg_event_rate), 0, 0, 1000000,
     "detailed request rows per second per /24 or /64; the rest are counted (0: all detailed)"},
    {"event-burst", K_INT, OFF(cfg_event_burst), 0, 1, 1000000,
     "detailed rows a network may burst to"},
    {"db", K_STR, OFF(cfg_db), PATH_MAX, 0, 0, "SQLite database of requests and views"},
    {"db-max-mb", K_INT, OFF(cfg_db_max_mb), 0, 0, 16777216,
     "database size cap in MiB; writes past it are retried and counted (0: none)"},
    {"retention-days", K_INT, OFF(cfg_retention_days), 0, 0, 36500,
     "age in days after which rows are deleted or truncated (0: keep)"},
    {"retention", K_RETENTION, 0, 0, 0, 0,
     "what happens to old rows: delete, or truncate addresses to /24 and /48"},
    {"user", K_NAME, OFF(cfg_user), CONFIG_NAME_MAX + 1, 0, 0,
     "after binding and opening files, switch to this user (and its group)"},
    {"allow-root", K_BOOL, OFF(cfg_allow_root), 0, 0, 0,
     "keep running as root without --user (yes/no)"},
    {"event-log", K_STR, OFF(cfg_event_log), PATH_MAX, 0, 0,
     "JSON-lines event log: a file, - for stdout, empty for none"},
    {"geoip", K_STR, OFF(cfg_geoip), PATH_MAX, 0, 0,
     "MaxMind-format country database (GeoIP2/GeoLite2 Country or ip-location-db)"},
    {"geoip-asn", K_STR, OFF(cfg_geoip_asn), PATH_MAX, 0, 0,
     "MaxMind-format ASN database (GeoLite2-ASN, or the one make geoip builds; empty: none)"},
    {"sensor-id", K_NAME, OFF(cfg_sensor_id), CONFIG_NAME_MAX + 1, 0, 0,
     "name stored on every row (default: the host name)"},
    {"poll-gap", K_INT, OFF(cfg_poll_gap), 0, 1, 86400,
     "seconds without a snapshot that end a polling viewer's view"},
    {"trust-proxy", K_PROXY, 0, 0, 0, 0,
     "CIDR of a reverse proxy whose X-Forwarded-For is believed (repeatable)"},
    {"trap-mode", K_TRAPMODE, 0, 0, 0, 0,
     "credential shown in the picture: per-viewer, static or off"},
    {"trap-user", K_NAME, OFF(cfg_trap_user), CONFIG_NAME_MAX + 1, 0, 0,
     "static mode: the username shown"},
    {"trap-password", K_NAME, OFF(cfg_trap_password), CONFIG_NAME_MAX + 1, 0, 0,
     "static mode: the password shown"},
    {"trap-label", K_NAME, OFF(cfg_trap_label), CONFIG_NAME_MAX + 1, 0, 0,
     "first line of the note in the picture"},
    {"trap-x", K_INT, OFF(cfg_trap_x), 0, -1, 1920, "note position from the left (-1: default)"},
    {"trap-y", K_INT, OFF(cfg_trap_y), 0, -1, 1080,
     "note position from the top, moved to a 16-row band (-1: default)"},
    {"telnet", K_TELNET, 0, 0, 0, 0, "ADDR:PORT of the Telnet login trap (empty: off)"},
    {"telnet-idle", K_INT, OFF(cfg_telnet_idle), 0, 1, 3600,
     "seconds without a typed character (NUL and option noise do not count) that end a Telnet "
     "session"},
    {"telnet-lifetime", K_INT, OFF(cfg_telnet_lifetime), 0, 1, 86400,
     "seconds a Telnet session may last at most"},
    {"rtsp", K_RTSP, 0, 0, 0, 0,
     "ADDR:PORT of the RTSP login trap, e.g. 0.0.0.0:554 (empty: off; axis and hikvision only)"},
    {"rtsp-idle", K_INT, OFF(cfg_rtsp_idle), 0, 1, 3600,
     "seconds an RTSP connection may wait between requests"},
    {"rtsp-lifetime", K_INT, OFF(cfg_rtsp_lifetime), 0, 1, 86400,
     "seconds an RTSP connection may last at most"},
    {"rtsp-auth", K_RTSPAUTH, 0, 0, 0, 0,
     "trap: RTSP asks for credentials and plays for a trap credential; none: plays for anyone"},
    {"onvif-discovery", K_DISCOVERY, 0, 0, 0, 0,
     "WS-Discovery on UDP: off, record (each Probe a row, never answered) or answer (one "
     "ProbeMatch to the unicast sender, never more bytes than it sent; axis and hikvision only)"},
    {"onvif-discovery-multicast", K_BOOL, OFF(cfg_onvif_discovery_multicast), 0, 0, 0,
     "join the WS-Discovery multicast group 239.255.255.250 (LAN deployments only; yes/no)"},
    {"onvif-discovery-port", K_INT, OFF(cfg_onvif_discovery_port), 0, 1, 65535,
     "UDP port of WS-Discovery, on the listen address"},
    {"webhook", K_URL, OFF(cfg_webhook), sizeof(((config_s *)0)->cfg_webhook), 0, 0,
     "http(s) URL that receives each credential use as a JSON POST (empty: off)"},
    {"webhook-exploits", K_BOOL, OFF(cfg_webhook_exploits), 0, 0, 0,
     "also POST every exploit attempt to the webhook (yes/no)"},
    {"clickhouse", K_URL, OFF(cfg_clickhouse), sizeof(((config_s *)0)->cfg_clickhouse), 0, 0,
     "http(s) URL of a ClickHouse HTTP interface the rows are shipped to (empty: off)"},
    {"clickhouse-database", K_IDENT, OFF(cfg_clickhouse_db), CONFIG_NAME_MAX + 1, 0, 0,
     "ClickHouse database of the fleet's tables"},
    {"clickhouse-user", K_NAME, OFF(cfg_clickhouse_user), CONFIG_NAME_MAX + 1, 0, 0,
     "ClickHouse user (empty: the server's default user)"},
    {"clickhouse-password-file", K_STR, OFF(cfg_clickhouse_password_file), PATH_MAX, 0, 0,
     "file whose first line is the ClickHouse user's password (read before dropping root)"},
    {"clickhouse-batch", K_INT, OFF(cfg_clickhouse_batch), 0, 1, 100000,
     "rows per INSERT sent to ClickHouse"},
    {"clickhouse-interval", K_INT, OFF(cfg_clickhouse_interval), 0, 1, 3600,
     "seconds between two shipping rounds"},
};

void config_defaults(config_s *cfg)
{
	char err[128];

	memset(cfg, 0, sizeof(*cfg));
	config_set(cfg, "listen", "127.0.0.1:8080", err, sizeof(err));
	cfg->cfg_persona = persona_find("axis");
	cfg->cfg_scene = -1; /* the persona's */
	snprintf(cfg->cfg_font, sizeof(cfg->cfg_font), "%s", CAMDECOY_DEFAULT_FONT);
	snprintf(cfg->cfg_camera_name, sizeof(cfg->cfg_camera_name), "%s", "SERVER ROOM 1");
	cfg->cfg_w = 640;
	cfg->cfg_h = 480;
	cfg->cfg_fps = 10;
	cfg->cfg_quality = 0; /* the persona's */
	cfg->cfg_encoder_threads = 1;
	cfg->cfg_max_connections = 4096;
	cfg->cfg_per_ip_connections = 64;
	cfg->cfg_idle_timeout = 30;
	cfg->cfg_per_net_connections = 256;
	cfg->cfg_request_timeout = 15;
	cfg->cfg_max_stream_seconds = 14400;
	cfg->cfg_streams_per_ip = 8;
	cfg->cfg_header_memory = 32768;
	cfg->cfg_event_rate = 50;
	cfg->cfg_event_burst = 500;
	cfg->cfg_db_max_mb = 8192;
	snprintf(cfg->cfg_db, sizeof(cfg->cfg_db), "%s", "camdecoy.db");
	snprintf(cfg->cfg_geoip, sizeof(cfg->cfg_geoip), "%s", CAMDECOY_DEFAULT_GEOIP);
	snprintf(cfg->cfg_geoip_asn, sizeof(cfg->cfg_geoip_asn), "%s", CAMDECOY_DEFAULT_GEOIP_ASN);
	cfg->cfg_poll_gap = 30;
	cfg->cfg_telnet_idle = 60;
	cfg->cfg_telnet_lifetime = 180;
	cfg->cfg_rtsp_idle = 30;
	cfg->cfg_rtsp_lifetime = 180;
	cfg->cfg_onvif_discovery_port = 3702;
	cfg->cfg_trap_mode = 2; /* TRAP_PER_VIEWER */
	snprintf(cfg->cfg_trap_user, sizeof(cfg->cfg_trap_user), "%s", "admin");
	snprintf(cfg->cfg_trap_password, sizeof(cfg->cfg_trap_password), "%s", "Server2024");
	snprintf(cfg->cfg_trap_label, sizeof(cfg->cfg_trap_label), "%s", "WEB LOGIN");
	cfg->cfg_trap_x = -1;
	cfg->cfg_trap_y = -1;
	snprintf(cfg->cfg_clickhouse_db, sizeof(cfg->cfg_clickhouse_db), "%s", "camdecoy");
	cfg->cfg_clickhouse_batch = 20000;
	cfg->cfg_clickhouse_interval = 5;
	cfg->cfg_video_fallback = 10;
	snprintf(cfg->cfg_timezone, sizeof(cfg->cfg_timezone), "%s", "UTC");
}

/* Quotes operator text for an error message: printable ASCII only, bounded. */
static void quote(char *dst, size_t cap, const char *src)
{
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)src; *p && n + 5 < cap; p++) {
		if (*p >= 0x20 && *p < 0x7f && *p != '\\') {
			dst[n++] = (char)*p;
		} else {
			snprintf(dst + n, cap - n, "\\x%02x", *p);
			n += 4;
		}
	}
	if (*src && n + 5 >= cap && n + 3 < cap) {
		memcpy(dst + n, "...", 3);
		n += 3;
	}
	dst[n] = '\0';
}

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

static int parse_size(config_s *cfg, const char *v)
{
	char *x, *end;
	long w, h;

	errno = 0;
	w = strtol(v, &x, 10);
	if (errno || x == v || (*x != 'x' && *x != 'X'))
		return -1;
	h = strtol(x + 1, &end, 10);
	if (errno || end == x + 1 || *end != '\0')
		return -1;
	if (w < 160 || w > 1920 || h < 120 || h > 1080 || (w & 1) || (h & 1))
		return -1;
	cfg->cfg_w = (int)w;
	cfg->cfg_h = (int)h;
	return 0;
}

int config_set(config_s *cfg, const char *key, const char *value, char *err, size_t errlen)
{
	char qv[96], qk[64];
	const key_s *k = NULL;

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].k_name, key) == 0)
			k = &keys[i];
	quote(qk, sizeof(qk), key);
	quote(qv, sizeof(qv), value);
	if (k == NULL) {
		snprintf(err, errlen, "unknown key \"%s\"", qk);
		return -1;
	}
	switch (k->k_type) {
	case K_INT: {
		long n;
		if (parse_long(value, &n) != 0 || n < k->k_min || n > k->k_max) {
			snprintf(err, errlen, "%s: must be an integer from %ld to %ld (got \"%s\")",
			         k->k_name, k->k_min, k->k_max, qv);
			return -1;
		}
		*(int *)((char *)cfg + k->k_off) = (int)n;
		return 0;
	}
	case K_STR:
		if (strlen(value) >= k->k_cap) {
			snprintf(err, errlen, "%s: longer than %zu bytes", k->k_name, k->k_cap - 1);
			return -1;
		}
		memcpy((char *)cfg + k->k_off, value, strlen(value) + 1);
		return 0;
	case K_IDENT:
		for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
			if (!(isalpha(*p) || *p == '_' ||
			      (p != (const unsigned char *)value && isdigit(*p)))) {
				snprintf(
				    err, errlen,
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
		memcpy((char *)cfg + k->k_off, value, strlen(value) + 1);
		return 0;
	case K_NAME:
		for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
			if (*p < 0x20 || *p > 0x7e) {
				snprintf(err, errlen,
				         "%s: only printable ASCII is allowed (got \"%s\")",
				         k->k_name, qv);
				return -1;
			}
		}
		if (strlen(value) >= k->k_cap) {
			snprintf(err, errlen, "%s: longer than %zu characters", k->k_name,
			         k->k_cap - 1);
			return -1;
		}
		memcpy((char *)cfg + k->k_off, value, strlen(value) + 1);
		return 0;
	case K_SIZE:
		if (parse_size(cfg, value) != 0) {
			snprintf(err, errlen,
			         "size: must be WxH with even numbers, 160x120 to 1920x1080 (got "
			         "\"%s\")",
			         qv);
			return -1;
		}
		return 0;
	case K_LISTEN:
		if (strlen(value) >= sizeof(cfg->cfg_listen) ||
		    parse_addr(value, &cfg->cfg_addr, &cfg->cfg_addrlen) != 0) {
			snprintf(err, errlen,
			         "listen: must be IPv4:PORT or [IPv6]:PORT with an IP literal (got "
			         "\"%s\")",
			         qv);
			return -1;
		}
		snprintf(cfg->cfg_listen, sizeof(cfg->cfg_listen), "%s", value);
		return 0;
	case K_TELNET:
	case K_RTSP: {
		/* an optional listener of its own: ADDR:PORT, or empty for off */
		int tel = k->k_type == K_TELNET;
		char *text = tel ? cfg->cfg_telnet : cfg->cfg_rtsp;
		size_t cap = tel ? sizeof(cfg->cfg_telnet) : sizeof(cfg->cfg_rtsp);
		if (value[0] == '\0') {
			text[0] = '\0';
			return 0;
		}
		if (strlen(value) >= cap ||
		    parse_addr(value, tel ? &cfg->cfg_telnet_addr : &cfg->cfg_rtsp_addr,
		               tel ? &cfg->cfg_telnet_addrlen : &cfg->cfg_rtsp_addrlen) != 0) {
			snprintf(err, errlen,
			         "%s: must be IPv4:PORT or [IPv6]:PORT, or empty (got \"%s\")",
			         k->k_name, qv);
			return -1;
		}
		snprintf(text, cap, "%s", value);
		return 0;
	}
	case K_SCENE:
		if (strcmp(value, "persona") == 0)
			cfg->cfg_scene = -1;
		else if ((cfg->cfg_scene = scene_from_name(value)) < 0) {
			snprintf(
			    err, errlen,
			    "scene: must be server-room, office, warehouse, car-park or persona "
			    "(got \"%s\")",
			    qv);
			return -1;
		}
		return 0;
	case K_DAYNIGHT:
		if (strcmp(value, "auto") == 0)
			cfg->cfg_daynight = 0;
		else if (strcmp(value, "day") == 0)
			cfg->cfg_daynight = 1;
		else if (strcmp(value, "night") == 0)
			cfg->cfg_daynight = 2;
		else {
			snprintf(err, errlen, "day-night: must be auto, day or night (got \"%s\")",
			         qv);
			return -1;
		}
		return 0;
	case K_TZ: {
		/* a name the C library will find: its file must exist (TZ would
		 * silently mean UTC otherwise); no way out of the zone directory */
		char path[PATH_MAX];
		int ok = value[0] != '\0' && strlen(value) < k->k_cap && value[0] != '/' &&
		         strstr(value, "..") == NULL;
		for (const unsigned char *p = (const unsigned char *)value; ok && *p; p++)
			ok = isalnum(*p) || *p == '/' || *p == '_' || *p == '-' || *p == '+';
		struct stat sb;
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", value);
		if (!ok || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    access(path, R_OK) != 0) {
			snprintf(
			    err, errlen,
			    "timezone: not a time zone this system knows (got \"%s\"; e.g. UTC, "
			    "Asia/Tokyo)",
			    qv);
			return -1;
		}
		memcpy((char *)cfg + k->k_off, value, strlen(value) + 1);
		return 0;
	}
	case K_RTSPAUTH:
		if (strcmp(value, "trap") == 0 || strcmp(value, "none") == 0) {
			cfg->cfg_rtsp_auth_none = strcmp(value, "none") == 0;
			return 0;
		}
		snprintf(err, errlen, "rtsp-auth: must be trap or none (got \"%s\")", qv);
		return -1;
	case K_TRAPMODE:
		if (strcmp(value, "off") == 0)
			cfg->cfg_trap_mode = 0;
		else if (strcmp(value, "static") == 0)
			cfg->cfg_trap_mode = 1;
		else if (strcmp(value, "per-viewer") == 0)
			cfg->cfg_trap_mode = 2;
		else {
			snprintf(err, errlen,
			         "trap-mode: must be per-viewer, static or off (got \"%s\")", qv);
			return -1;
		}
		return 0;
	case K_URL:
		if (value[0] != '\0' &&
		    ((strncmp(value, "http://", 7) != 0 && strncmp(value, "https://", 8) != 0) ||
		     strlen(value) >= k->k_cap || strpbrk(value, " \t\r\n") != NULL)) {
			snprintf(err, errlen, "%s: must be an http:// or https:// URL (got \"%s\")",
			         k->k_name, qv);
			return -1;
		}
		memcpy((char *)cfg + k->k_off, value, strlen(value) + 1);
		return 0;
	case K_PROXY:
		if (cfg->cfg_nproxies >= CONFIG_PROXIES_MAX) {
			snprintf(err, errlen, "trust-proxy: at most %d entries",
			         CONFIG_PROXIES_MAX);
			return -1;
		}
		if (netaddr_parse_cidr(value, &cfg->cfg_proxies[cfg->cfg_nproxies]) != 0) {
			snprintf(err, errlen,
			         "trust-proxy: must be an address or CIDR like 192.0.2.0/24 (got "
			         "\"%s\")",
			         qv);
			return -1;
		}
		cfg->cfg_nproxies++;
		return 0;
	case K_DISCOVERY:
		if (strcmp(value, "off") == 0)
			cfg->cfg_onvif_discovery = 0;
		else if (strcmp(value, "record") == 0)
			cfg->cfg_onvif_discovery = 1;
		else if (strcmp(value, "answer") == 0)
			cfg->cfg_onvif_discovery = 2;
		else {
			snprintf(err, errlen,
			         "onvif-discovery: must be off, record or answer (got \"%s\")", qv);
			return -1;
		}
		return 0;
	case K_BOOL:
		if (strcmp(value, "yes") == 0 || strcmp(value, "true") == 0 ||
		    strcmp(value, "1") == 0)
			*(int *)((char *)cfg + k->k_off) = 1;
		else if (strcmp(value, "no") == 0 || strcmp(value, "false") == 0 ||
		         strcmp(value, "0") == 0)
			*(int *)((char *)cfg + k->k_off) = 0;
		else {
			snprintf(err, errlen, "%s: must be yes or no (got \"%s\")", k->k_name, qv);
			return -1;
		}
		return 0;
	case K_RETENTION:
		if (strcmp(value, "delete") == 0 || strcmp(value, "truncate") == 0) {
			cfg->cfg_retention_truncate = value[0] == 't';
			return 0;
		}
		snprintf(err, errlen, "retention: must be delete or truncate (got \"%s\")", qv);
		return -1;
	case K_PERSONA: {
		const persona_s *pe = persona_find(value);
		if (pe == NULL) {
			snprintf(err, errlen,
			         "persona: must be one of axis, panasonic, hikvision, netwave (got "
			         "\"%s\")",
			         qv);
			return -1;
		}
		cfg->cfg_persona = pe;
		return 0;
	}
	}
	return -1;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

int config_load_file(config_s *cfg, const char *path, char *err, size_t errlen)
{
	char line[PATH_MAX + 128], qp[128], msg[256];
	FILE *f = fopen(path, "r");
	int lineno = 0;

	quote(qp, sizeof(qp), path);
	if (f == NULL) {
		snprintf(err, errlen, "config: cannot open %s: %s", qp, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		char *p, *eq, *key, *value;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line too long", qp, lineno);
			fclose(f);
			return -1;
		}
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = trim(line);
		if (*p == '\0')
			continue;
		eq = strchr(p, '=');
		if (eq == NULL) {
			quote(msg, 64, p);
			snprintf(err, errlen, "%s:%d: expected \"key = value\" (got \"%s\")", qp,
			         lineno, msg);
			fclose(f);
			return -1;
		}
		*eq = '\0';
		key = trim(p);
		value = trim(eq + 1);
		/* Values may be quoted so that they can keep spaces at the ends. */
		if (strlen(value) >= 2 && value[0] == '"' && value[strlen(value) - 1] == '"') {
			value[strlen(value) - 1] = '\0';
			value++;
		}
		if (strcmp(key, "config") == 0 ||
		    config_set(cfg, key, value, msg, sizeof(msg)) != 0) {
			if (strcmp(key, "config") == 0)
				snprintf(msg, sizeof(msg),
				         "config: cannot be set from a configuration file");
			snprintf(err, errlen, "%s:%d: %s", qp, lineno, msg);
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* A yes/no key, which a flag may give without a value. */
static int config_is_flag(const char *key)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].k_name, key) == 0)
			return keys[i].k_type == K_BOOL;
	return 0;
}

int config_parse_args(config_s *cfg, int argc, char **argv, char *err, size_t errlen)
{
	config_defaults(cfg);
	/* The file first, so that flags override it whatever their order. */
	for (int i = 1; i < argc; i++) {
		const char *file = NULL;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			file = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			file = argv[i] + 9;
		if (file != NULL && config_load_file(cfg, file, err, errlen) != 0)
			return -1;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *value;
		char key[64], qa[64];
		const char *eq;

		quote(qa, sizeof(qa), a);
		if (strcmp(a, "--check-config") == 0) {
			cfg->cfg_check_only = 1;
			continue;
		}
		if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0) {
			cfg->cfg_verbose = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cfg->cfg_help = 1;
			continue;
		}
		if (strcmp(a, "--version") == 0) {
			cfg->cfg_version = 1;
			continue;
		}
		if (strncmp(a, "--", 2) != 0) {
			snprintf(err, errlen, "unexpected argument \"%s\"", qa);
			return -1;
		}
		eq = strchr(a, '=');
		if (eq != NULL) {
			if ((size_t)(eq - a - 2) >= sizeof(key)) {
				snprintf(err, errlen, "unknown option \"%s\"", qa);
				return -1;
			}
			memcpy(key, a + 2, (size_t)(eq - a - 2));
			key[eq - a - 2] = '\0';
			value = eq + 1;
		} else {
			if (strlen(a + 2) >= sizeof(key)) {
				snprintf(err, errlen, "unknown option \"%s\"", qa);
				return -1;
			}
			snprintf(key, sizeof(key), "%s", a + 2);
			if (config_is_flag(key)) {
				/* --allow-root alone means yes */
				if (config_set(cfg, key, "yes", err, errlen) != 0)
					return -1;
				continue;
			}
			if (i + 1 >= argc) {
				snprintf(err, errlen, "%s: needs a value", key);
				return -1;
			}
			value = argv[++i];
		}
		if (strcmp(key, "config") == 0)
			continue;
		if (config_set(cfg, key, value, err, errlen) != 0)
			return -1;
	}
	/* A camera that never had an RTSP server answering on 554 would be a tell. */
	if (cfg->cfg_rtsp[0] != '\0' && cfg->cfg_persona->pe_rtsp == NULL) {
		snprintf(err, errlen,
		         "rtsp: the %s persona's camera (%s) has no RTSP server; use axis or "
		         "hikvision, or leave rtsp empty",
		         cfg->cfg_persona->pe_name, cfg->cfg_persona->pe_model);
		return -1;
	}
	if (cfg->cfg_onvif_discovery != 0 && cfg->cfg_persona->pe_onvif == NULL) {
		snprintf(err, errlen,
		         "onvif-discovery: the %s persona's camera (%s) has no ONVIF; use axis or "
		         "hikvision, or leave onvif-discovery off",
		         cfg->cfg_persona->pe_name, cfg->cfg_persona->pe_model);
		return -1;
	}
	return 0;
}

void config_osd_font(const config_s *cfg, const char *face, char *out, size_t cap)
{
	const char *slash = strrchr(CAMDECOY_DEFAULT_FONT, '/');

	snprintf(out, cap, "%s", cfg->cfg_font);
	if (strcmp(cfg->cfg_font, CAMDECOY_DEFAULT_FONT) != 0 || face == NULL || slash == NULL)
		return;
	snprintf(out, cap, "%.*s/%s", (int)(slash - CAMDECOY_DEFAULT_FONT), CAMDECOY_DEFAULT_FONT,
	         face);
	if (access(out, R_OK) != 0)
		snprintf(out, cap, "%s", cfg->cfg_font);
}

void config_usage(FILE *out)
{
	fputs("usage: camdecoy [--config FILE] [--check-config] [--verbose] [--KEY VALUE ...]\n\n"
	      "Every KEY can also be set as \"KEY = VALUE\" in the configuration file.\n\n",
	      out);
	config_s d;

	/* integers with their bounds and default, from the table itself
	 * (camdecoy.conf(5) is checked against these lines) */
	config_defaults(&d);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const key_s *k = &keys[i];
		fprintf(out, "  --%-20s %s", k->k_name, k->k_help);
		if (k->k_type == K_INT)
			fprintf(out, " [%ld..%ld, default %d]", k->k_min, k->k_max,
			        *(const int *)((const char *)&d + k->k_off));
		fputc('\n', out);
	}
}
