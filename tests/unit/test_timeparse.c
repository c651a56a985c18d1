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
	/* real month lengths, and digits only where digits belong */
	CHECK(timeparse("2026-02-31", &ms) == -1);
	CHECK(timeparse("2026-02-29", &ms) == -1);
	CHECK(timeparse("2028-02-29", &ms) == 0);
	CHECK(timeparse("2000-02-29", &ms) == 0);
	CHECK(timeparse("2100-02-29", &ms) == -1);
	CHECK(timeparse("2026-04-31", &ms) == -1);
	CHECK(timeparse("2026-12-31T23:59:59Z", &ms) == 0 && ms == 1798761599000);
	CHECK(timeparse("2026-02- 9", &ms) == -1);
	CHECK(timeparse("2026-+2-09", &ms) == -1);
	CHECK(timeparse("2026-02-09T 9:00", &ms) == -1);
	CHECK(timeparse("2026-02-09T09:00+-9:00", &ms) == -1);
	CHECK(timeparse("2026-02-09T09:00:3", &ms) == -1);
	CHECK(timeparse("2026-02-09T09", &ms) == -1);
	return check_report();
}
