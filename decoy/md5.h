/* md5: MD5 (RFC 1321), only to check HTTP Digest responses against trap credentials. */
#ifndef CAMDECOY_MD5_H
#define CAMDECOY_MD5_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint32_t md_state[4];
	uint64_t md_bytes;
	uint8_t md_buf[64];
} md5_s;

void md5_init(md5_s *m);
void md5_update(md5_s *m, const void *data, size_t len);
void md5_final(md5_s *m, uint8_t out[16]);
/* Lower-case hex digest of data, into hex[33]. */
void md5_hex(const void *data, size_t len, char hex[33]);

#endif
