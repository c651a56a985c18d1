#!/usr/bin/env bash
# docs_charts.sh BUILD_DIR DOCS_DIR: the README's example charts, drawn by
# camdecoy-report from a reference-shaped database (refdb.sh: a quiet month,
# the listing, a busy month; 20,000 views, 100,000 requests, 90 hosts that
# try a login). `make docs` runs it.
set -euo pipefail
build="$1" docs="$2"
tmp="$(mktemp -d /tmp/camdecoy-docs.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
"$(dirname "$0")/refdb.sh" "$build" "$tmp/ref.db" 20000 100000 90
"$build/camdecoy-report" --db "$tmp/ref.db" --tz UTC report --out "$tmp/rep" >/dev/null
mkdir -p "$docs"
for ch in host_series view_durations funnel; do
	cp "$tmp/rep/$ch.png" "$docs/$ch.png"
done
"$build/camdecoy-report" --db "$tmp/ref.db" --tz UTC summary | sed -n '/listing/,$p'
