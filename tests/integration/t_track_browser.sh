#!/usr/bin/env bash
# t_track_browser: headless Chromium on a page of another loopback origin that
# embeds the stream in an <img> (as directory sites do) for N seconds yields
# one browser view of about N seconds.
. "$(dirname "$0")/lib.sh"

N=6
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
[ -n "$CHROMIUM" ] || { bad "chromium is not installed"; finish; exit 1; }

start_decoy || { finish; exit 1; }

# The embedding site on 127.0.0.2: its page holds the stream and one slow
# image that delays the load event, and so the screenshot, by N seconds.
SITE_PORT="$(free_port)"
cat >"$TMP/site.py" <<PY
import http.server, time
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a): pass
    def do_GET(self):
        if self.path.startswith("/slow.gif"):
            time.sleep($N)
            body = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
            ctype = "image/gif"
        else:
            body = b'<html><body><h1>Listing</h1><img src="$BASE/mjpg/video.mjpg?1518051386" width="320" height="240"><img src="/slow.gif"></body></html>'
            ctype = "text/html"
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(("127.0.0.2", $SITE_PORT), H).serve_forever()
PY
python3 "$TMP/site.py" &
site=$!
wait_http "http://127.0.0.2:$SITE_PORT/" || bad "the embedding site did not start"
t0=$(date +%s%N)
timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --no-first-run --disable-sync --disable-quic \
	--user-data-dir="$TMP/chromium" --window-size=800,600 --timeout=$(( (N + 10) * 1000 )) \
	--screenshot="$TMP/embed.png" "http://127.0.0.2:$SITE_PORT/embed.html" >"$TMP/chromium.log" 2>&1
t1=$(date +%s%N)
kill "$site" 2>/dev/null
wait "$site" 2>/dev/null
# chromium is gone: its views close and their rows are written
wait_sql "SELECT COUNT(*) > 0 AND SUM(ended_at IS NULL) = 0 FROM views" 1
echo "browser: chromium ran $(( (t1 - t0) / 1000000 )) ms"
echo "browser: views: $(sql "SELECT id, kind, client_class, referer_class, referer, duration_ms, frames, end_reason FROM views" | tr '\n' ' ')"
check "one browser session" [ "$(sql "SELECT COUNT(*) FROM view_sessions WHERE client_class = 'browser'")" = 1 ]
dur="$(sql "SELECT duration_ms FROM view_sessions WHERE client_class = 'browser'")"
check "about $N s ($dur ms)" bash -c "[ '${dur:-0}' -ge $(( N * 1000 - 1500 )) ] && [ '${dur:-0}' -le $(( N * 1000 + 2500 )) ]"
check "at most two raw connections for one <img>" \
	bash -c "[ \$(sqlite3 '$DB' \"SELECT COUNT(*) FROM views WHERE client_class = 'browser'\") -le 2 ]"
check "cross-site Referer is the embedding origin only" \
	[ "$(sql "SELECT DISTINCT referer FROM views")" = "http://127.0.0.2:$SITE_PORT/" ]
check "and is classed other" [ "$(sql "SELECT DISTINCT referer_class FROM views")" = other ]
stop_decoy
finish
