/* hubfeed: the hub's frames for a poll() loop: a descriptor that becomes readable when a frame is
 * published. */
#ifndef CAMDECOY_HUBFEED_H
#define CAMDECOY_HUBFEED_H

#include "hub.h"

typedef struct hubfeed hubfeed_s;

/* hub is borrowed; it must be stopped (hub_stop wakes every parked waiter)
 * before hubfeed_free. NULL when out of descriptors or memory. */
hubfeed_s *hubfeed_new(hub_s *hub);
void hubfeed_free(hubfeed_s *f);
/* Poll it for POLLIN. */
int hubfeed_fd(const hubfeed_s *f);
/* The newest frame not yet taken (a new reference), or NULL; after a NULL
 * the feed is parked and its descriptor turns readable with the next one.
 * Frames in between are skipped: a live picture has no backlog. */
frame_s *hubfeed_next(hubfeed_s *f);

#endif
