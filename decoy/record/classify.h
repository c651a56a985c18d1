/* classify: Referer and User-Agent classes from documented rule tables. */
#ifndef CAMDECOY_CLASSIFY_H
#define CAMDECOY_CLASSIFY_H

#include <stddef.h>

/* Referer classes: "insecam", "directory", "search", "self", "none", "other".
 * referer may be NULL (absent); host is our own Host header (NULL if absent).
 * The returned string is static. */
const char *classify_referer(const char *referer, size_t len, const char *host);

/* Extracts the lower-cased host of an absolute http(s) URL into out (cap
 * bytes); 0 on success, -1 when the value is not such a URL. */
int classify_url_host(const char *url, size_t len, char *out, size_t cap);

/* Client classes: "browser", "scanner", "player" (media players, NVR and
 * recorder libraries), "unknown". ua may be NULL (absent: scanner, since
 * every browser and player sends one). */
const char *classify_client(const char *ua, size_t len);

/* The rule tables, for docs/recording.md and the tests. */
extern const char *const classify_directory_domains[];
extern const char *const classify_search_domains[];
extern const char *const classify_scanner_tokens[];
extern const char *const classify_player_tokens[];
extern const char *const classify_browser_tokens[];

#endif
