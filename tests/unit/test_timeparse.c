/* test_timeparse: --since/--until values, with and without zones. */
#include <stdlib.h>

#include "check.h"
#include "timeparse.h"

int main(void)
{
	int64_t ms = 0;

	setenv("TZ", "UTC0", 1);
	CHECK(timeparse("2026-02-09", &ms) == 0 && ms == 1770595200000);
	CHECK(timeparse("2026-02-09T09:00", &ms) == 0 && ms == 1770627600000);
	CHECK(timeparse("2026-02-09T09:00:30Z", &ms) == 0 && ms == 1770627630000);
	CHECK(timeparse("2026-02-09 18:00:00+09:00", &ms) == 0 && ms == 1770627600000);
	CHECK(timeparse("2026-02-09T04:00-05:00", &ms) == 0 && ms == 1770627600000);
	setenv("TZ", "Asia/Tokyo", 1);
	CHECK(timeparse("2026-02-09T18:00", &ms) == 0 && ms == 1770627600000); /* local */
	setenv("TZ", "UTC0", 1);
	CHECK(timeparse("yesterday", &ms) == -1);
	CHECK(timeparse("2026-2-9", &ms) == -1);
	CHECK(timeparse("2026-13-01", &ms) == -1);
	CHECK(timeparse("2026-02-09T25:00", &ms) == -1);
	CHECK(timeparse("2026-02-09T09:00+9", &ms) == -1);
	CHECK(timeparse("2026-02-09T09:00Zjunk", &ms) == -1);
	CHECK(timeparse(" 2026-02-09", &ms) == -1);
	CHECK(timeparse("-202-02-09", &ms) == -1);
	CHECK(timeparse("", &ms) == -1);
	return check_report();
}
