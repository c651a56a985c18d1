#!/usr/bin/env bash
# bench_ship.sh BUILD_DIR [VIEWS] [REQUESTS]: the fleet shipper and the
# report over ClickHouse, on a reference-shaped database (refdb.sh).
# Shipping: the decoy's shipper (tests/shipdb: SQLite rows -> JSONEachRow ->
# HTTP) against ClickHouse's own client loading the same requests from a
# TSV file (the peer: the fastest way into the same server). Reports:
# `summary` over ClickHouse against `summary` over the SQLite file. Lag:
# a decoy under tests/flood at 1,000 and 10,000 requests/s for 20 s ships
# to the same server; the most rows pending and the longest lag it reported,
# the time to catch up after the flood, and its CPU per request against the
# same flood without shipping (the peer).
set -euo pipefail
build="$(cd "$1" && pwd)"
views="${2:-100000}"
requests="${3:-1000000}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d /tmp/camdecoy-bench-ship.XXXXXX)"
ch_pid=""
trap '[ -n "$ch_pid" ] && kill "$ch_pid" 2>/dev/null; sleep 1; rm -rf "$tmp"' EXIT
. "$here/ch_server.sh"
bench_ch_start "$tmp/ch"
url="$ch_url" tcp="$ch_tcp"
"$here/../tools/refdb.sh" "$build" "$tmp/ref.db" "$views" "$requests" 300 >/dev/null
rows=$(sqlite3 "$tmp/ref.db" "SELECT (SELECT COUNT(*) FROM requests) + (SELECT COUNT(*) FROM views) + (SELECT COUNT(*) FROM logins) + (SELECT COUNT(*) FROM credentials)")
ship=$(t "$build/tests/shipdb" "$tmp/ref.db" "$url" fleet)
# the peer: the same requests as TSV, loaded by clickhouse-client into a copy of the table
curl -s "$url" --data-binary "CREATE TABLE fleet.requests_peer AS fleet.requests" >/dev/null
cols=$(curl -s "$url" --data-binary "SELECT arrayStringConcat(groupArray(name), ',') FROM system.columns WHERE database = 'fleet' AND table = 'requests' AND name != 'db_id'")
sqlite3 -separator $'\t' -nullvalue '\N' "$tmp/ref.db" "SELECT ${cols//,/, } FROM requests" >"$tmp/requests.tsv"
nreq=$(sqlite3 "$tmp/ref.db" "SELECT COUNT(*) FROM requests")
peer=$(t clickhouse-client --port "$tcp" --query "INSERT INTO fleet.requests_peer ($cols) FORMAT TSV" --input_format_allow_errors_num 0 <"$tmp/requests.tsv")
sqlite3 "$tmp/ref.db" "DELETE FROM meta WHERE key LIKE 'ship\_%' ESCAPE '\'" # from the start again
shipreq=$(t "$build/tests/shipdb" "$tmp/ref.db" "$url" fleet2)
lite=$(t "$build/camdecoy-report" --db "$tmp/ref.db" summary)
house=$(t "$build/camdecoy-report" --clickhouse "$url" --clickhouse-database fleet summary)
cmp -s <("$build/camdecoy-report" --db "$tmp/ref.db" --format csv summary) \
	<("$build/camdecoy-report" --clickhouse "$url" --clickhouse-database fleet --format csv summary) &&
	same="identical" || same="DIFFERENT"
echo "database: $views views, $requests requests, $rows rows to ship; ClickHouse $(curl -s "$url" --data-binary 'SELECT version()'), $(nproc) cores"
echo "| what | seconds | rows/s |"
echo "|---|---|---|"
echo "| shipper, every table, $rows rows | $ship | $(python3 -c "print(round($rows / $ship))") |"
echo "| the same again into a second database (the watermarks reset) | $shipreq | $(python3 -c "print(round($rows / $shipreq))") |"
echo "| peer: clickhouse-client loading the $nreq requests from TSV | $peer | $(python3 -c "print(round($nreq / $peer))") |"
echo "| summary over SQLite | $lite | |"
echo "| summary over ClickHouse ($same output) | $house | |"
echo "shipper rows/s over the peer's: $(python3 -c "print(round(($rows / $shipreq) / ($nreq / $peer), 2))")x;" \
	"summary over ClickHouse / over SQLite: $(python3 -c "print(round($house / $lite, 2))")x"

# ---- lag under load, and what shipping costs the decoy ----
cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; } # ticks
flood_run() { # RATE SHIP(0|1): prints "requests cpu_ticks max_pending max_lag_ms catch_up_s"
	local rate="$1" ship="$2" dport db="$tmp/lag-$1-$2.db" args=() d c0 c1 maxp=0 maxl=0 t0 up
	dport=$(port)
	[ "$ship" = 1 ] && args=(--clickhouse "$url" --clickhouse-database "lag$rate" --clickhouse-interval 1)
	"$build/camdecoy" --listen "127.0.0.1:$dport" --db "$db" --event-rate 0 --per-ip-connections 4096 \
		--per-net-connections 65536 --allow-root --sensor-id "lag-$rate" "${args[@]}" >"$tmp/lag.log" 2>&1 &
	d=$!
	for _ in $(seq 1 50); do curl -s -o /dev/null "http://127.0.0.1:$dport/" && break; sleep 0.1; done
	c0=$(cpu_of "$d")
	"$build/tests/flood" "$dport" "$rate" 20 >"$tmp/flood.out" &
	local f=$!
	# pending: requests in the database not yet in ClickHouse, sampled
	behind() {
		local lite house
		lite=$(sqlite3 "$db" "SELECT COUNT(*) FROM requests" 2>/dev/null || echo 0)
		house=$(curl -s "$url" --data-binary "SELECT count() FROM lag$rate.requests" 2>/dev/null)
		[[ "$house" =~ ^[0-9]+$ ]] || house=0
		echo $((lite - house))
	}
	while kill -0 "$f" 2>/dev/null; do
		if [ "$ship" = 1 ]; then
			p=$(behind)
			l=$(sqlite3 "$db" "SELECT value FROM counters WHERE name = 'ship_lag_ms_now'" 2>/dev/null || echo 0)
			[ "${p:-0}" -gt "$maxp" ] && maxp=$p
			[ "${l:-0}" -gt "$maxl" ] && maxl=$l
		fi
		sleep 0.5
	done
	wait "$f" || true
	c1=$(cpu_of "$d")
	t0=$(date +%s.%N)
	up=0
	if [ "$ship" = 1 ]; then
		for _ in $(seq 1 600); do
			[ "$(behind)" -le 0 ] && up=1 && break
			sleep 0.1
		done
	fi
	local catch
	catch=$(python3 -c "print(round($(date +%s.%N) - $t0, 1))")
	kill -TERM "$d"
	wait "$d" 2>/dev/null || true
	local req
	req=$(sqlite3 "$db" "SELECT COUNT(*) FROM requests")
	echo "$req $((c1 - c0)) $maxp $maxl $([ "$ship" = 1 ] && { [ "$up" = 1 ] && echo "$catch" || echo ">60"; } || echo -)"
}
echo
echo "| flood | requests recorded | decoy CPU ms per 1,000 requests | most requests not yet in ClickHouse (sampled every 0.5 s) | longest ship_lag_ms_now | in ClickHouse after the flood within |"
echo "|---|---|---|---|---|---|"
hz=$(getconf CLK_TCK)
for rate in 1000 10000; do
	for ship in 0 1; do
		read -r req ticks maxp maxl catch <<<"$(flood_run "$rate" "$ship")"
		per=$(python3 -c "print(round($ticks * 1000.0 / $hz / max($req, 1) * 1000, 1))")
		if [ "$ship" = 1 ]; then
			echo "| $rate/s, shipping | $req | $per | $maxp | ${maxl} ms | ${catch} s |"
		else
			echo "| $rate/s, not shipping (peer) | $req | $per | - | - | - |"
		fi
	done
done
