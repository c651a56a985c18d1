/* dispatch: the handler's last call: a request routed to what answers it (dispatch.c). */
#ifndef CAMDECOY_DISPATCH_H
#define CAMDECOY_DISPATCH_H

#include "request.h"

/* Routes and answers the request: the persona's 414/431/413, its firmware's
 * answer to its own vendor's flaws, then its route. */
web_action_e dispatch_request(request_s *rq, const char *url, const request_head_s *head,
                              reply_s *out);

#endif
