/* fuzz_tsv: the report's reader of ClickHouse answers (TSV: escapes, \N,
 * short and long rows) with 1 to 16 columns, chosen by the first byte. */
#include <stddef.h>
#include <stdint.h>

#include "chdb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int rows = chdb_tsv_rows((const char *)data + 1, size - 1, 1 + data[0] % 16);
	/* at most one row per line, and lines end at '\n' */
	size_t lines = 0;
	for (size_t i = 1; i < size; i++)
		lines += data[i] == '\n';
	if (rows < 0 || (size_t)rows > lines + 1)
		__builtin_trap();
	return 0;
}
