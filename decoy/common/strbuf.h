/* strbuf: a growing, NUL-terminated byte buffer that fails once (out of
 * memory or past its bound) and then takes nothing more. */
#ifndef CAMDECOY_STRBUF_H
#define CAMDECOY_STRBUF_H

#include <stddef.h>

typedef struct {
	char *sb_p; /* NULL until the first byte */
	size_t sb_len, sb_cap;
	size_t sb_max; /* bytes it may hold at most; 0: no bound */
	int sb_oom;    /* a byte was refused: what it holds is incomplete */
} strbuf_s;

void strbuf_add(strbuf_s *b, const char *p, size_t n);
void strbuf_str(strbuf_s *b, const char *s);
/* Empties it for reuse (keeps the memory). */
void strbuf_reset(strbuf_s *b);
void strbuf_free(strbuf_s *b);

#endif
