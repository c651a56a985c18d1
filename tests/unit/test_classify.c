/* test_classify: Referer classes (full URL and origin-only) and User-Agent classes. */
#include "check.h"
#include "classify.h"

static const char *ref(const char *r, const char *host)
{
	return classify_referer(r, r != NULL ? strlen(r) : 0, host);
}

static const char *ua(const char *u)
{
	return classify_client(u, u != NULL ? strlen(u) : 0);
}

int main(void)
{
	char host[64];

	CHECK_STR(ref("http://www.insecam.org/en/view/123/", "203.0.113.5"), "insecam");
	CHECK_STR(ref("http://www.insecam.org/", NULL), "insecam"); /* origin only */
	CHECK_STR(ref("https://insecam.org/en/bycountry/JP/", NULL), "insecam");
	CHECK_STR(ref("http://WWW.INSECAM.ORG/", NULL), "insecam");
	CHECK_STR(ref("http://www.insecam.cc/en/view/1/", NULL), "insecam");
	CHECK_STR(ref("http://insecam.org.", NULL), "insecam");
	CHECK_STR(ref("http://notinsecam.org/", NULL), "other");
	CHECK_STR(ref("http://insecamx.org/", NULL), "other");
	CHECK_STR(ref("http://evil.com/?u=http://www.insecam.org/", NULL), "other");
	CHECK_STR(ref("http://www.insecam.org@evil.com/", NULL), "other");
	CHECK_STR(ref("https://www.shodan.io/search?query=axis", NULL), "directory");
	CHECK_STR(ref("https://search.censys.io/", NULL), "directory");
	CHECK_STR(ref("https://www.google.com/", NULL), "search");
	CHECK_STR(ref("https://www.google.co.jp/search?q=camera", NULL), "search");
	CHECK_STR(ref("https://www.google.com.br/", NULL), "search");
	CHECK_STR(ref("https://duckduckgo.com/", NULL), "search");
	CHECK_STR(ref("http://203.0.113.5:8080/view/viewer_index.shtml", "203.0.113.5:8080"),
	          "self");
	CHECK_STR(ref("http://cam.example.org/", "CAM.example.org"), "self");
	CHECK_STR(ref(NULL, NULL), "none");
	CHECK_STR(ref("", NULL), "none");
	CHECK_STR(ref("android-app://com.google.android.gm/", NULL), "other");
	CHECK_STR(ref("\x1b[31m", NULL), "other");
	CHECK_STR(ref("http://", NULL), "other");
	CHECK_STR(ref("http://exa mple.com/", NULL), "other");

	CHECK(classify_url_host("http://user:pw@Host.Example:81/x", 33, host, sizeof(host)) == 0);
	CHECK_STR(host, "host.example");
	CHECK(classify_url_host("ftp://x/", 8, host, sizeof(host)) == -1);
	/* a bounded haystack: the host must not run past len */
	CHECK(classify_url_host("http://abcdef", 9, host, sizeof(host)) == 0);
	CHECK_STR(host, "ab");

	CHECK_STR(ua("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like "
	             "Gecko) Chrome/120.0 Safari/537.36"),
	          "browser");
	CHECK_STR(ua("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
	             "HeadlessChrome/120.0.0.0 Safari/537.36"),
	          "browser");
	CHECK_STR(ua("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
	             "(KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1"),
	          "browser");
	CHECK_STR(ua("Mozilla/5.0 (Windows NT 10.0; rv:109.0) Gecko/20100101 Firefox/115.0"),
	          "browser");
	CHECK_STR(ua("Mozilla/5.0 zgrab/0.x"), "scanner");
	CHECK_STR(ua("Mozilla/5.0 (compatible; CensysInspect/1.1; +https://about.censys.io/)"),
	          "scanner");
	CHECK_STR(ua("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"),
	          "scanner");
	CHECK_STR(ua("curl/7.88.1"), "scanner");
	CHECK_STR(ua("Wget/1.21.3"), "scanner");
	CHECK_STR(ua("python-requests/2.31.0"), "scanner");
	CHECK_STR(ua("Go-http-client/1.1"), "scanner");
	CHECK_STR(
	    ua("Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)"),
	    "scanner");
	CHECK_STR(ua("masscan/1.3"), "scanner");
	CHECK_STR(ua(NULL), "scanner");
	CHECK_STR(ua(""), "scanner");
	/* players, on HTTP and RTSP */
	CHECK_STR(ua("VLC/3.0.18 LibVLC/3.0.18"), "player");
	CHECK_STR(ua("LibVLC/3.0.18 (LIVE555 Streaming Media v2022.07.14)"), "player");
	CHECK_STR(ua("Lavf/59.27.100"), "player");
	CHECK_STR(ua("Lavf59.27.100"), "player");
	CHECK_STR(ua("GStreamer/1.22.0"), "player");
	CHECK_STR(ua("GStreamer souphttpsrc 1.22.0 libsoup/3.2.2"), "player");
	CHECK_STR(ua("libmpv"), "player");
	CHECK_STR(ua("mpv 0.35.1"), "player");
	CHECK_STR(ua("Motion-netcam/4.5.1"), "player");
	CHECK_STR(ua("ZoneMinder Live Agent/1.36"), "player");
	CHECK_STR(ua("LIVE555 Streaming Media v2023.01.19"), "player");
	CHECK_STR(ua("WMPlayer/12.0.19041.1 guid/3300AD50-2C39-46C0-AE0A-2A2A8C6E5B5C"), "player");
	CHECK_STR(ua("Mozilla/5.0 VLC-scanner"), "scanner"); /* scanner tokens first */
	CHECK_STR(ua("Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0"),
	          "browser");
	CHECK_STR(ua("Lavender/1.0"), "unknown");
	CHECK_STR(ua("Mozilla/4.0"), "unknown");
	return check_report();
}
