/* fuzz_telnet: option negotiation and line assembly on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "telnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	telnet_parser_s p;
	uint8_t out[4096];
	size_t off = 0;

	memset(&p, 0, sizeof(p));
	while (off < size) {
		size_t used = 0, outlen = 0;
		int line = telnet_parse(&p, data + off, size - off, &used, (int)(off & 1), out,
		                        sizeof(out), &outlen);
		if (used == 0 || used > size - off || outlen > sizeof(out) ||
		    p.tp_len > TELNET_LINE_MAX)
			__builtin_trap();
		off += used;
		if (line)
			telnet_line_reset(&p);
	}
	return 0;
}
