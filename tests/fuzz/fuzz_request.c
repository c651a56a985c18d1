/* fuzz_request: routing of every persona, Referer/User-Agent classes,
 * X-Forwarded-For walking, JSON escaping of the same hostile bytes, and the
 * front acceptor's look at a connection's first bytes (every line it
 * reports lies within the buffer and within its bound). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "escape.h"
#include "event.h"
#include "front.h"
#include "netaddr.h"
#include "router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *fz_base;
static size_t fz_size;

static void in_buffer(const char *p, size_t n)
{
	if (p != NULL &&
	    ((const uint8_t *)p < fz_base || (const uint8_t *)p + n > fz_base + fz_size))
		__builtin_trap();
}

static void fz_record(void *arg, const front_line_s *fl)
{
	(void)arg;
	if (fl->fl_method_len > FRONT_FIELD_MAX || fl->fl_target_len > FRONT_FIELD_MAX ||
	    fl->fl_ua_len > FRONT_FIELD_MAX)
		__builtin_trap();
	in_buffer(fl->fl_method, fl->fl_method_len);
	in_buffer(fl->fl_target, fl->fl_target_len);
	in_buffer(fl->fl_ua, fl->fl_ua_len);
}

static void fz_field(void *arg, const char *name, size_t name_len, const char *value,
                     size_t value_len)
{
	(void)arg;
	in_buffer(name, name_len);
	in_buffer(value, value_len);
}

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
	/* an exact-size copy, so that a read past the end is ASan's to see */
	uint8_t *exact = malloc(size ? size : 1);
	memcpy(exact, data, size);
	fz_base = exact;
	fz_size = size;
	for (int http10 = 0; http10 < 2; http10++) {
		const front_conf_s fc = {.fc_peek_max = size,
		                         .fc_closes = http10,
		                         .fc_body_max = 4096,
		                         .fc_record = fz_record};
		unsigned flags;
		size_t blen, boff;
		for (int in = 0; in < 4; in++) {
			if (front_analyse(&fc, exact, size, in, NULL, 0, &flags) != FRONT_HTTP)
				continue;
			/* the head the server reads its fields from, with lengths */
			boff = front_body_span(exact, size, &blen);
			if (boff > size || blen > size - boff)
				__builtin_trap();
			const uint8_t *t;
			size_t tl;
			front_head_target(exact, boff, &t, &tl);
			in_buffer((const char *)t, tl);
			front_head_fields(exact, boff, fz_field, NULL);
		}
	}
	free(exact);
	for (size_t i = 0; i < np; i++) {
		router_match(&all[i], "GET", s, strlen(s), &m);
		router_match(&all[i], s, "/", 1, &m);
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
