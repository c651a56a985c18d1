/* hub: the media thread that encodes on demand and hands frames to viewers. */
#ifndef CAMDECOY_HUB_H
#define CAMDECOY_HUB_H

#include <stddef.h>
#include <stdint.h>

#include "camera.h"
#include "frame.h"

typedef struct hub hub_s;

/* A parked viewer. hw_park runs under the hub lock right after the waiter is
 * queued (so a wake can never overtake it); hw_wake runs, outside the lock,
 * once per park, when a frame is published or the hub stops. */
typedef struct hub_waiter {
	struct hub_waiter *hw_next;
	void (*hw_park)(struct hub_waiter *w);
	void (*hw_wake)(struct hub_waiter *w);
	void *hw_arg;
} hub_waiter_s;

typedef struct {
	uint64_t hs_frames;    /* frames encoded */
	uint64_t hs_errors;    /* failed captures */
	uint64_t hs_encode_us; /* time spent capturing + encoding */
	int hs_viewers;
} hub_stats_s;

/* cam is borrowed and used only by the hub's thread once started. */
hub_s *hub_new(camera_s *cam, int fps, char *err, size_t errlen);
int hub_start(hub_s *hub, char *err, size_t errlen);
/* Stops the thread and wakes every parked waiter; later parks return -1. */
void hub_stop(hub_s *hub);
void hub_free(hub_s *hub);

/* Streams count as demand: the hub encodes at the frame rate while any
 * viewer is joined, and not at all otherwise. */
void hub_viewer_join(hub_s *hub);
void hub_viewer_leave(hub_s *hub);
/* Viewers joined now. */
int hub_viewers(hub_s *hub);
/* A snapshot was asked for: encode now and keep encoding for a short while,
 * so a page that polls once a second gets fresh frames without waiting. */
void hub_demand_snapshot(hub_s *hub);

/* The latest frame if it is newer than after_seq and, when max_age_ms >= 0,
 * no older than max_age_ms; a new reference, or NULL. */
frame_s *hub_latest(hub_s *hub, uint64_t after_seq, int64_t max_age_ms);

/* Parks w until a frame newer than after_seq is published. Returns 1 when
 * one already exists (not parked), 0 when parked, -1 when the hub is stopped. */
int hub_park(hub_s *hub, hub_waiter_s *w, uint64_t after_seq);

/* Sequence number of the latest frame, 0 before the first. */
uint64_t hub_seq(hub_s *hub);

/* The interval between frames in ms. */
int hub_interval_ms(const hub_s *hub);
void hub_stats(hub_s *hub, hub_stats_s *out);

int64_t hub_mono_ms(void);

#endif
