/* escape: one UTF-8 walker behind every output format of the report tool. */
#include "escape.h"

#include <stdio.h>
#include <string.h>

#include "event.h"

static int is_control(unsigned cp)
{
	/* C0, DEL, C1, and the bidirectional overrides that can disguise text. */
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

typedef struct {
	char *o_dst;
	size_t o_cap, o_len;
	int o_full;
} out_s;

static void put(out_s *o, const char *s, size_t n)
{
	if (o->o_full || o->o_len + n + 1 > o->o_cap) {
		o->o_full = 1;
		return;
	}
	memcpy(o->o_dst + o->o_len, s, n);
	o->o_len += n;
}

typedef enum { MODE_TEXT, MODE_CSV, MODE_HTML } mode_e;

/* 1 when every byte is printable ASCII that mode leaves alone. */
static int plain(const unsigned char *s, size_t len, mode_e mode)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = s[i];
		if (c < 0x20 || c >= 0x7f)
			return 0;
		if (mode == MODE_CSV && c == '"')
			return 0;
		if (mode == MODE_HTML && (c == '&' || c == '<' || c == '>' || c == '"' || c == '\''))
			return 0;
	}
	return 1;
}

static size_t walk(char *dst, size_t cap, const char *src, size_t len, mode_e mode)
{
	const unsigned char *s = (const unsigned char *)src;
	out_s o = {dst, cap, 0, 0};

	if (cap == 0)
		return 0;
	/* the common case, millions of times in a big report: copy as is */
	if (mode != MODE_CSV && len + 1 <= cap && plain(s, len, mode)) {
		memcpy(dst, src, len);
		dst[len] = '\0';
		return len;
	}
	if (mode == MODE_CSV) {
		put(&o, "\"", 1);
		if (len > 0 && strchr("=+-@\t\r", s[0]) != NULL)
			put(&o, "'", 1);
		o.o_cap = cap > 1 ? cap - 1 : cap; /* room for the closing quote */
	}
	for (size_t i = 0; i < len && !o.o_full;) {
		unsigned cp = 0;
		size_t n = event_utf8_next(s + i, len - i, &cp);
		char tmp[8];

		if (n == 0) {
			snprintf(tmp, sizeof(tmp), "\\x%02x", s[i]);
			put(&o, tmp, 4);
			i++;
			continue;
		}
		if (is_control(cp))
			put(&o, "?", 1);
		else if (mode == MODE_CSV && cp == '"')
			put(&o, "\"\"", 2);
		else if (mode == MODE_HTML && cp == '&')
			put(&o, "&amp;", 5);
		else if (mode == MODE_HTML && cp == '<')
			put(&o, "&lt;", 4);
		else if (mode == MODE_HTML && cp == '>')
			put(&o, "&gt;", 4);
		else if (mode == MODE_HTML && cp == '"')
			put(&o, "&quot;", 6);
		else if (mode == MODE_HTML && cp == '\'')
			put(&o, "&#39;", 5);
		else
			put(&o, (const char *)s + i, n);
		i += n;
	}
	if (mode == MODE_CSV) {
		/* the cell stays closed even when cut */
		o.o_cap = cap;
		o.o_full = 0;
		put(&o, "\"", 1);
	}
	dst[o.o_len] = '\0';
	return o.o_len;
}

size_t escape_text(char *dst, size_t cap, const char *src, size_t len)
{
	return walk(dst, cap, src, len, MODE_TEXT);
}

size_t escape_csv(char *dst, size_t cap, const char *src, size_t len)
{
	return walk(dst, cap, src, len, MODE_CSV);
}

size_t escape_html(char *dst, size_t cap, const char *src, size_t len)
{
	return walk(dst, cap, src, len, MODE_HTML);
}

size_t escape_json(char *dst, size_t cap, const char *src, size_t len)
{
	/* The decoy's own escaper: the report writes what the event log writes.
	 * It refuses to cut; on overflow, escape a shorter prefix. */
	size_t n;

	while ((n = event_json_escape(dst, cap, src, len)) == 0 && len > 0)
		len /= 2;
	if (n == 0 && cap > 0)
		dst[0] = '\0';
	return n;
}
