#!/usr/bin/env bash
# t_report_fleet: camdecoy-report over 200 databases (past SQLite's limit of
# 10 attached) gives 200 times one database's views and its hosts once; the
# same file given twice, or a copy of it, is counted once; the exploits of
# twelve databases, each leak's use joined within its own database.
. "$(dirname "$0")/lib.sh"

MKFIX="$(dirname "$BIN")/tests/mkfixture"
HERE="$(cd "$(dirname "$0")/../analytics" && pwd)"
N=200
"$MKFIX" "$TMP/one.db" "$HERE/fixture_a.sql" tokyo-1 || { bad "fixture"; finish; exit 1; }
args=()
for i in $(seq 1 "$N"); do
	f="$TMP/fleet-$i.db"
	cp "$TMP/one.db" "$f"
	# another database of the fleet: its own identity
	sqlite3 "$f" "UPDATE meta SET value = lower(hex(randomblob(16))) WHERE key = 'db_id'"
	args+=(--db "$f")
done
total() { # total FORMAT-ARGS...: "accessed views" of the summary's total row
	"$REPORT" "$@" --format json summary | python3 -c '
import json, sys
t = [r for r in json.load(sys.stdin)["summary"] if r["period"] == "total"][0]
print(t["accessed_hosts"], t["stream_views"] + t["poll_views"])'
}
read -r hosts1 views1 <<<"$(total --db "$TMP/one.db")"
read -r hostsN viewsN <<<"$(total "${args[@]}")"
echo "one database: $hosts1 hosts, $views1 views; $N databases: $hostsN hosts, $viewsN views"
check "$N databases read (past the attach limit): views x$N ($viewsN)" [ "$viewsN" = $((views1 * N)) ]
check "hosts counted once across the fleet ($hostsN)" [ "$hostsN" = "$hosts1" ]
read -r hosts10 views10 <<<"$(total "${args[@]:0:20}")"
check "10 databases (attached) agree: views x10 ($views10)" [ "$views10" = $((views1 * 10)) ]
check "and hosts once ($hosts10)" [ "$hosts10" = "$hosts1" ]
read -r h v <<<"$(total --db "$TMP/one.db" --db "$TMP/one.db")"
check "the same file twice counts once ($v views, $h hosts)" [ "$v $h" = "$views1 $hosts1" ]
cp "$TMP/one.db" "$TMP/copy.db"
"$REPORT" --db "$TMP/one.db" --db "$TMP/copy.db" --format csv countries >"$TMP/c2.csv" 2>"$TMP/note"
"$REPORT" --db "$TMP/one.db" --format csv countries >"$TMP/c1.csv"
check "a copy of a database counts once" cmp -s "$TMP/c1.csv" "$TMP/c2.csv"
check "and the report says so" grep -q "counted once" "$TMP/note"
"$REPORT" "${args[@]}" --format csv views >"$TMP/views.csv"
check "every view of the fleet exported ($(($(wc -l <"$TMP/views.csv") - 1)) rows)" \
	[ "$(($(wc -l <"$TMP/views.csv") - 1))" = "$viewsN" ]
# The exploits past the attach limit (the copy into one database): twelve sensors' attempts,
# each leak used within its own database only (issue numbers are per database).
xargs_=()
for i in $(seq 1 12); do
	sed "s/kyoto-1/kyoto-$i/g" "$HERE/fixture_x.sql" >"$TMP/x-$i.sql"
	"$MKFIX" "$TMP/x-$i.db" "$TMP/x-$i.sql" "kyoto-$i" || bad "exploits fixture $i"
	xargs_+=(--db "$TMP/x-$i.db")
done
"$REPORT" "${xargs_[@]}" --format json exploits >"$TMP/x.json"
check "12 databases' exploits merged: 84 attempts, 36 uses, 24 leaks used" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if (len(d["exploit_attempts"]), len(d["leak_uses"]),
               sum(r["leaked_used"] for r in d["exploit_rules"])) == (84, 36, 24) else 1)' "$TMP/x.json"
finish
