#!/usr/bin/env bash
# bench_fleet_report.sh BUILD_DIR [SENSORS] [VIEWS_PER] [REQUESTS_PER]: the
# report over a fleet. SENSORS reference-shaped databases (refdb.sh, each
# with its own sensor name and network; 100 x 10,000 views x 100,000
# requests by default: 1M views and 10M requests) are shipped by the
# decoy's shipper (tests/shipdb) to one ClickHouse; then each subcommand
# runs over ClickHouse and over the SQLite files (the peer: past SQLite's
# attach limit the report copies them into one temporary database first),
# and both outputs must be the same bytes.
set -euo pipefail
build="$(cd "$1" && pwd)"
sensors="${2:-100}" views="${3:-10000}" requests="${4:-100000}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d /tmp/camdecoy-bench-fleet.XXXXXX)"
ch_pid=""
trap '[ -n "$ch_pid" ] && kill "$ch_pid" 2>/dev/null; sleep 1; rm -rf "$tmp"' EXIT
. "$here/ch_server.sh"
bench_ch_start "$tmp/ch"
t0=$(date +%s)
dbs=()
for k in $(seq 1 "$sensors"); do
	REFDB_SENSOR="fleet-$k" REFDB_NET="$k" "$here/../tools/refdb.sh" "$build" "$tmp/s$k.db" "$views" "$requests" 30 >/dev/null
	dbs+=(--db "$tmp/s$k.db")
done
t1=$(date +%s)
# two shippers at a time, as two sensors would
printf '%s\n' $(seq 1 "$sensors") | xargs -P 2 -I{} "$build/tests/shipdb" "$tmp/s{}.db" "$ch_url" camdecoy
t2=$(date +%s)
q() { curl -sS "$ch_url" --data-binary "$1"; }
echo "fleet: $sensors sensors; in ClickHouse $(q 'SELECT count() FROM camdecoy.requests FINAL') requests," \
	"$(q 'SELECT count() FROM camdecoy.views FINAL') views, $(q 'SELECT count() FROM camdecoy.logins FINAL') logins;" \
	"made in $((t1 - t0)) s, shipped in $((t2 - t1)) s; ClickHouse $(q 'SELECT version()'), $(nproc) cores"
echo "| subcommand | over SQLite files (s) | over ClickHouse (s) | ClickHouse / SQLite | output |"
echo "|---|---|---|---|---|"
# tout FILE CMD...: seconds CMD took, its output kept in FILE
tout() { local f="$1" t0 t1; shift; t0=$(date +%s.%N); "$@" >"$f"; t1=$(date +%s.%N); python3 -c "print(round($t1 - $t0, 2))"; }
for sub in summary countries referers credentials funnel abuse "views --merged"; do
	# shellcheck disable=SC2086
	lite=$(tout "$tmp/lite.csv" "$build/camdecoy-report" "${dbs[@]}" --format csv $sub)
	# shellcheck disable=SC2086
	house=$(tout "$tmp/house.csv" "$build/camdecoy-report" --clickhouse "$ch_url" --format csv $sub)
	cmp -s "$tmp/lite.csv" "$tmp/house.csv" && same=identical || same=DIFFERENT
	echo "| $sub | $lite | $house | $(python3 -c "print(round($house / $lite, 3))")x | $same |"
done
lite=$(t "$build/camdecoy-report" "${dbs[@]}" report --out "$tmp/lite")
house=$(t "$build/camdecoy-report" --clickhouse "$ch_url" report --out "$tmp/house")
same=DIFFERENT
diff -rq -x index.html -x '*.pdf' "$tmp/lite" "$tmp/house" >/dev/null && same="identical (but PDF dates)"
echo "| report --out | $lite | $house | $(python3 -c "print(round($house / $lite, 3))")x | $same |"
