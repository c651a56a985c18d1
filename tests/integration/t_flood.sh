#!/usr/bin/env bash
# t_flood: a flood of junk requests and login POSTs (FLOOD_RATE per second for
# FLOOD_SECONDS; 2,000 x 8 s in `make test`, 5,000 x 60 s in CI's long run)
# from 32 addresses of one /24, while two viewers from 127.0.0.1 stream: no
# crash, RSS bounded, the viewers keep at least 90% of their fps, and every
# request is either a detailed row or counted in aggregated, exactly.
. "$(dirname "$0")/lib.sh"
RATE="${FLOOD_RATE:-2000}"
LEN="${FLOOD_SECONDS:-8}"
TOOLS="$(dirname "$BIN")/tests"

# One /24 floods here: its connection cap is raised so that every flood
# connection is served (caps at accept are t_limits' and t_slowloris' part).
start_decoy --persona hikvision --fps 10 --per-net-connections 2048 --event-log "$TMP/events.jsonl" ||
	{ finish; exit 1; }
"$TOOLS/bench/loadclient" 127.0.0.1 "$PORT" /ISAPI/Streaming/channels/102/httpPreview 2 $((LEN + 2)) \
	>"$TMP/viewers" 2>&1 &
vp=$!
sleep 1
"$TOOLS/flood" "$PORT" "$RATE" "$LEN" 512 >"$TMP/flood" 2>&1 &
fp=$!
peak=0
while kill -0 "$fp" 2>/dev/null; do
	r="$(awk '/^VmRSS:/{print $2}' "/proc/$DECOY_PID/status" 2>/dev/null)"
	[ "${r:-0}" -gt "$peak" ] && peak="$r"
	sleep 0.5
done
wait "$fp" "$vp"
echo "flood: $(cat "$TMP/flood")"
echo "viewers: $(cat "$TMP/viewers")"
echo "peak RSS ${peak} kB"
val() { sed -n "s/.*\b$1=\([0-9.]*\).*/\1/p" "$2"; }
requests="$(val requests "$TMP/flood")"
norequest="$(val no_request "$TMP/flood")"
check "the decoy survived the flood" kill -0 "$DECOY_PID"
check "every flood request was answered (failed=$(val failed "$TMP/flood"))" [ "$(val failed "$TMP/flood")" = 0 ]
check "the flood reached at least 90% of its rate ($requests + $norequest in $LEN s)" \
	[ $(( (requests + norequest) * 10 )) -ge $(( RATE * LEN * 9 )) ]
fps="$(val fps_mean "$TMP/viewers")"
check "viewers kept >= 9 fps of 10 (mean $fps)" camclient cmp "${fps:-0}" ">=" 9.0
under_asan || check "RSS stayed under 256 MB (peak ${peak} kB)" [ "$peak" -lt 262144 ]
check "the decoy still serves" curl -s -f -o /dev/null --max-time 2 "$BASE/"
stop_decoy
# The flood's own rows and counts; the viewers' and curl's requests are
# rows of 127.0.0.1.
rows="$(sql "SELECT COUNT(*) FROM requests WHERE src_ip LIKE '127.0.3.%'")"
agg="$(sql "SELECT COALESCE(SUM(count), 0) FROM aggregated WHERE network = '127.0.3.0/24' AND kind = 'request'")"
echo "detailed $rows + aggregated $agg = sent $requests"
check "detailed + aggregated = sent exactly ($rows + $agg = $requests)" [ $((rows + agg)) = "$requests" ]
all_rows="$(sql "SELECT COUNT(*) FROM requests")"
all_agg="$(sql "SELECT COALESCE(SUM(count), 0) FROM aggregated WHERE kind = 'request'")"
check "rows + aggregated = requests_seen" \
	[ $((all_rows + all_agg)) = "$(sql "SELECT value FROM counters WHERE name = 'requests_seen'")" ]
check "junk without a request line counted as such" \
	[ "$(sql "SELECT value FROM counters WHERE name = 'connections_without_request'")" = "$norequest" ]
check "no event dropped" [ "$(sql "SELECT value FROM counters WHERE name = 'events_dropped'")" = 0 ]
check "logins past the budget counted" [ "$(sql "SELECT COUNT(*) FROM aggregated WHERE kind = 'login'")" -ge 1 ]
check "the JSON log is one valid object per line" camclient jsonlines "$TMP/events.jsonl"
check "the database is intact" [ "$(sql "PRAGMA integrity_check")" = ok ]
finish
