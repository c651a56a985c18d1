#!/usr/bin/env bash
# t_fleet_sharded: t_fleet on a two-shard cluster (FLEET_SHARDS=2): the
# cluster SQL of the README on two servers, sensors shipping to the first,
# the second stopped and started mid-run. Five sensors: fleet-004 and
# fleet-005 are the first whose cityHash64 puts them on the second shard.
FLEET_SHARDS=2 FLEET_SENSORS="${FLEET_SENSORS:-5}" exec bash "$(dirname "$0")/t_fleet.sh" "$@"
