/* fuzz_jpeg: the JPEG segment walker behind per-viewer splicing. */
#include <stddef.h>
#include <stdint.h>

#include "encoder.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t ss[64], se[64];
	int n = encoder_segments(data, size, ss, se, 64);

	for (int k = 0; k < n; k++)
		if (ss[k] > se[k] || se[k] > size)
			__builtin_trap();
	return 0;
}
