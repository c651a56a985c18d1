#!/usr/bin/env bash
# t_hold_http: the HTTP port cannot be held shut. 16 /24s fill the connection
# table with idle sockets and reconnect as soon as they are cut; a viewer
# from another network gets the page in >= 90% of its tries, because a
# newcomer from a network holding fewer connections takes the place of the
# oldest connection without a request of the network holding the most.
# Short (`make test`): a 512-place table, 15 s, 20 tries. HOLD_FULL=1
# (`make test-long`): the default table (4,096 places, 256 per /24, 64 per
# address: 16 /24s of 4 addresses), 60 s, 80 tries.
. "$(dirname "$0")/lib.sh"
HERE="$(dirname "$0")"
if [ "${HOLD_FULL:-0}" = 1 ]; then
	ARGS=(); PER_NET=256; SECS=60; TRIES=80
else
	ARGS=(--max-connections 512 --per-net-connections 32 --per-ip-connections 8); PER_NET=32; SECS=15; TRIES=20
fi
start_decoy "${ARGS[@]}" || { finish; exit 1; }
timeout $((SECS + 60)) python3 "$HERE/hold.py" http "$PORT" "$SECS" 16 "$PER_NET" 4 "$TRIES" "$TMP/hold.json"
val() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$TMP/hold.json" "$1"; }
check "the holders held the table ($(val held) of $(val target))" \
	python3 -c "import sys; sys.exit(not ($(val held) >= 0.9 * $(val target)))"
check "a viewer from another network got the page $(val ok) times in $(val tries) (>= 90%)" \
	python3 -c "import sys; sys.exit(not ($(val ok) >= 0.9 * $(val tries)))"
check "evictions were counted" wait_sql "SELECT value > 0 FROM counters WHERE name = 'connections_evicted'" 1
check "deadlines cut short under pressure were counted" \
	wait_sql "SELECT value > 0 FROM counters WHERE name = 'connections_request_timeout_pressed'" 1
stop_decoy
finish
