/* fuzz_request: routing of every persona, Referer/User-Agent classes,
 * X-Forwarded-For walking and JSON escaping of the same hostile bytes. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "escape.h"
#include "event.h"
#include "netaddr.h"
#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), *json = malloc(6 * size + 16);
	size_t np;
	const persona_s *all = persona_all(&np);
	router_match_s m;
	netaddr_cidr_s trusted[2];
	char out[64];

	memcpy(s, data, size);
	s[size] = '\0';
	for (size_t i = 0; i < np; i++) {
		router_match(&all[i], "GET", s, &m);
		router_match(&all[i], s, "/", &m);
	}
	classify_referer(s, size, "camera.example");
	classify_referer(s, size, s);
	classify_client(s, size);
	netaddr_parse_cidr("10.0.0.0/8", &trusted[0]);
	netaddr_parse_cidr("::1", &trusted[1]);
	netaddr_xff_client(s, size, trusted, 2, out, sizeof(out));
	netaddr_cidr_s c;
	netaddr_parse_cidr(s, &c);
	size_t n = escape_json_exact(json, 6 * size + 16, s, size);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)json[i] < 0x20)
			__builtin_trap(); /* a control byte survived */
	free(json);
	free(s);
	return 0;
}
