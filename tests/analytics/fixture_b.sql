-- fixture_b.sql: sensor "osaka-1". 198.51.100.7 watches here too (counted once in totals).
BEGIN;
INSERT INTO requests (ts, sensor, src_ip, src_port, country, method, path, query, user_agent, referer,
  referer_class, persona, route, status, bytes, client_class, view_id) VALUES
 (1770627650000, 'osaka-1', '198.51.100.7', 51000, 'JP', 'GET', '/mjpg/video.mjpg', NULL, 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/', 'insecam', 'axis', 'stream', 200, 300000, 'browser', 1),
 (1770627660000, 'osaka-1', '2001:db8::1', 51001, 'FR', 'GET', '/mjpg/video.mjpg', NULL, 'Mozilla/5.0 Safari/605', 'http://www.insecam.org/', 'insecam', 'axis', 'stream', 200, 100000, 'browser', 2);
INSERT INTO views (id, sensor, kind, src_ip, country, user_agent, referer, referer_class, client_class, persona,
  path, started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe) VALUES
 (1, 'osaka-1', 'stream', '198.51.100.7', 'JP', 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/', 'insecam', 'browser', 'axis', '/mjpg/video.mjpg', 1770627650000, 1770627670000, 1770627670000, 20000, 200, 300000, 'client_closed', 0),
 (2, 'osaka-1', 'stream', '2001:db8::1', 'FR', 'Mozilla/5.0 Safari/605', 'http://www.insecam.org/', 'insecam', 'browser', 'axis', '/mjpg/video.mjpg', 1770627660000, 1770627661000, 1770627661000, 1000, 1, 100000, 'client_closed', 1);
COMMIT;
