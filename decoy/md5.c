/* md5: a straightforward MD5 following the RFC 1321 description. */
#include "md5.h"

#include <stdio.h>
#include <string.h>

static uint32_t rol(uint32_t x, int c)
{
	return (x << c) | (x >> (32 - c));
}

/* Per-round shift amounts and the sine-derived constants of RFC 1321 3.4. */
static const int shifts[64] = {
	7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
	5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 5, 9,  14, 20,
	4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
	6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
};

static uint32_t table[64];

static void make_table(void)
{
	/* T[i] = floor(2^32 * |sin(i + 1)|) (RFC 1321 3.4), written out so that
	 * no floating point is involved. */
	static const uint32_t t[64] = {
		0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613,
		0xfd469501, 0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193,
		0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d,
		0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed,
		0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122,
		0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70, 0x289b7ec6, 0xeaa127fa,
		0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244,
		0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
		0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb,
		0xeb86d391,
	};
	memcpy(table, t, sizeof(table));
}

static void block(md5_s *m, const uint8_t *p)
{
	uint32_t w[16], a = m->md_state[0], b = m->md_state[1], c = m->md_state[2], d = m->md_state[3];

	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] | (uint32_t)p[4 * i + 1] << 8 | (uint32_t)p[4 * i + 2] << 16 |
		       (uint32_t)p[4 * i + 3] << 24;
	for (int i = 0; i < 64; i++) {
		uint32_t f;
		int g;
		if (i < 16) {
			f = (b & c) | (~b & d);
			g = i;
		} else if (i < 32) {
			f = (d & b) | (~d & c);
			g = (5 * i + 1) % 16;
		} else if (i < 48) {
			f = b ^ c ^ d;
			g = (3 * i + 5) % 16;
		} else {
			f = c ^ (b | ~d);
			g = (7 * i) % 16;
		}
		uint32_t tmp = d;
		d = c;
		c = b;
		b = b + rol(a + f + table[i] + w[g], shifts[i]);
		a = tmp;
	}
	m->md_state[0] += a;
	m->md_state[1] += b;
	m->md_state[2] += c;
	m->md_state[3] += d;
}

void md5_init(md5_s *m)
{
	if (table[0] == 0)
		make_table();
	m->md_state[0] = 0x67452301;
	m->md_state[1] = 0xefcdab89;
	m->md_state[2] = 0x98badcfe;
	m->md_state[3] = 0x10325476;
	m->md_bytes = 0;
}

void md5_update(md5_s *m, const void *data, size_t len)
{
	const uint8_t *p = data;
	size_t have = (size_t)(m->md_bytes % 64);

	m->md_bytes += len;
	while (len > 0) {
		size_t take = 64 - have < len ? 64 - have : len;
		memcpy(m->md_buf + have, p, take);
		have += take;
		p += take;
		len -= take;
		if (have == 64) {
			block(m, m->md_buf);
			have = 0;
		}
	}
}

void md5_final(md5_s *m, uint8_t out[16])
{
	uint64_t bits = m->md_bytes * 8;
	uint8_t pad = 0x80, zero = 0, len[8];

	md5_update(m, &pad, 1);
	while (m->md_bytes % 64 != 56)
		md5_update(m, &zero, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (8 * i));
	md5_update(m, len, 8);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (uint8_t)(m->md_state[i] >> (8 * j));
}

void md5_hex(const void *data, size_t len, char hex[33])
{
	md5_s m;
	uint8_t d[16];

	md5_init(&m);
	md5_update(&m, data, len);
	md5_final(&m, d);
	for (int i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}
