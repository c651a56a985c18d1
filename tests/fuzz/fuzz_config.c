/* fuzz_config: configuration files ("key = value" lines) of arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	config_s cfg;
	char err[512];
	FILE *f;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/camdecoy-fuzz-config-%d", (int)getpid());
	f = fopen(path, "wb");
	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	config_defaults(&cfg);
	if (config_load_file(&cfg, path, err, sizeof(err)) != 0 &&
	    memchr(err, 0x1b, strlen(err)) != NULL)
		__builtin_trap(); /* an escape byte reached the error message */
	return 0;
}
