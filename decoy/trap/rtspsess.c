/* rtspsess: one RTSP connection's session stepped by its requests, and the answers in the
 * firmware's words.
 *
 * A client (VLC, ffmpeg, a scanner) asks OPTIONS, then DESCRIBE; the camera
 * answers DESCRIBE 401 with its challenges and the client comes back with
 * Basic or Digest credentials. A trap credential (the static one, or one of
 * the recently shown) gets the SDP, then SETUP (RTP/AVP/TCP interleaved, or
 * UDP where the listener serves it), PLAY, PAUSE, GET_PARAMETER keep-alives
 * and TEARDOWN as the firmware answers them. Paths the firmware does not
 * have are 404 before any challenge, as on the real camera. Declared in
 * rtsp.h with the parser: one protocol, two files. */
#include "rtsp.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static void trim(const char **v, size_t *len)
{
	while (*len > 0 && (**v == ' ' || **v == '\t')) {
		(*v)++;
		(*len)--;
	}
	while (*len > 0 && ((*v)[*len - 1] == ' ' || (*v)[*len - 1] == '\t'))
		(*len)--;
}

/* ---- the session ---- */

static int method_is(const rtsp_req_s *rq, const char *m)
{
	/* Methods are case-sensitive (RFC 2326 6.1). */
	return rq->rr_method_len == strlen(m) && memcmp(rq->rr_method, m, rq->rr_method_len) == 0;
}

/* The request's Session names this connection's session. */
static int session_is(const rtsp_state_s *st, const rtsp_req_s *rq)
{
	const char *v = rq->rr_session;
	size_t len = rq->rr_session_len;
	const char *semi;

	if (v == NULL || st->st_session[0] == '\0')
		return 0;
	if ((semi = memchr(v, ';', len)) != NULL)
		len = (size_t)(semi - v);
	trim(&v, &len);
	return len == strlen(st->st_session) && memcmp(v, st->st_session, len) == 0;
}

static rtsp_answer_e step_setup(rtsp_state_s *st, const persona_rtsp_s *voice, const rtsp_req_s *rq,
                                const rtsp_env_s *env)
{
	rtsp_transport_s tr;

	if (st->st_phase != RTSP_PHASE_INIT && rq->rr_session != NULL && !session_is(st, rq))
		return RTSP_ANSWER_SESSION;
	if (st->st_phase == RTSP_PHASE_PLAYING)
		return RTSP_ANSWER_STATE; /* one track, set up once */
	if (rq->rr_transport == NULL ||
	    rtsp_transport_parse(rq->rr_transport, rq->rr_transport_len, &tr) != 0 ||
	    (!tr.tr_tcp && !env->en_udp))
		return RTSP_ANSWER_TRANSPORT;
	if (st->st_session[0] != '\0' && tr.tr_tcp != st->st_tr.tr_tcp)
		return RTSP_ANSWER_STATE; /* a session keeps the transport it was set up with */
	if (st->st_session[0] == '\0') {
		if (voice->pv_session_hex)
			snprintf(st->st_session, sizeof(st->st_session), "%08X", env->en_random[0]);
		else /* nine or ten digits, as the firmware's */
			snprintf(st->st_session, sizeof(st->st_session), "%u",
			         (env->en_random[0] % 2000000000u) + 100000000u);
		st->st_ssrc = env->en_random[1];
	}
	st->st_tr = tr;
	snprintf(st->st_track, sizeof(st->st_track), "%.*s",
	         (int)(rq->rr_uri_len < sizeof(st->st_track) - 1 ? rq->rr_uri_len
	                                                         : sizeof(st->st_track) - 1),
	         rq->rr_uri);
	st->st_phase = RTSP_PHASE_READY;
	return RTSP_ANSWER_SETUP;
}

rtsp_answer_e rtsp_step(rtsp_state_s *st, const persona_rtsp_s *voice, const rtsp_req_s *rq,
                        int authorized, const rtsp_env_s *env, rtsp_effect_e *effect)
{
	int describe = method_is(rq, "DESCRIBE"), setup = method_is(rq, "SETUP");

	*effect = RTSP_DO_NOTHING;
	if (method_is(rq, "OPTIONS"))
		return RTSP_ANSWER_OPTIONS;
	if ((describe || setup) && !rtsp_route(voice, rq->rr_uri, rq->rr_uri_len))
		return RTSP_ANSWER_NOT_FOUND;
	if (!authorized)
		return RTSP_ANSWER_CHALLENGE;
	/* the codec: asked again by each DESCRIBE until a session is set up,
	 * H.264 only while an encoder's place is there for it */
	if ((describe && st->st_session[0] == '\0') || (setup && st->st_codec == RTSP_CODEC_NONE)) {
		st->st_codec = rtsp_codec(voice, rq->rr_uri, rq->rr_uri_len);
		if (st->st_codec == RTSP_CODEC_H264 && env->en_h264 == NULL)
			st->st_codec = RTSP_CODEC_JPEG;
	}
	if (describe)
		return RTSP_ANSWER_DESCRIBE;
	if (setup)
		return step_setup(st, voice, rq, env);
	int play = method_is(rq, "PLAY"), pause = method_is(rq, "PAUSE"),
	    teardown = method_is(rq, "TEARDOWN"),
	    param = method_is(rq, "GET_PARAMETER") || method_is(rq, "SET_PARAMETER");
	if (!play && !pause && !teardown && !param)
		return RTSP_ANSWER_STATE;
	if (st->st_phase == RTSP_PHASE_INIT) {
		if (param && rq->rr_session == NULL)
			return RTSP_ANSWER_PARAMETER; /* a keep-alive before any session */
		return rq->rr_session != NULL ? RTSP_ANSWER_SESSION : RTSP_ANSWER_STATE;
	}
	if (!session_is(st, rq))
		return RTSP_ANSWER_SESSION;
	if (param)
		return RTSP_ANSWER_PARAMETER;
	if (teardown) {
		*effect = RTSP_DO_STOP;
		memset(st, 0, sizeof(*st));
		return RTSP_ANSWER_TEARDOWN;
	}
	if (pause) {
		if (st->st_phase == RTSP_PHASE_PLAYING)
			*effect = RTSP_DO_PAUSE;
		st->st_phase = RTSP_PHASE_READY;
		return RTSP_ANSWER_PAUSE;
	}
	if (st->st_phase != RTSP_PHASE_PLAYING) {
		*effect = RTSP_DO_PLAY;
		st->st_seq = env->en_seq;
		st->st_rtptime = env->en_rtptime;
	}
	st->st_phase = RTSP_PHASE_PLAYING;
	return RTSP_ANSWER_PLAY;
}

/* ---- answers ---- */

static const struct {
	unsigned as_status;
	const char *as_reason;
} statuses[] = {
    [RTSP_ANSWER_BAD] = {400, "Bad Request"},
    [RTSP_ANSWER_OPTIONS] = {200, "OK"},
    [RTSP_ANSWER_CHALLENGE] = {401, "Unauthorized"},
    [RTSP_ANSWER_DESCRIBE] = {200, "OK"},
    [RTSP_ANSWER_SETUP] = {200, "OK"},
    [RTSP_ANSWER_TEARDOWN] = {200, "OK"},
    [RTSP_ANSWER_STATE] = {455, "Method Not Valid in This State"},
    [RTSP_ANSWER_PLAY] = {200, "OK"},
    [RTSP_ANSWER_PAUSE] = {200, "OK"},
    [RTSP_ANSWER_PARAMETER] = {200, "OK"},
    [RTSP_ANSWER_NOT_FOUND] = {404, "Not Found"},
    [RTSP_ANSWER_SESSION] = {454, "Session Not Found"},
    [RTSP_ANSWER_TRANSPORT] = {461, "Unsupported Transport"},
};

unsigned rtsp_status(rtsp_answer_e a)
{
	return statuses[a].as_status;
}

typedef struct {
	char *b_out;
	size_t b_cap, b_len;
	int b_over;
} abuf_s;

static void put(abuf_s *b, const char *s, size_t n)
{
	if (b->b_over || n > b->b_cap - b->b_len) {
		b->b_over = 1;
		return;
	}
	memcpy(b->b_out + b->b_len, s, n);
	b->b_len += n;
}

static void puts_(abuf_s *b, const char *s)
{
	put(b, s, strlen(s));
}

static void header(abuf_s *b, const char *name, const char *v, size_t vlen)
{
	puts_(b, name);
	puts_(b, ": ");
	put(b, v, vlen);
	puts_(b, "\r\n");
}

/* The SDP template with the picture's numbers put in (and the parameter
 * sets' for H.264). */
static void sdp(abuf_s *b, const persona_rtsp_s *voice, const rtsp_state_s *st,
                const rtsp_env_s *env)
{
	int h264 = st->st_codec == RTSP_CODEC_H264 && env->en_h264 != NULL;
	const char *t = h264 ? voice->pv_sdp_h264 : voice->pv_sdp;
	char num[16];

	while (*t != '\0') {
		const char *at = strchr(t, '@');
		int v = -1;
		size_t skip = 0;

		if (at == NULL) {
			puts_(b, t);
			return;
		}
		put(b, t, (size_t)(at - t));
		if (strncmp(at, "@W@", 3) == 0)
			v = env->en_w, skip = 3;
		else if (strncmp(at, "@H@", 3) == 0)
			v = env->en_h, skip = 3;
		else if (strncmp(at, "@FPS@", 5) == 0)
			v = env->en_fps, skip = 5;
		if (h264 && (strncmp(at, "@PLID@", 6) == 0 || strncmp(at, "@SPROP@", 7) == 0)) {
			int plid = at[1] == 'P';
			puts_(b, plid ? env->en_h264->hs_plid : env->en_h264->hs_sprop);
			t = at + (plid ? 6 : 7);
			continue;
		}
		if (v < 0) {
			put(b, at, 1);
			t = at + 1;
			continue;
		}
		snprintf(num, sizeof(num), "%d", v);
		puts_(b, num);
		t = at + skip;
	}
}

static void session_header(abuf_s *b, const persona_rtsp_s *voice, const rtsp_state_s *st,
                           int with_timeout)
{
	puts_(b, "Session:");
	puts_(b, voice->pv_session_pad);
	puts_(b, st->st_session);
	if (with_timeout)
		puts_(b, voice->pv_session_timeout);
	puts_(b, "\r\n");
}

static void transport_header(abuf_s *b, const persona_rtsp_s *voice, const rtsp_state_s *st,
                             const rtsp_env_s *env)
{
	char v[160];
	char ssrc[9];

	if (voice->pv_session_hex)
		snprintf(ssrc, sizeof(ssrc), "%08X", st->st_ssrc);
	else
		snprintf(ssrc, sizeof(ssrc), "%08x", st->st_ssrc);
	if (st->st_tr.tr_tcp)
		snprintf(v, sizeof(v), "RTP/AVP/TCP;unicast;interleaved=%d-%d;ssrc=%s;mode=%s",
		         st->st_tr.tr_channel, st->st_tr.tr_channel + 1, ssrc, voice->pv_mode);
	else
		snprintf(v, sizeof(v),
		         "RTP/AVP;unicast;client_port=%d-%d;server_port=%d-%d;ssrc=%s;mode=%s",
		         st->st_tr.tr_client_port, st->st_tr.tr_client_port + 1,
		         env->en_server_port[0], env->en_server_port[1], ssrc, voice->pv_mode);
	header(b, "Transport", v, strlen(v));
}

/* The headers that set each answer apart, in the firmware's order. */
static void answer_headers(abuf_s *b, const persona_rtsp_s *voice, const rtsp_req_s *rq,
                           rtsp_answer_e a, const rtsp_state_s *st, const rtsp_env_s *env,
                           const char *nonce)
{
	char line[320];

	switch (a) {
	case RTSP_ANSWER_OPTIONS:
		header(b, "Public", voice->pv_public, strlen(voice->pv_public));
		break;
	case RTSP_ANSWER_CHALLENGE:
		for (size_t i = 0; i < 3 && voice->pv_challenges[i] != NULL; i++) {
			const char *t = voice->pv_challenges[i], *mark = strstr(t, "@NONCE@");
			puts_(b, "WWW-Authenticate: ");
			if (mark != NULL) {
				put(b, t, (size_t)(mark - t));
				puts_(b, nonce);
				puts_(b, mark + 7);
			} else {
				puts_(b, t);
			}
			puts_(b, "\r\n");
		}
		break;
	case RTSP_ANSWER_DESCRIBE: {
		/* the URI has no control byte or space (rtsp_parse): safe to echo */
		size_t ul = rq->rr_uri_len;
		char body[2048];
		abuf_s sb = {body, sizeof(body), 0, 0};
		sdp(&sb, voice, st, env);
		puts_(b, "Content-Type: application/sdp\r\nContent-Base: ");
		put(b, rq->rr_uri, ul);
		if (ul == 0 || rq->rr_uri[ul - 1] != '/')
			puts_(b, "/");
		snprintf(line, sizeof(line), "\r\nContent-Length: %zu\r\n",
		         sb.b_over ? 0 : sb.b_len);
		puts_(b, line);
		break;
	}
	case RTSP_ANSWER_SETUP:
		session_header(b, voice, st, 1);
		transport_header(b, voice, st, env);
		break;
	case RTSP_ANSWER_PLAY:
		session_header(b, voice, st, 0);
		puts_(b, "Range: npt=0.000-\r\nRTP-Info: url=");
		puts_(b, st->st_track);
		snprintf(line, sizeof(line), ";seq=%u;rtptime=%u\r\n", (unsigned)st->st_seq,
		         (unsigned)st->st_rtptime);
		puts_(b, line);
		break;
	case RTSP_ANSWER_PAUSE:
	case RTSP_ANSWER_PARAMETER:
		if (st->st_session[0] != '\0')
			session_header(b, voice, st, 0);
		break;
	default:
		break;
	}
}

size_t rtsp_answer(const persona_rtsp_s *voice, const rtsp_req_s *rq, rtsp_answer_e a,
                   const rtsp_state_s *st, const rtsp_env_s *env, const char *nonce,
                   const char *date, char *out, size_t cap)
{
	abuf_s b = {out, cap, 0, 0};
	char line[64];

	snprintf(line, sizeof(line), "RTSP/1.0 %u %s\r\n", rtsp_status(a), statuses[a].as_reason);
	puts_(&b, line);
	if (rq->rr_cseq != NULL)
		header(&b, "CSeq", rq->rr_cseq, rq->rr_cseq_len);
	if (voice->pv_server != NULL)
		header(&b, "Server", voice->pv_server, strlen(voice->pv_server));
	answer_headers(&b, voice, rq, a, st, env, nonce);
	if (date != NULL && date[0] != '\0')
		header(&b, "Date", date, strlen(date));
	puts_(&b, "\r\n");
	if (a == RTSP_ANSWER_DESCRIBE)
		sdp(&b, voice, st, env);
	return b.b_over ? 0 : b.b_len;
}
void rtsp_date(const persona_rtsp_s *voice, int64_t now_s, char *out, size_t cap)
{
	time_t t = (time_t)now_s;
	struct tm tm;

	out[0] = '\0';
	if (voice->pv_date == RTSP_DATE_NONE || gmtime_r(&t, &tm) == NULL)
		return;
	/* strftime's %a/%b follow the locale; the firmware's are English */
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	                                     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	if (voice->pv_date == RTSP_DATE_HIKVISION)
		snprintf(out, cap, " %s, %s %02d %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
		         months[tm.tm_mon], tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		         tm.tm_sec);
	else
		snprintf(out, cap, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
		         tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		         tm.tm_sec);
}
