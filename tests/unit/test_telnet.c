/* test_telnet: the line editor's bound (BusyBox's: 1022 characters echoed,
 * the rest ignored), what is stored and counted of a long line, erase. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "telnet.h"

/* Feeds n bytes of in as the session does (512 at a time); the echo's
 * length (through *echoed) and whether a line ended. */
static int feed(telnet_parser_s *p, const uint8_t *in, size_t n, size_t *echoed, uint8_t *last)
{
	uint8_t out[2048];

	while (n > 0) {
		size_t chunk = n < 512 ? n : 512, used = 0, outlen = 0;
		int line = telnet_parse(p, in, chunk, &used, 1, out, sizeof(out), &outlen);
		*echoed += outlen;
		if (outlen > 0)
			*last = out[outlen - 1];
		in += used;
		n -= used;
		if (line)
			return 1;
	}
	return 0;
}

int main(void)
{
	const size_t big = 1 << 20;
	uint8_t *line = malloc(big + 1), last = 0;
	telnet_parser_s p;
	size_t echoed = 0;

	CHECK(line != NULL);
	memset(&p, 0, sizeof(p));
	memset(line, 'a', big);
	line[big] = '\r';
	/* a 1 MB line: 1022 characters echoed, then the line end */
	CHECK(feed(&p, line, big + 1, &echoed, &last) == 1);
	CHECK(echoed == 1022 + 2 && last == '\n');
	CHECK(p.tp_len == TELNET_LINE_MAX && p.tp_orig == big);
	telnet_line_reset(&p);
	/* at the bound, an erase makes room for one more character */
	echoed = 0;
	CHECK(feed(&p, line, 1500, &echoed, &last) == 0 && echoed == 1022);
	CHECK(feed(&p,
	           (const uint8_t *)"\x7f"
	                            "bc",
	           3, &echoed, &last) == 0);
	CHECK(echoed == 1023 && last == 'b' && p.tp_orig == 1501);
	/* control characters are not on the editor's line, nor echoed */
	telnet_line_reset(&p);
	echoed = 0;
	CHECK(feed(&p, (const uint8_t *)"x\x01y\r", 4, &echoed, &last) == 1);
	CHECK(echoed == 2 + 2 && p.tp_shown == 2 && p.tp_len == 3);
	free(line);
	return check_report();
}
