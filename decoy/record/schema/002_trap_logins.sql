-- 2: trap credentials and login attempts
ALTER TABLE views ADD COLUMN trap_username TEXT;
ALTER TABLE views ADD COLUMN trap_password TEXT;
CREATE INDEX views_trap ON views(trap_password)
  WHERE trap_password IS NOT NULL;
CREATE TABLE logins (
  id INTEGER PRIMARY KEY,
  ts INTEGER NOT NULL,
  sensor TEXT NOT NULL,
  channel TEXT NOT NULL,
  src_ip TEXT NOT NULL,
  src_port INTEGER,
  country TEXT,
  user_agent TEXT,
  user_agent_len INTEGER,
  username TEXT,
  username_len INTEGER,
  password TEXT,
  password_len INTEGER,
  persona TEXT NOT NULL,
  path TEXT,
  matched_view INTEGER,
  match_kind TEXT NOT NULL,
  view_src_ip TEXT,
  view_country TEXT,
  view_referer_class TEXT,
  shown_at INTEGER,
  lag_ms INTEGER,
  moved_ip INTEGER,
  moved_country INTEGER
);
CREATE INDEX logins_ts ON logins(ts);
CREATE INDEX logins_view ON logins(matched_view);
CREATE VIEW credential_uses AS
  SELECT *
  FROM logins
  WHERE match_kind != 'none';
