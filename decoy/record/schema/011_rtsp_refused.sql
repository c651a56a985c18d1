-- 11: an RTSP session's PLAY to TEARDOWN (or its connection's end) is a view of its own kind,
-- 'rtsp' (before, RTSP views were rows of kind 'stream', like HTTP MJPEG streams); and a
-- connection a trap door (Telnet, RTSP) refused or ended to seat a newcomer is a requests row
-- with route the door's name and refused its reason: 'per-ip', 'per-net', 'full', 'rate',
-- 'memory', 'evicted' (NULL for every request that was read).
-- SQLite cannot alter a CHECK: the constraint is loosened in the stored schema as SQLite's own
-- documentation describes (ALTER TABLE, "other kinds of table schema changes"), then the schema
-- is reloaded; the ALTER TABLE after it bumps the schema cookie for every other connection.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
  SET sql = replace(sql, 'CHECK (kind IN (''stream'', ''poll''))', 'CHECK (kind IN (''stream'', ''poll'', ''rtsp''))')
  WHERE type = 'table' AND name = 'views';
PRAGMA writable_schema = RESET;
ALTER TABLE requests ADD COLUMN refused TEXT;
CREATE INDEX requests_refused ON requests(refused, ts) WHERE refused IS NOT NULL;
