-- fixture_a.sql: sensor "tokyo-1". Known hosts, views, referers and logins.
-- Day 2026-02-01 (quiet start), 2026-02-09 (listed on Insecam), times UTC.
BEGIN;
INSERT INTO requests (ts, sensor, src_ip, src_port, country, method, path, query, user_agent, referer,
  referer_class, persona, route, status, bytes, client_class, view_id) VALUES
 (1769940000000, 'tokyo-1', '203.0.113.5', 40000, 'DE', 'GET', '/', NULL, 'zgrab/0.x', NULL, 'none', 'axis', 'page', 200, 1149, 'scanner', NULL),
 (1769940060000, 'tokyo-1', '203.0.113.5', 40001, 'DE', 'GET', '/jpg/image.jpg', NULL, 'zgrab/0.x', NULL, 'none', 'axis', 'snapshot', 200, 34000, 'scanner', 1),
 (1770627600000, 'tokyo-1', '198.51.100.7', 50000, 'JP', 'GET', '/mjpg/video.mjpg', '1518051386', 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/en/view/123/', 'insecam', 'axis', 'stream', 200, 8000000, 'browser', 2),
 (1770627700000, 'tokyo-1', '198.51.100.8', 50001, 'JP', 'GET', '/mjpg/video.mjpg', NULL, 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/', 'insecam', 'axis', 'stream', 200, 2000000, 'browser', 3),
 (1770627800000, 'tokyo-1', '192.0.2.1', 50002, 'US', 'GET', '/mjpg/video.mjpg', NULL, 'Mozilla/5.0 Firefox/115', 'https://www.google.com/', 'search', 'axis', 'stream', 200, 500000, 'browser', 4),
 (1770627900000, 'tokyo-1', '198.51.100.9', 50003, 'JP', 'GET', '/view/viewer_index.shtml', NULL, '=cmd|'' /C calc''!A0', '<script>alert(1)</script>', 'other', 'axis', 'page', 200, 1149, 'unknown', NULL),
 (1770679800000, 'tokyo-1', '198.51.100.7', 50004, 'JP', 'GET', '/mjpg/video.mjpg', NULL, 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/', 'insecam', 'axis', 'stream', 200, 100000, 'browser', 5);
INSERT INTO views (id, sensor, kind, src_ip, country, user_agent, referer, referer_class, client_class, persona,
  path, started_at, last_frame_at, ended_at, duration_ms, frames, bytes, end_reason, probe, trap_username, trap_password) VALUES
 (1, 'tokyo-1', 'poll', '203.0.113.5', 'DE', 'zgrab/0.x', NULL, 'none', 'scanner', 'axis', '/jpg/image.jpg', 1769940060000, 1769940060000, 1769940060000, 0, 1, 34000, 'idle', 1, 'admin', 'Amber234'),
 (2, 'tokyo-1', 'stream', '198.51.100.7', 'JP', 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/en/view/123/', 'insecam', 'browser', 'axis', '/mjpg/video.mjpg', 1770627600000, 1770627845000, 1770627845000, 245000, 2450, 8000000, 'client_closed', 0, 'admin', 'Tango537!'),
 (3, 'tokyo-1', 'stream', '198.51.100.8', 'JP', 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/', 'insecam', 'browser', 'axis', '/mjpg/video.mjpg', 1770627700000, 1770627760000, 1770627760000, 60000, 600, 2000000, 'client_closed', 0, 'viewer', 'Zebra882'),
 (4, 'tokyo-1', 'stream', '192.0.2.1', 'US', 'Mozilla/5.0 Firefox/115', 'https://www.google.com/', 'search', 'browser', 'axis', '/mjpg/video.mjpg', 1770627800000, 1770627815000, 1770627815000, 15000, 150, 500000, 'client_closed', 0, 'operator', 'Cedar246#'),
 (5, 'tokyo-1', 'stream', '198.51.100.7', 'JP', 'Mozilla/5.0 Chrome/120', 'http://www.insecam.org/', 'insecam', 'browser', 'axis', '/mjpg/video.mjpg', 1770679800000, 1770679830000, 1770679830000, 30000, 300, 100000, 'client_closed', 0, 'admin', 'Pepper777'),
 (6, 'tokyo-1', 'poll', '198.51.100.9', 'JP', '=cmd|'' /C calc''!A0', '<script>alert(1)</script>', 'other', 'unknown', 'axis', '/jpg/image.jpg', 1770627900000, 1770627900000, 1770627900000, 0, 0, 0, 'idle', 1, 'service', 'Harvest345');
INSERT INTO logins (ts, sensor, channel, src_ip, src_port, country, user_agent, username, password, persona, path,
  matched_view, match_kind, view_src_ip, view_country, view_referer_class, shown_at, lag_ms, moved_ip, moved_country) VALUES
 (1770628200000, 'tokyo-1', 'form', '198.51.100.7', 50010, 'JP', 'Mozilla/5.0 Chrome/120', 'admin', 'Tango537!', 'axis', '/doc/page/login.asp', 2, 'exact', '198.51.100.7', 'JP', 'insecam', 1770627600000, 600000, 0, 0),
 (1770710400000, 'tokyo-1', 'telnet', '203.0.113.77', 40100, 'DE', NULL, 'viewer', 'Zebra882', 'axis', NULL, 3, 'exact', '198.51.100.8', 'JP', 'insecam', 1770627700000, 82700000, 1, 1),
 (1770710500000, 'tokyo-1', 'telnet', '203.0.113.77', 40101, 'DE', NULL, 'root', 'xc3511', 'axis', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (1770710600000, 'tokyo-1', 'telnet', '203.0.113.78', 40102, 'DE', NULL, 'root', 'xc3511', 'axis', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL, NULL, NULL);
-- schema 7: the autonomous systems the decoy looked up (documentation ASNs)
UPDATE logins SET asn = 64501, as_org = 'TEST-NET-3 Beispiel GmbH' WHERE src_ip LIKE '203.0.113.%';
UPDATE logins SET asn = 64500, as_org = 'TEST-NET-2 Example KK' WHERE src_ip LIKE '198.51.100.%';
COMMIT;
