/* timeparse: the report's --since/--until values, digit by digit (sscanf took
 * "2026-02- 9" and "2026-+2-09"), with real month lengths. */
#include "timeparse.h"

#include <string.h>
#include <time.h>

/* Exactly n ASCII digits at *p: their value, *p moved past them; -1 if not. */
static int digits(const char **p, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		char c = (*p)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*p += n;
	return v;
}

static int days_in_month(int y, int mo)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : days[mo - 1];
}

int timeparse(const char *s, int64_t *ms)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, off_sign = 0, oh = 0, om = 0;
	const char *p = s;
	time_t t;

	if ((y = digits(&p, 4)) < 0 || *p++ != '-' || (mo = digits(&p, 2)) < 0 || *p++ != '-' ||
	    (d = digits(&p, 2)) < 0)
		return -1;
	if (*p == 'T' || *p == ' ') {
		p++;
		if ((h = digits(&p, 2)) < 0 || *p++ != ':' || (mi = digits(&p, 2)) < 0)
			return -1;
		if (*p == ':') {
			p++;
			if ((sec = digits(&p, 2)) < 0)
				return -1;
		}
	}
	if (*p == 'Z') {
		off_sign = 1;
		p++;
	} else if (*p == '+' || *p == '-') {
		off_sign = *p++ == '+' ? 1 : -1;
		if ((oh = digits(&p, 2)) < 0 || *p++ != ':' || (om = digits(&p, 2)) < 0)
			return -1;
	}
	if (*p != '\0' || y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
	    h > 23 || mi > 59 || sec > 60 || oh > 23 || om > 59)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	if (off_sign != 0) {
		t = timegm(&tm) - off_sign * (oh * 3600 + om * 60);
	} else {
		tm.tm_isdst = -1;
		t = mktime(&tm); /* in the --tz zone */
	}
	*ms = (int64_t)t * 1000;
	return 0;
}
