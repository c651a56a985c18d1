/* vuln: each persona's answers to its own vendor's published flaws, written from the public
 * advisories and write-ups listed in docs/exploits.md (our own bodies, none copied from a device).
 * A persona answers only its vendor's rules; every other attempt gets its usual 404 and is still
 * recorded. Nothing here runs a command, writes a file or opens a connection: the "output" of an
 * injected command is a static template chosen by the command's first word. */
#include "vuln.h"

#include <nettle/aes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot.h"

/* ---- trap credentials in leaks ---- */

int vuln_decryptor_safe(const char *s)
{
	/* the character class of the common decryptors' strings() */
	for (; *s; s++)
		if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789/"
		           "-:.,_$%'()[]<> ",
		           *s) == NULL)
			return 0;
	return 1;
}

/* A fresh credential for this requester, spelled so that the decryptors
 * recover it whole: numbers whose password ends in '!' or '#' are skipped
 * (never shown, never reused; about half). 0, or -1 when the trap is off,
 * the request is past its network's detail budget or out of numbers (the
 * leak then shows the firmware default). */
static int leak_issue(request_s *rq, trap_cred_s *out)
{
	trap_s *t = rq->rq_web->wb_login.lc_trap;
	const visitor_s *v = &rq->rq_vis;

	/* Past the network's detail budget there is no row to link a use to,
	 * and a flood must not spend the space: the firmware default instead
	 * (as a view past the budget shows no credential). */
	if (t == NULL || trap_mode(t) != TRAP_PER_VIEWER || !rq->rq_detailed)
		return -1;
	for (int i = 0; i < 16; i++) {
		if (trap_issue(t, 0, rq->rq_ts, v->vi_who.id_ip, v->vi_who.id_country, "exploit",
		               out) != 0)
			return -1;
		if (vuln_decryptor_safe(out->tc_pass))
			return 0;
	}
	memset(out, 0, sizeof(*out));
	return -1;
}

/* ---- Hikvision ---- */

/* The firmware's key, published with the decryptors (see docs/exploits.md). */
static const uint8_t hik_key[16] = {0x27, 0x99, 0x77, 0xf6, 0x2f, 0x6c, 0xfd, 0x2d,
                                    0x91, 0xcd, 0x75, 0xb8, 0x89, 0xce, 0x0c, 0x9a};
static const uint8_t hik_xor[4] = {0x73, 0x8b, 0x55, 0x44};

/* Writes s NUL-padded to width bytes at p. */
static uint8_t *field(uint8_t *p, const char *s, size_t width)
{
	size_t n = strlen(s) < width ? strlen(s) : width - 1;

	memcpy(p, s, n);
	return p + width;
}

uint8_t *vuln_hik_config(const char *model, const char *serial, const char *pass, size_t *len)
{
	/* A header block (the decryptors skip it), the device section, the
	 * network section, then the user table: name (32 bytes), password (16
	 * bytes in the firmware; 32 here, room for any trap password), level.
	 * Fixed-width, NUL-padded strings, as the firmware's flat structures. */
	const size_t size = 1024;
	uint8_t *buf = calloc(1, size), *p;
	struct aes128_ctx ctx;

	if (buf == NULL)
		return NULL;
	memcpy(buf, "\x00\x00\x04\x00HKCF\x05\x04\x00\x00", 12);
	p = buf + 16;
	p = field(p, "IP CAMERA", 32);
	p = field(p, model, 48);
	p = field(p, serial, 48);
	p = field(p, "V5.4.0", 16);
	p = field(p, "build 160530", 32);
	p = field(p, "192.0.0.64", 16);
	p = field(p, "255.255.255.0", 16);
	p = field(p, "0.0.0.0", 16);
	p = field(p, "8.8.8.8", 16);
	p += 32;
	p = field(p, "admin", 32);
	p = field(p, pass, 32);
	p = field(p, "Administrator", 16);
	for (size_t i = 0; i < size; i++)
		buf[i] ^= hik_xor[i % 4];
	aes128_set_encrypt_key(&ctx, hik_key);
	aes128_encrypt(&ctx, size, buf, buf);
	*len = size;
	return buf;
}

static void release_malloc(void *arg)
{
	free(arg);
}

/* A body we built (freed when sent); n is snprintf's answer for a buffer of
 * cap bytes, clamped to what is there. */
static void answer_owned(request_s *rq, reply_s *out, unsigned status, const char *type, char *body,
                         int n, size_t cap)
{
	size_t len = n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;

	respond_data(rq->rq_web->wb_respond, out, status, type, (const uint8_t *)body, len,
	             release_malloc, body);
}

static void answer_text(request_s *rq, reply_s *out, unsigned status, const char *type,
                        const char *text)
{
	respond_data(rq->rq_web->wb_respond, out, status, type, (const uint8_t *)text, strlen(text),
	             NULL, NULL);
}

/* The serial number: the model, a date and nine digits fixed per sensor. */
static void hik_serial(const request_s *rq, char *out, size_t cap)
{
	uint32_t h = 2166136261u;

	for (const char *s = rq->rq_web->wb_cfg->cfg_sensor_id; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	snprintf(out, cap, "%s20160530AAWR%09u", rq->rq_web->wb_pe->pe_model, h % 1000000000u);
}

static const char hik_users[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<UserList version=\"1.0\" xmlns=\"http://www.hikvision.com/ver10/XMLSchema\">\n"
    "<User version=\"1.0\" xmlns=\"http://www.hikvision.com/ver10/XMLSchema\">\n"
    "<id>1</id>\n<userName>admin</userName>\n<priority>high</priority>\n"
    "<ipAddress>0.0.0.0</ipAddress>\n<macAddress>00:00:00:00:00:00</macAddress>\n"
    "<userLevel>Administrator</userLevel>\n</User>\n</UserList>\n";

static void hik_device_info(request_s *rq, reply_s *out)
{
	char serial[96], *body = malloc(2048);
	const char *model = rq->rq_web->wb_pe->pe_model;

	if (body == NULL) {
		respond_error(rq->rq_web->wb_respond, out, ERR_500);
		return;
	}
	hik_serial(rq, serial, sizeof(serial));
	int n = snprintf(
	    body, 2048,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<DeviceInfo version=\"1.0\" xmlns=\"http://www.hikvision.com/ver10/XMLSchema\">\n"
	    "<deviceName>IP CAMERA</deviceName>\n<deviceID>88</deviceID>\n"
	    "<deviceDescription>IPCamera</deviceDescription>\n"
	    "<deviceLocation>hangzhou</deviceLocation>\n<systemContact>Hikvision.China</"
	    "systemContact>\n"
	    "<model>%s</model>\n<serialNumber>%s</serialNumber>\n"
	    "<macAddress>c0:56:e3:00:00:00</macAddress>\n"
	    "<firmwareVersion>V5.4.0</firmwareVersion>\n"
	    "<firmwareReleasedDate>build 160530</firmwareReleasedDate>\n"
	    "<encoderVersion>V7.3</encoderVersion>\n"
	    "<encoderReleasedDate>build 160407</encoderReleasedDate>\n"
	    "<bootVersion>V1.3.4</bootVersion>\n<bootReleasedDate>100316</bootReleasedDate>\n"
	    "<hardwareVersion>0x0</hardwareVersion>\n<deviceType>IPCamera</deviceType>\n"
	    "<telecontrolID>88</telecontrolID>\n<supportBeep>false</supportBeep>\n"
	    "<supportVideoLoss>false</supportVideoLoss>\n</DeviceInfo>\n",
	    model, serial);
	answer_owned(rq, out, 200, "application/xml", body, n, 2048);
}

static void hik_config(request_s *rq, reply_s *out)
{
	char serial[96];
	size_t len;
	uint8_t *cfg;
	const char *pass = "12345"; /* the firmware default, when no trap credential is issued */

	if (leak_issue(rq, &rq->rq_leak) == 0)
		pass = rq->rq_leak.tc_pass;
	hik_serial(rq, serial, sizeof(serial));
	if ((cfg = vuln_hik_config(rq->rq_web->wb_pe->pe_model, serial, pass, &len)) == NULL) {
		respond_error(rq->rq_web->wb_respond, out, ERR_500);
		return;
	}
	respond_data(rq->rq_web->wb_respond, out, 200, "application/octet-stream", cfg, len,
	             release_malloc, cfg);
}

/* ---- CVE-2021-36260: the command's "output", kept for the follow-up GET ---- */

#define WEBLIB_SLOTS 64
#define WEBLIB_NAME  32
#define WEBLIB_TTL   (10 * 60 * 1000)

typedef struct {
	char wl_name[WEBLIB_NAME + 1]; /* "/x" */
	const char *wl_output;
	int64_t wl_ts;
} weblib_s;

static pthread_mutex_t weblib_lock = PTHREAD_MUTEX_INITIALIZER;
static weblib_s weblib[WEBLIB_SLOTS];
static unsigned weblib_next;

/* Static outputs of the recon commands droppers run first. */
static const struct {
	const char *co_word, *co_output;
} outputs[] = {
    {"id", "uid=0(root) gid=0(root)\n"},
    {"whoami", "root\n"},
    {"pwd", "/home\n"},
    {"hostname", "192.0.0.64\n"},
    {"uname", "Linux 192.0.0.64 3.0.8 #1 Mon May 30 14:46:03 CST 2016 armv7l GNU/Linux\n"},
    {"cat", "root:ToCOv8qxP13qs:0:0:root:/root/:/bin/sh\n"},
    {"ls", "bin\ndav\ndev\netc\nhome\nlib\nlinuxrc\nmnt\nproc\nroot\nsbin\nsys\ntmp\nusr\nvar\n"},
    {"busybox", "BusyBox v1.19.3 (2016-05-30 14:44:32 CST) multi-call binary.\n"},
    {"ps", "  PID USER       VSZ STAT COMMAND\n    1 root      1560 S    init\n"},
};

/* The command between "$(" and ">webLib/NAME" (or ">NAME"), and NAME. */
static int parse_injection(const char *body, size_t len, char *word, size_t wcap, char *name,
                           size_t ncap)
{
	const char *open = body != NULL ? memmem(body, len, "$(", 2) : NULL, *end, *redir, *w;
	size_t k = 0;

	if (open == NULL)
		return -1;
	open += 2;
	end = memchr(open, ')', len - (size_t)(open - body));
	if (end == NULL || (redir = memchr(open, '>', (size_t)(end - open))) == NULL)
		return -1;
	for (w = open; w < redir && *w == ' '; w++)
		;
	while (w < redir && *w != ' ' && k + 1 < wcap)
		word[k++] = *w++;
	word[k] = '\0';
	redir++;
	while (redir < end && *redir == ' ')
		redir++;
	if ((size_t)(end - redir) > 7 && memcmp(redir, "webLib/", 7) == 0)
		redir += 7;
	k = 0;
	name[k++] = '/';
	while (redir < end && k + 1 < ncap &&
	       (strchr("._-", *redir) != NULL || (*redir >= 'a' && *redir <= 'z') ||
	        (*redir >= 'A' && *redir <= 'Z') || (*redir >= '0' && *redir <= '9')))
		name[k++] = *redir++;
	name[k] = '\0';
	return redir == end && k > 1 ? 0 : -1;
}

static void hik_weblanguage(request_s *rq, reply_s *out)
{
	char word[32], name[WEBLIB_NAME + 1];
	size_t kept = rq->rq_body_len < REQUEST_BODY_MAX ? rq->rq_body_len : REQUEST_BODY_MAX;

	if (parse_injection(rq->rq_body, rq->rq_body != NULL ? kept : 0, word, sizeof(word), name,
	                    sizeof(name)) == 0) {
		const char *output = "";
		for (size_t i = 0; i < sizeof(outputs) / sizeof(outputs[0]); i++)
			if (strcmp(word, outputs[i].co_word) == 0)
				output = outputs[i].co_output;
		pthread_mutex_lock(&weblib_lock);
		weblib_s *w = &weblib[weblib_next++ % WEBLIB_SLOTS];
		snprintf(w->wl_name, sizeof(w->wl_name), "%s", name);
		w->wl_output = output;
		w->wl_ts = rq->rq_ts;
		pthread_mutex_unlock(&weblib_lock);
	}
	/* The firmware parsed the XML after the shell had run the command. */
	answer_text(
	    rq, out, 500, "application/xml",
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<ResponseStatus version=\"1.0\" xmlns=\"http://www.hikvision.com/ver10/XMLSchema\">\n"
	    "<requestURL>/SDK/webLanguage</requestURL>\n<statusCode>6</statusCode>\n"
	    "<statusString>Invalid Content</statusString>\n"
	    "<subStatusCode>badXmlContent</subStatusCode>\n</ResponseStatus>\n");
}

int vuln_weblib(request_s *rq, const char *path, reply_s *out)
{
	const char *found = NULL;
	size_t plen = strcspn(path, "?");

	if (strcmp(rq->rq_web->wb_pe->pe_name, "hikvision") != 0 || plen > WEBLIB_NAME)
		return 0;
	pthread_mutex_lock(&weblib_lock);
	for (size_t i = 0; i < WEBLIB_SLOTS; i++)
		if (weblib[i].wl_name[0] != '\0' && strlen(weblib[i].wl_name) == plen &&
		    memcmp(weblib[i].wl_name, path, plen) == 0 &&
		    rq->rq_ts - weblib[i].wl_ts < WEBLIB_TTL)
			found = weblib[i].wl_output;
	pthread_mutex_unlock(&weblib_lock);
	if (found == NULL)
		return 0;
	answer_text(rq, out, 200, "text/plain", found);
	return 1;
}

/* ---- Netwave ---- */

/* The camera's id (its MAC address, 12 hex digits): Netwave's OUI
 * 00:0D:C5 and three bytes fixed per sensor. */
static void netwave_id(const request_s *rq, char *out, size_t cap)
{
	uint32_t h = 2166136261u;

	for (const char *s = rq->rq_web->wb_cfg->cfg_sensor_id; *s; s++)
		h = (h ^ (uint8_t)*s) * 16777619u;
	snprintf(out, cap, "000DC5%06X", (unsigned)(h & 0xffffff));
}

static void netwave_status(request_s *rq, reply_s *out)
{
	char id[16], *body = malloc(1024);

	if (body == NULL) {
		respond_error(rq->rq_web->wb_respond, out, ERR_500);
		return;
	}
	netwave_id(rq, id, sizeof(id));
	int n = snprintf(body, 1024,
	                 "var id='%s';\r\nvar sys_ver='11.37.2.49';\r\nvar app_ver='2.0.10.10';\r\n"
	                 "var alias='';\r\nvar now=%lld;\r\nvar tz=0;\r\nvar alarm_status=0;\r\n"
	                 "var ddns_status=0;\r\nvar ddns_host='';\r\nvar oray_type=0;\r\n"
	                 "var upnp_status=0;\r\nvar p2p_status=0;\r\nvar p2p_local_port=23505;\r\n"
	                 "var msn_status=0;\r\nvar wifi_status=0;\r\n",
	                 id, (long long)(rq->rq_ts / 1000));
	answer_owned(rq, out, 200, "text/plain", body, n, 1024);
}

/* The Ralink driver's configuration: the Wi-Fi key is the trap password. */
static void netwave_wifi(request_s *rq, reply_s *out)
{
	char *body = malloc(2048);
	const char *psk = "12345678";

	if (body == NULL) {
		respond_error(rq->rq_web->wb_respond, out, ERR_500);
		return;
	}
	if (leak_issue(rq, &rq->rq_leak) == 0)
		psk = rq->rq_leak.tc_pass;
	int n =
	    snprintf(body, 2048,
	             "#The word of \"Default\" must not be removed\nDefault\nCountryRegion=5\n"
	             "CountryRegionABand=7\nCountryCode=\nChannelGeography=1\nSSID=HOME-5G\n"
	             "NetworkType=Infra\nWirelessMode=5\nChannel=0\nBeaconPeriod=100\nTxPower=100\n"
	             "BGProtection=0\nTxPreamble=0\nRTSThreshold=2347\nFragThreshold=2346\n"
	             "TxBurst=1\nPktAggregate=0\nWmmCapable=1\nAckPolicy=0;0;0;0\n"
	             "AuthMode=WPA2PSK\nEncrypType=AES\nWPAPSK=%s\nDefaultKeyID=1\n"
	             "Key1Type=0\nKey1Str=\nPSMode=CAM\nAutoRoaming=0\nRoamThreshold=70\n",
	             psk);
	answer_owned(rq, out, 200, "text/plain", body, n, 2048);
}

/* A window of kernel memory: filler (a fixed xorshift stream) with the
 * login record, as the firmware keeps it, after the camera's id: the id,
 * the user name, the password, NUL-separated, twice. The published
 * extraction reads the strings after the id. Bounded: real kcore never
 * ends; the scripts stop reading after a while. */
#define KCORE_BYTES 65536

static void netwave_kcore(request_s *rq, reply_s *out)
{
	uint8_t *body = malloc(KCORE_BYTES);
	char id[16], rec[160];
	const char *pass = "";
	uint32_t x = 2463534242u;

	if (body == NULL) {
		respond_error(rq->rq_web->wb_respond, out, ERR_500);
		return;
	}
	for (size_t i = 0; i < KCORE_BYTES; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		/* mostly zero pages, some binary */
		body[i] = (i / 4096) % 3 == 0 ? 0 : (uint8_t)x;
	}
	if (leak_issue(rq, &rq->rq_leak) == 0)
		pass = rq->rq_leak.tc_pass;
	netwave_id(rq, id, sizeof(id));
	int n = snprintf(rec, sizeof(rec), "%s%c%c%s%c%c%s%c", id, 0, 0, "admin", 0, 0, pass, 0);
	memcpy(body + 20480, rec, (size_t)n);
	memcpy(body + 45056, rec, (size_t)n);
	respond_data(rq->rq_web->wb_respond, out, 200, "application/octet-stream", body,
	             KCORE_BYTES, release_malloc, body);
}

/* ---- Axis ---- */

/* The value of field name in a form body (len bytes), copied to out when
 * it holds only characters safe in a path; 0, or -1 (absent or unsafe). */
static int form_field(const char *body, size_t len, const char *name, char *out, size_t cap)
{
	size_t k = strlen(name);

	for (size_t i = 0; body != NULL && i + k < len; i++) {
		if ((i > 0 && body[i - 1] != '&') || memcmp(body + i, name, k) != 0 ||
		    body[i + k] != '=')
			continue;
		size_t n = 0;
		for (i += k + 1; i < len && body[i] != '&'; i++) {
			if (n + 1 >= cap ||
			    strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			           "0123456789/._-",
			           body[i]) == NULL ||
			    body[i] == '\0')
				return -1;
			out[n++] = body[i];
		}
		out[n] = '\0';
		return 0;
	}
	return -1;
}

/* CVE-2018-10661: a POST to x.html/y.srv (x.shtml too) reaches the .srv
 * handler without authorization. An action it does not know is answered
 * 303 to return_page ("Continue to" in the body: what the published
 * checker tests); action=dbus (CVE-2018-10662, the D-Bus call whose
 * SetParameter value a script later runs: CVE-2018-10660) is answered 204,
 * as the device did once it had queued the call. Nothing is called. */
static int axis_srv(request_s *rq, reply_s *out)
{
	const char *method = rq->rq_vis.vi_str[EVS_METHOD].bs_data;
	size_t kept = rq->rq_body_len < REQUEST_BODY_MAX ? rq->rq_body_len : REQUEST_BODY_MAX;
	char action[32], *buf;

	if (method == NULL || strcmp(method, "POST") != 0)
		return 0;
	if (rq->rq_body != NULL &&
	    form_field(rq->rq_body, kept, "action", action, sizeof(action)) == 0 &&
	    strcmp(action, "dbus") == 0) {
		answer_text(rq, out, 204, NULL, "");
		return 1;
	}
	if ((buf = malloc(1024)) == NULL) {
		respond_error(rq->rq_web->wb_respond, out, ERR_500);
		return 1;
	}
	/* the page in the first 768 bytes, the Location value (which must live
	 * as long as the reply) after it */
	char to[256];
	if (rq->rq_body == NULL ||
	    form_field(rq->rq_body, kept, "return_page", to, sizeof(to)) != 0 || to[0] == '\0')
		snprintf(to, sizeof(to), "%s", "/");
	int n = snprintf(buf, 768,
	                 "<html><head><title>Redirect</title></head><body>"
	                 "Continue to <a href=\"%s\">%s</a></body></html>\n",
	                 to, to);
	memcpy(buf + 768, to, sizeof(to));
	answer_owned(rq, out, 303, "text/html", buf, n, 768);
	respond_header(out, "Location", buf + 768);
	return 1;
}

/* ---- dispatch ---- */

int vuln_answer(request_s *rq, const exploit_rule_s *x, reply_s *out, web_action_e *act)
{
	const char *id = x->xr_id, *method = rq->rq_vis.vi_str[EVS_METHOD].bs_data;

	if (x->xr_vendor == NULL || strcmp(x->xr_vendor, rq->rq_web->wb_pe->pe_name) != 0)
		return 0;
	*act = WEB_REPLY;
	if (strcmp(id, "hik-cve-2017-7921-users") == 0)
		answer_text(rq, out, 200, "application/xml", hik_users);
	else if (strcmp(id, "hik-cve-2017-7921-deviceinfo") == 0)
		hik_device_info(rq, out);
	else if (strcmp(id, "hik-cve-2017-7921-config") == 0)
		hik_config(rq, out);
	else if (strcmp(id, "hik-cve-2017-7921-snapshot") == 0)
		*act = snapshot_serve(rq, out);
	else if (strcmp(id, "hik-cve-2021-36260") == 0 && method != NULL &&
	         strcmp(method, "PUT") == 0)
		hik_weblanguage(rq, out);
	else if (strcmp(id, "netwave-get-status") == 0)
		netwave_status(rq, out);
	else if (strcmp(id, "netwave-rt2870sta") == 0)
		netwave_wifi(rq, out);
	else if (strcmp(id, "netwave-cve-2018-17240-kcore") == 0)
		netwave_kcore(rq, out);
	else if (strcmp(id, "axis-cve-2018-10661") == 0)
		return axis_srv(rq, out);
	else
		return 0;
	return 1;
}
