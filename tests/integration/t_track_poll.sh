#!/usr/bin/env bash
# t_track_poll: a viewer refreshing a snapshot every half second, ten times,
# is one poll view of nine gaps plus one interval, as the client timed them
# (its pacing is not part of the bound: under load a curl can take longer);
# two runs separated by more than the gap are two views, merged into one session.
. "$(dirname "$0")/lib.sh"

UA="Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
poll_run() { # poll_run COUNT: FIRST_MS and LAST_MS are when the first and last answers came
	FIRST_MS=""
	for i in $(seq 1 "$1"); do
		curl -s -o /dev/null -A "$UA" "$BASE/SnapshotJPEG?Resolution=640x480&Quality=Clarity&Count=$i$RANDOM"
		LAST_MS=$(date +%s%3N)
		FIRST_MS=${FIRST_MS:-$LAST_MS}
		[ "$i" = "$1" ] || sleep 0.5 # the viewer's refresh interval, not a wait on the decoy
	done
}

start_decoy --persona panasonic --poll-gap 2 || { finish; exit 1; }
poll_run 10
wait_sql "SELECT frames FROM views WHERE kind = 'poll'" 10
check "one poll view" [ "$(sql "SELECT COUNT(*) FROM views WHERE kind = 'poll'")" = 1 ]
IFS='|' read -r dur frames cls <<<"$(sql "SELECT duration_ms, frames, client_class FROM views")"
# nine gaps as the client saw them, plus one interval (their mean)
want=$(( (LAST_MS - FIRST_MS) * 10 / 9 ))
echo "poll view: duration_ms=$dur frames=$frames class=$cls; the client's span plus an interval: $want ms"
check "the client's nine gaps plus one ($dur within 300 ms of $want)" \
	bash -c "[ \$(( ${dur:-0} - $want )) -ge -300 ] && [ \$(( ${dur:-0} - $want )) -le 300 ]"
check "10 snapshots in the view ($frames)" [ "$frames" = 10 ]
check "a browser ($cls)" [ "$cls" = browser ]
sleep 3 # the viewer pauses longer than the gap
poll_run 3
wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'snapshot'" 13
check "a second run after the gap is a second view" \
	[ "$(sql "SELECT COUNT(*) FROM views WHERE kind = 'poll'")" = 2 ]
check "every snapshot request is linked to its view" \
	[ "$(sql "SELECT COUNT(*) FROM requests WHERE route = 'snapshot' AND view_id IS NOT NULL")" = 13 ]
check "merged sessions join the two runs (3 s apart, within the 10 s merge window)" \
	[ "$(sql "SELECT COUNT(*) FROM view_sessions")" = 1 ]
stop_decoy
finish
