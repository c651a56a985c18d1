/* front: our own acceptor in front of libmicrohttpd: it sees a connection's first bytes before the
 * server does. */
#ifndef CAMDECOY_FRONT_H
#define CAMDECOY_FRONT_H

#include "frontscan.h"

typedef struct front front_s;

front_s *front_new(const front_conf_s *conf, char *err, size_t errlen);
int front_start(front_s *f, char *err, size_t errlen);
/* Stops accepting and closes the connections still waiting for bytes. */
void front_stop(front_s *f);
void front_free(front_s *f);

#endif
