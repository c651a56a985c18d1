/* test_event: bounding with original lengths, JSON that stays valid for any bytes, and the
 * event log's status line. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "escape.h"
#include "event.h"
#include "jsonl.h"

int main(void)
{
	char out[256], big[5000], json[16384];
	const char *strs[EVS_MAX] = {NULL};
	size_t lens[EVS_MAX] = {0};

	CHECK(escape_json_exact(out, sizeof(out), "a\"b\\c", 5) > 0);
	CHECK_STR(out, "a\\\"b\\\\c");
	CHECK(escape_json_exact(out, sizeof(out), "\x1b[31m\n\x7f", 7) > 0);
	CHECK_STR(out, "\\u001b[31m\\u000a\\u007f");
	CHECK(escape_json_exact(out, sizeof(out), "\xff\xc3\xa9\xe2\x80\xa8", 6) > 0);
	CHECK_STR(out, "\\ufffd\xc3\xa9\\u2028"); /* invalid byte, é kept, U+2028 escaped */
	CHECK(escape_json_exact(out, sizeof(out), "\xc0\xaf\xed\xa0\x80", 5) >
	      0); /* overlong, surrogate */
	CHECK(strstr(out, "\xc0") == NULL && strstr(out, "\xed") == NULL);
	CHECK(escape_json_exact(out, sizeof(out), "a\0b", 3) > 0);
	CHECK_STR(out, "a\\u0000b");
	CHECK(escape_json_exact(out, 4, "abcdef", 6) ==
	      0); /* overflow reported, not truncated silently */

	memset(big, 'A', sizeof(big));
	strs[EVS_USER_AGENT] = big;
	lens[EVS_USER_AGENT] = sizeof(big);
	strs[EVS_PATH] = "/mjpg/video.mjpg";
	lens[EVS_PATH] = 16;
	event_s *ev = event_new(EV_REQUEST, strs, lens);
	CHECK(ev != NULL);
	CHECK(ev->ev_len[EVS_USER_AGENT] == EV_USER_AGENT_MAX);
	CHECK(ev->ev_orig_len[EVS_USER_AGENT] == sizeof(big));
	CHECK(strlen(ev->ev_str[EVS_USER_AGENT]) == EV_USER_AGENT_MAX);
	CHECK(ev->ev_str[EVS_REFERER] == NULL);
	snprintf(ev->ev_who.id_ip, sizeof(ev->ev_who.id_ip), "%s", "192.0.2.1");
	ev->ev_referer_class = "none";
	ev->ev_client_class = "scanner";
	ev->ev_route = "stream";
	size_t n = event_json(ev, "sensor\"1", "axis", json, sizeof(json));
	CHECK(n > 0 && json[0] == '{' && json[n - 1] == '}');
	CHECK(strstr(json, "\"event\":\"http.request\"") != NULL);
	CHECK(strstr(json, "\"user_agent_len\":5000") != NULL);
	CHECK(strstr(json, "\"sensor\":\"sensor\\\"1\"") != NULL);
	CHECK(strstr(json, "\"referer\"") == NULL);
	CHECK(event_json(ev, "s", "axis", json, 100) == 0); /* too small: refused, not cut */
	event_free(ev);
	CHECK_STR(event_kind_name(EV_VIEW_CLOSE), "view.close");
	CHECK_STR(event_kind_name(EV_KIND_MAX), "unknown");

	/* a status line: the counters, names that are not identifiers left out */
	char path[] = "/tmp/test_event_XXXXXX", err[128], line[1024] = "";
	int fd = mkstemp(path);
	CHECK(fd >= 0);
	close(fd);
	jsonl_s *j = jsonl_open(path, "s\"1", "axis", err, sizeof(err));
	CHECK(j != NULL);
	const char *names[3] = {"ship_rows", "bad\"name", "ship_pending_now"};
	const uint64_t values[3] = {42, 7, 0};
	CHECK(jsonl_status(j, 1770000000000LL, names, values, 3) == 0);
	jsonl_close(j);
	FILE *f = fopen(path, "r");
	CHECK(f != NULL && fgets(line, sizeof(line), f) != NULL);
	if (f != NULL)
		fclose(f);
	unlink(path);
	CHECK_STR(line,
	          "{\"event\":\"status\",\"ts\":1770000000000,\"sensor\":\"s\\\"1\",\"persona\":"
	          "\"axis\",\"counters\":{\"ship_rows\":42,\"ship_pending_now\":0}}\n");
	return check_report();
}
