#!/usr/bin/env bash
# t_video_live: a live camera relayed as the picture. ffmpeg serves its
# colour bars as MJPEG over HTTP (-f mpjpeg -listen 1: the upstream camera);
# the decoy's frames match them (PSNR over 25 dB away from the OSD). The
# upstream is killed: the stream to viewers goes on (the last frame held,
# then the built-in scene after --video-fallback), and when the upstream
# is back the picture is again the camera's within seconds. An upstream
# that redirects to file:// is refused (each kind of source opens its own
# protocols only); an RTSP camera that is not there, or that asks for a
# password (the decoy's own RTSP trap), leaves the built-in scene showing.
# State and counts are in the log and the counters table.
. "$(dirname "$0")/lib.sh"
UP="$(free_port)"
FEED="http://127.0.0.1:$UP/feed.mjpg"
FF=""
trap '[ -n "$FF" ] && kill "$FF" 2>/dev/null; cleanup' EXIT

upstream() { # the camera: 640x480 colour bars at 10 fps, to one client
	ffmpeg -nostdin -v error -re -f lavfi -i "smptebars=size=640x480:rate=10" -f mpjpeg -q:v 3 \
		-listen 1 "$FEED" >"$TMP/ffmpeg.log" 2>&1 &
	FF=$!
}
# PSNR (dB) of a JPEG against the bars, rows 60..420: clear of the clock and the name
psnr() {
	ffmpeg -nostdin -v info -i "$1" -i "$TMP/ref.png" -lavfi \
		"[0:v]crop=640:360:0:60,format=yuv420p[a];[1:v]crop=640:360:0:60,format=yuv420p[b];[a][b]psnr" \
		-f null - 2>&1 | grep -o 'average:[0-9.inf]*' | cut -d: -f2 | sed 's/inf/99/'
}
# wait_psnr CMP DB SECONDS: a snapshot's PSNR comes above (gt) or below (lt) DB in time
wait_psnr() {
	local p
	for _ in $(seq 1 $(($3 * 2))); do
		curl -s -o "$TMP/snap.jpg" --max-time 2 "$BASE/axis-cgi/jpg/image.cgi"
		p="$(psnr "$TMP/snap.jpg")"
		LAST_PSNR="${p:-0}"
		if camclient cmp "${p:-0}" "$([ "$1" = gt ] && echo '>' || echo '<')" "$2"; then
			return 0
		fi
		sleep 0.5
	done
	return 1
}

ffmpeg -nostdin -v error -f lavfi -i "smptebars=size=640x480:rate=10" -frames:v 1 "$TMP/ref.png" ||
	{ bad "the reference frame"; finish; exit 1; }
upstream
sleep 0.5
start_decoy --video "$FEED" --video-fallback 3 --trap-mode off --size 640x480 --persona axis ||
	{ finish; exit 1; }
check "the decoy relays the camera: PSNR > 25 dB" wait_psnr gt 25 15
echo "relayed: PSNR $LAST_PSNR dB against the upstream's bars"
check "the log says the camera is live" grep -q 'video: the camera is live' "$TMP/decoy.log"

# the upstream goes away: the stream goes on
kill "$FF" 2>/dev/null
FF=""
curl -s --max-time 3 -o "$TMP/during.mjpg" "$BASE/mjpg/video.mjpg"
frames=$(grep -c -a 'Content-Type: image/jpeg' "$TMP/during.mjpg")
echo "frames streamed in the 3 s after the camera went away: $frames"
check "the stream to viewers goes on while the camera is away ($frames frames in 3 s)" [ "$frames" -ge 15 ]
check "after --video-fallback the built-in scene shows (PSNR < 15 dB)" wait_psnr lt 15 10
echo "fallback: PSNR $LAST_PSNR dB against the bars"
curl -s -o "$TMP/f1.jpg" "$BASE/axis-cgi/jpg/image.cgi"
sleep 1.2
curl -s -o "$TMP/f2.jpg" "$BASE/axis-cgi/jpg/image.cgi"
check "the fallback's clock ticks (two snapshots differ)" bash -c "! cmp -s '$TMP/f1.jpg' '$TMP/f2.jpg'"
check "the log says the scene shows until the camera is back" grep -q 'showing the built-in scene' "$TMP/decoy.log"
check "the counters say it: source_state_now = 2" \
	wait_sql "SELECT value FROM counters WHERE name = 'source_state_now'" 2

# the camera is back: so is its picture
upstream
t0=$(date +%s)
check "the camera's picture returns within 15 s of the upstream's return" wait_psnr gt 25 15
echo "back after $(($(date +%s) - t0)) s: PSNR $LAST_PSNR dB"
check "counted: two connections and a failure at least" \
	wait_sql "SELECT (SELECT value FROM counters WHERE name = 'source_connects') >= 2 AND (SELECT value FROM counters WHERE name = 'source_failures') >= 1" 1
stop_decoy
kill "$FF" 2>/dev/null
FF=""

# an upstream that answers with a redirect to a local file: refused
python3 - "$UP" >"$TMP/redirect.log" 2>&1 <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(302)
        self.send_header("Location", "file:///etc/passwd")
        self.end_headers()
    def log_message(self, *a):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
FF=$!
wait_http "$FEED" # the redirecting server answers
start_decoy --video "$FEED" --video-fallback 1 --trap-mode off --size 640x480 || { finish; exit 1; }
check "a redirect to file:// is not followed: the scene shows (PSNR < 15 dB)" wait_psnr lt 15 10
check "the reader said why" wait_sql "SELECT value > 0 FROM counters WHERE name = 'source_failures'" 1
check "nothing from the file reached the picture's source" bash -c "! grep -q 'root:' '$TMP/decoy.log'"
stop_decoy
kill "$FF" 2>/dev/null
FF=""

# RTSP: nothing listening, then the decoy's own RTSP trap (it wants a password)
start_decoy --video "rtsp://127.0.0.1:$(free_port)/live" --trap-mode off --size 320x240 ||
	{ finish; exit 1; }
curl -s -o "$TMP/r.jpg" "$BASE/axis-cgi/jpg/image.cgi"
check "an RTSP camera that is not there: the scene shows, a 320x240 JPEG" [ "$(jpeg_size "$TMP/r.jpg")" = 320x240 ]
check "an RTSP camera that is not there: failures counted" \
	wait_sql "SELECT value > 0 FROM counters WHERE name = 'source_failures'" 1
stop_decoy
RP="$(free_port)"
TRAP_HTTP="$(free_port)"
"$BIN" --listen "127.0.0.1:$TRAP_HTTP" --db "$TMP/trap.db" --rtsp "127.0.0.1:$RP" --persona axis "${AS_USER[@]}" \
	--trap-mode off >"$TMP/rtsp-trap.log" 2>&1 &
TRAP_PID=$!
wait_http "http://127.0.0.1:$TRAP_HTTP/" # up: its RTSP door is bound before its web one
start_decoy --video "rtsp://127.0.0.1:$RP/axis-media/media.amp" --trap-mode off --size 320x240 ||
	{ kill "$TRAP_PID"; finish; exit 1; }
check "an RTSP camera that wants a password: counted as failures, the scene shows" \
	wait_sql "SELECT value > 0 FROM counters WHERE name = 'source_failures'" 1
stop_decoy
kill "$TRAP_PID" 2>/dev/null
finish
