#!/usr/bin/env bash
# run.sh BUILD_DIR: every benchmark, each reported against a peer measured in the same run.
set -euo pipefail
build="${1:-build}"
echo "## Event writer ($(date -u +%Y-%m-%d), $(nproc) cores)"
"$build/tests/bench/bench_store" 200000
