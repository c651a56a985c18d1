/* log: operator-facing diagnostics on stderr (events go to the event store, not here). */
#ifndef CAMDECOY_LOG_H
#define CAMDECOY_LOG_H

#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))

void log_set_verbose(int verbose);
void log_info(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_warnx(const char *fmt, ...) LOG_PRINTF(1, 2);
void log_debug(const char *fmt, ...) LOG_PRINTF(1, 2);

#endif
