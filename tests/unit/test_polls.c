/* test_polls: runs of snapshots become one view per (IP, UA), split by the gap. */
#include "check.h"
#include "polls.h"

static int64_t ids = 100;
static int64_t next_id(void *arg)
{
	(void)arg;
	return ++ids;
}

int main(void)
{
	polls_s *p = polls_new(30000, 3);
	poll_view_s v;

	/* 10 requests one second apart: one view of 9 s + one interval = 10 s */
	for (int i = 0; i < 10; i++)
		CHECK(polls_hit(p, "192.0.2.1", "UA", 2, 1000000 + i * 1000, 100, next_id, NULL, &v) == 0);
	CHECK(v.pv_id == 101 && v.pv_count == 10 && v.pv_bytes == 1000);
	CHECK(v.pv_end - v.pv_first == 10000);
	CHECK(!v.pv_new);
	/* another UA from the same IP is another viewer */
	polls_hit(p, "192.0.2.1", "UA2", 3, 1010000, 1, next_id, NULL, &v);
	CHECK(v.pv_id == 102 && v.pv_new && v.pv_end == v.pv_first);
	/* within the gap: same view; beyond it: a new one */
	polls_hit(p, "192.0.2.1", "UA", 2, 1009000 + 29000, 1, next_id, NULL, &v);
	CHECK(v.pv_id == 101);
	polls_hit(p, "192.0.2.1", "UA", 2, 1038000 + 30001, 1, next_id, NULL, &v);
	CHECK(v.pv_id == 103 && v.pv_new && v.pv_count == 1);
	/* bounded: a fourth viewer evicts the least recent */
	polls_hit(p, "192.0.2.2", NULL, 0, 1068002, 1, next_id, NULL, &v);
	polls_hit(p, "192.0.2.3", "x", 1, 1068003, 1, next_id, NULL, &v);
	CHECK(polls_count(p) <= 3);
	/* a NUL in the UA and a huge UA are fine */
	char huge[2000];
	memset(huge, 'z', sizeof(huge));
	CHECK(polls_hit(p, "192.0.2.4", huge, sizeof(huge), 1068004, 1, next_id, NULL, &v) == 0);
	CHECK(polls_hit(p, "192.0.2.4", "a\0b", 3, 1068005, 1, next_id, NULL, &v) == 0);
	polls_free(p);
	polls_free(NULL);
	return check_report();
}
