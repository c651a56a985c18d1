/* fuzz_config: configuration files ("key = value" lines) of arbitrary bytes,
 * and the same bytes as the value of every key of the key table. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_keys.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An escape byte in an error message would reach the operator's terminal. */
static void no_escape(const char *err)
{
	if (memchr(err, 0x1b, strlen(err)) != NULL)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[64];
	config_s cfg;
	char err[512], value[2048];
	size_t n;
	const key_s *keys = config_keys(&n);
	FILE *f;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "/tmp/camdecoy-fuzz-config-%d", (int)getpid());
	f = fopen(path, "wb");
	if (f == NULL)
		return 0;
	fwrite(data, 1, size, f);
	fclose(f);
	config_defaults(&cfg);
	if (config_load_file(&cfg, path, err, sizeof(err)) != 0)
		no_escape(err);
	/* the input up to its first NUL, as the value of each key */
	size = size < sizeof(value) - 1 ? size : sizeof(value) - 1;
	memcpy(value, data, size);
	value[size] = '\0';
	for (size_t i = 0; i < n; i++) {
		config_defaults(&cfg);
		if (config_set(&cfg, keys[i].k_name, value, err, sizeof(err)) != 0) {
			no_escape(err);
			if (strncmp(err, keys[i].k_name, strlen(keys[i].k_name)) != 0)
				__builtin_trap(); /* an error that does not name its key */
		}
	}
	return 0;
}
