-- 4: requests and logins past their network's detail budget, counted per
-- hour and network (/24 or /64) instead of one row each
CREATE TABLE aggregated (
  hour INTEGER NOT NULL,
  sensor TEXT NOT NULL,
  persona TEXT NOT NULL,
  network TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('request', 'login')),
  count INTEGER NOT NULL,
  PRIMARY KEY (hour, sensor, persona, network, kind)
) WITHOUT ROWID;
