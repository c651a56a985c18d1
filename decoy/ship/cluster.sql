-- A sharded fleet: the rows of one sensor live on one shard (sharding key
-- cityHash64(sensor)), so FINAL, which each shard applies to its own rows,
-- still sees every copy of a row together.
--
-- On every server of the cluster (remote_servers names it camdecoy, one
-- <shard> per server; ClickHouse 18.16 has no ON CLUSTER without ZooKeeper,
-- so the statements run on each server in turn):
--   1. decoy/ship/clickhouse.sql with {db} replaced by camdecoy_local: the
--      shard's own tables;
--   2. this file: tables of the same names in camdecoy that read and write
--      all shards through Distributed.
-- Sensors ship to any server with clickhouse-database camdecoy (the
-- default); reports read camdecoy the same way as a single server's.
-- The test: tests/integration/t_fleet.sh (FLEET_SHARDS=2).
CREATE DATABASE IF NOT EXISTS camdecoy;
CREATE TABLE IF NOT EXISTS camdecoy.requests AS camdecoy_local.requests
  ENGINE = Distributed(camdecoy, camdecoy_local, requests, cityHash64(sensor));
CREATE TABLE IF NOT EXISTS camdecoy.views AS camdecoy_local.views
  ENGINE = Distributed(camdecoy, camdecoy_local, views, cityHash64(sensor));
CREATE TABLE IF NOT EXISTS camdecoy.logins AS camdecoy_local.logins
  ENGINE = Distributed(camdecoy, camdecoy_local, logins, cityHash64(sensor));
CREATE TABLE IF NOT EXISTS camdecoy.credentials AS camdecoy_local.credentials
  ENGINE = Distributed(camdecoy, camdecoy_local, credentials, cityHash64(sensor));
CREATE TABLE IF NOT EXISTS camdecoy.aggregated AS camdecoy_local.aggregated
  ENGINE = Distributed(camdecoy, camdecoy_local, aggregated, cityHash64(sensor));
CREATE TABLE IF NOT EXISTS camdecoy.exploits AS camdecoy_local.exploits
  ENGINE = Distributed(camdecoy, camdecoy_local, exploits, cityHash64(sensor));
CREATE TABLE IF NOT EXISTS camdecoy.counters AS camdecoy_local.counters
  ENGINE = Distributed(camdecoy, camdecoy_local, counters, cityHash64(sensor));
