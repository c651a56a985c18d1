/* fuzz_event: hostile header fields through to an event and its JSON line.
 * The input is split at NUL bytes into method, path, query, User-Agent,
 * Referer, X-Forwarded-For, username and password; every event kind is
 * built from them and written as JSON, which must stay one line without raw
 * control bytes and with every field bounded. Also the network truncation
 * used by retention and the detail budget. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify.h"
#include "event.h"
#include "netaddr.h"

#define JSON_CAP 65536

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0}, off = 0;
	char *json = malloc(JSON_CAP), net[64];
	const char *s = (const char *)data;

	for (int f = 0; f < EVS_MAX && off <= size; f++) {
		const char *nul = memchr(s + off, '\0', size - off);
		size_t n = nul != NULL ? (size_t)(nul - (s + off)) : size - off;
		strs[f] = s + off;
		lens[f] = n;
		off += n + 1;
	}
	for (int kind = EV_REQUEST; kind <= EV_CREDENTIAL_USE; kind++) {
		event_s *ev = event_new((event_kind_e)kind, strs, lens);
		if (ev == NULL)
			continue;
		for (int f = 0; f < EVS_MAX; f++)
			if (ev->ev_str[f] != NULL &&
			    (ev->ev_len[f] > lens[f] || strlen(ev->ev_str[f]) > ev->ev_len[f]))
				__builtin_trap(); /* a stored field longer than what came */
		ev->ev_referer_class =
		    classify_referer(strs[EVS_REFERER], lens[EVS_REFERER], "cam.example");
		ev->ev_client_class = classify_client(strs[EVS_USER_AGENT], lens[EVS_USER_AGENT]);
		ev->ev_route = "page";
		ev->ev_view_kind = VIEW_STREAM;
		ev->ev_channel = "form";
		ev->ev_match_kind = "none";
		size_t n = event_json(ev, "sensor\"\n", "axis", json, JSON_CAP);
		if (n >= JSON_CAP || (n > 0 && (json[0] != '{' || json[n - 1] != '}')))
			__builtin_trap();
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)json[i] < 0x20)
				__builtin_trap(); /* a control byte (a newline) survived */
		event_free(ev);
	}
	if (strs[EVS_FORWARDED] != NULL &&
	    netaddr_truncate(strs[EVS_FORWARDED], lens[EVS_FORWARDED], 24, 48, net, sizeof(net)) ==
	        0 &&
	    strchr(net, '/') == NULL)
		__builtin_trap();
	free(json);
	return 0;
}
