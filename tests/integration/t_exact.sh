#!/usr/bin/env bash
# t_exact: one viewer fetching a snapshot eight times, each in its own
# writer batch, is one poll view everywhere: the views table, view_hours,
# camdecoy-report summary and countries (poll views used to be counted once
# per batch they appeared in).
. "$(dirname "$0")/lib.sh"

start_decoy --persona axis --poll-gap 5 || { finish; exit 1; }
for i in $(seq 1 8); do
	curl -s -o /dev/null -A "Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0" "$BASE/jpg/image.jpg?$i"
	sleep 0.4 # longer than the writer's 250 ms batches
done
wait_sql "SELECT frames FROM views" 8
stop_decoy
check "one views row" [ "$(sql "SELECT COUNT(*) FROM views")" = 1 ]
check "one view in view_hours ($(sql "SELECT SUM(views) FROM view_hours"))" [ "$(sql "SELECT SUM(views) FROM view_hours")" = 1 ]
summary="$("$REPORT" --db "$DB" --format json summary)"
check "summary: one poll view in total" python3 -c '
import json, sys
d = json.loads(sys.argv[1])
total = [r for r in d["summary"] if r["period"] == "total"][0]
assert total["poll_views"] == 1 and total["fetched_hosts"] == 1, total' "$summary"
check "countries: one view" python3 -c '
import json, sys
rows = json.loads(sys.argv[1])["countries"]
assert sum(r["views"] for r in rows) == 1, rows' "$("$REPORT" --db "$DB" --format json countries)"
check "check agrees" "$REPORT" --db "$DB" check
finish
