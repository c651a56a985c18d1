/* room: the space policy under db-max-mb as plain arithmetic, unit-tested without a database.
 *
 * Most precious last: requests give way first, then new views, then (in the
 * reserve) logins that use no trap credential, and credential uses only in
 * the last pages, which counters and meta need to record a clean stop. No
 * flood of views can reach the reserve: request threads stop showing
 * credentials at ROOM_NO_NEW_VIEWS, and the writer writes no new view past
 * ROOM_EVIDENCE whatever was shown. */
#include "room.h"

#include <string.h>

void room_lines(room_lines_s *l, int64_t limit, int64_t page_size, int64_t wal)
{
	int64_t reserve = limit / 20;

	memset(l, 0, sizeof(*l));
	if (limit <= 0) {
		for (int i = ROOM_NO_REQUESTS; i <= ROOM_FULL; i++)
			l->rl_line[i] = INT64_MAX;
		l->rl_wal = INT64_MAX;
		return;
	}
	if (reserve < 32 * page_size)
		reserve = 32 * page_size;
	l->rl_line[ROOM_EVIDENCE] = limit - reserve;
	l->rl_line[ROOM_NO_NEW_VIEWS] = l->rl_line[ROOM_EVIDENCE] - limit / 20;
	l->rl_line[ROOM_NO_REQUESTS] = l->rl_line[ROOM_NO_NEW_VIEWS] - limit / 10;
	l->rl_line[ROOM_USES] = limit - reserve / 2;
	l->rl_line[ROOM_FULL] = limit - reserve / 8;
	l->rl_wal = wal > 0 ? wal : INT64_MAX;
}

room_e room_level(const room_lines_s *l, int64_t used, int64_t wal)
{
	room_e level = ROOM_ALL;

	for (int i = ROOM_NO_REQUESTS; i <= ROOM_FULL; i++)
		if (used >= l->rl_line[i])
			level = (room_e)i;
	/* A WAL that cannot be checkpointed is space used too. */
	if (wal > l->rl_wal && level < ROOM_EVIDENCE)
		level = ROOM_EVIDENCE;
	return level;
}

int room_evidence(const event_s *ev)
{
	const char *m = ev->ev_match_kind;

	if (ev->ev_kind == EV_CREDENTIAL_USE)
		return 1;
	return ev->ev_kind == EV_LOGIN && m != NULL && strcmp(m, "none") != 0 &&
	       strcmp(m, "username-only") != 0;
}

int room_gives_way(const event_s *ev)
{
	switch (ev->ev_kind) {
	case EV_REQUEST:
	case EV_EXPLOIT: /* a request's detail, no more */
		return ROOM_NO_REQUESTS;
	case EV_VIEW_OPEN:
	case EV_VIEW_PROGRESS:
	case EV_VIEW_CLOSE:
		return ROOM_EVIDENCE; /* a new view and an update alike */
	case EV_LOGIN:
		return room_evidence(ev) ? ROOM_FULL : ROOM_USES;
	default:
		return ROOM_FULL + 1;
	}
}
