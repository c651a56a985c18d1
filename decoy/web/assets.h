/* assets: the web_ui files embedded at build time, and their page templates. */
#ifndef CAMDECOY_ASSETS_H
#define CAMDECOY_ASSETS_H

#include <stddef.h>

typedef struct {
	const char *as_path; /* relative to web_ui/, e.g. "axis/live.html" */
	const unsigned char *as_data;
	size_t as_len;
} asset_s;

extern const asset_s assets_table[];
extern const size_t assets_count;

/* NULL when no asset has that path. */
const asset_s *assets_find(const char *path);
/* Content-Type from the file name's extension. */
const char *assets_mime(const char *path);

/* Template variables: "@NAME@" in a text asset is replaced by its value,
 * HTML-escaped. Values come from the configuration, never from a request. */
typedef struct {
	const char *av_name;
	const char *av_value;
} asset_var_s;

/* Returns a malloc'd copy of the asset with variables substituted (the
 * caller's), its length in *len; NULL when out of memory. */
char *assets_render(const asset_s *as, const asset_var_s *vars, size_t nvars, size_t *len);

#endif
