/* test_front: the front acceptor's look at a connection's first bytes: when it waits, what it hands
 * over, which probes it names, and the requests it finds pipelined behind a closing answer. */
#include <string.h>

#include "check.h"
#include "front.h"

static char routes[64][32], targets[64][64];
static int nrec;

static void rec(void *arg, const front_line_s *fl)
{
	(void)arg;
	if (nrec < 64) {
		snprintf(routes[nrec], sizeof(routes[0]), "%s", fl->fl_route);
		snprintf(targets[nrec], sizeof(targets[0]), "%.*s", (int)fl->fl_target_len,
		         fl->fl_target != NULL ? fl->fl_target : "");
	}
	nrec++;
}

static struct {
	const char *v;
	size_t len;
} fields[8];
static int nfield;

static void field(void *arg, const char *name, size_t name_len, const char *value, size_t len)
{
	(void)arg;
	(void)name;
	(void)name_len;
	if (nfield < 8) {
		fields[nfield].v = value;
		fields[nfield].len = len;
	}
	nfield++;
}

static front_verdict_e look(int http10, const char *s, size_t n, int full, unsigned *flags)
{
	const front_conf_s fc = {
	    .fc_peek_max = 32768, .fc_closes = http10, .fc_body_max = 4096, .fc_record = rec};

	nrec = 0;
	return front_analyse(&fc, (const uint8_t *)s, n, full, NULL, 0, flags);
}

#define LOOK(h, lit, full, fl) look(h, lit, sizeof(lit) - 1, full, fl)

static uint64_t unrecorded;

static void unrec(void *arg, uint64_t n)
{
	(void)arg;
	unrecorded += n;
}

/* A head of k repeats of part (after the request line), in buf. */
static size_t head_of(char *buf, size_t cap, const char *line, const char *part, int k,
                      const char *end)
{
	size_t n = (size_t)snprintf(buf, cap, "%s", line);

	for (int i = 0; i < k && n < cap; i++)
		n += (size_t)snprintf(buf + n, cap - n, "%s", part);
	n += (size_t)snprintf(buf + n, cap - n, "%s", end);
	return n;
}

/* libmicrohttpd's pool (header-memory, 32 KiB here) holds the head in its
 * first half and 64 bytes per header line, query argument and cookie in the
 * second: 500 short lines (2.5 KB) got its own 431 page; the persona's now. */
static void pool_limits(void)
{
	static char buf[65536];
	unsigned fl;
	size_t n;

	n = head_of(buf, sizeof(buf), "GET / HTTP/1.1\r\n", "a: b\r\n", 500, "\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_REJECT && FRONT_STATUS(fl) == 431 && nrec == 1);
	n = head_of(buf, sizeof(buf), "GET / HTTP/1.1\r\n", "a: b\r\n", 200, "\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_HTTP);
	/* 16 KiB of records: 256, one kept as slack */
	n = head_of(buf, sizeof(buf), "GET / HTTP/1.1\r\n", "a: b\r\n", 255, "\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_HTTP);
	n = head_of(buf, sizeof(buf), "GET / HTTP/1.1\r\n", "a: b\r\n", 256, "\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_REJECT && FRONT_STATUS(fl) == 431);
	/* query arguments and cookies count alike */
	n = head_of(buf, sizeof(buf), "GET /?a", "&a", 300, " HTTP/1.1\r\n\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_REJECT && FRONT_STATUS(fl) == 431);
	n = head_of(buf, sizeof(buf), "GET / HTTP/1.1\r\nCookie: c", ";c", 300, "\r\n\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_REJECT && FRONT_STATUS(fl) == 431);
	/* a head past the first half: 414 with a long target, else 431 */
	n = head_of(buf, sizeof(buf), "GET /", "a", 17000, " HTTP/1.1\r\n\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_REJECT && FRONT_STATUS(fl) == 414);
	n = head_of(buf, sizeof(buf), "GET / HTTP/1.1\r\nX-Pad: ", "p", 17000, "\r\n\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_REJECT && FRONT_STATUS(fl) == 431);
	n = head_of(buf, sizeof(buf), "GET / HTTP/1.1\r\nX-Pad: ", "p", 16000, "\r\n\r\n");
	CHECK(look(0, buf, n, 0, &fl) == FRONT_HTTP);
}

/* Past 256 pipelined rows, and where the peek window cut: counted. */
static void pipelined_counts(void)
{
	static char buf[40000];
	const front_conf_s fc = {.fc_peek_max = 32768,
	                         .fc_closes = 1,
	                         .fc_body_max = 4096,
	                         .fc_record = rec,
	                         .fc_unrecorded = unrec};
	unsigned fl;
	size_t n;

	n = head_of(buf, sizeof(buf), "GET / HTTP/1.0\r\n\r\n", "GET /p HTTP/1.0\r\n\r\n", 300, "");
	nrec = 0;
	unrecorded = 0;
	CHECK(front_analyse(&fc, (const uint8_t *)buf, n, 0, NULL, 0, &fl) == FRONT_HTTP &&
	      nrec == 256 && unrecorded == 44);
	/* a window that ends inside a request line: that one is counted too */
	n = head_of(buf, sizeof(buf), "GET / HTTP/1.0\r\n\r\n", "GET /p HTTP/1.0\r\n\r\n", 300,
	            "GET /cut");
	nrec = 0;
	unrecorded = 0;
	CHECK(front_analyse(&fc, (const uint8_t *)buf, n, FRONT_IN_FULL, NULL, 0, &fl) ==
	          FRONT_HTTP &&
	      nrec == 256 && unrecorded == 45);
	/* but not a line still arriving: the server reads it (and drops it) */
	nrec = 0;
	unrecorded = 0;
	CHECK(front_analyse(&fc, (const uint8_t *)buf, n, 0, NULL, 0, &fl) == FRONT_HTTP &&
	      unrecorded == 44);
}

/* The head as the server reads it from the front's copy: every byte kept. */
static void head_fields(void)
{
	static const char h[] = "GET  /a\0b?q HTTP/1.1\r\nUser-Agent: ab\0cd\r\nX-A:x\r\n\r\n";
	const uint8_t *t;
	size_t len;

	front_head_target((const uint8_t *)h, sizeof(h) - 1, &t, &len);
	CHECK(len == 6 && memcmp(t, "/a\0b?q", 6) == 0);
	front_head_target((const uint8_t *)"GET\r\n\r\n", 7, &t, &len);
	CHECK(t == NULL && len == 0);
	nfield = 0;
	front_head_fields((const uint8_t *)h, sizeof(h) - 1, field, NULL);
	CHECK(nfield == 2 && fields[0].len == 5 && memcmp(fields[0].v, "ab\0cd", 5) == 0 &&
	      fields[1].len == 1 && fields[1].v[0] == 'x');
}

/* waiting for the rest of a head; what libmicrohttpd would reject itself */
static void heads(void)
{
	unsigned fl;

	CHECK(LOOK(0, "GE", 0, &fl) == FRONT_WAIT && nrec == 0);
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\nHost: a\r\n", 0, &fl) == FRONT_WAIT);
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\nHost: a\r\n\r\n", 0, &fl) == FRONT_HTTP && nrec == 0 &&
	      fl == 0);
	/* a head past header-memory: the persona's 414 or 431, not libmicrohttpd's */
	nrec = 0;
	CHECK(LOOK(0, "GET /xxxxxxxx", 1, &fl) == FRONT_REJECT && FRONT_STATUS(fl) == 414 &&
	      nrec == 1 && strcmp(routes[0], "rejected") == 0);
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\nX-Big: bbbb", 1, &fl) == FRONT_REJECT &&
	      FRONT_STATUS(fl) == 431);
	/* what libmicrohttpd answers with its own 400: the persona's */
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\nHost: a\r\nnocolon\r\n\r\n", 0, &fl) == FRONT_REJECT &&
	      FRONT_STATUS(fl) == 400);
	CHECK(LOOK(0, "POST /x HTTP/1.1\r\nContent-Length: 12a\r\n\r\n", 0, &fl) == FRONT_REJECT);
	CHECK(LOOK(0, "POST /x HTTP/1.1\r\nContent-Length:\r\n\r\n", 0, &fl) == FRONT_REJECT);
	CHECK(LOOK(0, "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n", 0, &fl) ==
	      FRONT_REJECT);
	/* a folded line (libmicrohttpd 0.9.75 joins it inside its read buffer),
	 * a NUL before the colon (it looks for the colon with strchr) */
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\nX-A: a\r\n  folded\r\n\r\n", 0, &fl) == FRONT_REJECT &&
	      FRONT_STATUS(fl) == 400);
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\n folded: a\r\n\r\n", 0, &fl) == FRONT_REJECT &&
	      FRONT_STATUS(fl) == 400);
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\nX-A\0b: c\r\n\r\n", 0, &fl) == FRONT_REJECT &&
	      FRONT_STATUS(fl) == 400);
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\n\0X-A: c\r\n\r\n", 0, &fl) == FRONT_REJECT &&
	      FRONT_STATUS(fl) == 400);
	/* but not a NUL after it, nor a number with trailing blanks */
	CHECK(LOOK(0, "GET /x HTTP/1.1\r\nX-A: b\0c\r\n\r\n", 0, &fl) == FRONT_HTTP);
	CHECK(LOOK(0, "POST /x HTTP/1.1\r\nContent-Length: 0 \r\n\r\n", 0, &fl) == FRONT_HTTP);
}

/* what is not HTTP/1.x, and what is despite appearances */
static void probes(void)
{
	unsigned fl;

	/* a target with spaces: the version is after the last one */
	CHECK(LOOK(0, "GET /a b' OR 1=1 HTTP/1.0\r\n\r\n", 0, &fl) == FRONT_HTTP);
	/* probes */
	CHECK(LOOK(0, "\x16\x03\x01\x00", 0, &fl) == FRONT_PROBE &&
	      strcmp(routes[0], "probe-tls") == 0);
	CHECK(LOOK(0, "OPTIONS / RTSP/1.0\r\n\r\n", 0, &fl) == FRONT_PROBE &&
	      strcmp(routes[0], "probe-rtsp") == 0);
	CHECK(LOOK(0, "GET /\r\n", 0, &fl) == FRONT_PROBE &&
	      strcmp(routes[0], "probe-http09") == 0);
	CHECK(LOOK(0, "GET / HTTP/9.9\r\n\r\n", 0, &fl) == FRONT_PROBE &&
	      strcmp(routes[0], "probe-version") == 0);
	CHECK(LOOK(0, "GET / HTTP/1.10\r\n\r\n", 0, &fl) == FRONT_PROBE &&
	      strcmp(routes[0], "probe-version") == 0);
	CHECK(LOOK(0, "\x01\x02 junk\r\n", 0, &fl) == FRONT_PROBE &&
	      strcmp(routes[0], "probe-junk") == 0);
	CHECK(LOOK(0, "\x01\x02", 0, &fl) == FRONT_PROBE && nrec == 1);
	/* a NUL in X-Forwarded-For, not in another header */
	CHECK(LOOK(0, "GET / HTTP/1.1\r\nX-Forwarded-For: 1.2.3.4\0x\r\n\r\n", 0, &fl) ==
	          FRONT_HTTP &&
	      fl == FRONT_XFF_NUL);
	CHECK(LOOK(0, "GET / HTTP/1.1\r\nX-Other: 1.2.3.4\0x\r\n\r\n", 0, &fl) == FRONT_HTTP &&
	      fl == 0);
}

/* pipelined behind a closing answer: HTTP/1.0 persona, Connection: close,
 * or an HTTP/1.0 request without keep-alive; a body is skipped */
static void pipelined(void)
{
	unsigned fl;
	const char pipe[] =
	    "POST /a HTTP/1.1\r\nContent-Length: 4\r\n\r\nGET \r\n"
	    "GET /b HTTP/1.1\r\nUser-Agent: u\r\n\r\n\r\nGET /c HTTP/1.1\r\n\r\nGET /d HT";
	CHECK(LOOK(1, pipe, 0, &fl) == FRONT_HTTP && nrec == 2 && strcmp(targets[0], "/b") == 0 &&
	      strcmp(targets[1], "/c") == 0 && strcmp(routes[0], "pipelined") == 0);
	CHECK(LOOK(0, pipe, 0, &fl) == FRONT_HTTP &&
	      nrec == 0); /* keep-alive: the server reads them */
	CHECK(LOOK(0, "GET /a HTTP/1.1\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\n\r\n", 0,
	           &fl) == FRONT_HTTP &&
	      nrec == 1);
	CHECK(LOOK(0, "GET /a HTTP/1.0\r\n\r\nGET /b HTTP/1.0\r\n\r\n", 0, &fl) == FRONT_HTTP &&
	      nrec == 1);
	CHECK(LOOK(0, "GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /b HTTP/1.0\r\n\r\n", 0,
	           &fl) == FRONT_HTTP &&
	      nrec == 0);
	/* a body longer than what arrived: nothing after it can be seen */
	CHECK(LOOK(1, "POST /a HTTP/1.0\r\nContent-Length: 99\r\n\r\nGET /b HTTP/1.0\r\n\r\n", 0,
	           &fl) == FRONT_HTTP &&
	      nrec == 0);
}

/* Expect: 100-continue (HTTP/1.1): the body is waited for, then handed over with it */
static void expect_continue(void)
{
	unsigned fl;

	{
		size_t len, off;
		CHECK(LOOK(1,
		           "POST /l HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: "
		           "4\r\n\r\n",
		           0, &fl) == FRONT_WAIT);
		CHECK(LOOK(1,
		           "POST /l HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: "
		           "4\r\n\r\nu=",
		           0, &fl) == FRONT_WAIT);
		CHECK(LOOK(1,
		           "POST /l HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: "
		           "4\r\n\r\nu=ab",
		           0, &fl) == FRONT_HTTP &&
		      (fl & FRONT_EXPECT) != 0);
		off = front_body_span(
		    (const uint8_t *)"POST /l HTTP/1.1\r\nContent-Length: 4\r\n\r\nu=abXX", 44,
		    &len);
		CHECK(off == 39 && len == 4);
		/* the peer stopped sending: what came is handed over */
		CHECK(LOOK(1,
		           "POST /l HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: "
		           "4\r\n\r\nu",
		           FRONT_IN_EOF, &fl) == FRONT_HTTP &&
		      (fl & FRONT_EXPECT) != 0);
		/* no body: answered on the first call all the same */
		CHECK(LOOK(1, "GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", 0,
		           &fl) == FRONT_HTTP &&
		      (fl & FRONT_EXPECT) != 0);
		/* a body over the limit: the persona's 413 from the front */
		CHECK(LOOK(1,
		           "POST /l HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: "
		           "5000\r\n\r\n",
		           0, &fl) == FRONT_REJECT &&
		      FRONT_STATUS(fl) == 413);
		/* HTTP/1.0 knows no 100: nothing special */
		CHECK(LOOK(1,
		           "POST /l HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n",
		           0, &fl) == FRONT_HTTP &&
		      (fl & FRONT_EXPECT) == 0);
		/* without Expect nothing changes */
		CHECK(LOOK(1, "POST /l HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n\r\n", 0, &fl) ==
		          FRONT_HTTP &&
		      (fl & FRONT_EXPECT) == 0);
	}
}

int main(void)
{
	RUN(heads);
	RUN(pool_limits);
	RUN(probes);
	RUN(pipelined);
	RUN(expect_continue);
	RUN(pipelined_counts);
	RUN(head_fields);
	return check_report();
}
