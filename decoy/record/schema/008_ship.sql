-- 8: what the fleet shipper (clickhouse) needs to send each row change
-- once. Requests and logins are only ever appended, with ids SQLite hands
-- out in commit order: their id is the watermark. Views change after insert
-- (frames, end) and take their ids at the viewer's start, credentials are
-- numbered when shown, aggregated counts grow: every insert or change of
-- those takes the next number of ship_clock into ship_seq, so the rows
-- changed after the shipper's watermark are those with a larger ship_seq.
-- One writer assigns the numbers inside its transactions, so a reader that
-- sees number N has seen every smaller one. Existing rows get numbers in
-- id order and ship once.
CREATE TABLE ship_clock (one INTEGER PRIMARY KEY CHECK (one = 1), n INTEGER NOT NULL);
ALTER TABLE views ADD COLUMN ship_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE aggregated ADD COLUMN ship_seq INTEGER NOT NULL DEFAULT 0;
ALTER TABLE credentials ADD COLUMN ship_seq INTEGER NOT NULL DEFAULT 0;
UPDATE views SET ship_seq = id;
INSERT INTO ship_clock (one, n) VALUES (1, (SELECT IFNULL(MAX(id), 0) FROM views));
UPDATE aggregated SET ship_seq = c.n + o.rn
  FROM ship_clock c, (SELECT hour, sensor, persona, network, kind,
    ROW_NUMBER() OVER (ORDER BY hour, sensor, persona, network, kind) AS rn FROM aggregated) o
  WHERE o.hour = aggregated.hour AND o.sensor = aggregated.sensor AND o.persona = aggregated.persona
    AND o.network = aggregated.network AND o.kind = aggregated.kind;
UPDATE ship_clock SET n = n + (SELECT COUNT(*) FROM aggregated);
UPDATE credentials SET ship_seq = c.n + o.rn
  FROM ship_clock c, (SELECT seq, ROW_NUMBER() OVER (ORDER BY seq) AS rn FROM credentials) o
  WHERE o.seq = credentials.seq;
UPDATE ship_clock SET n = n + (SELECT COUNT(*) FROM credentials);
CREATE INDEX views_ship ON views(ship_seq);
CREATE INDEX aggregated_ship ON aggregated(ship_seq);
CREATE INDEX credentials_ship ON credentials(ship_seq);
CREATE TRIGGER credentials_ship_insert AFTER INSERT ON credentials BEGIN
  UPDATE ship_clock SET n = n + 1;
  UPDATE credentials SET ship_seq = (SELECT n FROM ship_clock) WHERE seq = NEW.seq;
END;
CREATE TRIGGER views_ship_insert AFTER INSERT ON views BEGIN
  UPDATE ship_clock SET n = n + 1;
  UPDATE views SET ship_seq = (SELECT n FROM ship_clock) WHERE id = NEW.id;
END;
CREATE TRIGGER views_ship_change AFTER UPDATE OF last_frame_at, ended_at, duration_ms, frames, bytes,
  end_reason, probe ON views BEGIN
  UPDATE ship_clock SET n = n + 1;
  UPDATE views SET ship_seq = (SELECT n FROM ship_clock) WHERE id = NEW.id;
END;
CREATE TRIGGER aggregated_ship_insert AFTER INSERT ON aggregated BEGIN
  UPDATE ship_clock SET n = n + 1;
  UPDATE aggregated SET ship_seq = (SELECT n FROM ship_clock)
    WHERE hour = NEW.hour AND sensor = NEW.sensor AND persona = NEW.persona AND network = NEW.network
      AND kind = NEW.kind;
END;
CREATE TRIGGER aggregated_ship_change AFTER UPDATE OF count ON aggregated BEGIN
  UPDATE ship_clock SET n = n + 1;
  UPDATE aggregated SET ship_seq = (SELECT n FROM ship_clock)
    WHERE hour = NEW.hour AND sensor = NEW.sensor AND persona = NEW.persona AND network = NEW.network
      AND kind = NEW.kind;
END;
