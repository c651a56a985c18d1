/* jsonl: event_json lines through stdio, failures counted rather than retried. */
#include "jsonl.h"

#include "escape.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONL_LINE_MAX 16384

struct jsonl {
	FILE *jl_file;
	int jl_owned;
	char *jl_sensor, *jl_persona;
	char jl_line[JSONL_LINE_MAX];
};

jsonl_s *jsonl_open(const char *path, const char *sensor, const char *persona, char *err,
                    size_t errlen)
{
	jsonl_s *j = calloc(1, sizeof(*j));

	if (j == NULL || (j->jl_sensor = strdup(sensor)) == NULL ||
	    (j->jl_persona = strdup(persona)) == NULL) {
		snprintf(err, errlen, "event-log: out of memory");
		goto fail;
	}
	if (strcmp(path, "-") == 0) {
		j->jl_file = stdout;
		return j;
	}
	if ((j->jl_file = fopen(path, "ae")) == NULL) {
		snprintf(err, errlen, "event-log: cannot open %s: %s", path, strerror(errno));
		goto fail;
	}
	j->jl_owned = 1;
	return j;
fail:
	jsonl_close(j);
	return NULL;
}

void jsonl_close(jsonl_s *j)
{
	if (j == NULL)
		return;
	if (j->jl_owned)
		fclose(j->jl_file);
	else if (j->jl_file != NULL)
		fflush(j->jl_file);
	free(j->jl_sensor);
	free(j->jl_persona);
	free(j);
}

uint64_t jsonl_write(jsonl_s *j, event_s *list)
{
	uint64_t failed = 0;

	for (event_s *ev = list; ev != NULL; ev = ev->ev_next) {
		size_t n;
		if (ev->ev_logged)
			continue;
		ev->ev_logged = 1;
		n = event_json(ev, j->jl_sensor, j->jl_persona, j->jl_line, sizeof(j->jl_line) - 1);
		if (n > 0) {
			j->jl_line[n] = '\n';
			if (fwrite(j->jl_line, 1, n + 1, j->jl_file) != n + 1)
				failed++;
		}
	}
	if (fflush(j->jl_file) != 0) {
		clearerr(j->jl_file);
		failed += failed == 0;
	}
	return failed;
}

static int identifier(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return 0;
	return 1;
}

uint64_t jsonl_status(jsonl_s *j, int64_t ts, const char *const *names, const uint64_t *values,
                      size_t n)
{
	char esc_s[512], esc_p[512];
	size_t len, cap = sizeof(j->jl_line) - 1;
	int w;

	/* sensor and persona are configuration, escaped all the same */
	escape_json(esc_s, sizeof(esc_s), j->jl_sensor, strlen(j->jl_sensor));
	escape_json(esc_p, sizeof(esc_p), j->jl_persona, strlen(j->jl_persona));
	w = snprintf(j->jl_line, cap,
	             "{\"event\":\"status\",\"ts\":%" PRId64
	             ",\"sensor\":\"%s\",\"persona\":\"%s\",\"counters\":{",
	             ts, esc_s, esc_p);
	if (w < 0 || (size_t)w >= cap)
		return 1;
	len = (size_t)w;
	for (size_t i = 0, first = 1; i < n; i++) {
		if (!identifier(names[i]))
			continue;
		w = snprintf(j->jl_line + len, cap - len, "%s\"%s\":%" PRIu64, first ? "" : ",",
		             names[i], values[i]);
		if (w < 0 || (size_t)w >= cap - len)
			return 1;
		len += (size_t)w;
		first = 0;
	}
	if (len + 3 > cap)
		return 1;
	memcpy(j->jl_line + len, "}}\n", 3);
	len += 3;
	if (fwrite(j->jl_line, 1, len, j->jl_file) != len || fflush(j->jl_file) != 0) {
		clearerr(j->jl_file);
		return 1;
	}
	return 0;
}
