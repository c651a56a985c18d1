#!/usr/bin/env bash
# docs_scenes.sh BUILD_DIR DOCS_DIR: the README's pictures of the built-in
# scenes: docs/scenes.png, a contact sheet of each scene by day and by
# night (640x480 snapshots of the decoy itself, tiled at 3/4 size), and docs/live_view.png,
# headless Chromium's screenshot of the axis live page with the office by
# day in it. `make docs` runs it.
set -euo pipefail
build="$(cd "$1" && pwd)" docs="$2"
tmp="$(mktemp -d /tmp/camdecoy-scenes.XXXXXX)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../tools/net.sh"
port() { free_port; }
as_user=()
[ "$(id -u)" = 0 ] && as_user=(--allow-root)
decoy() { # SCENE DAY-NIGHT: a decoy on $p with that picture
	p=$(port)
	"$build/camdecoy" --listen "127.0.0.1:$p" --db "$tmp/d-$p.db" --scene "$1" --day-night "$2" \
		--size 640x480 --persona axis --timezone Asia/Tokyo "${as_user[@]}" >"$tmp/decoy.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" && return 0; sleep 0.1; done
	cat "$tmp/decoy.log" >&2
	return 1
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""; }
inputs=()
for scene in server-room office warehouse car-park; do
	for mode in day night; do
		decoy "$scene" "$mode"
		sleep 1 # a few frames: exposure and noise under way
		curl -s -o "$tmp/$scene-$mode.jpg" "http://127.0.0.1:$p/axis-cgi/jpg/image.cgi"
		stop
		inputs+=(-i "$tmp/$scene-$mode.jpg")
	done
done
mkdir -p "$docs"
ffmpeg -nostdin -v error -y "${inputs[@]}" -filter_complex "[0][1]hstack[a];[2][3]hstack[b];[4][5]hstack[c];[6][7]hstack[d];[a][b][c][d]vstack=inputs=4,scale=iw*3/4:ih*3/4" \
	"$docs/scenes.png"
chromium="$(command -v chromium || command -v chromium-browser)"
decoy office day
timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --no-first-run --disable-sync --user-data-dir="$tmp/chromium" \
	--window-size=1024,768 --timeout=4000 --screenshot="$docs/live_view.png" \
	"http://127.0.0.1:$p/view/viewer_index.shtml" >"$tmp/chromium.log" 2>&1
stop
echo "docs: scenes.png, live_view.png written"
