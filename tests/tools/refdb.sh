#!/usr/bin/env bash
# refdb.sh BUILD_DIR DB VIEWS REQUESTS [LOGIN_HOSTS]: a database shaped like
# the reference experiment, for benchmarks and the README's charts.
# LOGIN_HOSTS (default 0): that many of the busy period's viewing hosts also
# try a login, one in three of them with the credential their view showed.
# REFDB_SENSOR (default bench-1) names the sensor; REFDB_NET (0 .. 255,
# default 0) is the second byte of every address (10.N.x.y), so that the
# databases of a simulated fleet see hosts of their own.
set -euo pipefail
build="$1" db="$2" views="$3" requests="$4" login_hosts="${5:-0}"
sensor="${REFDB_SENSOR:-bench-1}" net="${REFDB_NET:-0}"
case "$net" in *[!0-9]* | "") echo "refdb.sh: REFDB_NET: 0 .. 255" >&2; exit 2 ;; esac
case "$sensor" in *[!A-Za-z0-9._-]* | "") echo "refdb.sh: REFDB_SENSOR: letters, digits, . _ -" >&2; exit 2 ;; esac
tmp="$(mktemp -d /tmp/camdecoy-refdb.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
: >"$tmp/empty.sql"
"$build/tests/mkfixture" "$db" "$tmp/empty.sql" "$sensor"
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
            ELSE 1769904000000 + 2592000000 + ((value * 2654435761) % 2592000000) END AS st,
       ((value * 48271) % 300000) AS d,
       CASE WHEN value % 3 = 0 THEN 'poll' ELSE 'stream' END AS kind
FROM generate_series(1, $views);
INSERT INTO views (id, sensor, kind, src_ip, country, user_agent, referer, referer_class, client_class, persona,
  path, started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe)
SELECT id, '$sensor', kind, '10.' || (($net + h / 65536) % 256) || '.' || ((h / 256) % 256) || '.' || (h % 256),
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
SELECT st + k * d / ($requests / $views), '$sensor', src, 1024 + k, c, 'GET', p, ua, ref, rc, 'axis',
  CASE kind WHEN 'poll' THEN 'snapshot' ELSE 'stream' END, 200, 34000, cl, id
FROM (SELECT v.id, v.started_at AS st, v.duration_ms AS d, v.kind, v.src_ip AS src, v.country AS c, v.path AS p,
             v.user_agent AS ua, v.referer AS ref, v.referer_class AS rc, v.client_class AS cl, g.value - 1 AS k
      FROM views v, generate_series(1, $requests / $views) g);
SQL
# Logins: the last view of each of LOGIN_HOSTS busy hosts, a form login a
# minute after its start; every third one with the view's credential.
[ "$login_hosts" -gt 0 ] || exit 0
sqlite3 "$db" <<SQL
INSERT INTO logins (ts, sensor, channel, src_ip, country, persona, path, matched_view, match_kind,
  view_src_ip, view_country, view_referer_class, shown_at, lag_ms, moved_ip, moved_country)
SELECT started_at + 60000, '$sensor', 'form', src_ip, country, 'axis', '/view/login.shtml',
  CASE WHEN rk % 3 = 0 THEN id END, CASE WHEN rk % 3 = 0 THEN 'exact' ELSE 'none' END,
  CASE WHEN rk % 3 = 0 THEN src_ip END, CASE WHEN rk % 3 = 0 THEN country END,
  CASE WHEN rk % 3 = 0 THEN referer_class END, CASE WHEN rk % 3 = 0 THEN started_at + 1000 END,
  CASE WHEN rk % 3 = 0 THEN 59000 END, CASE WHEN rk % 3 = 0 THEN 0 END, CASE WHEN rk % 3 = 0 THEN 0 END
FROM (SELECT v.*, ROW_NUMBER() OVER (ORDER BY src_ip) AS rk FROM views v
      WHERE id = (SELECT MAX(id) FROM views w WHERE w.src_ip = v.src_ip) AND duration_ms > 10000
        AND client_class = 'browser')
WHERE rk <= $login_hosts;
SQL
