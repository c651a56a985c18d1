/* test_polls: runs of snapshots become one view per (IP, UA), split by the gap. */
#include "check.h"
#include "polls.h"

static int64_t ids = 100;
static int64_t next_id(void *arg)
{
	(void)arg;
	return ++ids;
}

static int hit(polls_s *p, const char *ip, const char *ua, size_t n, int64_t ts, uint64_t b,
               poll_view_s *v)
{
	poll_view_s *pv = polls_hit(p, ip, ua, n, ts, b, next_id, NULL);

	if (pv == NULL)
		return -1;
	*v = *pv;
	return 0;
}

int main(void)
{
	polls_s *p = polls_new(30000, 3);
	poll_view_s v;

#define HIT(ip, ua, n, ts, b) hit(p, ip, ua, n, ts, b, &v)

	/* 10 requests one second apart: one view of 9 s + one interval = 10 s */
	for (int i = 0; i < 10; i++)
		CHECK(HIT("192.0.2.1", "UA", 2, 1000000 + i * 1000, 100) == 0);
	CHECK(v.pv_id == 101 && v.pv_count == 10 && v.pv_bytes == 1000);
	CHECK(v.pv_end - v.pv_first == 10000);
	CHECK(!v.pv_new);
	/* another UA from the same IP is another viewer */
	HIT("192.0.2.1", "UA2", 3, 1010000, 1);
	CHECK(v.pv_id == 102 && v.pv_new && v.pv_end == v.pv_first);
	/* within the gap: same view; beyond it: a new one */
	HIT("192.0.2.1", "UA", 2, 1009000 + 29000, 1);
	CHECK(v.pv_id == 101);
	HIT("192.0.2.1", "UA", 2, 1038000 + 30001, 1);
	CHECK(v.pv_id == 103 && v.pv_new && v.pv_count == 1);
	/* runs past the gap are forgotten: only the new run of "UA" is held */
	CHECK(polls_count(p) == 1);
	polls_free(p);

	/* bounded: a fourth viewer within the gap evicts the least recently seen */
	p = polls_new(30000, 3);
	int64_t a, b, c, d;
	HIT("198.51.100.1", "A", 1, 2000000, 1);
	a = v.pv_id;
	HIT("198.51.100.2", "B", 1, 2000001, 1);
	b = v.pv_id;
	HIT("198.51.100.3", "C", 1, 2000002, 1);
	c = v.pv_id;
	HIT("198.51.100.1", "A", 1, 2000003, 1); /* A is now the most recent: B the least */
	CHECK(v.pv_id == a && !v.pv_new && polls_count(p) == 3);
	HIT("198.51.100.4", "D", 1, 2000004, 1);
	d = v.pv_id;
	CHECK(v.pv_new && polls_count(p) == 3);
	HIT("198.51.100.1", "A", 1, 2000005, 1);
	CHECK(v.pv_id == a && !v.pv_new && v.pv_count == 3);
	HIT("198.51.100.3", "C", 1, 2000006, 1);
	CHECK(v.pv_id == c && !v.pv_new);
	HIT("198.51.100.2", "B", 1, 2000007, 1); /* B was evicted: a new view, D goes */
	CHECK(v.pv_new && v.pv_id != b && polls_count(p) == 3);
	HIT("198.51.100.4", "D", 1, 2000008, 1);
	CHECK(v.pv_new && v.pv_id != d);
	/* a NUL in the UA and a huge UA are fine */
	char huge[2000];
	memset(huge, 'z', sizeof(huge));
	CHECK(HIT("192.0.2.4", huge, sizeof(huge), 1068004, 1) == 0);
	CHECK(HIT("192.0.2.4", "a\0b", 3, 1068005, 1) == 0);
	polls_free(p);
	polls_free(NULL);
	return check_report();
}
