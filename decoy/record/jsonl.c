/* jsonl: event_json lines through stdio, failures counted rather than retried. */
#include "jsonl.h"

#include <errno.h>
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

jsonl_s *jsonl_open(const char *path, const char *sensor, const char *persona, char *err, size_t errlen)
{
	jsonl_s *j = calloc(1, sizeof(*j));

	if (j == NULL || (j->jl_sensor = strdup(sensor)) == NULL || (j->jl_persona = strdup(persona)) == NULL) {
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
