/* assets: lookup, MIME types and start-up template rendering for web_ui files. */
#include "assets.h"
#include "escape.h"

#include <stdlib.h>
#include <string.h>

const asset_s *assets_find(const char *path)
{
	for (size_t i = 0; i < assets_count; i++)
		if (strcmp(assets_table[i].as_path, path) == 0)
			return &assets_table[i];
	return NULL;
}

const char *assets_mime(const char *path)
{
	static const struct {
		const char *ext, *mime;
	} types[] = {
	    {".html", "text/html"},      {".shtml", "text/html"},
	    {".htm", "text/html"},       {".asp", "text/html"},
	    {".css", "text/css"},        {".js", "application/javascript"},
	    {".ico", "image/x-icon"},    {".png", "image/png"},
	    {".gif", "image/gif"},       {".svg", "image/svg+xml"},
	    {".xml", "application/xml"}, {".txt", "text/plain"},
	};
	const char *dot = strrchr(path, '.');

	if (dot != NULL)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
			if (strcmp(dot, types[i].ext) == 0)
				return types[i].mime;
	return "application/octet-stream";
}

char *assets_render(const asset_s *as, const asset_var_s *vars, size_t nvars, size_t *len)
{
	/* Worst case per variable use: 6 bytes of escape per value byte. */
	size_t extra = 0, cap, n = 0;
	char *out;

	for (size_t v = 0; v < nvars; v++)
		extra += strlen(vars[v].av_value) * 6;
	cap = as->as_len + 1 + extra * 8;
	out = malloc(cap);
	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < as->as_len;) {
		size_t v;
		if (as->as_data[i] == '@') {
			for (v = 0; v < nvars; v++) {
				size_t nl = strlen(vars[v].av_name);
				if (i + nl + 2 <= as->as_len &&
				    memcmp(as->as_data + i + 1, vars[v].av_name, nl) == 0 &&
				    as->as_data[i + 1 + nl] == '@')
					break;
			}
			if (v < nvars && n + strlen(vars[v].av_value) * 6 + 1 < cap) {
				n += escape_html(out + n, cap - n, vars[v].av_value,
				                 strlen(vars[v].av_value));
				i += strlen(vars[v].av_name) + 2;
				continue;
			}
		}
		if (n + 1 >= cap)
			break;
		out[n++] = (char)as->as_data[i++];
	}
	out[n] = '\0';
	*len = n;
	return out;
}
