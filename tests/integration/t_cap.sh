#!/usr/bin/env bash
# t_cap: evidence first at db-max-mb. A flood of distinct snapshot viewers
# (each a new poll view with long User-Agent, Referer and query) fills a
# capped database; a Basic login with a trap credential sent during the
# flood, and one sent after it, are both written; the database file and its
# WAL together stay under the cap; the writer never wedges (nothing dropped,
# no failed commit), the queue stays small, and a clean stop marks the run
# clean so `camdecoy-report check` compares the counters with the rows.
# CAP_VIEWS viewers (4,000) at CAP_MB MiB (1); `make test-long` runs the
# issue's reproduction: 40,000 viewers at 4 MiB.
. "$(dirname "$0")/lib.sh"
VIEWS="${CAP_VIEWS:-4000}"
MB="${CAP_MB:-1}"
TOOLS="$(dirname "$BIN")/tests"
CAPS=(--event-rate 0 --per-ip-connections 1000 --per-net-connections 10000 --max-connections 2000)
cap=$((MB * 1048576))

start_decoy --persona axis --size 320x240 --fps 10 --db-max-mb "$MB" "${CAPS[@]}" || { finish; exit 1; }
# Two floods: the first fills the database, the second runs while a login
# is sent (its User-Agents differ by their padding: new views again).
"$TOOLS/pollers" "$PORT" /jpg/image.jpg "$VIEWS" 64 1500 >"$TMP/pollers" 2>&1
"$TOOLS/pollers" "$PORT" /jpg/image.jpg "$VIEWS" 64 1499 >"$TMP/pollers2" 2>&1 &
POLLERS=$!

# on_disk: the database and its WAL, in bytes.
on_disk() {
	echo $(( $(stat -c %s "$DB" 2>/dev/null || echo 0) + $(stat -c %s "$DB-wal" 2>/dev/null || echo 0) ))
}
# rss: the decoy's resident set in KiB.
rss() {
	awk '/^VmRSS/ {print $2}' "/proc/$DECOY_PID/status" 2>/dev/null || echo 0
}
# login USER PASS: a Basic login on the admin page.
login() {
	curl -s -o /dev/null --max-time 5 -u "$1:$2" "$BASE/axis-cgi/admin/param.cgi"
}
# stored DESC|ASC: the newest or the oldest credential a stored view
# showed, "user|pass".
stored() {
	sql "SELECT username, password FROM credentials WHERE view_id IN (SELECT id FROM views)
		ORDER BY seq $1 LIMIT 1"
}

max_disk=0
max_rss=0
during=""
while kill -0 "$POLLERS" 2>/dev/null; do
	d="$(on_disk)"; r="$(rss)"
	[ "$d" -gt "$max_disk" ] && max_disk="$d"
	[ "$r" -gt "$max_rss" ] && max_rss="$r"
	# A login with the newest credential while the second flood goes on.
	if [ -z "$during" ]; then
		IFS='|' read -r user pass <<<"$(stored DESC)"
		login "$user" "$pass"
		kill -0 "$POLLERS" 2>/dev/null && during="$pass"
	fi
	sleep 0.2
done
wait "$POLLERS"
echo "cap: $(cat "$TMP/pollers"), then $(cat "$TMP/pollers2"); at most $max_disk bytes on disk (cap $cap), RSS at most $max_rss KiB"
check "every snapshot answered" grep -q "answered=$VIEWS failed=0" "$TMP/pollers"
check "every snapshot of the second flood answered" grep -q "answered=$VIEWS failed=0" "$TMP/pollers2"
check "new views were squeezed" [ "$(sql "SELECT COALESCE(SUM(count), 0) > 0 FROM aggregated WHERE kind = 'view'")" = 1 ]
check "a login was sent during the flood" [ -n "$during" ]
check "the login sent during the flood is written ($during)" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE password = '$during' AND match_kind = 'exact'" 1
# After the flood: another login, with the oldest credential.
IFS='|' read -r user pass <<<"$(stored ASC)"
login "$user" "$pass"
check "the login sent after the flood is written ($pass)" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE password = '$pass' AND match_kind = 'exact'" 1
check "the database and its WAL stayed under the cap ($max_disk <= $cap)" [ "$max_disk" -le "$cap" ]
if ! under_asan; then
	check "the queue stayed small (RSS $max_rss KiB)" [ "$max_rss" -le 262144 ]
fi
stop_decoy
read -r dropped failures squeezed <<<"$(sql "SELECT
	(SELECT value FROM counters WHERE name = 'events_dropped'),
	(SELECT value FROM counters WHERE name = 'write_failures'),
	(SELECT value FROM counters WHERE name = 'rows_squeezed')" | tr '|' ' ')"
echo "cap: dropped $dropped, failed commits $failures, squeezed $squeezed, $(sql "SELECT COUNT(*) FROM views") views, $(sql "SELECT COUNT(*) FROM credentials") credentials"
check "nothing was dropped" [ "$dropped" = 0 ]
check "no commit failed" [ "$failures" = 0 ]
check "a squeezed view left no credential" \
	[ "$(sql "SELECT COUNT(*) FROM credentials WHERE view_id NOT IN (SELECT id FROM views)")" = 0 ]
check "the clean stop is recorded" [ "$(sql "SELECT value FROM meta WHERE key = 'state'")" = stopped ]
"$REPORT" --db "$DB" check >"$TMP/check.txt" 2>&1
check "counters add up: seen = rows + aggregated + dropped" grep -q "counters: ok" "$TMP/check.txt"
check "the database is intact" [ "$(sql "PRAGMA integrity_check")" = ok ]
finish
