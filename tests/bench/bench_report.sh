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
# The shape of the reference: 30 quiet days with a few hundred scanner hosts,
# then a directory listing and 30 busy days. Views are viewing sessions of
# one host; requests belong to views (a stream request, or the snapshots of
# a polling viewer), so hosts recur the way real viewers do. Countries are
# weighted like the reference: JP 85%, US 3%, DE 2%, FR 1%, NL 1%, others.
sqlite3 "$db" <<SQL
PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
CREATE TEMP TABLE cc(i INTEGER PRIMARY KEY, c TEXT);
INSERT INTO cc(c) SELECT 'JP' FROM generate_series(1, 85);
INSERT INTO cc(c) VALUES ('US'),('US'),('US'),('DE'),('DE'),('FR'),('NL'),('IL'),('SE'),('RU'),('RE'),('GB'),('CN'),('KR'),('BR');
CREATE TEMP TABLE vv AS
SELECT value AS id,
       CASE WHEN value <= $views / 1000 THEN (value * 7) % 300 ELSE 300 + (value * 2654435761) % 60000 END AS h,
       CASE WHEN value <= $views / 1000 THEN 1769904000000 + value * (2592000000 / ($views / 1000))
            ELSE 1769904000000 + 2592000000 + ((value * 7919) % 2592000000) END AS st,
       ((value * 48271) % 300000) AS d,
       CASE WHEN value % 3 = 0 THEN 'poll' ELSE 'stream' END AS kind
FROM generate_series(1, $views);
INSERT INTO views (id, sensor, kind, src_ip, country, user_agent, referer, referer_class, client_class, persona,
  path, started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe)
SELECT id, 'bench-1', kind, '10.' || ((h / 65536) % 256) || '.' || ((h / 256) % 256) || '.' || (h % 256),
  (SELECT c FROM cc WHERE cc.i = 1 + h % 100),
  CASE WHEN h < 300 THEN 'zgrab/0.x' ELSE 'Mozilla/5.0 Chrome/120' END,
  CASE WHEN h >= 300 AND h % 5 != 0 THEN 'http://www.insecam.org/' END,
  CASE WHEN h >= 300 AND h % 5 != 0 THEN 'insecam' ELSE 'none' END,
  CASE WHEN h < 300 THEN 'scanner' ELSE 'browser' END, 'axis',
  CASE kind WHEN 'poll' THEN '/jpg/image.jpg' ELSE '/mjpg/video.mjpg' END,
  st, st + d, st + d, d, d / 100, d * 340, 'client_closed', d < 200
FROM vv;
INSERT INTO requests (ts, sensor, src_ip, src_port, country, method, path, user_agent, referer, referer_class,
  persona, route, status, bytes, client_class, view_id)
SELECT st + k * d / ($requests / $views), 'bench-1', src, 1024 + k, c, 'GET', p, ua, ref, rc, 'axis',
  CASE kind WHEN 'poll' THEN 'snapshot' ELSE 'stream' END, 200, 34000, cl, id
FROM (SELECT v.id, v.started_at AS st, v.duration_ms AS d, v.kind, v.src_ip AS src, v.country AS c, v.path AS p,
             v.user_agent AS ua, v.referer AS ref, v.referer_class AS rc, v.client_class AS cl, g.value - 1 AS k
      FROM views v, generate_series(1, $requests / $views) g);
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
