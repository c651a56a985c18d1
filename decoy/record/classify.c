/* classify: Referer host and User-Agent token rules (tables documented in docs/recording.md). */
#include "classify.h"

#include <ctype.h>
#include <string.h>

/* Camera directories and device search engines. A host matches a domain when
 * it equals it or ends with "." + it. Insecam is its own class (any insecam
 * domain, any TLD), because the reference experiment counts it alone. */
const char *const classify_directory_domains[] = {
    "shodan.io",     "censys.io",    "zoomeye.org",      "fofa.info",          "fofa.so",
    "opentopia.com", "earthcam.com", "worldcam.eu",      "webcamtaxi.com",     "camhacker.com",
    "ipcamlive.com", "lookcam.com",  "webcamhopper.com", "skylinewebcams.com", NULL,
};

const char *const classify_search_domains[] = {
    "google.com", "google.co.jp", "google.de", "google.fr",     "google.co.uk", "bing.com",
    "yahoo.com",  "yahoo.co.jp",  "yandex.ru", "yandex.com",    "baidu.com",    "duckduckgo.com",
    "ecosia.org", "naver.com",    "ask.com",   "startpage.com", "qwant.com",    NULL,
};

/* Lower-case substrings of User-Agent values sent by scanners, crawlers and
 * HTTP libraries. Checked before the browser tokens: bots claim Mozilla too. */
const char *const classify_scanner_tokens[] = {
    "zgrab",
    "masscan",
    "nmap",
    "curl/",
    "wget/",
    "python-requests",
    "python-urllib",
    "aiohttp",
    "go-http-client",
    "libwww-perl",
    "java/",
    "okhttp",
    "apache-httpclient",
    "httpclient",
    "nuclei",
    "censys",
    "shodan",
    "expanse",
    "netcraft",
    "internet-measurement",
    "l9explore",
    "l9tcpid",
    "zmap",
    "httpx",
    "fasthttp",
    "bot",
    "spider",
    "crawler",
    "scan",
    "nikto",
    "sqlmap",
    "dirbuster",
    "gobuster",
    "phantomjs",
    "powershell",
    "winhttp",
    NULL,
};

/* Media players and the libraries NVRs and recorders are built on, as they
 * name themselves on HTTP and RTSP: ffmpeg ("Lavf/59.27.100" on HTTP,
 * "Lavf59.27.100" on RTSP), VLC ("VLC/3.0.18 LibVLC/3.0.18", "LibVLC/3.0.18
 * (LIVE555 Streaming Media v2022.07.14)"), GStreamer ("GStreamer/1.22.0",
 * "GStreamer souphttpsrc 1.22.0 libsoup/3.2.2"), mpv ("libmpv", "mpv
 * 0.35.1"), Motion's netcam client ("Motion-netcam/4.5.1"), ZoneMinder
 * ("ZoneMinder Live Agent/1.36"), LIVE555's own tools (openRTSP), and
 * Windows Media Player on RTSP ("WMPlayer/12.0.19041.1 guid/...", the
 * client-token of [MS-RTSP] 2.2.6.12). NVR and recorder software built on
 * ffmpeg (Frigate, Home Assistant's stream, Shinobi, Motion 4.5 on RTSP
 * and HTTP) names itself Lavf.
 * Checked after the scanner tokens, before the browser ones. */
const char *const classify_player_tokens[] = {
    "lavf",          "libvlc",  "vlc/",       "gstreamer", "libmpv",    "mpv ", "mpv/",
    "motion-netcam", "motion/", "zoneminder", "live555",   "wmplayer/", NULL,
};

const char *const classify_browser_tokens[] = {
    "chrome/", "firefox/", "safari/", "edg/", "opr/", "msie ", "trident/", NULL,
};

/* Case-insensitive substring search over a length-bounded haystack. */
static int contains_ci(const char *hay, size_t len, const char *needle)
{
	size_t nl = strlen(needle);

	for (size_t i = 0; nl <= len && i <= len - nl; i++) {
		size_t j = 0;
		while (j < nl && tolower((unsigned char)hay[i + j]) == needle[j])
			j++;
		if (j == nl)
			return 1;
	}
	return 0;
}

int classify_url_host(const char *url, size_t len, char *out, size_t cap)
{
	size_t i = 0, start, n = 0;

	if (len >= 7 && strncasecmp(url, "http://", 7) == 0)
		i = 7;
	else if (len >= 8 && strncasecmp(url, "https://", 8) == 0)
		i = 8;
	else
		return -1;
	/* skip userinfo@ if present before the first '/' */
	for (size_t j = i; j < len && url[j] != '/' && url[j] != '?' && url[j] != '#'; j++)
		if (url[j] == '@')
			i = j + 1;
	start = i;
	while (i < len && url[i] != '/' && url[i] != ':' && url[i] != '?' && url[i] != '#') {
		unsigned char c = (unsigned char)url[i];
		if (!(isalnum(c) || c == '.' || c == '-' || c == '_' || c == '[' || c == ']'))
			return -1;
		if (n + 1 >= cap)
			return -1;
		out[n++] = (char)tolower(c);
		i++;
	}
	if (i == start || cap == 0)
		return -1;
	while (n > 0 && out[n - 1] == '.') /* "www.insecam.org." */
		n--;
	out[n] = '\0';
	return n > 0 ? 0 : -1;
}

static int host_in(const char *host, const char *const *domains)
{
	size_t hl = strlen(host);

	for (; *domains != NULL; domains++) {
		size_t dl = strlen(*domains);
		if (hl == dl && strcmp(host, *domains) == 0)
			return 1;
		if (hl > dl && host[hl - dl - 1] == '.' && strcmp(host + hl - dl, *domains) == 0)
			return 1;
	}
	return 0;
}

/* Any label "insecam": insecam.org, www.insecam.org, insecam.cc, ... */
static int is_insecam(const char *host)
{
	for (const char *p = host; (p = strstr(p, "insecam")) != NULL; p += 7)
		if ((p == host || p[-1] == '.') && (p[7] == '.' || p[7] == '\0'))
			return 1;
	return 0;
}

const char *classify_referer(const char *referer, size_t len, const char *host)
{
	char rh[256], own[256];
	size_t ol = 0;

	if (referer == NULL || len == 0)
		return "none";
	if (classify_url_host(referer, len, rh, sizeof(rh)) != 0)
		return "other";
	if (is_insecam(rh))
		return "insecam";
	if (host != NULL) {
		while (host[ol] && host[ol] != ':' && ol + 1 < sizeof(own)) {
			own[ol] = (char)tolower((unsigned char)host[ol]);
			ol++;
		}
		own[ol] = '\0';
		if (ol > 0 && strcmp(own, rh) == 0)
			return "self";
	}
	if (host_in(rh, classify_directory_domains))
		return "directory";
	if (host_in(rh, classify_search_domains) || strncmp(rh, "www.google.", 11) == 0)
		return "search";
	return "other";
}

const char *classify_client(const char *ua, size_t len)
{
	if (ua == NULL || len == 0)
		return "scanner";
	for (const char *const *t = classify_scanner_tokens; *t; t++)
		if (contains_ci(ua, len, *t))
			return "scanner";
	for (const char *const *t = classify_player_tokens; *t; t++)
		if (contains_ci(ua, len, *t))
			return "player";
	if (len >= 8 && strncmp(ua, "Mozilla/", 8) == 0)
		for (const char *const *t = classify_browser_tokens; *t; t++)
			if (contains_ci(ua, len, *t))
				return "browser";
	return "unknown";
}
