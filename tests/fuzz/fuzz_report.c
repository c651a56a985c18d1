/* fuzz_report: the report tool's time parser and every escaper it writes with. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "timeparse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void no_controls(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *out = malloc(8 * size + 16);
	int64_t ms;
	size_t n;

	memcpy(s, data, size);
	s[size] = '\0';
	timeparse(s, &ms);
	n = escape_text(out, 8 * size + 16, s, size);
	no_controls(out, n);
	n = escape_csv(out, 8 * size + 16, s, size);
	no_controls(out, n);
	if (n < 2 || out[0] != '"' || out[n - 1] != '"')
		__builtin_trap();
	n = escape_html(out, 8 * size + 16, s, size);
	no_controls(out, n);
	if (memchr(out, '<', n) || memchr(out, '>', n))
		__builtin_trap();
	n = escape_json(out, 8 * size + 16, s, size);
	no_controls(out, n);
	free(out);
	free(s);
	return 0;
}
