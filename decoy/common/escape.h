/* escape: attacker-written strings made safe for a terminal, CSV, HTML and JSON. */
#ifndef CAMDECOY_ESCAPE_H
#define CAMDECOY_ESCAPE_H

#include <stddef.h>

/* Each writes a NUL-terminated result into dst (cap bytes) and returns its
 * length; output that would not fit is cut at a character boundary. */

/* Terminal text: valid UTF-8 is kept except control characters (C0, DEL and
 * C1) and invisible or direction-changing ones (escape_invisible), which
 * become '?'; invalid bytes become "\xHH". */
size_t escape_text(char *dst, size_t cap, const char *src, size_t len);

/* One CSV cell, always quoted, quotes doubled, control characters replaced
 * as for text; a cell that a spreadsheet would read as a formula (first
 * character = + - @, tab or CR) gets a leading apostrophe. */
size_t escape_csv(char *dst, size_t cap, const char *src, size_t len);

/* HTML text or attribute: & < > " ' escaped, control characters as for text. */
size_t escape_html(char *dst, size_t cap, const char *src, size_t len);

/* The contents of a JSON string (no quotes): valid UTF-8 JSON whatever the
 * input; invalid bytes become U+FFFD; controls and invisible or
 * direction-changing characters are \u escapes (a surrogate pair beyond the
 * BMP), which a JSON reader turns back into the same characters. */
size_t escape_json(char *dst, size_t cap, const char *src, size_t len);

/* 1 for a code point no reader sees or that changes the direction of text
 * around it: format characters (Unicode category Cf: bidi marks, embeddings,
 * overrides and isolates, BOM, zero-width joiners, tags), the other
 * default-ignorable ones (soft hyphen, variation selectors, Hangul fillers),
 * U+2028/2029. */
int escape_invisible(unsigned cp);

/* The valid UTF-8 sequence at s (at most n bytes): its length and code
 * point, or 0 when invalid (overlong, surrogate, beyond U+10FFFF). */
size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp);

/* JSON string contents that refuse to cut (the event log's lines are whole
 * or not written): at most cap-1 bytes plus NUL, the length, or 0 when the
 * result does not fit. */
size_t escape_json_exact(char *dst, size_t cap, const char *src, size_t len);

#endif
