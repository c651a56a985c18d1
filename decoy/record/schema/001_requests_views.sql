-- 1: the first schema
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT
);
CREATE TABLE requests (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  sensor TEXT NOT NULL,
  src_ip TEXT NOT NULL,
  src_port INTEGER,
  peer_ip TEXT,
  country TEXT,
  method TEXT,
  path TEXT,
  path_len INTEGER,
  query TEXT,
  query_len INTEGER,
  user_agent TEXT,
  user_agent_len INTEGER,
  referer TEXT,
  referer_len INTEGER,
  forwarded_for TEXT,
  forwarded_for_len INTEGER,
  referer_class TEXT NOT NULL,
  persona TEXT NOT NULL,
  route TEXT,
  status INTEGER,
  bytes INTEGER,
  client_class TEXT NOT NULL,
  view_id INTEGER
);
CREATE INDEX requests_ts ON requests(ts);
CREATE INDEX requests_src ON requests(src_ip, ts);
CREATE TABLE views (
  id INTEGER PRIMARY KEY,
  sensor TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('stream', 'poll')),
  src_ip TEXT NOT NULL,
  country TEXT,
  user_agent TEXT,
  user_agent_len INTEGER,
  referer TEXT,
  referer_len INTEGER,
  referer_class TEXT NOT NULL,
  client_class TEXT NOT NULL,
  persona TEXT NOT NULL,
  path TEXT,
  started_at INTEGER NOT NULL,
  last_frame_at INTEGER,
  ended_at INTEGER,
  duration_ms INTEGER,
  frames INTEGER NOT NULL DEFAULT 0,
  bytes INTEGER NOT NULL DEFAULT 0,
  end_reason TEXT,
  probe INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX views_started ON views(started_at);
CREATE INDEX views_src ON views(src_ip, user_agent, started_at);
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);
-- Merged viewing time per (sensor, IP, UA): views that overlap or start
-- within 10 s of the previous one's end are one watching session
-- (browsers open two connections for one image and reconnect after
-- hiccups).
CREATE VIEW view_sessions AS WITH o AS (
  SELECT id, sensor, src_ip, country, user_agent, referer_class, client_class, frames, started_at, COALESCE(ended_at, last_frame_at, started_at) AS end_at, MAX(COALESCE(ended_at, last_frame_at, started_at)) OVER ( PARTITION BY sensor, src_ip, user_agent ORDER BY started_at, id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM views), g AS (
  SELECT *, SUM(CASE WHEN prev_end IS NULL OR started_at > prev_end + 10000 THEN 1 ELSE 0 END) OVER (PARTITION BY sensor, src_ip, user_agent ORDER BY started_at, id) AS grp
  FROM o)
  SELECT sensor, src_ip, MIN(country) AS country, user_agent, MIN(id) AS first_view, COUNT(*) AS views, MIN(started_at) AS started_at, MAX(end_at) AS ended_at, MAX(end_at) - MIN(started_at) AS duration_ms, SUM(frames) AS frames, MIN(referer_class) AS referer_class, MIN(client_class) AS client_class
  FROM g
  GROUP BY sensor, src_ip, user_agent, grp;
