/* router: request method and path -> the persona's route, without sockets. */
#ifndef CAMDECOY_ROUTER_H
#define CAMDECOY_ROUTER_H

#include "webface.h"

typedef enum {
	ROUTER_OK,         /* rm_route is set */
	ROUTER_NOT_FOUND,  /* the persona's 404 */
	ROUTER_BAD_METHOD, /* the persona's 405 */
} router_result_e;

typedef struct {
	router_result_e rm_result;
	const persona_route_s *rm_route;
	int rm_head; /* HEAD: headers only */
} router_match_s;

/* path (len bytes, any byte: one with a NUL matches no route) may carry a
 * query string ("?..."): it is ignored, because directories append
 * cache-busters to every stored URL. Never fails; the answer is in out. */
void router_match(const persona_s *pe, const char *method, const char *path, size_t len,
                  router_match_s *out);

#endif
