#!/usr/bin/env bash
# t_hold_rtsp: the RTSP trap cannot be held shut. 32 /24s hold its 256
# sessions (8 each), send OPTIONS every second and reconnect as soon as they
# are cut; a client from another network gets its OPTIONS answered in
# >= 90% of its tries. Short: 15 s, 20 tries; HOLD_FULL=1: 60 s, 50.
. "$(dirname "$0")/lib.sh"
HERE="$(dirname "$0")"
SECS=15; TRIES=20
[ "${HOLD_FULL:-0}" = 1 ] && { SECS=60; TRIES=50; }
RPORT="$(free_port)"
start_decoy --persona hikvision --rtsp "127.0.0.1:$RPORT" || { finish; exit 1; }
timeout $((SECS + 60)) python3 "$HERE/hold.py" rtsp "$RPORT" "$SECS" 32 8 1 "$TRIES" "$TMP/hold.json"
val() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$TMP/hold.json" "$1"; }
check "the holders held the sessions ($(val held) of $(val target))" \
	python3 -c "import sys; sys.exit(not ($(val held) >= 0.9 * $(val target)))"
check "a client from another network got OPTIONS answered $(val ok) times in $(val tries) (>= 90%)" \
	python3 -c "import sys; sys.exit(not ($(val ok) >= 0.9 * $(val tries)))"
check "evictions were counted" wait_sql "SELECT value > 0 FROM counters WHERE name = 'rtsp_evicted'" 1
stop_decoy
finish
