/* test_escape: a property test: 12,000 hostile strings (all bytes, invalid
 * UTF-8, terminal escapes, markup, event handlers, formulas, bidi controls,
 * invisible characters)
 * through every output format of the report tool; none may survive as
 * markup, an escape sequence or a formula. */
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "escape.h"
#include "table.h"

static const char *const payloads[] = {
    "\x1b[31mred\x1b[0m",
    "\x1b]0;title\x07",
    "\x1b]8;;http://evil/\x1b\\link\x1b]8;;\x1b\\",
    "\x9b"
    "2J",
    "\xc2\x9b"
    "2J",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "\" onmouseover=\"alert(1)",
    "' onfocus='alert(1)",
    "javascript:alert(1)",
    "</td></tr></table><script>x</script>",
    "=HYPERLINK(\"http://x\")",
    "+1+1",
    "-2+3",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    "=cmd|' /C calc'!A0",
    "\xe2\x80\xae"
    "reversed",
    "\xe2\x80\xa8"
    "ls",
    "a\0b",
    "\xff\xfe\xfd",
    "\xc0\xaf",
    "\xed\xa0\x80",
    "\xf4\x90\x80\x80",
    "\\u0022\"\\",
    "&lt;&amp;",
    "]]><!--",
    "\x7f\x08\x0c",
    /* invisible or direction-changing: LRM, RLM, ALM, BOM, ZWJ, soft
     * hyphen, tag characters, RLE, LRI, a variation selector */
    "\xe2\x80\x8e"
    "a",
    "\xe2\x80\x8f"
    "b",
    "\xd8\x9c"
    "c",
    "\xef\xbb\xbf"
    "d",
    "\xe2\x80\x8d",
    "\xc2\xad",
    "\xf3\xa0\x80\x81"
    "\xf3\xa0\x81\x81",
    "\xe2\x80\xab",
    "\xe2\x81\xa6"
    "x",
    "\xef\xb8\x8f",
};

/* What a reader must not get raw, independently of escape.c's table: the
 * C1 controls, surrogates, and the invisible and direction-changing
 * characters the issue lists and their blocks. */
static int unseen(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xad ||
	       cp == 0x61c || (cp >= 0x200b && cp <= 0x200f) || (cp >= 0x2028 && cp <= 0x202e) ||
	       (cp >= 0x2060 && cp <= 0x206f) || cp == 0xfeff || (cp >= 0xfe00 && cp <= 0xfe0f) ||
	       (cp >= 0xe0000 && cp <= 0xe007f);
}

static uint64_t rng = 88172645463325252ULL;
static uint32_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)rng;
}

/* Valid UTF-8 with no C0/DEL code point (but those allowed) nor an unseen one. */
static int clean_utf8(const unsigned char *s, size_t n, const char *allowed_ctl)
{
	for (size_t i = 0; i < n;) {
		unsigned cp;
		size_t len;
		if (s[i] < 0x80) {
			if ((s[i] < 0x20 || s[i] == 0x7f) &&
			    (allowed_ctl == NULL || strchr(allowed_ctl, s[i]) == NULL))
				return 0;
			i++;
			continue;
		}
		if (s[i] >= 0xc2 && s[i] <= 0xdf)
			len = 2, cp = s[i] & 0x1f;
		else if (s[i] >= 0xe0 && s[i] <= 0xef)
			len = 3, cp = s[i] & 0x0f;
		else if (s[i] >= 0xf0 && s[i] <= 0xf4)
			len = 4, cp = s[i] & 0x07;
		else
			return 0;
		if (i + len > n)
			return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (unseen(cp))
			return 0;
		i += len;
	}
	return 1;
}

static int json_string_ok(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			return 0;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int k = 1; k <= 4; k++)
					if (!strchr("0123456789abcdefABCDEF", p[k]) || p[k] == 0)
						return 0;
				p += 4;
			} else if (*p == 0 || !strchr("\"\\/bfnrt", *p)) {
				return 0;
			}
		}
	}
	return clean_utf8((const unsigned char *)s, strlen(s), NULL);
}

static int html_ok(const char *s)
{
	for (const char *p = s; *p; p++) {
		if (*p == '<' || *p == '>' || *p == '"' || *p == '\'')
			return 0;
		if (*p == '&' && strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
		    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) && strncmp(p, "&#39;", 5))
			return 0;
	}
	return clean_utf8((const unsigned char *)s, strlen(s), NULL);
}

static int csv_ok(const char *s)
{
	size_t n = strlen(s);

	if (n < 2 || s[0] != '"' || s[n - 1] != '"')
		return 0;
	if (n > 2 && strchr("=+-@\t\r", s[1]) != NULL)
		return 0; /* a formula would start here */
	for (size_t i = 1; i + 1 < n; i++) {
		if (s[i] == '"') {
			if (s[i + 1] != '"' || i + 2 >= n)
				return 0;
			i++;
		}
	}
	return clean_utf8((const unsigned char *)s + 1, n - 2, NULL);
}

int main(void)
{
	char in[300], out[4096];
	int bad_text = 0, bad_csv = 0, bad_html = 0, bad_json = 0, n = 0;
	static const char *const cols[] = {"value"};
	table_s *t = table_new("hostile", 1, cols, NULL);

	for (int i = 0; i < 12000; i++, n++) {
		size_t len = 0;
		int kind = i % 4;
		if (kind == 0) { /* random bytes, all values */
			len = next() % 64;
			for (size_t k = 0; k < len; k++)
				in[k] = (char)(next() & 0xff);
		} else { /* payloads glued to random bytes and each other */
			const char *p = payloads[next() % (sizeof(payloads) / sizeof(payloads[0]))];
			size_t pl = strlen(p) ? strlen(p) : 0;
			if (p[0] == 'a' && p[1] == '\0')
				pl = 3; /* "a\0b" */
			if (kind == 2)
				in[len++] = (char)(next() & 0xff);
			memcpy(in + len, p, pl);
			len += pl;
			if (kind == 3) {
				const char *q =
				    payloads[next() % (sizeof(payloads) / sizeof(payloads[0]))];
				memcpy(in + len, q, strlen(q));
				len += strlen(q);
			}
		}
		escape_text(out, sizeof(out), in, len);
		bad_text += !clean_utf8((unsigned char *)out, strlen(out), NULL);
		escape_csv(out, sizeof(out), in, len);
		bad_csv += !csv_ok(out);
		escape_html(out, sizeof(out), in, len);
		bad_html += !html_ok(out);
		escape_json(out, sizeof(out), in, len);
		bad_json += !json_string_ok(out);
		if (i < 3000) {
			const char *v[1] = {in};
			table_add(t, v, &len);
		}
	}
	printf("%d hostile strings: text %d, csv %d, html %d, json %d failures\n", n, bad_text,
	       bad_csv, bad_html, bad_json);
	CHECK(n >= 10000);
	CHECK(bad_text == 0 && bad_csv == 0 && bad_html == 0 && bad_json == 0);

	/* the same strings through the table writers, whole documents */
	for (int fmt = FMT_TEXT; fmt <= FMT_HTML; fmt++) {
		char *doc = NULL;
		size_t dl = 0;
		FILE *m = open_memstream(&doc, &dl);
		table_write(t, m, (table_fmt_e)fmt);
		fclose(m);
		if (fmt == FMT_TEXT)
			CHECK(clean_utf8((unsigned char *)doc, dl, "\n"));
		if (fmt == FMT_CSV)
			CHECK(clean_utf8((unsigned char *)doc, dl, "\r\n"));
		if (fmt == FMT_JSON)
			CHECK(clean_utf8((unsigned char *)doc, dl, "\n") && doc[0] == '[');
		if (fmt == FMT_HTML) {
			/* remove our own tags; no other markup may remain */
			static const char *const tags[] = {"<table class=\"data\" id=\"hostile\">",
			                                   "<thead>",
			                                   "</thead>",
			                                   "<tbody>",
			                                   "</tbody>",
			                                   "<tr>",
			                                   "</tr>",
			                                   "<th>",
			                                   "</th>",
			                                   "<td>",
			                                   "</td>",
			                                   "</table>"};
			for (size_t k = 0; k < sizeof(tags) / sizeof(tags[0]); k++) {
				char *p;
				while ((p = strstr(doc, tags[k])) != NULL)
					memset(p, ' ', strlen(tags[k]));
			}
			CHECK(strchr(doc, '<') == NULL && strchr(doc, '>') == NULL);
			CHECK(clean_utf8((unsigned char *)doc, dl, "\n"));
		}
		free(doc);
	}
	table_free(t);

	/* each one shown, not hidden: '?' in text, CSV and HTML; a \u escape
	 * (a surrogate pair past the BMP) in JSON, which reads back the same */
	escape_text(out, sizeof(out),
	            "a\xe2\x80\x8e"
	            "b\xd8\x9c"
	            "c",
	            8);
	CHECK(strcmp(out, "a?b?c") == 0);
	escape_csv(out, sizeof(out),
	           "\xef\xbb\xbf"
	           "=1",
	           5);
	CHECK(strcmp(out, "\"?=1\"") == 0);
	escape_html(out, sizeof(out),
	            "x\xc2\xad"
	            "y\xe2\x80\x8d",
	            7);
	CHECK(strcmp(out, "x?y?") == 0);
	escape_json(out, sizeof(out),
	            "\xe2\x80\x8f"
	            "\xf3\xa0\x80\x81"
	            "\xe2\x80\xab",
	            10);
	CHECK(strcmp(out, "\\u200f\\udb40\\udc01\\u202b") == 0);
	/* letters of right-to-left scripts are text, not controls */
	escape_text(out, sizeof(out), "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d", 8);
	CHECK(strcmp(out, "\xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d") == 0);
	return check_report();
}
