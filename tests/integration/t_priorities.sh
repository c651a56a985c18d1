#!/usr/bin/env bash
# t_priorities: a size-capped database filled from one /24 keeps room for
# what matters: past 80% of db-max-mb requests are only counted, new views
# still get rows, and a login with the trap credential a viewer was shown
# afterwards is recorded in full, with its credential use. Everything adds
# up (camdecoy-report check compares the counters with the rows).
. "$(dirname "$0")/lib.sh"

start_decoy --persona axis --db-max-mb 1 --event-rate 0 || { finish; exit 1; }
# Fill: page requests with 1 KB query strings, on one keep-alive connection.
python3 - "$PORT" <<'PY'
import http.client, sys
port = int(sys.argv[1])
c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
for i in range(2500):
    c.request("GET", "/view/viewer_index.shtml?%d&pad=%s" % (i, "p" * 1000), headers={"User-Agent": "filler"})
    c.getresponse().read()
PY
wait_sql "SELECT value > 0 FROM counters WHERE name = 'rows_squeezed'" 1
squeezed="$(sql "SELECT value FROM counters WHERE name = 'rows_squeezed'")"
rows="$(sql "SELECT COUNT(*) FROM requests")"
echo "after the fill: $rows request rows, $squeezed counted without a row, $(sql "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size") bytes"
check "requests past 80% of the cap are counted, not written ($squeezed)" [ "${squeezed:-0}" -gt 0 ]
# A viewer now: its view still gets a row and a credential ...
curl -s -o /dev/null --max-time 2 "$BASE/mjpg/video.mjpg" || true
wait_sql "SELECT COUNT(*) FROM views WHERE kind = 'stream' AND ended_at IS NOT NULL" 1
IFS='|' read -r user pass <<<"$(sql "SELECT trap_username, trap_password FROM views WHERE kind = 'stream'")"
check "the viewer's view has its credential ($user)" [ -n "$pass" ]
# ... and the login with it is recorded in full, with the credential use.
curl -s -o /dev/null -u "$user:$pass" "$BASE/axis-cgi/admin/param.cgi"
wait_sql "SELECT COUNT(*) FROM credential_uses WHERE match_kind = 'exact'" 1
check "the login with the trap credential is in the database" \
	[ "$(sql "SELECT COUNT(*) FROM logins WHERE match_kind = 'exact' AND password = '$pass'")" = 1 ]
stop_decoy
"$REPORT" --db "$DB" check >"$TMP/check.txt" 2>&1
cat "$TMP/check.txt"
check "counters add up: seen = rows + aggregated + dropped" grep -q "counters: ok" "$TMP/check.txt"
finish
