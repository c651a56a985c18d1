-- 6: every per-viewer trap credential ever shown, once. A credential is the
-- issue number seq spelled by a keyed permutation (meta trap_key); numbers
-- are reserved in meta trap_seq_next before any is shown, so no number, and
-- no password, is issued twice in this database. The UNIQUE constraint is
-- the database's own check of that; `camdecoy-report check` looks too.
CREATE TABLE credentials (
  seq INTEGER PRIMARY KEY,
  username TEXT NOT NULL,
  password TEXT NOT NULL UNIQUE,
  view_id INTEGER NOT NULL,
  shown_at INTEGER NOT NULL
);
CREATE INDEX credentials_username ON credentials(username);
ALTER TABLE views ADD COLUMN trap_seq INTEGER;
-- Credentials of earlier schemas (drawn at random, some shown to two views)
-- are kept where one view alone showed them, under negative numbers; a
-- password several views showed identifies none of them.
INSERT INTO credentials (seq, username, password, view_id, shown_at)
  SELECT -MIN(id), MIN(trap_username), trap_password, MIN(id), MIN(started_at) FROM views
  WHERE trap_password IS NOT NULL AND trap_username IS NOT NULL
  GROUP BY trap_password HAVING COUNT(*) = 1;
