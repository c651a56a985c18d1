/* room: what still fits under db-max-mb: the lines past which each kind of row gives way. */
#ifndef CAMDECOY_ROOM_H
#define CAMDECOY_ROOM_H

#include <stdint.h>

#include "event.h"

/* How full the database is, least full first. Each level names what stops
 * being written there (docs/recording.md). */
typedef enum {
	ROOM_ALL,          /* everything is written */
	ROOM_NO_REQUESTS,  /* requests are counted in aggregated instead */
	ROOM_NO_NEW_VIEWS, /* new views too: request threads show them no credential */
	ROOM_EVIDENCE,     /* the reserve: views shown a credential before the line are
	                    * squeezed, their credential unwritten; view updates skipped;
	                    * aggregated counts of networks without a row go to "*" */
	ROOM_USES,         /* logins that use no trap credential are counted */
	ROOM_FULL,         /* credential uses are shed: the rest is for counters and meta */
} room_e;

/* The lines in bytes of the database proper. */
typedef struct {
	int64_t rl_line[ROOM_FULL + 1]; /* the level starts at rl_line[level] */
	int64_t rl_wal;                 /* a WAL above this (a reader holds back the
	                                 * checkpoint) means the reserve */
} room_lines_s;

/* limit: bytes the database may hold (0: no cap, everything fits); wal: the
 * WAL's share of the cap. The reserve, past ROOM_EVIDENCE, is a twentieth of
 * limit and at least 32 pages. */
void room_lines(room_lines_s *l, int64_t limit, int64_t page_size, int64_t wal);

/* The level with used bytes in the database and wal in its WAL. */
room_e room_level(const room_lines_s *l, int64_t used, int64_t wal);

/* Whether ev is evidence: a login with a trap credential (exact, password
 * or static match) or its credential.use. */
int room_evidence(const event_s *ev);

/* The level at which ev's row is no longer written (a view's, new or an
 * update, at ROOM_EVIDENCE); ROOM_FULL + 1: never (it has no row). */
int room_gives_way(const event_s *ev);

#endif
