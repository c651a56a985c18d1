#!/usr/bin/env bash
# run.sh BUILD_DIR: every benchmark, each reported against a peer measured in the same run.
set -euo pipefail
build="${1:-build}"
echo "## Against the peers (P1-P7)"
"$(dirname "$0")/bench_peers.sh" "$build" "$build/bench-peers.md"
echo
echo "## Event writer ($(date -u +%Y-%m-%d), $(nproc) cores)"
"$build/tests/bench/bench_store" 200000
echo
echo "## Per-viewer trap credentials vs static (500 viewers x 10 fps)"
"$(dirname "$0")/bench_trap.sh" "$build" 500 10
echo
echo "## camdecoy-report on 1,000,000 views and 10,000,000 requests"
"$(dirname "$0")/bench_report.sh" "$build" 1000000 10000000
echo
echo "## Fleet: the shipper and summary over ClickHouse (100,000 views, 1,000,000 requests)"
"$(dirname "$0")/bench_ship.sh" "$build" 100000 1000000
echo
echo "## Fleet: the report over 100 sensors (10,000,000 requests, 1,000,000 views)"
"$(dirname "$0")/bench_fleet_report.sh" "$build" 100 10000 100000
echo
echo "## RTSP (P8): 8 viewers of H.264 and JPEG over RTP against HTTP MJPEG and gst-rtsp-server"
"$(dirname "$0")/bench_rtsp.sh" "$build" 8 10
echo
echo "## The picture: a frame's cost per scene, day and night"
"$(dirname "$0")/bench_picture.sh" "$build" 10
