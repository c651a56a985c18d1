/* main: start-up, signal handling and teardown of the camdecoy daemon. */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <netinet/in.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "camera.h"
#include "config.h"
#include "geo.h"
#include "server.h"
#include "hub.h"
#include "log.h"
#include "login.h"
#include "matcher.h"
#include "credcode.h"
#include "store.h"
#include "rtsp.h"
#include "rtspd.h"
#include "discovery.h"
#include "telnet.h"
#include "trap.h"
#include "webhook.h"
#include "ship.h"
#include "soap.h"

/* The counters of the HTTP server, the trap and the login matcher. */
typedef struct {
	http_s *mc_srv;
	trap_s *mc_trap;
	matcher_s *mc_matcher;
	ship_s *mc_ship;
	camera_s *mc_cam;
	telnet_s *mc_tel;
	rtsp_s *mc_rtsp;
} main_counters_s;

/* The Telnet and RTSP doors' refusals, evictions and ends, when they are on. */
static size_t door_counters(const main_counters_s *mc, store_counter_s *out, size_t n, size_t cap)
{
	if (mc->mc_tel != NULL) {
		telnet_stats_s ts;
		telnet_stats(mc->mc_tel, &ts);
		const store_counter_s tel[] = {
		    {"telnet_sessions", ts.ts_sessions},
		    {"telnet_refused_full", ts.ts_refused_full},
		    {"telnet_refused_ip", ts.ts_refused_ip},
		    {"telnet_refused_net", ts.ts_refused_net},
		    {"telnet_evicted", ts.ts_evicted},
		    {"telnet_ended_idle", ts.ts_ended_idle},
		    {"telnet_ended_lifetime", ts.ts_ended_lifetime},
		    {"telnet_ended_early", ts.ts_ended_early},
		};
		for (size_t i = 0; i < sizeof(tel) / sizeof(tel[0]) && n < cap; i++)
			out[n++] = tel[i];
	}
	if (mc->mc_rtsp != NULL) {
		rtsp_stats_s rs;
		rtsp_stats(mc->mc_rtsp, &rs);
		const store_counter_s rt[] = {
		    {"rtsp_sessions", rs.rs_sessions},
		    {"rtsp_refused_full", rs.rs_refused_full},
		    {"rtsp_refused_ip", rs.rs_refused_ip},
		    {"rtsp_refused_net", rs.rs_refused_net},
		    {"rtsp_evicted", rs.rs_evicted},
		    {"rtsp_ended_idle", rs.rs_ended_idle},
		    {"rtsp_ended_lifetime", rs.rs_ended_lifetime},
		    {"rtsp_ended_early", rs.rs_ended_early},
		};
		for (size_t i = 0; i < sizeof(rt) / sizeof(rt[0]) && n < cap; i++)
			out[n++] = rt[i];
	}
	return n;
}

static size_t main_counters(void *arg, store_counter_s *out, size_t cap)
{
	main_counters_s *mc = arg;
	size_t n = http_counters(mc->mc_srv, out, cap);
	trap_stats_s ts = {0};
	matcher_stats_s ms = {0};

	if (mc->mc_trap != NULL)
		trap_stats(mc->mc_trap, &ts);
	if (mc->mc_matcher != NULL)
		matcher_stats(mc->mc_matcher, &ms);
	const store_counter_s more[] = {
	    {"credentials_issued", ts.tst_issued}, {"credentials_unavailable", ts.tst_unavailable},
	    {"logins_matched", ms.ms_matched},     {"logins_unchecked", ms.ms_unchecked},
	    {"logins_match_us", ms.ms_busy_us},
	};
	for (size_t i = 0; i < sizeof(more) / sizeof(more[0]) && n < cap; i++)
		out[n++] = more[i];
	if (mc->mc_cam != NULL) {
		source_status_s so;
		camera_source_status(mc->mc_cam, &so);
		if (so.ss_live) {
			const store_counter_s src[] = {
			    {"source_frames", so.ss_frames},
			    {"source_connects", so.ss_connects},
			    {"source_failures", so.ss_failures},
			    {"source_state_now",
			     (uint64_t)so.ss_state}, /* 0 live, 1 held, 2 scene */
			};
			for (size_t i = 0; i < sizeof(src) / sizeof(src[0]) && n < cap; i++)
				out[n++] = src[i];
		}
	}
	if (mc->mc_ship != NULL) {
		ship_stats_s sh;
		ship_stats(mc->mc_ship, &sh);
		const store_counter_s ship[] = {
		    {"ship_rows", sh.ss_rows},
		    {"ship_batches", sh.ss_batches},
		    {"ship_failed_batches", sh.ss_failed_batches},
		    {"ship_pending_now", sh.ss_pending},
		    {"ship_lag_ms_now", (uint64_t)sh.ss_lag_ms},
		};
		for (size_t i = 0; i < sizeof(ship) / sizeof(ship[0]) && n < cap; i++)
			out[n++] = ship[i];
	}
	return door_counters(mc, out, n, cap);
}

/* The first line of the ClickHouse password file (read before the switch
 * of user: it may be readable by root alone). 0 or -1 with err naming the key. */
static int read_password(const char *path, char *out, size_t cap, char *err, size_t errlen)
{
	FILE *f;

	out[0] = '\0';
	if (path[0] == '\0')
		return 0;
	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "clickhouse-password-file: cannot read %.300s: %s", path,
		         strerror(errno));
		return -1;
	}
	if (fgets(out, (int)cap, f) == NULL)
		out[0] = '\0';
	fclose(f);
	out[strcspn(out, "\r\n")] = '\0';
	return 0;
}

/* Every connection needs a descriptor; leave room for files and the database. */
static void raise_nofile(int connections)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)connections + 64;

	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = want <= rl.rlim_max ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur < want)
		log_warnx("only %llu file descriptors available for %d connections",
		          (unsigned long long)rl.rlim_cur, connections);
}

/* After binding and opening every file: become user (and its group), with
 * no way back. */
static int drop_privileges(const char *user, char *err, size_t errlen)
{
	struct passwd *pw;

	if (user[0] == '\0')
		return 0;
	if ((pw = getpwnam(user)) == NULL) {
		snprintf(err, errlen, "user: no such user \"%s\"", user);
		return -1;
	}
	if (geteuid() != 0) {
		if (pw->pw_uid == geteuid())
			return 0;
		snprintf(err, errlen, "user: only root can switch to \"%s\"", user);
		return -1;
	}
	if (setgroups(0, NULL) != 0 || setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0) {
		snprintf(err, errlen, "user: cannot switch to \"%s\": %s", user, strerror(errno));
		return -1;
	}
	if (pw->pw_uid != 0 && (setuid(0) == 0 || seteuid(0) == 0)) {
		snprintf(err, errlen,
		         "user: root privileges could be regained after switching to \"%s\"", user);
		return -1;
	}
	return 0;
}

/* An RTSP request, recorded like the front's probes (route "rtsp"). */
static void rtsp_record(void *arg, const rtsp_request_info_s *ri)
{
	const front_line_s fl = {
	    .fl_addr = ri->ri_addr,
	    .fl_addrlen = sizeof(struct sockaddr_storage),
	    .fl_route = "rtsp",
	    .fl_method = ri->ri_method,
	    .fl_method_len = ri->ri_method_len,
	    .fl_target = ri->ri_uri,
	    .fl_target_len = ri->ri_uri_len,
	    .fl_ua = ri->ri_ua,
	    .fl_ua_len = ri->ri_ua_len,
	    .fl_status = ri->ri_status,
	};

	http_record_line(arg, &fl);
}

/* A WS-Discovery datagram, recorded like the front's probes (route
 * "onvif-discovery"; the target holds the Probe's Types and Scopes). */
static void discovery_record(void *arg, const discovery_info_s *di)
{
	char target[2 * SOAP_FIELD_MAX + 4];
	int n = snprintf(target, sizeof(target), "%.*s | %.*s", (int)di->di_types_len, di->di_types,
	                 (int)di->di_scopes_len, di->di_scopes);
	const front_line_s fl = {
	    .fl_addr = di->di_addr,
	    .fl_addrlen = sizeof(struct sockaddr_storage),
	    .fl_route = "onvif-discovery",
	    .fl_method = di->di_probe ? "Probe" : "UDP",
	    .fl_method_len = di->di_probe ? 5 : 3,
	    .fl_target = target,
	    .fl_target_len = n > 0 && (size_t)n < sizeof(target) ? (size_t)n : 0,
	    .fl_status = di->di_status,
	};

	http_record_line(arg, &fl);
}

/* WS-Discovery on the listen address's IP and onvif-discovery-port; its
 * datagrams are recorded by srv. NULL with err filled. */
static discovery_s *discovery_open(const config_s *cfg, http_s *srv, char *err, size_t errlen)
{
	struct sockaddr_storage wa = cfg->cfg_addr;
	int v4 = wa.ss_family == AF_INET;
	const discovery_conf_s dc = {
	    .dc_mode = (discovery_mode_e)cfg->cfg_onvif_discovery,
	    .dc_multicast = cfg->cfg_onvif_discovery_multicast,
	    .dc_pe = cfg->cfg_persona,
	    .dc_http_port = v4 ? ntohs(((const struct sockaddr_in *)&cfg->cfg_addr)->sin_port)
	                       : ntohs(((const struct sockaddr_in6 *)&cfg->cfg_addr)->sin6_port),
	    .dc_record = discovery_record,
	    .dc_arg = srv,
	};

	uint16_t port = htons((uint16_t)cfg->cfg_onvif_discovery_port);

	if (v4)
		((struct sockaddr_in *)&wa)->sin_port = port;
	else
		((struct sockaddr_in6 *)&wa)->sin6_port = port;
	return discovery_new((struct sockaddr *)&wa, cfg->cfg_addrlen, &dc, err, errlen);
}

int main(int argc, char **argv)
{
	config_s cfg;
	camera_s *cam = NULL;
	hub_s *hub = NULL;
	http_s *srv = NULL;
	geo_s *geo = NULL;
	store_s *store = NULL;
	trap_s *trap = NULL;
	matcher_s *matcher = NULL;
	credstore_s *cs = NULL;
	main_counters_s counters = {0};
	webhook_s *hook = NULL;
	telnet_s *tel = NULL;
	rtsp_s *rtsp = NULL;
	discovery_s *wsd = NULL;
	ship_s *ship = NULL;
	char ch_password[256];
	char note_text[2 * CONFIG_NAME_MAX + 4], widest[64];
	sigset_t sigs;
	char err[512];
	int sig = 0, status = 1;

	if (config_parse_args(&cfg, argc, argv, err, sizeof(err)) != 0) {
		fprintf(stderr, "camdecoy: %s\n", err);
		return 2;
	}
	if (cfg.cfg_help) {
		config_usage(stdout);
		return 0;
	}
	if (cfg.cfg_version) {
		printf("camdecoy %s\n", CAMDECOY_VERSION);
		return 0;
	}
	log_set_verbose(cfg.cfg_verbose);

	/* Signals are taken by sigwait here only; every thread inherits the mask. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	/* the scene: the configured one or the persona's; the default name follows it */
	const scene_kind_e scene = cfg.cfg_scene >= 0 ? (scene_kind_e)cfg.cfg_scene
	                                              : scene_for_persona(cfg.cfg_persona->pe_name);
	static const char *const scene_cams[] = {"SERVER ROOM 1", "OFFICE 1", "WAREHOUSE 1",
	                                         "CAR PARK 1"};
	if (strcmp(cfg.cfg_camera_name, "SERVER ROOM 1") == 0)
		snprintf(cfg.cfg_camera_name, sizeof(cfg.cfg_camera_name), "%s", scene_cams[scene]);
	/* the camera's zone: its OSD clock and its day and night (records
	 * stay UTC milliseconds); read now, before any sandbox */
	setenv("TZ", cfg.cfg_timezone, 1);
	tzset();
	snprintf(note_text, sizeof(note_text), "%s / %s", cfg.cfg_trap_user, cfg.cfg_trap_password);
	credcode_widest(widest, sizeof(widest));
	/* The picture as the persona's firmware makes it: its OSD, its face,
	 * its JPEG quality and subsampling (a configured quality or font wins). */
	const persona_picture_s *pp = cfg.cfg_persona->pe_picture;
	char osd_font[PATH_MAX];
	config_osd_font(&cfg, pp != NULL ? pp->pp_font : NULL, osd_font, sizeof(osd_font));
	if (pp != NULL && !persona_offers_size(cfg.cfg_persona, cfg.cfg_w, cfg.cfg_h))
		log_warnx("size %dx%d is not one the %s firmware offers (%s)", cfg.cfg_w, cfg.cfg_h,
		          cfg.cfg_persona->pe_name, pp->pp_sizes);
	/* The note sits low on the left by default, clear of the OSD. */
	const camera_conf_s cc = {
	    .cc_w = cfg.cfg_w,
	    .cc_h = cfg.cfg_h,
	    .cc_fps = cfg.cfg_fps,
	    .cc_quality = cfg.cfg_quality > 0 ? cfg.cfg_quality
	                  : pp != NULL        ? pp->pp_quality
	                                      : 80,
	    .cc_sub = pp != NULL ? pp->pp_sub : ENCODER_420,
	    .cc_jfif_minor = pp != NULL ? pp->pp_jfif_minor : 1,
	    .cc_osd = pp != NULL ? &pp->pp_osd : NULL,
	    .cc_video = cfg.cfg_video,
	    .cc_scene = scene,
	    .cc_daynight = cfg.cfg_daynight == 1   ? LOOK_DAY
	                   : cfg.cfg_daynight == 2 ? LOOK_NIGHT
	                                           : LOOK_AUTO,
	    .cc_fallback_ms = (int64_t)cfg.cfg_video_fallback * 1000,
	    .cc_font = osd_font,
	    .cc_note_font = cfg.cfg_font, /* the note is paper in the room, not the firmware's */
	    .cc_name = cfg.cfg_camera_name,
	    .cc_note = cfg.cfg_trap_mode != TRAP_OFF,
	    .cc_note_x = cfg.cfg_trap_x >= 0 ? cfg.cfg_trap_x : cfg.cfg_w / 26,
	    .cc_note_y = cfg.cfg_trap_y >= 0 ? cfg.cfg_trap_y : cfg.cfg_h * 4 / 5,
	    .cc_note_label = cfg.cfg_trap_label,
	    .cc_note_text = cfg.cfg_trap_mode == TRAP_STATIC ? note_text : NULL,
	    .cc_note_widest = widest,
	};
	/* --check-config opens the video and the font too: they are configuration. */
	cam = camera_new(&cc, err, sizeof(err));
	if (cam == NULL) {
		fprintf(stderr, "camdecoy: %s\n", err);
		return 2;
	}
	if (cfg.cfg_check_only) {
		camera_free(cam);
		printf("configuration OK\n");
		return 0;
	}
	/* Before anything is created as root. */
	if (geteuid() == 0 && cfg.cfg_user[0] == '\0' && !cfg.cfg_allow_root) {
		camera_free(cam);
		fprintf(stderr,
		        "camdecoy: user: refusing to run as root; give --user NAME to switch after "
		        "binding, or --allow-root\n");
		return 2;
	}
	if (read_password(cfg.cfg_clickhouse_password_file, ch_password, sizeof(ch_password), err,
	                  sizeof(err)) != 0) {
		camera_free(cam);
		fprintf(stderr, "camdecoy: %s\n", err);
		return 2;
	}
	raise_nofile(cfg.cfg_max_connections);
	if (cfg.cfg_sensor_id[0] == '\0' &&
	    gethostname(cfg.cfg_sensor_id, sizeof(cfg.cfg_sensor_id) - 1) != 0)
		snprintf(cfg.cfg_sensor_id, sizeof(cfg.cfg_sensor_id), "%s", "camdecoy");
	/* A decoy without countries still records everything else. */
	if (cfg.cfg_geoip[0] == '\0')
		log_warnx("geoip: no database configured; countries will be NULL");
	else if ((geo = geo_open(cfg.cfg_geoip, err, sizeof(err))) == NULL)
		log_warnx("%s; countries will be NULL", err);
	/* The same for autonomous systems (one handle holds both). */
	if (cfg.cfg_geoip_asn[0] == '\0')
		log_warnx("geoip-asn: no database configured; asn and as_org will be NULL");
	else if ((geo != NULL || (geo = geo_empty()) != NULL) &&
	         geo_add_asn(geo, cfg.cfg_geoip_asn, err, sizeof(err)) != 0)
		log_warnx("%s; asn and as_org will be NULL", err);
	const store_conf_s sc = {
	    .sc_db_path = cfg.cfg_db,
	    .sc_log_path = cfg.cfg_event_log,
	    .sc_sensor = cfg.cfg_sensor_id,
	    .sc_persona = cfg.cfg_persona->pe_name,
	    .sc_version = CAMDECOY_VERSION,
	    .sc_geoip_type = geo_type(geo),
	    .sc_geoip_build = geo_build_epoch(geo),
	    .sc_geoip_asn_type = geo_asn_type(geo),
	    .sc_geoip_asn_build = geo_asn_build_epoch(geo),
	    .sc_max_mb = cfg.cfg_db_max_mb,
	    .sc_retention_days = cfg.cfg_retention_days,
	    .sc_retention_truncate = cfg.cfg_retention_truncate,
	};
	store = store_open(&sc, err, sizeof(err));
	if (store == NULL) {
		/* a database refused (newer, foreign, corrupt) or unopenable is configuration */
		fprintf(stderr, "camdecoy: %s\n", err);
		geo_free(geo);
		camera_free(cam);
		return 2;
	}
	/* The matcher's connection: logins match every credential ever shown,
	 * before a restart too; numbers are reserved before any is shown. */
	if (cfg.cfg_trap_mode != TRAP_OFF) {
		uint8_t key[16];
		trap_seq_s seq = {.ts_key = key};
		if (cfg.cfg_trap_mode == TRAP_PER_VIEWER &&
		    ((cs = credstore_open(cfg.cfg_db, err, sizeof(err))) == NULL ||
		     credstore_begin(cs, key, &seq.ts_next, &seq.ts_reserved, TRAP_RESERVE_BLOCK,
		                     err, sizeof(err)) != 0))
			goto fail;
		trap = trap_new((trap_mode_e)cfg.cfg_trap_mode, cfg.cfg_trap_user,
		                cfg.cfg_trap_password,
		                cfg.cfg_trap_mode == TRAP_PER_VIEWER ? &seq : NULL);
		if (trap == NULL) {
			snprintf(err, sizeof(err), "trap: out of memory");
			goto fail;
		}
	}
	if (cfg.cfg_webhook[0] != '\0' &&
	    (hook = webhook_new(cfg.cfg_webhook, err, sizeof(err))) == NULL)
		goto fail;
	const ship_conf_s shc = {
	    .sh_url = cfg.cfg_clickhouse,
	    .sh_database = cfg.cfg_clickhouse_db,
	    .sh_user = cfg.cfg_clickhouse_user,
	    .sh_password = ch_password,
	    .sh_db_path = cfg.cfg_db,
	    .sh_sensor = cfg.cfg_sensor_id,
	    .sh_batch = cfg.cfg_clickhouse_batch,
	    .sh_interval_ms = cfg.cfg_clickhouse_interval * 1000,
	    .sh_flush_ms = 3000,
	};
	if (cfg.cfg_clickhouse[0] != '\0' && (ship = ship_new(&shc, err, sizeof(err))) == NULL)
		goto fail;
	memset(ch_password, 0, sizeof(ch_password));
	const login_ctx_s direct = {
	    .lc_store = store,
	    .lc_trap = trap,
	    .lc_hook = hook,
	    .lc_sensor = cfg.cfg_sensor_id,
	    .lc_persona = cfg.cfg_persona->pe_name,
	};
	matcher = matcher_new(&direct, cs, err, sizeof(err));
	cs = NULL; /* the matcher's now */
	if (matcher == NULL)
		goto fail;
	if (trap != NULL)
		trap_set_reserver(trap, matcher_reserve, matcher);
	login_ctx_s login = direct;
	login.lc_sink = matcher_sink(matcher);
	hub = hub_new(cam, cfg.cfg_fps, err, sizeof(err));
	if (hub == NULL)
		goto fail;
	soap_init(); /* libxml2's global state, before any request thread parses */
	srv = http_new(&cfg, hub, cam, store, geo, &login, err, sizeof(err));
	if (srv == NULL)
		goto fail;
	if (cfg.cfg_telnet[0] != '\0' &&
	    (tel = telnet_new((struct sockaddr *)&cfg.cfg_telnet_addr, cfg.cfg_telnet_addrlen,
	                      cfg.cfg_persona->pe_telnet_banner, cfg.cfg_telnet_idle,
	                      cfg.cfg_telnet_lifetime, &login, geo, err, sizeof(err))) == NULL)
		goto fail;
	const rtsp_conf_s rc = {
	    .rc_voice = cfg.cfg_persona->pe_rtsp,
	    .rc_idle_s = cfg.cfg_rtsp_idle,
	    .rc_lifetime_s = cfg.cfg_rtsp_lifetime,
	    .rc_login = &login,
	    .rc_geo = geo,
	    .rc_hub = hub,
	    .rc_w = cfg.cfg_w,
	    .rc_h = cfg.cfg_h,
	    .rc_fps = cfg.cfg_fps,
	    .rc_auth_none = cfg.cfg_rtsp_auth_none,
	    .rc_store = store,
	    .rc_cam = cam,
	    .rc_per_viewer = cfg.cfg_trap_mode == TRAP_PER_VIEWER,
	    .rc_record = rtsp_record,
	    .rc_arg = srv,
	};
	if (cfg.cfg_rtsp[0] != '\0' &&
	    (rtsp = rtsp_new((struct sockaddr *)&cfg.cfg_rtsp_addr, cfg.cfg_rtsp_addrlen, &rc, err,
	                     sizeof(err))) == NULL)
		goto fail;
	if (cfg.cfg_onvif_discovery != DISCOVERY_OFF &&
	    (wsd = discovery_open(&cfg, srv, err, sizeof(err))) == NULL)
		goto fail;
	/* Everything is bound and open: nothing below needs root. */
	if (drop_privileges(cfg.cfg_user, err, sizeof(err)) != 0)
		goto fail;
	counters = (main_counters_s){srv, trap, matcher, ship, cam, tel, rtsp};
	store_set_counters(store, main_counters, &counters);
	if (store_start(store, err, sizeof(err)) != 0 ||
	    matcher_start(matcher, err, sizeof(err)) != 0 ||
	    hub_start(hub, err, sizeof(err)) != 0 || http_start(srv, err, sizeof(err)) != 0 ||
	    (tel != NULL && telnet_start(tel, err, sizeof(err)) != 0) ||
	    (rtsp != NULL && rtsp_start(rtsp, err, sizeof(err)) != 0) ||
	    (wsd != NULL && discovery_start(wsd, err, sizeof(err)) != 0) ||
	    (ship != NULL && ship_start(ship, err, sizeof(err)) != 0))
		goto fail;
	log_info("serving persona %s on http://%s/ as uid %u (%dx%d, %d fps, %s), trap %s%s%s%s%s",
	         cfg.cfg_persona->pe_name, cfg.cfg_listen, (unsigned)geteuid(), cfg.cfg_w,
	         cfg.cfg_h, cfg.cfg_fps,
	         cfg.cfg_video[0] == '\0'                  ? "built-in scene"
	         : strstr(cfg.cfg_video, "://") != NULL    ? "live camera"
	         : strncmp(cfg.cfg_video, "/dev/", 5) == 0 ? "live device"
	                                                   : "video file",
	         cfg.cfg_trap_mode == TRAP_OFF      ? "off"
	         : cfg.cfg_trap_mode == TRAP_STATIC ? "static"
	                                            : "per-viewer",
	         tel != NULL ? ", telnet on " : "", tel != NULL ? cfg.cfg_telnet : "",
	         rtsp != NULL ? ", rtsp on " : "", rtsp != NULL ? cfg.cfg_rtsp : "");

	while (sigwait(&sigs, &sig) != 0 || (sig != SIGINT && sig != SIGTERM))
		;
	log_info("signal %d: shutting down", sig);
	status = 0;
	goto teardown;
fail:
	log_warnx("%s", err);
teardown:
	/* Reverse order of start-up: stop accepting, release parked viewers,
	 * then stop the server and the media thread's camera. */
	/* Both doors stop here (their logins go to the matcher before it
	 * stops); they are freed once the counters have been taken. */
	telnet_stop(tel);
	rtsp_stop(rtsp);
	if (tel != NULL) {
		telnet_stats_s ts;
		telnet_stats(tel, &ts);
		log_info("telnet: %llu sessions, refused %llu (full) %llu (per address) %llu (per "
		         "network), %llu evicted, ended %llu idle,"
		         " %llu at their lifetime (%llu of them early, at a full table)",
		         (unsigned long long)ts.ts_sessions, (unsigned long long)ts.ts_refused_full,
		         (unsigned long long)ts.ts_refused_ip,
		         (unsigned long long)ts.ts_refused_net, (unsigned long long)ts.ts_evicted,
		         (unsigned long long)ts.ts_ended_idle,
		         (unsigned long long)ts.ts_ended_lifetime,
		         (unsigned long long)ts.ts_ended_early);
	}
	if (rtsp != NULL) {
		rtsp_stats_s rs;
		rtsp_stats(rtsp, &rs);
		log_info(
		    "rtsp: %llu sessions, %llu requests, %llu logins (%llu answered as accepted), "
		    "refused %llu (full)"
		    " %llu (per address) %llu (per network), %llu evicted, ended %llu idle, %llu "
		    "at their lifetime (%llu of them early, at a full table), %llu malformed,"
		    " %llu at the request cap; %llu plays, %llu frames sent, %llu skipped (slow "
		    "readers)",
		    (unsigned long long)rs.rs_sessions, (unsigned long long)rs.rs_requests,
		    (unsigned long long)rs.rs_logins, (unsigned long long)rs.rs_accepted,
		    (unsigned long long)rs.rs_refused_full, (unsigned long long)rs.rs_refused_ip,
		    (unsigned long long)rs.rs_refused_net, (unsigned long long)rs.rs_evicted,
		    (unsigned long long)rs.rs_ended_idle, (unsigned long long)rs.rs_ended_lifetime,
		    (unsigned long long)rs.rs_ended_early, (unsigned long long)rs.rs_ended_bad,
		    (unsigned long long)rs.rs_ended_requests, (unsigned long long)rs.rs_plays,
		    (unsigned long long)rs.rs_frames, (unsigned long long)rs.rs_frames_skipped);
	}
	if (wsd != NULL) {
		discovery_stats_s ds;
		discovery_stats(wsd, &ds);
		log_info("onvif-discovery: %llu datagrams (%llu bytes), %llu probes, %llu answered "
		         "(%llu bytes), %llu not answered (limits)",
		         (unsigned long long)ds.ds_datagrams, (unsigned long long)ds.ds_bytes_in,
		         (unsigned long long)ds.ds_probes, (unsigned long long)ds.ds_answered,
		         (unsigned long long)ds.ds_bytes_out, (unsigned long long)ds.ds_limited);
	}
	discovery_free(wsd);
	if (srv != NULL)
		http_quiesce(srv);
	if (hub != NULL) {
		hub_stats_s st;
		hub_stop(hub);
		hub_stats(hub, &st);
		log_info("encoded %llu frames (%llu failed), %.2f ms per frame",
		         (unsigned long long)st.hs_frames, (unsigned long long)st.hs_errors,
		         st.hs_frames ? (double)st.hs_encode_us / 1000.0 / (double)st.hs_frames
		                      : 0.0);
	}
	/* Stopping the server completes every request, whose events are then
	 * flushed by the writer before it stops. */
	http_stop(srv);
	/* Every login the server and Telnet handed over is matched and queued
	 * for the writer before the counters are taken for the last time. */
	matcher_stop(matcher);
	if (store != NULL)
		store_freeze_counters(store);
	telnet_free(tel);
	rtsp_free(rtsp);
	http_free(srv);
	hub_free(hub);
	if (store != NULL) {
		store_stats_s ss;
		store_stop(store);
		store_stats(store, &ss);
		log_info("events: %llu written, %llu dropped (%llu shed at db-max-mb or for a "
		         "failing row),"
		         " %llu squeezed, %llu failed batches",
		         (unsigned long long)ss.ss_written, (unsigned long long)ss.ss_dropped,
		         (unsigned long long)ss.ss_shed, (unsigned long long)ss.ss_squeezed,
		         (unsigned long long)ss.ss_write_failures);
	}
	/* What the writer committed last ships now, for a few seconds at most. */
	if (ship != NULL) {
		ship_stats_s sh;
		ship_stop(ship);
		ship_stats(ship, &sh);
		log_info("clickhouse: %llu rows in %llu batches shipped, %llu failed batches, %llu "
		         "rows pending",
		         (unsigned long long)sh.ss_rows, (unsigned long long)sh.ss_batches,
		         (unsigned long long)sh.ss_failed_batches,
		         (unsigned long long)sh.ss_pending);
	}
	ship_free(ship);
	if (hook != NULL) {
		webhook_stats_s ws;
		webhook_stats(hook, &ws);
		log_info("webhook: %llu sent, %llu failed attempts, %llu given up, %llu dropped",
		         (unsigned long long)ws.wh_sent, (unsigned long long)ws.wh_failed_attempts,
		         (unsigned long long)ws.wh_given_up, (unsigned long long)ws.wh_dropped);
	}
	webhook_free(hook);
	matcher_free(matcher);
	credstore_close(cs);
	store_free(store);
	trap_free(trap);
	geo_free(geo);
	camera_free(cam);
	if (status == 0) {
		log_info("stopped");
	}
	return status;
}
