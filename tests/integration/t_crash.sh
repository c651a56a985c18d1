#!/usr/bin/env bash
# t_crash: kill -9 during a burst of requests with a viewer attached. On the
# next start every committed event is still there, the open view is closed at
# its last frame, and the database passes integrity_check.
. "$(dirname "$0")/lib.sh"

start_decoy --event-log "$TMP/events.jsonl" || { finish; exit 1; }
db="$DB"
curl -s -o /dev/null --max-time 30 "$BASE/mjpg/video.mjpg" &
viewer=$!
# A bounded burst: 4 keep-alive clients, at most 20000 requests or 10 s.
cat >"$TMP/burst.py" <<PY
import http.client, threading, time
stop = time.time() + 10
def run():
    c = http.client.HTTPConnection("127.0.0.1", $PORT, timeout=2)
    for i in range(5000):
        if time.time() > stop: return
        try:
            c.request("GET", "/no/such/%d?x=%d" % (i, i), headers={"User-Agent": "burst"})
            c.getresponse().read()
        except Exception:
            return
ts = [threading.Thread(target=run) for _ in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
PY
python3 "$TMP/burst.py" &
burst=$!
# killed once the burst is well under way and the viewer's frames are recorded
wait_sql "SELECT (SELECT COUNT(*) FROM requests WHERE path LIKE '/no/such/%') > 100
	AND (SELECT COUNT(*) FROM views WHERE kind = 'stream' AND last_frame_at IS NOT NULL) = 1" 1
committed=$(sqlite3 "$db" "SELECT COUNT(*) FROM requests WHERE path LIKE '/no/such/%'")
kill -KILL "$DECOY_PID"
wait "$DECOY_PID" 2>/dev/null
DECOY_PID=""
wait "$burst" "$viewer" 2>/dev/null
logged=$(grep -c '"event":"http.request"' "$TMP/events.jsonl")

# Restart on the same database.
"$BIN" --listen "127.0.0.1:$PORT" --db "$db" --sensor-id test-sensor "${AS_USER[@]}" >"$TMP/decoy2.log" 2>&1 &
DECOY_PID=$!
wait_http "$BASE/"
after=$(sqlite3 "$db" "SELECT COUNT(*) FROM requests WHERE path LIKE '/no/such/%'")
echo "crash: $committed requests committed before kill -9, $after after restart, $logged in the JSON log"
check "no committed request lost ($after >= $committed)" [ "$after" -ge "$committed" ]
check "the burst was under way when killed ($committed > 100)" [ "$committed" -gt 100 ]
check "integrity_check ok" [ "$(sqlite3 "$db" "PRAGMA integrity_check")" = ok ]
check "no view left open" [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM views WHERE ended_at IS NULL")" = 0 ]
IFS='|' read -r reason ended last <<<"$(sqlite3 "$db" "SELECT end_reason, ended_at, last_frame_at FROM views WHERE kind = 'stream'")"
check "the stream view was closed as crashed ($reason)" [ "$reason" = crash ]
check "at its last recorded frame ($ended = $last)" [ -n "$ended" -a "$ended" = "$last" ]
stop_decoy
finish
