-- 3: summary tables kept by triggers, so reports over millions of rows
-- read host-hours instead of every request. host_hours.flags bits:
-- 1 made a request; Referer class 2 insecam, 4 directory, 8 search,
-- 16 self, 32 none, 64 other; client 128 browser, 256 scanner, 512
-- unknown; 1024 fetched images (a view with a frame or snapshot).
CREATE TABLE host_hours (
  hour INTEGER NOT NULL,
  sensor TEXT NOT NULL,
  persona TEXT NOT NULL,
  src_ip TEXT NOT NULL,
  country TEXT,
  flags INTEGER NOT NULL,
  requests INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (hour, sensor, persona, src_ip)
) WITHOUT ROWID;
-- covers the merged-session scan, so it never visits the table
CREATE INDEX views_session ON views(sensor, src_ip, user_agent, started_at, id, country, ended_at, last_frame_at, frames, referer_class, client_class);
CREATE TABLE view_hours (
  hour INTEGER NOT NULL,
  sensor TEXT NOT NULL,
  persona TEXT NOT NULL,
  kind TEXT NOT NULL,
  country TEXT NOT NULL,
  referer_class TEXT NOT NULL,
  views INTEGER NOT NULL,
  PRIMARY KEY (hour, sensor, persona, kind, country, referer_class)
) WITHOUT ROWID;
CREATE TRIGGER host_hours_request AFTER INSERT ON requests
  BEGIN
  INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags, requests)
  VALUES (NEW.ts / 3600000, NEW.sensor, NEW.persona, NEW.src_ip, NEW.country, 1 | CASE NEW.referer_class WHEN 'insecam' THEN 2 WHEN 'directory' THEN 4 WHEN 'search' THEN 8 WHEN 'self' THEN 16 WHEN 'none' THEN 32 ELSE 64 END | CASE NEW.client_class WHEN 'browser' THEN 128 WHEN 'scanner' THEN 256 ELSE 512 END, 1)
  ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | excluded.flags, requests = requests + 1, country = IFNULL(country, excluded.country);
END;
CREATE TRIGGER host_hours_view AFTER INSERT ON views WHEN NEW.frames >= 1
  BEGIN
  INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags)
  VALUES (NEW.started_at / 3600000, NEW.sensor, NEW.persona, NEW.src_ip, NEW.country, 1024)
  ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | 1024;
END;
CREATE TRIGGER host_hours_view_frames AFTER UPDATE OF frames ON views WHEN NEW.frames >= 1 AND OLD.frames < 1
  BEGIN
  INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags)
  VALUES (NEW.started_at / 3600000, NEW.sensor, NEW.persona, NEW.src_ip, NEW.country, 1024)
  ON CONFLICT (hour, sensor, persona, src_ip) DO UPDATE SET flags = flags | 1024;
END;
-- poll views are rewritten with INSERT OR REPLACE: count inserts and deletes
CREATE TRIGGER view_hours_add AFTER INSERT ON views
  BEGIN
  INSERT INTO view_hours
  VALUES (NEW.started_at / 3600000, NEW.sensor, NEW.persona, NEW.kind, IFNULL(NEW.country, ''), NEW.referer_class, 1)
  ON CONFLICT DO UPDATE SET views = views + 1;
END;
CREATE TRIGGER view_hours_remove AFTER DELETE ON views
  BEGIN
  UPDATE view_hours SET views = views - 1
  WHERE hour = OLD.started_at / 3600000 AND sensor = OLD.sensor AND persona = OLD.persona AND kind = OLD.kind AND country = IFNULL(OLD.country, '') AND referer_class = OLD.referer_class;
END;
-- what databases of schema 2 already hold
INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags, requests)
  SELECT ts / 3600000, sensor, persona, src_ip, MIN(country), 1 | MAX(CASE referer_class WHEN 'insecam' THEN 2 ELSE 0 END) | MAX(CASE referer_class WHEN 'directory' THEN 4 ELSE 0 END) | MAX(CASE referer_class WHEN 'search' THEN 8 ELSE 0 END) | MAX(CASE referer_class WHEN 'self' THEN 16 ELSE 0 END) | MAX(CASE referer_class WHEN 'none' THEN 32 ELSE 0 END) | MAX(CASE WHEN referer_class NOT IN ('insecam', 'directory', 'search', 'self', 'none') THEN 64 ELSE 0 END) | MAX(CASE client_class WHEN 'browser' THEN 128 WHEN 'scanner' THEN 256 ELSE 512 END), COUNT(*)
  FROM requests
  GROUP BY 1, 2, 3, 4;
INSERT INTO host_hours (hour, sensor, persona, src_ip, country, flags)
  SELECT started_at / 3600000, sensor, persona, src_ip, MIN(country), 1024
  FROM views
  WHERE frames >= 1
  GROUP BY 1, 2, 3, 4
  ON CONFLICT DO UPDATE SET flags = flags | 1024;
INSERT INTO view_hours
  SELECT started_at / 3600000, sensor, persona, kind, IFNULL(country, ''), referer_class, COUNT(*)
  FROM views
  GROUP BY 1, 2, 3, 4, 5, 6;
