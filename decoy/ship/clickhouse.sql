-- The fleet's tables in ClickHouse: the SQLite tables of every sensor, with
-- the same column names, plus db_id (meta's, telling apart two databases of
-- one sensor name). The shipper runs these (CREATE ... IF NOT EXISTS) on a
-- single server with {db} replaced by clickhouse-database; a sharded
-- cluster runs them on every shard with {db} = camdecoy_local and then
-- cluster.sql (see docs/fleet.md).
--
-- Types: SQLite INTEGER as Int64, times (milliseconds since 1970) as
-- UInt64, TEXT as String; Nullable where SQLite allows NULL. Only what
-- ClickHouse 18.16 has: MergeTree family, no DateTime64, no TTL.
--
-- A row may arrive twice (a batch resent after a crash) and a view or an
-- hour's count again after it changed: ReplacingMergeTree keeps one row per
-- ORDER BY key, the one with the largest version (ship_seq) where there is
-- one. Merges happen in the background: exact reads use FINAL (or argMax).
-- Partitions follow a time that never changes for a row, so the copies of
-- one row always meet in one partition.
CREATE DATABASE IF NOT EXISTS {db};
CREATE TABLE IF NOT EXISTS {db}.requests (
  sensor String, db_id String, id Int64, ts UInt64, src_ip String, src_port Nullable(Int64),
  peer_ip Nullable(String), country Nullable(String), method Nullable(String), path Nullable(String),
  path_len Nullable(Int64), query Nullable(String), query_len Nullable(Int64),
  user_agent Nullable(String), user_agent_len Nullable(Int64), referer Nullable(String),
  referer_len Nullable(Int64), forwarded_for Nullable(String), forwarded_for_len Nullable(Int64),
  referer_class String, persona String, route Nullable(String), status Nullable(Int64),
  bytes Nullable(Int64), client_class String, view_id Nullable(Int64),
  forwarded_status Nullable(String), asn Nullable(Int64), as_org Nullable(String),
  refused Nullable(String)
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000)))
  ORDER BY (sensor, db_id, id);
CREATE TABLE IF NOT EXISTS {db}.views (
  sensor String, db_id String, id Int64, kind String, src_ip String, country Nullable(String),
  user_agent Nullable(String), user_agent_len Nullable(Int64), referer Nullable(String),
  referer_len Nullable(Int64), referer_class String, client_class String, persona String,
  path Nullable(String), started_at UInt64, last_frame_at Nullable(UInt64),
  ended_at Nullable(UInt64), duration_ms Nullable(Int64), frames Int64, bytes Int64,
  end_reason Nullable(String), probe Int64, trap_username Nullable(String),
  trap_password Nullable(String), trap_seq Nullable(Int64), asn Nullable(Int64),
  as_org Nullable(String), ship_seq UInt64
) ENGINE = ReplacingMergeTree(ship_seq) PARTITION BY toYYYYMM(toDateTime(intDiv(started_at, 1000)))
  ORDER BY (sensor, db_id, id);
CREATE TABLE IF NOT EXISTS {db}.logins (
  sensor String, db_id String, id Int64, ts UInt64, channel String, src_ip String,
  src_port Nullable(Int64), country Nullable(String), user_agent Nullable(String),
  user_agent_len Nullable(Int64), username Nullable(String), username_len Nullable(Int64),
  password Nullable(String), password_len Nullable(Int64), persona String, path Nullable(String),
  matched_view Nullable(Int64), match_kind String, view_src_ip Nullable(String),
  view_country Nullable(String), view_referer_class Nullable(String), shown_at Nullable(UInt64),
  lag_ms Nullable(Int64), moved_ip Nullable(Int64), moved_country Nullable(Int64),
  asn Nullable(Int64), as_org Nullable(String), matched_seq Nullable(Int64)
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000)))
  ORDER BY (sensor, db_id, id);
-- (matched_seq, schema 9: the leak a login's credential came from. A database made before it
-- gets it with ALTER TABLE {db}.logins ADD COLUMN matched_seq Nullable(Int64); until then the
-- shipper's inserts leave the field out rather than stop: docs/fleet.md.)
CREATE TABLE IF NOT EXISTS {db}.credentials (
  sensor String, db_id String, seq Int64, username String, password String, view_id Int64,
  shown_at UInt64
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(shown_at, 1000)))
  ORDER BY (sensor, db_id, seq);
CREATE TABLE IF NOT EXISTS {db}.aggregated (
  sensor String, db_id String, hour Int64, persona String, network String, kind String,
  count Int64, ship_seq UInt64
) ENGINE = ReplacingMergeTree(ship_seq) PARTITION BY toYYYYMM(toDateTime(hour * 3600))
  ORDER BY (sensor, db_id, hour, persona, network, kind);
-- Exploitation attempts (SQLite schema 9): appended with ids in commit order, like requests.
CREATE TABLE IF NOT EXISTS {db}.exploits (
  sensor String, db_id String, id Int64, ts UInt64, persona String, src_ip String,
  src_port Nullable(Int64), country Nullable(String), asn Nullable(Int64), as_org Nullable(String),
  rule String, cve Nullable(String), family String, answered Int64, status Nullable(Int64),
  method Nullable(String), path Nullable(String), path_len Nullable(Int64), query Nullable(String),
  query_len Nullable(Int64), user_agent Nullable(String), user_agent_len Nullable(Int64),
  payload Nullable(String), payload_len Int64, payload_truncated Int64, ioc_urls Nullable(String),
  ioc_ips Nullable(String), ioc_hosts Nullable(String), ioc_fetch Nullable(String),
  trap_seq Nullable(Int64), trap_username Nullable(String), trap_password Nullable(String),
  channel String DEFAULT 'http'
) ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(ts, 1000)))
  ORDER BY (sensor, db_id, id);
-- (requests.refused, schema 11: why a trap door refused a connection; exploits.channel, schema
-- 10: the door an attempt came through. A database made before them gets them with ALTER TABLE
-- {db}.requests ADD COLUMN refused Nullable(String) and ALTER TABLE {db}.exploits ADD COLUMN
-- channel String DEFAULT 'http'; until then the shipper's inserts leave the fields out.)
-- The sensor's counters as of its last shipment (ts: when, milliseconds).
CREATE TABLE IF NOT EXISTS {db}.counters (
  sensor String, db_id String, name String, value Int64, ts UInt64
) ENGINE = ReplacingMergeTree(ts) PARTITION BY tuple() ORDER BY (sensor, db_id, name);
