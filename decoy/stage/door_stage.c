/* door_stage: the doors beside the web (Telnet, RTSP, WS-Discovery), each
 * from its own keys; what they answered is recorded by the web server, and
 * their figures logged when they stop. */
#include "stage.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>

#include "log.h"
#include "soap.h"

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

static rtsp_conf_s rtsp_conf_from(const daemon_s *dm)
{
	const config_s *cfg = dm->dm_cfg;

	return (rtsp_conf_s){
	    .rc_voice = cfg->cfg_persona->pe_rtsp,
	    .rc_idle_s = cfg->cfg_rtsp_idle,
	    .rc_lifetime_s = cfg->cfg_rtsp_lifetime,
	    .rc_login = &dm->dm_login,
	    .rc_geo = dm->dm_geo,
	    .rc_hub = dm->dm_hub,
	    .rc_w = cfg->cfg_w,
	    .rc_h = cfg->cfg_h,
	    .rc_fps = cfg->cfg_fps,
	    .rc_auth_none = cfg->cfg_rtsp_auth_none,
	    .rc_store = dm->dm_store,
	    .rc_cam = dm->dm_cam,
	    .rc_per_viewer = cfg->cfg_trap_mode == TRAP_PER_VIEWER,
	    .rc_record = rtsp_record,
	    .rc_arg = dm->dm_srv,
	};
}

/* WS-Discovery on the listen address's IP and onvif-discovery-port. */
static discovery_s *discovery_from(const daemon_s *dm, char *err, size_t errlen)
{
	const config_s *cfg = dm->dm_cfg;
	struct sockaddr_storage wa = cfg->cfg_addr;
	int v4 = wa.ss_family == AF_INET;
	uint16_t port = htons((uint16_t)cfg->cfg_onvif_discovery_port);
	const discovery_conf_s dc = {
	    .dc_mode = (discovery_mode_e)cfg->cfg_onvif_discovery,
	    .dc_multicast = cfg->cfg_onvif_discovery_multicast,
	    .dc_pe = cfg->cfg_persona,
	    .dc_http_port = v4 ? ntohs(((const struct sockaddr_in *)&cfg->cfg_addr)->sin_port)
	                       : ntohs(((const struct sockaddr_in6 *)&cfg->cfg_addr)->sin6_port),
	    .dc_record = discovery_record,
	    .dc_arg = dm->dm_srv,
	};

	if (v4)
		((struct sockaddr_in *)&wa)->sin_port = port;
	else
		((struct sockaddr_in6 *)&wa)->sin6_port = port;
	return discovery_new((struct sockaddr *)&wa, cfg->cfg_addrlen, &dc, err, errlen);
}

/* Each door that is on, bound now (before the switch of user). */
int door_stage_open(daemon_s *dm, char *err, size_t errlen)
{
	const config_s *cfg = dm->dm_cfg;
	const rtsp_conf_s rc = rtsp_conf_from(dm);

	if (cfg->cfg_telnet[0] != '\0' &&
	    (dm->dm_tel = telnet_new((const struct sockaddr *)&cfg->cfg_telnet_addr,
	                             cfg->cfg_telnet_addrlen, cfg->cfg_persona->pe_telnet_banner,
	                             cfg->cfg_telnet_idle, cfg->cfg_telnet_lifetime, &dm->dm_login,
	                             dm->dm_geo, err, errlen)) == NULL)
		return -1;
	if (cfg->cfg_rtsp[0] != '\0' &&
	    (dm->dm_rtsp = rtsp_new((const struct sockaddr *)&cfg->cfg_rtsp_addr,
	                            cfg->cfg_rtsp_addrlen, &rc, err, errlen)) == NULL)
		return -1;
	if (cfg->cfg_onvif_discovery != DISCOVERY_OFF &&
	    (dm->dm_wsd = discovery_from(dm, err, errlen)) == NULL)
		return -1;
	return 0;
}

int door_stage_start(daemon_s *dm, char *err, size_t errlen)
{
	if ((dm->dm_tel != NULL && telnet_start(dm->dm_tel, err, errlen) != 0) ||
	    (dm->dm_rtsp != NULL && rtsp_start(dm->dm_rtsp, err, errlen) != 0) ||
	    (dm->dm_wsd != NULL && discovery_start(dm->dm_wsd, err, errlen) != 0))
		return -1;
	return 0;
}

static void telnet_log(telnet_s *tel)
{
	telnet_stats_s ts;

	telnet_stats(tel, &ts);
	log_info("telnet: %llu sessions, refused %llu (full) %llu (per address) %llu (per "
	         "network), %llu evicted, ended %llu idle,"
	         " %llu at their lifetime (%llu of them early, at a full table)",
	         (unsigned long long)ts.ts_sessions, (unsigned long long)ts.ts_refused_full,
	         (unsigned long long)ts.ts_refused_ip, (unsigned long long)ts.ts_refused_net,
	         (unsigned long long)ts.ts_evicted, (unsigned long long)ts.ts_ended_idle,
	         (unsigned long long)ts.ts_ended_lifetime, (unsigned long long)ts.ts_ended_early);
}

static void rtsp_log(rtsp_s *rtsp)
{
	rtsp_stats_s rs;

	rtsp_stats(rtsp, &rs);
	log_info("rtsp: %llu sessions, %llu requests, %llu logins (%llu answered as accepted), "
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

static void discovery_log(discovery_s *wsd)
{
	discovery_stats_s ds;

	discovery_stats(wsd, &ds);
	log_info("onvif-discovery: %llu datagrams (%llu bytes), %llu probes, %llu answered "
	         "(%llu bytes), %llu not answered (limits)",
	         (unsigned long long)ds.ds_datagrams, (unsigned long long)ds.ds_bytes_in,
	         (unsigned long long)ds.ds_probes, (unsigned long long)ds.ds_answered,
	         (unsigned long long)ds.ds_bytes_out, (unsigned long long)ds.ds_limited);
}

/* The first step of shutdown: the doors stop (their logins go to the
 * matcher before it stops) and log their figures; WS-Discovery is freed,
 * Telnet and RTSP once the counters have been taken. */
void door_stage_stop(daemon_s *dm)
{
	telnet_stop(dm->dm_tel);
	rtsp_stop(dm->dm_rtsp);
	if (dm->dm_tel != NULL)
		telnet_log(dm->dm_tel);
	if (dm->dm_rtsp != NULL)
		rtsp_log(dm->dm_rtsp);
	if (dm->dm_wsd != NULL)
		discovery_log(dm->dm_wsd);
	discovery_free(dm->dm_wsd);
	dm->dm_wsd = NULL;
}

void door_stage_free(daemon_s *dm)
{
	telnet_free(dm->dm_tel);
	rtsp_free(dm->dm_rtsp);
	dm->dm_tel = NULL;
	dm->dm_rtsp = NULL;
}
