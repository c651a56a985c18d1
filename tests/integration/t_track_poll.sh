#!/usr/bin/env bash
# t_track_poll: a viewer refreshing a snapshot every second for 10 s is one
# poll view of about 10 s; two runs separated by more than the gap are two.
. "$(dirname "$0")/lib.sh"

UA="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
poll_run() { # poll_run COUNT
	for i in $(seq 1 "$1"); do
		curl -s -o /dev/null -A "$UA" "$BASE/SnapshotJPEG?Resolution=640x480&Quality=Clarity&Count=$i$RANDOM"
		sleep 1
	done
}

start_decoy --persona panasonic --poll-gap 3 || { finish; exit 1; }
poll_run 10
wait_sql "SELECT frames FROM views WHERE kind = 'poll'" 10
check "one poll view" [ "$(sql "SELECT COUNT(*) FROM views WHERE kind = 'poll'")" = 1 ]
IFS='|' read -r dur frames cls <<<"$(sql "SELECT duration_ms, frames, client_class FROM views")"
echo "poll view: duration_ms=$dur frames=$frames class=$cls"
check "about 10 s (9000..11500: $dur)" bash -c "[ '${dur:-0}' -ge 9000 ] && [ '${dur:-0}' -le 11500 ]"
check "10 snapshots in the view ($frames)" [ "$frames" = 10 ]
check "a browser ($cls)" [ "$cls" = browser ]
sleep 4 # longer than the gap
poll_run 3
wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'snapshot'" 13
check "a second run after the gap is a second view" \
	[ "$(sql "SELECT COUNT(*) FROM views WHERE kind = 'poll'")" = 2 ]
check "every snapshot request is linked to its view" \
	[ "$(sql "SELECT COUNT(*) FROM requests WHERE route = 'snapshot' AND view_id IS NOT NULL")" = 13 ]
check "merged sessions keep the two runs apart (gap > 10 s? no: 4 s, so merged)" \
	[ "$(sql "SELECT COUNT(*) FROM view_sessions")" = 1 ]
stop_decoy
finish
