/* fuzz_tsv: the report's reader of ClickHouse answers (TSV: escapes, \N,
 * short and long rows, lines cut across chunks) with 1 to 16 columns and
 * chunks of 1 to 16 bytes, chosen by the first byte. */
#include <stddef.h>
#include <stdint.h>

#include "chdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	const char *p = (const char *)data + 1;
	size_t n = size - 1;
	int ncols = 1 + data[0] % 16;
	int rows = chdb_tsv_rows(p, n, ncols, 1 + data[0] / 16);
	/* where the chunks end changes nothing */
	if (rows != chdb_tsv_rows(p, n, ncols, n > 0 ? n : 1))
		__builtin_trap();
	/* an answer read is one row per line, a last line without '\n' too */
	size_t lines = 0;
	for (size_t i = 0; i < n; i++)
		lines += p[i] == '\n';
	if (rows >= 0 && (size_t)rows != lines + (n > 0 && p[n - 1] != '\n'))
		__builtin_trap();
	return 0;
}
