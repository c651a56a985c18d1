-- 5: summaries that equal the raw rows. Poll views used to be rewritten with
-- INSERT OR REPLACE, which fired view_hours_add for every batch while the
-- implicit delete fired no delete trigger: view_hours counted a poll view
-- once per batch it appeared in. Views are now upserted (an update fires
-- only the update triggers); both summaries are rebuilt from the rows.
DELETE FROM view_hours;
INSERT INTO view_hours
  SELECT started_at / 3600000, sensor, persona, kind, IFNULL(country, ''), referer_class, COUNT(*)
  FROM views GROUP BY 1, 2, 3, 4, 5, 6;
DELETE FROM host_hours;
INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags, requests)
  SELECT ts / 3600000, sensor, persona, src_ip, MIN(country),
  1 | MAX(CASE referer_class WHEN 'insecam' THEN 2 ELSE 0 END) | MAX(CASE referer_class WHEN 'directory' THEN 4 ELSE 0 END)
  | MAX(CASE referer_class WHEN 'search' THEN 8 ELSE 0 END) | MAX(CASE referer_class WHEN 'self' THEN 16 ELSE 0 END)
  | MAX(CASE referer_class WHEN 'none' THEN 32 ELSE 0 END)
  | MAX(CASE WHEN referer_class NOT IN ('insecam', 'directory', 'search', 'self', 'none') THEN 64 ELSE 0 END)
  | MAX(CASE client_class WHEN 'browser' THEN 128 WHEN 'scanner' THEN 256 ELSE 512 END), COUNT(*)
  FROM requests GROUP BY 1, 2, 3, 4;
INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags)
  SELECT started_at / 3600000, sensor, persona, src_ip, MIN(country), 1024 FROM views WHERE frames >= 1
  GROUP BY 1, 2, 3, 4
  ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | 1024;
-- Counters become totals over the database's life (earlier runs' values
-- are the base of the next); those of older databases described one run.
DELETE FROM counters;
-- A database identifies itself, so that a fleet report counts each once
-- however many copies of it are given.
INSERT OR IGNORE INTO meta (key, value) VALUES ('db_id', lower(hex(randomblob(16))));
-- What became of X-Forwarded-For: NULL (none), 'used' (the client came from
-- it), 'untrusted' (not from a trusted proxy: stored, ignored), 'invalid'
-- (from a trusted proxy, but with a NUL, oversized or malformed: the proxy
-- is recorded as the client).
ALTER TABLE requests ADD COLUMN forwarded_status TEXT;
-- Views past their network's detail budget, or past the space kept for
-- them, are counted here too.
CREATE TABLE aggregated_new (
  hour INTEGER NOT NULL,
  sensor TEXT NOT NULL,
  persona TEXT NOT NULL,
  network TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'login', 'view')),
  count INTEGER NOT NULL,
  PRIMARY KEY (hour, sensor, persona, network, kind)
) WITHOUT ROWID;
INSERT INTO aggregated_new SELECT hour, sensor, persona, network, kind, count FROM aggregated;
DROP TABLE aggregated;
ALTER TABLE aggregated_new RENAME TO aggregated;
