/* log: timestamped lines on stderr; formats are always literals of ours. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>

static int log_verbose;

void log_set_verbose(int verbose)
{
	log_verbose = verbose;
}

__attribute__((format(printf, 2, 0))) static void log_vline(const char *level, const char *fmt,
                                                            va_list ap)
{
	char stamp[32];
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	flockfile(stderr);
	fprintf(stderr, "%s camdecoy %s: ", stamp, level);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	funlockfile(stderr);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("info", fmt, ap);
	va_end(ap);
}

void log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vline("warning", fmt, ap);
	va_end(ap);
}

void log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	log_vline("debug", fmt, ap);
	va_end(ap);
}
