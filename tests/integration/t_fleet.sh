#!/usr/bin/env bash
# t_fleet: a simulated fleet on loopback. FLEET_SENSORS decoys (4 here, 100
# in `make test-long`), each on its own 127.0.1.x address with its own
# database and sensor-id, ship to one ClickHouse (FLEET_SHARDS=1) or to a
# two-shard cluster built from decoy/ship/clickhouse.sql and cluster.sql
# (FLEET_SHARDS=2, t_fleet_sharded). Load goes to all of them; a tenth are
# killed with -9 mid-run and restarted on their databases; ClickHouse (the
# second shard when sharded) is stopped for CH_OUTAGE_SECONDS (5 here, 20 in
# the long run) and started again. At the end the fleet in ClickHouse holds
# every row of every database once, byte for byte, the fleet totals
# (hosts, views, logins, credential uses per sensor) equal the SQLite ones,
# and `camdecoy-report --clickhouse` prints for every subcommand, and
# writes for report --out, what the report over all the SQLite files does.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clickhouse.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"
SRC="$(cd "$HERE/../.." && pwd)"
N="${FLEET_SENSORS:-4}"
SHARDS="${FLEET_SHARDS:-1}"
OUTAGE="${CH_OUTAGE_SECONDS:-5}"
PIDS=()
fleet_cleanup() {
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done
	ch_cleanup
	cleanup
}
trap fleet_cleanup EXIT
command -v clickhouse-server >/dev/null || { bad "clickhouse-server is not installed"; finish; exit 1; }

if [ "$SHARDS" = 2 ]; then
	# two servers that name each other in a cluster "camdecoy"
	P1="$(free_port)" P2="$(free_port)"
	remote="<remote_servers><camdecoy>
	  <shard><replica><host>127.0.0.1</host><port>$P1</port></replica></shard>
	  <shard><replica><host>127.0.0.1</host><port>$P2</port></replica></shard>
	</camdecoy></remote_servers>"
	CH_TCP_FIXED="$P1" ch_start a "$remote" || { bad "shard a starts"; finish; exit 1; }
	URL_A="$CH_URL"
	CH_TCP_FIXED="$P2" ch_start b "$remote" || { bad "shard b starts"; finish; exit 1; }
	for p in "$P1" "$P2"; do
		sed 's/{db}/camdecoy_local/g' "$SRC/decoy/ship/clickhouse.sql" | clickhouse-client --port "$p" --multiquery &&
			clickhouse-client --port "$p" --multiquery <"$SRC/decoy/ship/cluster.sql" ||
			bad "the cluster SQL applies on port $p"
	done
	CH_URL="$URL_A"
	OUT_NAME=b
	check "both shards are in the cluster" \
		[ "$(ch_query "$CH_URL" "SELECT count() FROM system.clusters WHERE cluster = 'camdecoy'")" = 2 ]
else
	ch_start one || { bad "clickhouse starts"; finish; exit 1; }
	OUT_NAME=one
fi

PORT="$(free_port)"
addr() { echo "127.0.1.$((10 + $1))"; }
db_of() { echo "$TMP/sensor-$1.db"; }
launch() { # I: sensor I on its address and database (appends to its log)
	"$BIN" --listen "$(addr "$1"):$PORT" --db "$(db_of "$1")" --sensor-id "$(printf 'fleet-%03d' "$1")" \
		--geoip "${CAMDECOY_TESTDATA:-.}/test-geoip2.mmdb" --geoip-asn "${CAMDECOY_TESTDATA:-.}/test-asn.mmdb" \
		--event-rate 0 --clickhouse "$CH_URL" --clickhouse-interval 1 --clickhouse-batch 200 \
		--fps 2 "${AS_USER[@]}" >>"$TMP/sensor-$1.log" 2>&1 &
	PIDS[$1]=$!
}
for i in $(seq 1 "$N"); do launch "$i"; done
up=0
for i in $(seq 1 "$N"); do wait_http "http://$(addr "$i"):$PORT/" && up=$((up + 1)); done
check "all $N sensors answer ($up)" [ "$up" = "$N" ]

load() { # ROUND: pages, a snapshot and a login on every sensor; a stream on some
	python3 - "$PORT" "$N" "$1" <<'PY'
import base64, concurrent.futures as cf, http.client, sys
port, n, rnd = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
def one(i):
    host = "127.0.1.%d" % (10 + i)
    done = 0
    for k in range(12):
        try:
            c = http.client.HTTPConnection(host, port, timeout=5)
            hdr = {"User-Agent": "fleet-%s-%d" % (rnd, k)}
            if k == 11:
                hdr["Authorization"] = "Basic " + base64.b64encode(b"root:pass" + rnd.encode()).decode()
                c.request("GET", "/axis-cgi/admin/param.cgi", headers=hdr)
            elif k == 10:
                c.request("GET", "/axis-cgi/jpg/image.cgi", headers=hdr)
            else:
                c.request("GET", "/view/index.shtml?r=%s&k=%d" % (rnd, k), headers=hdr)
            c.getresponse().read()
            c.close()
            done += 1
        except OSError:
            pass
    return done
with cf.ThreadPoolExecutor(16) as ex:
    total = sum(ex.map(one, range(1, n + 1)))
print(total)
PY
}
sent=$(load r1)
echo "round 1: $sent requests answered"

# kill -9 a tenth (at least one), restart them on their databases
kills=$(((N + 9) / 10))
for i in $(seq 1 "$kills"); do kill -KILL "${PIDS[$i]}"; wait "${PIDS[$i]}" 2>/dev/null; done
sent=$(load r2)
echo "round 2 ($kills killed): $sent requests answered"
for i in $(seq 1 "$kills"); do launch "$i"; done
for i in $(seq 1 "$kills"); do wait_http "http://$(addr "$i"):$PORT/" || bad "sensor $i restarts"; done

# ClickHouse (or one shard) away, load goes on, then back
ch_stop "$OUT_NAME"
sent=$(load r3)
echo "round 3 (clickhouse $OUT_NAME down): $sent requests answered"
sleep "$OUTAGE"
ch_start "$OUT_NAME" "${remote:-}" || bad "clickhouse $OUT_NAME starts again"
[ "$SHARDS" = 2 ] && CH_URL="$URL_A"
sent=$(load r4)
echo "round 4: $sent requests answered"
# the credential a sensor's picture showed, used on up to ten of them
uses=0
for i in $(seq 1 "$((N < 10 ? N : 10))"); do
	cred="$(sqlite3 "$(db_of "$i")" "SELECT trap_username || ':' || trap_password FROM views WHERE trap_password IS NOT NULL LIMIT 1")"
	[ -n "$cred" ] && curl -s -o /dev/null -u "$cred" "http://$(addr "$i"):$PORT/axis-cgi/admin/param.cgi" && uses=$((uses + 1))
done
echo "trap credentials used on $uses sensors"

# every sensor catches up, then stops cleanly
for i in $(seq 1 "$N"); do
	db="$(db_of "$i")"
	for _ in $(seq 1 150); do
		[ "$(sqlite3 "$db" "SELECT value FROM counters WHERE name = 'ship_pending_now'" 2>/dev/null)" = 0 ] && break
		sleep 0.2
	done
done
for i in $(seq 1 "$N"); do kill -TERM "${PIDS[$i]}" 2>/dev/null; done
for i in $(seq 1 "$N"); do wait "${PIDS[$i]}" 2>/dev/null; done
PIDS=()
failed=$(cat "$TMP"/sensor-*.log | grep -c 'clickhouse: .* rows pending' || true)
check "every sensor logged its shipping at the stop ($failed of $N)" [ "$failed" -ge "$N" ]
check "no sensor left rows pending" bash -c "! grep -h 'rows pending' '$TMP'/sensor-*.log | grep -qv ' 0 rows pending'"
dbs=()
fails=0
for i in $(seq 1 "$N"); do
	dbs+=("$(db_of "$i")")
	fails=$((fails + $(sqlite3 "$(db_of "$i")" "SELECT IFNULL(SUM(value), 0) FROM counters WHERE name = 'ship_failed_batches'")))
done
check "the outage was seen: $fails failed batches, retried" [ "$fails" -gt 0 ]
python3 "$HERE/ch_compare.py" "$CH_URL" camdecoy "${dbs[@]}" >"$TMP/compare.out" 2>&1
rc=$?
grep -v '^ok ' "$TMP/compare.out" | head -20
tail -n 1 "$TMP/compare.out" | cut -c1-300
check "the fleet in ClickHouse equals the $N databases row for row; totals agree" [ "$rc" = 0 ]
dbargs=()
for d in "${dbs[@]}"; do dbargs+=(--db "$d"); done
for sub in summary credentials referers funnel countries abuse views "views --merged"; do
	# shellcheck disable=SC2086
	"$REPORT" "${dbargs[@]}" --format csv $sub >"$TMP/lite.csv" 2>"$TMP/lite.err"
	# shellcheck disable=SC2086
	"$REPORT" --clickhouse "$CH_URL" --format csv $sub >"$TMP/house.csv" 2>"$TMP/house.err"
	check "the fleet's $sub over ClickHouse equals the one over the $N databases" cmp -s "$TMP/lite.csv" "$TMP/house.csv"
	cmp -s "$TMP/lite.csv" "$TMP/house.csv" || { diff "$TMP/lite.csv" "$TMP/house.csv" | head; cat "$TMP/house.err"; } >&2
done
"$REPORT" "${dbargs[@]}" report --out "$TMP/lite-report" >/dev/null 2>&1
"$REPORT" --clickhouse "$CH_URL" report --out "$TMP/house-report" >/dev/null 2>&1
check "the fleet's report --out over ClickHouse writes the same files as over the $N databases" \
	same_report_dirs "$TMP/lite-report" "$TMP/house-report"
"$REPORT" --clickhouse "$CH_URL" check >"$TMP/check.out" 2>&1
rc=$?
oks=$(grep -c ': counters: ok' "$TMP/check.out")
grep -v ': ok$' "$TMP/check.out" | head -5
check "check over ClickHouse: every invariant holds ($rc), counters agree on $oks sensors" [ "$rc" = 0 ]
check "the sensors never killed have comparable counters ($oks >= $((N - kills)))" [ "$oks" -ge $((N - kills)) ]
sensors=$(ch_query "$CH_URL" "SELECT uniqExact(sensor) FROM camdecoy.requests")
check "ClickHouse knows all $N sensors ($sensors)" [ "$sensors" = "$N" ]
if [ "$SHARDS" = 2 ]; then
	a=$(clickhouse-client --port "$P1" --query "SELECT count() FROM camdecoy_local.requests")
	b=$(clickhouse-client --port "$P2" --query "SELECT count() FROM camdecoy_local.requests")
	echo "rows per shard: $a and $b"
	check "both shards hold rows" [ "$a" -gt 0 -a "$b" -gt 0 ]
fi
finish
