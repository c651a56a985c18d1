#!/usr/bin/env bash
# t_hostile: control bytes, invalid UTF-8, quotes, SQL and oversized headers in
# path, User-Agent and Referer are stored bounded with their original length,
# the JSON log stays one valid object per line, and the decoy keeps serving.
. "$(dirname "$0")/lib.sh"

start_decoy --event-log "$TMP/events.jsonl" || { finish; exit 1; }
cat >"$TMP/hostile.py" <<'PY'
import sys
from camclient import first_line, talk
port = int(sys.argv[1])
ua_big = b"U" * 10000
cases = [
    b"GET /jpg/image.jpg?%00%1b[31m'\"; DROP TABLE requests;-- HTTP/1.1\r\nHost: x\r\nUser-Agent: \x1b]0;pwned\x07\xff\xfe\xc0\xaf\r\nReferer: http://www.insecam.org/\"><script>alert(1)</script>\r\nConnection: close\r\n\r\n",
    b"GET /a\x01b\x7f/\xe2\x80\xa8 HTTP/1.1\r\nHost: x\r\nUser-Agent: " + ua_big + b"\r\nConnection: close\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"B" * 100000 + b"\r\nConnection: close\r\n\r\n",
    b"GET /" + b"p" * 5000 + b"?" + b"q" * 5000 + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\x00" * 64,
    b"GARBAGE\r\n\r\n",
    # NUL bytes: raw in the request line and in header values, decoded in the path
    b"GET /a\x00b?q\x00r HTTP/1.1\r\nHost: x\r\nUser-Agent: nul-line\r\nConnection: close\r\n\r\n",
    b"GET /jpg/image.jpg HTTP/1.1\r\nHost: x\r\nUser-Agent: ab\x00cd\r\nReferer: http://r\x00/x\r\nConnection: close\r\n\r\n",
    b"GET /axis-cgi/admin/param.cgi HTTP/1.1\r\nHost: x\r\nUser-Agent: nul-auth\r\n"
    b"Authorization: Basic YWQAbWluOnAAdw==\r\nConnection: close\r\n\r\n",
]
for c in cases:
    talk(port, c)
# the answer to a decoded %00, as the firmware gives it: 404, not the snapshot
out = talk(port, b"GET /jpg/image.jpg%00.php HTTP/1.1\r\nHost: x\r\nUser-Agent: nul-pct\r\nConnection: close\r\n\r\n")[0]
print("hostile: %00 answer: " + first_line(out))
PY
python3 "$TMP/hostile.py" "$PORT" >"$TMP/hostile.out"
cat "$TMP/hostile.out"
check "the decoy still serves" curl -s -f -o /dev/null "$BASE/jpg/image.jpg"
# the writer commits in batches: wait for the last request's row
check "the snapshot after them is recorded" \
	wait_sql "SELECT COUNT(*) > 0 FROM requests WHERE route = 'snapshot' AND user_agent LIKE 'curl/%'" 1
check "UA with escapes and invalid UTF-8 stored byte-exact" \
	[ "$(sql "SELECT hex(user_agent) FROM requests WHERE user_agent LIKE char(27) || '%'")" = "1B5D303B70776E656407FFFEC0AF" ]
check "SQL in the query is data" \
	[ "$(sql "SELECT COUNT(*) FROM requests WHERE query LIKE '%DROP TABLE%'")" = 1 ]
check "10 KB User-Agent bounded to 512 with its length" \
	[ "$(sql "SELECT length(user_agent) || '/' || user_agent_len FROM requests WHERE user_agent_len = 10000")" = "512/10000" ]
check "control bytes in the path kept" \
	[ "$(sql "SELECT COUNT(*) FROM requests WHERE instr(path, char(1)) > 0")" = 1 ]
check "long path and query bounded with lengths" \
	[ "$(sql "SELECT length(path) || ',' || path_len || ',' || length(query) || ',' || query_len FROM requests WHERE path_len > 4000")" = "2048,5001,2048,5000" ]
check "a raw NUL in the request line: path and query kept whole" \
	[ "$(sql "SELECT hex(path) || ',' || path_len || ',' || hex(query) || ',' || query_len FROM requests WHERE user_agent = 'nul-line'")" = "2F610062,4,710072,3" ]
check "a NUL in the User-Agent and Referer: kept whole" \
	[ "$(sql "SELECT hex(user_agent) || ',' || user_agent_len || ',' || hex(referer) || ',' || referer_len FROM requests WHERE user_agent_len = 5 AND path = '/jpg/image.jpg'")" = "6162006364,5,687474703A2F2F72002F78,11" ]
check "a decoded %00 is not cut: the firmware's 404, no snapshot" \
	grep -q "^hostile: %00 answer: HTTP/1.[01] 404" "$TMP/hostile.out"
check "and its row says so" \
	[ "$(sql "SELECT path || ',' || status FROM requests WHERE user_agent = 'nul-pct'")" = "/jpg/image.jpg%00.php,404" ]
check "a Basic credential holding NULs is stored whole" \
	[ "$(sql "SELECT hex(username) || ',' || username_len || ',' || hex(password) || ',' || password_len FROM logins WHERE user_agent = 'nul-auth'")" = "6164006D696E,6,700077,3" ]
echo "hostile: rows: $(sql "SELECT COUNT(*) FROM requests"), routes: $(sql "SELECT group_concat(route || ':' || status) FROM requests" )"
camclient jsonlines "$TMP/events.jsonl" >"$TMP/jsonlines" 2>&1
check "every JSON log line is one valid object, no raw control bytes" [ $? = 0 ]
sed 's/^/hostile: /' "$TMP/jsonlines"
stop_decoy
finish
