/* timeparse: the report's --since/--until values. */
#include "timeparse.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

int timeparse(const char *s, int64_t *ms)
{
	struct tm tm;
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, off_sign = 0, oh = 0, om = 0;
	const char *rest;
	time_t t;

	memset(&tm, 0, sizeof(tm));
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	rest = s + n;
	if (*rest == 'T' || *rest == ' ') {
		int m = 0;
		if (sscanf(rest + 1, "%2d:%2d%n", &h, &mi, &m) != 2 || m != 5)
			return -1;
		rest += 1 + m;
		if (*rest == ':') {
			if (sscanf(rest + 1, "%2d%n", &sec, &m) != 1 || m != 2)
				return -1;
			rest += 3;
		}
	}
	if (*rest == 'Z') {
		off_sign = 1;
		rest++;
	} else if (*rest == '+' || *rest == '-') {
		int m = 0;
		if (sscanf(rest + 1, "%2d:%2d%n", &oh, &om, &m) != 2 || m != 5)
			return -1;
		off_sign = *rest == '+' ? 1 : -1;
		rest += 1 + m;
	}
	if (*rest != '\0' || y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60 || oh < 0 || oh > 23 || om < 0 || om > 59)
		return -1;
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
