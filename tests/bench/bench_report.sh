#!/usr/bin/env bash
# bench_report.sh BUILD_DIR [VIEWS] [REQUESTS]: builds a realistic database
# (a quiet start, a directory listing, then a burst, as in the reference
# experiment) and times `camdecoy-report report` on it, with peak memory.
# The peer is sqlite3's own COUNT(*) over the same requests table.
set -euo pipefail
build="$1"
views="${2:-1000000}"
requests="${3:-10000000}"
tmp="$(mktemp -d /tmp/camdecoy-bench-report.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
db="$tmp/big.db"
t0=$(date +%s.%N)
"$(dirname "$0")/../tools/refdb.sh" "$build" "$db" "$views" "$requests"
t1=$(date +%s.%N)
size=$(du -m "$db" | cut -f1)
echo "database: $views views, $requests requests, ${size} MB, built in $(python3 -c "print(round($t1-$t0,1))") s"
peer=$( { /usr/bin/time -f "%e %M" sqlite3 "$db" "SELECT COUNT(DISTINCT src_ip) FROM requests" >/dev/null; } 2>&1 )
out=$( { /usr/bin/time -f "%e %M" "$build/camdecoy-report" --db "$db" report --out "$tmp/rep" >/dev/null; } 2>&1 )
read -r secs kb <<<"$(echo "$out" | tail -n 1)"
read -r psecs pkb <<<"$(echo "$peer" | tail -n 1)"
echo "| what | seconds | peak RSS MB |"
echo "|---|---|---|"
echo "| sqlite3: COUNT(DISTINCT src_ip) over requests (peer) | $psecs | $((pkb / 1024)) |"
echo "| camdecoy-report report (all tables and charts) | $secs | $((kb / 1024)) |"
echo "target: under 10 s and 1 GiB; ratio to the peer: $(python3 -c "print(round($secs/$psecs,2))")x"
