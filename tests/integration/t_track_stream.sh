#!/usr/bin/env bash
# t_track_stream: a 5 s stream watched through a trusted proxy from Insecam
# is exactly one view with the right duration, class, address and country;
# an untrusted X-Forwarded-For is stored but ignored.
. "$(dirname "$0")/lib.sh"

UA="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"

# watch URL SECONDS ARGS...: reads the stream for SECONDS and disconnects;
# prints the client's own measure of how long it received data (ms).
watch() {
	local url="$1" secs="$2"; shift 2
	local t0 t1
	t0=$(date +%s%N)
	curl -s -o "$TMP/watch.bin" --max-time "$secs" -A "$UA" "$@" "$url"
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
}

start_decoy --trust-proxy 127.0.0.1/32 --trust-proxy 10.0.0.0/8 --event-log "$TMP/events.jsonl" ||
	{ finish; exit 1; }
client_ms=$(watch "$BASE/mjpg/video.mjpg?1518051386" 5 \
	-e "http://www.insecam.org/en/view/123/" -H "X-Forwarded-For: 6.6.6.6, 198.51.100.7, 10.1.1.1")
wait_sql "SELECT COUNT(*) FROM views WHERE ended_at IS NOT NULL" 1
check "one view row" [ "$(sql "SELECT COUNT(*) FROM views")" = 1 ]
IFS='|' read -r kind dur cls ip cc frames reason peer <<<"$(sql "SELECT kind, duration_ms, referer_class, src_ip, country, frames, end_reason, (SELECT peer_ip FROM requests WHERE view_id = views.id) FROM views")"
echo "stream view: kind=$kind duration_ms=$dur (client saw ${client_ms} ms) class=$cls ip=$ip country=$cc frames=$frames end=$reason"
check "kind stream ($kind)" [ "$kind" = stream ]
check "duration 4000..6500 ms ($dur)" bash -c "[ '${dur:-0}' -ge 4000 ] && [ '${dur:-0}' -le 6500 ]"
check "duration within 1 s of the client's ($dur vs $client_ms)" \
	bash -c "d=\$(( ${dur:-0} - $client_ms )); [ \${d#-} -le 1000 ]"
check "referer class insecam ($cls)" [ "$cls" = insecam ]
check "client is the right-most untrusted X-Forwarded-For hop ($ip)" [ "$ip" = 198.51.100.7 ]
check "country from the test database ($cc)" [ "$cc" = JP ]
check "peer address kept ($peer)" [ "$peer" = 127.0.0.1 ]
check "frames counted ($frames)" bash -c "[ '${frames:-0}' -ge 40 ]"
check "end reason client_closed ($reason)" [ "$reason" = client_closed ]
check "request row links the view" [ "$(sql "SELECT COUNT(*) FROM requests WHERE route = 'stream' AND view_id = 1 AND query = '1518051386'")" = 1 ]

# Origin-only Referer (what browsers send cross-site) is insecam too.
watch "$BASE/axis-cgi/mjpg/video.cgi" 2 -e "http://www.insecam.org/" >/dev/null
wait_sql "SELECT COUNT(*) FROM views WHERE id = 2 AND ended_at IS NOT NULL" 1
check "origin-only referer is insecam" \
	[ "$(sql "SELECT referer_class FROM views WHERE id = 2")" = insecam ]
check "every JSON log line parses (at least 4)" camclient jsonlines "$TMP/events.jsonl" 4
stop_decoy

# From an untrusted peer the header is stored but not believed.
start_decoy --trust-proxy 10.0.0.0/8 || { finish; exit 1; }
curl -s -o /dev/null -H "X-Forwarded-For: 198.51.100.7" "$BASE/jpg/image.jpg"
wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'snapshot'" 1
IFS='|' read -r ip cc xff <<<"$(sql "SELECT src_ip, country, forwarded_for FROM requests WHERE route = 'snapshot'")"
check "untrusted X-Forwarded-For ignored ($ip)" [ "$ip" = 127.0.0.1 ]
check "country of the real peer ($cc)" [ "$cc" = NL ]
check "the header is stored ($xff)" [ "$xff" = 198.51.100.7 ]
stop_decoy

# SIGTERM closes an open view with end_reason shutdown.
start_decoy || { finish; exit 1; }
curl -s -o "$TMP/open.bin" --max-time 20 "$BASE/mjpg/video.mjpg" &
viewer=$!
wait_for 10 [ -s "$TMP/open.bin" ] # the view is open: its first bytes arrived
stop_decoy
wait "$viewer"
check "open view closed by shutdown" \
	[ "$(sql "SELECT end_reason FROM views WHERE ended_at IS NOT NULL")" = shutdown ]
check "meta names the sensor" [ "$(sql "SELECT value FROM meta WHERE key = 'sensor'")" = test-sensor ]
check "meta names the GeoIP database" [ "$(sql "SELECT value FROM meta WHERE key = 'geoip_type'")" = GeoIP2-Country ]
finish
