/* escape: attacker bytes made safe for a terminal, CSV, HTML and JSON: one UTF-8
 * decoder behind every format of the decoy and the report tool. */
#include "escape.h"

#include <stdio.h>
#include <string.h>

size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Invisible and direction-changing code points: every format character
 * (general category Cf: the bidi marks U+200E/200F/061C, embeddings,
 * overrides and isolates, the BOM, ZWJ/ZWNJ, tag characters) and every
 * other default-ignorable one (soft hyphen, variation selectors, Hangul
 * fillers), after Unicode 15's DerivedCoreProperties; and U+2028/2029.
 * A reader cannot see them, and they can reorder or hide what is shown. */
static const struct {
	unsigned lo, hi;
} invisible[] = {
    {0x00ad, 0x00ad},   {0x034f, 0x034f},   {0x0600, 0x0605},   {0x061c, 0x061c},
    {0x06dd, 0x06dd},   {0x070f, 0x070f},   {0x0890, 0x0891},   {0x08e2, 0x08e2},
    {0x115f, 0x1160},   {0x17b4, 0x17b5},   {0x180b, 0x180f},   {0x200b, 0x200f},
    {0x2028, 0x202e},   {0x2060, 0x206f},   {0x3164, 0x3164},   {0xfe00, 0xfe0f},
    {0xfeff, 0xfeff},   {0xffa0, 0xffa0},   {0xfff0, 0xfffb},   {0x110bd, 0x110bd},
    {0x110cd, 0x110cd}, {0x13430, 0x1343f}, {0x1bca0, 0x1bca3}, {0x1d173, 0x1d17a},
    {0xe0000, 0xe0fff},
};

int escape_invisible(unsigned cp)
{
	size_t lo = 0, hi = sizeof(invisible) / sizeof(invisible[0]);

	if (cp < 0xad)
		return 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (cp < invisible[mid].lo)
			hi = mid;
		else if (cp > invisible[mid].hi)
			lo = mid + 1;
		else
			return 1;
	}
	return 0;
}

/* Characters JSON keeps legal but readers should not see raw: C1 controls
 * (a terminal may obey them), and the invisible ones above (U+2028/2029
 * also break JavaScript string literals). */
static int escaped_cp(unsigned c)
{
	return (c >= 0x80 && c <= 0x9f) || escape_invisible(c);
}

size_t escape_json_exact(char *dst, size_t cap, const char *src, size_t len)
{
	const unsigned char *s = (const unsigned char *)src;
	size_t n = 0, k;

	/* fast path: printable ASCII with nothing to escape is copied as is */
	for (k = 0; k < len && s[k] >= 0x20 && s[k] < 0x7f && s[k] != '"' && s[k] != '\\'; k++)
		;
	if (k == len) {
		if (len >= cap)
			return 0;
		memcpy(dst, src, len);
		dst[len] = '\0';
		return len;
	}
	for (size_t i = 0; i < len;) {
		char tmp[16];
		const char *rep = tmp;
		size_t rl, adv = 1;
		unsigned cp;

		if (s[i] == '"') {
			rep = "\\\"";
		} else if (s[i] == '\\') {
			rep = "\\\\";
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", s[i]);
		} else if (s[i] < 0x80) {
			tmp[0] = (char)s[i];
			tmp[1] = '\0';
		} else {
			adv = utf8_next(s + i, len - i, &cp);
			if (adv == 0) {
				rep = "\\ufffd"; /* invalid byte: the database keeps the original */
				adv = 1;
			} else if (escaped_cp(cp) && cp > 0xffff) {
				/* beyond the BMP (tag characters): a surrogate pair */
				snprintf(tmp, sizeof(tmp), "\\u%04x\\u%04x",
				         0xd800 + ((cp - 0x10000) >> 10),
				         0xdc00 + ((cp - 0x10000) & 0x3ff));
			} else if (escaped_cp(cp)) {
				snprintf(tmp, sizeof(tmp), "\\u%04x", cp);
			} else {
				memcpy(tmp, s + i, adv);
				tmp[adv] = '\0';
			}
		}
		rl = strlen(rep);
		if (n + rl >= cap)
			return 0;
		memcpy(dst + n, rep, rl);
		n += rl;
		i += adv;
	}
	if (n >= cap)
		return 0;
	dst[n] = '\0';
	return n;
}

static int is_control(unsigned cp)
{
	/* C0, DEL, C1, and what cannot be seen or changes direction. */
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || escape_invisible(cp);
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
		if (mode == MODE_HTML &&
		    (c == '&' || c == '<' || c == '>' || c == '"' || c == '\''))
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
		size_t n = utf8_next(s + i, len - i, &cp);
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
	/* The event log's escaper: the report writes what the event log writes.
	 * It refuses to cut; on overflow, escape a shorter prefix. */
	size_t n;

	while ((n = escape_json_exact(dst, cap, src, len)) == 0 && len > 0)
		len /= 2;
	if (n == 0 && cap > 0)
		dst[0] = '\0';
	return n;
}
