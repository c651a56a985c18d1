#!/usr/bin/env bash
# t_crash_repeat: CRASH_ROUNDS kill -9 (5 in `make test`, 20 in CI's long run)
# at random moments while a flood of about 10,000 events/s and a stream
# viewer are under way, restarting on the same database each time: after
# every restart integrity_check is ok, no committed request is lost and no
# view is left open.
. "$(dirname "$0")/lib.sh"
ROUNDS="${CRASH_ROUNDS:-5}"
TOOLS="$(dirname "$BIN")/tests"
DB="$TMP/crash.db"

run() { # starts the decoy on $DB without waiting
	"$BIN" --listen "127.0.0.1:$PORT" --db "$DB" --sensor-id test-sensor --persona hikvision --event-rate 0 \
		--per-net-connections 4096 "${AS_USER[@]}" >>"$TMP/decoy.log" 2>&1 &
	DECOY_PID=$!
	wait_http "$BASE/" || { echo "restart failed:"; tail -5 "$TMP/decoy.log"; }
}
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
run
lost=0 corrupt=0 open=0 total_committed=0
for round in $(seq 1 "$ROUNDS"); do
	"$TOOLS/flood" "$PORT" 10000 30 256 >/dev/null 2>&1 &
	fp=$!
	curl -s -o /dev/null --max-time 30 "$BASE/ISAPI/Streaming/channels/102/httpPreview" &
	vp=$!
	sleep "$(python3 -c 'import random; print(round(random.uniform(0.5, 2.5), 2))')"
	before="$(sql "SELECT COUNT(*) FROM requests")"
	kill -KILL "$DECOY_PID"
	wait "$DECOY_PID" 2>/dev/null
	DECOY_PID=""
	kill "$fp" "$vp" 2>/dev/null
	wait "$fp" "$vp" 2>/dev/null
	run
	after="$(sql "SELECT COUNT(*) FROM requests")"
	integrity="$(sql "PRAGMA integrity_check")"
	still_open="$(sql "SELECT COUNT(*) FROM views WHERE ended_at IS NULL")"
	echo "round $round: $before requests committed before kill -9, $after after restart, integrity $integrity," \
		"$still_open views open"
	[ "$after" -ge "$before" ] || lost=$((lost + 1))
	[ "$integrity" = ok ] || corrupt=$((corrupt + 1))
	[ "$still_open" = 0 ] || open=$((open + 1))
	total_committed="$after"
done
check "no committed request lost in $ROUNDS kills ($lost rounds lost some)" [ "$lost" = 0 ]
check "integrity_check ok after every kill ($corrupt not)" [ "$corrupt" = 0 ]
check "no view left open after any restart ($open rounds had some)" [ "$open" = 0 ]
check "views closed as crashed" [ "$(sql "SELECT COUNT(*) >= 1 FROM views WHERE end_reason = 'crash'")" = 1 ]
# that there was load to lose (not how much: ASan and a busy machine serve less)
check "the load was recorded ($total_committed requests)" [ "$total_committed" -gt $((ROUNDS * 200)) ]
stop_decoy
finish
