/* strbuf: growth by doubling, one failure flag. */
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>

void strbuf_add(strbuf_s *b, const char *p, size_t n)
{
	if (b->sb_oom)
		return;
	if ((b->sb_max > 0 && b->sb_len + n + 1 > b->sb_max) || b->sb_len + n + 1 < b->sb_len) {
		b->sb_oom = 1;
		return;
	}
	if (b->sb_len + n + 1 > b->sb_cap) {
		size_t cap = b->sb_cap ? b->sb_cap : 4096;
		while (cap < b->sb_len + n + 1)
			cap *= 2;
		char *q = realloc(b->sb_p, cap);
		if (q == NULL) {
			b->sb_oom = 1;
			return;
		}
		b->sb_p = q;
		b->sb_cap = cap;
	}
	memcpy(b->sb_p + b->sb_len, p, n);
	b->sb_len += n;
	b->sb_p[b->sb_len] = '\0';
}

void strbuf_str(strbuf_s *b, const char *s)
{
	strbuf_add(b, s, strlen(s));
}

void strbuf_reset(strbuf_s *b)
{
	b->sb_len = 0;
	b->sb_oom = 0;
	if (b->sb_p != NULL)
		b->sb_p[0] = '\0';
}

void strbuf_free(strbuf_s *b)
{
	free(b->sb_p);
	b->sb_p = NULL;
	b->sb_len = b->sb_cap = 0;
	b->sb_oom = 0;
}
