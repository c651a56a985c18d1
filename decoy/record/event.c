/* event: bounded event records and their JSON form. */
#include "event.h"
#include "escape.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[EV_KIND_MAX] = {
    [EV_REQUEST] = "http.request",        [EV_VIEW_OPEN] = "view.open",
    [EV_VIEW_PROGRESS] = "view.progress", [EV_VIEW_CLOSE] = "view.close",
    [EV_LOGIN] = "login.attempt",         [EV_CREDENTIAL_USE] = "credential.use",
    [EV_EXPLOIT] = "exploit.attempt",
};

static const size_t str_max[EVS_MAX] = {
    [EVS_METHOD] = EV_METHOD_MAX,       [EVS_PATH] = EV_PATH_MAX,
    [EVS_QUERY] = EV_QUERY_MAX,         [EVS_USER_AGENT] = EV_USER_AGENT_MAX,
    [EVS_REFERER] = EV_REFERER_MAX,     [EVS_FORWARDED] = EV_FORWARDED_MAX,
    [EVS_USERNAME] = EV_CREDENTIAL_MAX, [EVS_PASSWORD] = EV_CREDENTIAL_MAX,
    [EVS_PAYLOAD] = EV_PAYLOAD_MAX,     [EVS_IOC_URLS] = EV_IOC_MAX,
    [EVS_IOC_IPS] = EV_IOC_MAX,         [EVS_IOC_HOSTS] = EV_IOC_MAX,
    [EVS_IOC_FETCH] = EV_IOC_MAX,
};

const char *event_kind_name(event_kind_e kind)
{
	return kind > 0 && kind < EV_KIND_MAX ? kind_names[kind] : "unknown";
}

const char *event_view_kind_name(view_kind_e kind)
{
	return kind == VIEW_STREAM ? "stream"
	       : kind == VIEW_POLL ? "poll"
	       : kind == VIEW_RTSP ? "rtsp"
	                           : NULL;
}

size_t event_str_max(event_str_e which)
{
	return str_max[which];
}

event_s *event_new(event_kind_e kind, const char *const strs[EVS_MAX], const size_t lens[EVS_MAX])
{
	size_t orig[EVS_MAX] = {0}, keep[EVS_MAX] = {0}, total = sizeof(event_s);
	event_s *ev;
	char *p;

	for (int i = 0; i < EVS_MAX; i++) {
		if (strs == NULL || strs[i] == NULL)
			continue;
		orig[i] = lens != NULL ? lens[i] : strlen(strs[i]);
		keep[i] = orig[i] < str_max[i] ? orig[i] : str_max[i];
		total += keep[i] + 1;
	}
	ev = calloc(1, total);
	if (ev == NULL)
		return NULL;
	ev->ev_kind = kind;
	p = (char *)(ev + 1);
	for (int i = 0; i < EVS_MAX; i++) {
		if (strs == NULL || strs[i] == NULL)
			continue;
		memcpy(p, strs[i], keep[i]);
		p[keep[i]] = '\0';
		ev->ev_str[i] = p;
		ev->ev_len[i] = keep[i];
		ev->ev_orig_len[i] = orig[i];
		p += keep[i] + 1;
	}
	return ev;
}

size_t event_bytes(const event_s *ev)
{
	size_t n = sizeof(*ev);

	for (int i = 0; i < EVS_MAX; i++)
		if (ev->ev_str[i] != NULL)
			n += ev->ev_len[i] + 1;
	return n;
}

void event_free(event_s *ev)
{
	free(ev);
}

typedef struct {
	char *jb_buf;
	size_t jb_cap, jb_len;
	int jb_overflow;
} json_buf_s;

static void jb_raw(json_buf_s *jb, const char *s, size_t len)
{
	if (jb->jb_overflow || jb->jb_len + len >= jb->jb_cap) {
		jb->jb_overflow = 1;
		return;
	}
	memcpy(jb->jb_buf + jb->jb_len, s, len);
	jb->jb_len += len;
	jb->jb_buf[jb->jb_len] = '\0';
}

static void jb_key(json_buf_s *jb, const char *key)
{
	jb_raw(jb, jb->jb_len > 1 ? ",\"" : "\"", jb->jb_len > 1 ? 2 : 1);
	jb_raw(jb, key, strlen(key));
	jb_raw(jb, "\":", 2);
}

static void jb_str(json_buf_s *jb, const char *key, const char *s, size_t len)
{
	size_t n;

	jb_key(jb, key);
	if (s == NULL) {
		jb_raw(jb, "null", 4);
		return;
	}
	jb_raw(jb, "\"", 1);
	if (jb->jb_overflow)
		return;
	n = escape_json_exact(jb->jb_buf + jb->jb_len, jb->jb_cap - jb->jb_len, s, len);
	if (n == 0 && len != 0) {
		jb->jb_overflow = 1;
		return;
	}
	jb->jb_len += n;
	jb_raw(jb, "\"", 1);
}

static void jb_cstr(json_buf_s *jb, const char *key, const char *s)
{
	jb_str(jb, key, s, s != NULL ? strlen(s) : 0);
}

static void jb_int(json_buf_s *jb, const char *key, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);

	jb_key(jb, key);
	jb_raw(jb, tmp, (size_t)n);
}

size_t event_json(const event_s *ev, const char *sensor, const char *persona, char *buf, size_t cap)
{
	static const char *const str_keys[EVS_MAX] = {
	    "method",        "path",      "query",    "user_agent", "referer",
	    "forwarded_for", "username",  "password", "payload",    "ioc_urls",
	    "ioc_ips",       "ioc_hosts", "ioc_fetch"};
	json_buf_s jb = {buf, cap, 0, 0};

	jb_raw(&jb, "{", 1);
	jb_cstr(&jb, "event", event_kind_name(ev->ev_kind));
	jb_int(&jb, "ts", ev->ev_ts);
	jb_cstr(&jb, "sensor", sensor);
	jb_cstr(&jb, "persona", persona);
	jb_cstr(&jb, "src_ip", ev->ev_who.id_ip);
	if (ev->ev_who.id_peer_ip[0])
		jb_cstr(&jb, "peer_ip", ev->ev_who.id_peer_ip);
	if (ev->ev_who.id_port)
		jb_int(&jb, "src_port", ev->ev_who.id_port);
	jb_cstr(&jb, "country", ev->ev_who.id_country[0] ? ev->ev_who.id_country : NULL);
	if (ev->ev_who.id_asn != 0)
		jb_int(&jb, "asn", ev->ev_who.id_asn);
	if (ev->ev_who.id_as_org[0])
		jb_str(&jb, "as_org", ev->ev_who.id_as_org, strlen(ev->ev_who.id_as_org));
	for (int i = 0; i < EVS_MAX; i++) {
		char lk[32];
		if (ev->ev_str[i] == NULL)
			continue;
		jb_str(&jb, str_keys[i], ev->ev_str[i], ev->ev_len[i]);
		if (ev->ev_orig_len[i] != ev->ev_len[i]) {
			snprintf(lk, sizeof(lk), "%s_len", str_keys[i]);
			jb_int(&jb, lk, (int64_t)ev->ev_orig_len[i]);
		}
	}
	if (ev->ev_referer_class)
		jb_cstr(&jb, "referer_class", ev->ev_referer_class);
	if (ev->ev_client_class)
		jb_cstr(&jb, "client_class", ev->ev_client_class);
	if (ev->ev_kind == EV_REQUEST) {
		jb_cstr(&jb, "route", ev->ev_route);
		if (ev->ev_forwarded != NULL)
			jb_cstr(&jb, "forwarded_status", ev->ev_forwarded);
		if (ev->ev_refused != NULL)
			jb_cstr(&jb, "refused", ev->ev_refused);
		jb_int(&jb, "status", ev->ev_status);
		jb_int(&jb, "bytes", (int64_t)ev->ev_bytes);
	}
	if (ev->ev_view_id) {
		jb_int(&jb, "view_id", ev->ev_view_id);
		if (ev->ev_view_kind != VIEW_NONE)
			jb_cstr(&jb, "view_kind", event_view_kind_name(ev->ev_view_kind));
	}
	if (ev->ev_kind == EV_VIEW_OPEN || ev->ev_kind == EV_VIEW_PROGRESS ||
	    ev->ev_kind == EV_VIEW_CLOSE) {
		jb_int(&jb, "started_at", ev->ev_started_at);
		if (ev->ev_last_frame_at)
			jb_int(&jb, "last_frame_at", ev->ev_last_frame_at);
		jb_int(&jb, "frames", (int64_t)ev->ev_frames);
		jb_int(&jb, "view_bytes", (int64_t)ev->ev_bytes);
	}
	if (ev->ev_kind == EV_VIEW_OPEN && ev->ev_trap_pass[0]) {
		jb_cstr(&jb, "trap_username", ev->ev_trap_user);
		jb_cstr(&jb, "trap_password", ev->ev_trap_pass);
	}
	if (ev->ev_kind == EV_LOGIN || ev->ev_kind == EV_CREDENTIAL_USE) {
		jb_cstr(&jb, "channel", ev->ev_channel);
		jb_cstr(&jb, "match_kind", ev->ev_match_kind);
		if (ev->ev_trap_seq != 0)
			jb_int(&jb, "matched_seq",
			       (int64_t)ev->ev_trap_seq); /* a leak: exploits.trap_seq */
		/* a view's credential, or a leak's (no view: the requester it was
		 * leaked to, and when) */
		if (ev->ev_matched_view || (ev->ev_trap_seq != 0 && ev->ev_shown_at != 0)) {
			if (ev->ev_matched_view)
				jb_int(&jb, "matched_view", ev->ev_matched_view);
			jb_cstr(&jb, "view_src_ip", ev->ev_view_ip);
			jb_cstr(&jb, "view_country",
			        ev->ev_view_country[0] ? ev->ev_view_country : NULL);
			jb_cstr(&jb, "view_referer_class", ev->ev_view_referer_class);
			jb_int(&jb, "shown_at", ev->ev_shown_at);
			jb_int(&jb, "lag_ms", ev->ev_ts - ev->ev_shown_at);
			jb_int(&jb, "moved_ip", ev->ev_moved_ip);
			jb_int(&jb, "moved_country", ev->ev_moved_country);
		}
	}
	if (ev->ev_kind == EV_EXPLOIT) {
		jb_cstr(&jb, "channel", ev->ev_channel != NULL ? ev->ev_channel : "http");
		jb_cstr(&jb, "exploit", ev->ev_exploit_id);
		jb_cstr(&jb, "cve", ev->ev_cve);
		jb_cstr(&jb, "family", ev->ev_family);
		jb_int(&jb, "status", ev->ev_status);
		jb_int(&jb, "answered", ev->ev_answered);
		if (ev->ev_trap_pass[0]) {
			jb_cstr(&jb, "trap_username", ev->ev_trap_user);
			jb_cstr(&jb, "trap_password", ev->ev_trap_pass);
		}
	}
	if (ev->ev_kind == EV_VIEW_CLOSE) {
		jb_int(&jb, "ended_at", ev->ev_ended_at);
		jb_int(&jb, "duration_ms", ev->ev_ended_at - ev->ev_started_at);
		jb_cstr(&jb, "end_reason", ev->ev_end_reason);
	}
	jb_raw(&jb, "}", 1);
	return jb.jb_overflow ? 0 : jb.jb_len;
}
