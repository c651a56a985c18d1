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
: >"$tmp/empty.sql"
"$build/tests/mkfixture" "$db" "$tmp/empty.sql" bench-1
t0=$(date +%s.%N)
# 60 days; hosts: 200 in the first 30 days, then 40,000 after the listing.
# Countries weighted like the reference: JP 85%, US 3%, DE 2%, FR 1%, NL 1%, others.
sqlite3 "$db" <<SQL
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
CREATE TEMP TABLE cc(i INTEGER PRIMARY KEY, c TEXT);
INSERT INTO cc(c) SELECT 'JP' FROM generate_series(1, 85);
INSERT INTO cc(c) VALUES ('US'),('US'),('US'),('DE'),('DE'),('FR'),('NL'),('IL'),('SE'),('RU'),('RE'),('GB'),('CN'),('KR'),('BR');
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $requests - 1)
INSERT INTO requests (ts, sensor, src_ip, src_port, country, method, path, user_agent, referer, referer_class,
  persona, route, status, bytes, client_class)
SELECT 1769904000000 + CASE WHEN i < $requests / 1000 THEN (i * 2592000000 / ($requests / 1000))
                            ELSE 2592000000 + ((i * 7919) % 2592000000) END,
  'bench-1',
  '10.' || ((h / 65536) % 256) || '.' || ((h / 256) % 256) || '.' || (h % 256),
  1024 + i % 60000, (SELECT c FROM cc WHERE cc.i = 1 + h % 100), 'GET',
  CASE WHEN i % 3 = 0 THEN '/jpg/image.jpg' ELSE '/mjpg/video.mjpg' END,
  CASE WHEN h % 10 = 0 THEN 'zgrab/0.x' ELSE 'Mozilla/5.0 Chrome/120' END,
  CASE WHEN i >= $requests / 1000 AND h % 5 != 0 THEN 'http://www.insecam.org/' END,
  CASE WHEN i >= $requests / 1000 AND h % 5 != 0 THEN 'insecam' ELSE 'none' END,
  'axis', CASE WHEN i % 3 = 0 THEN 'snapshot' ELSE 'stream' END, 200, 34000,
  CASE WHEN h % 10 = 0 THEN 'scanner' ELSE 'browser' END
FROM (SELECT i, CASE WHEN i < $requests / 1000 THEN i % 200 ELSE (i * 2654435761) % 40000 END AS h FROM n);
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $views - 1)
INSERT INTO views (id, sensor, kind, src_ip, country, user_agent, referer, referer_class, client_class, persona,
  path, started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe)
SELECT i + 1, 'bench-1', CASE WHEN i % 3 = 0 THEN 'poll' ELSE 'stream' END,
  '10.' || ((h / 65536) % 256) || '.' || ((h / 256) % 256) || '.' || (h % 256),
  (SELECT c FROM cc WHERE cc.i = 1 + h % 100), 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/',
  CASE WHEN h % 5 != 0 THEN 'insecam' ELSE 'none' END, 'browser', 'axis', '/mjpg/video.mjpg',
  st, st + d, st + d, d, d / 100, d * 340, 'client_closed', d < 200
FROM (SELECT i, (i * 2654435761) % 40000 AS h,
             1769904000000 + 2592000000 + ((i * 7919) % 2592000000) AS st,
             ((i * 48271) % 300000) AS d FROM n);
SQL
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
