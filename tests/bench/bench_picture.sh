#!/usr/bin/env bash
# bench_picture.sh BUILD_DIR [SECONDS]: what a frame costs the media thread
# (source, OSD, encode; the decoy logs it at shutdown) at 640x480 and 10 fps
# with one viewer for SECONDS (default 10): each built-in scene by day and
# by night, against the peer measured in the same run: the decoy playing a
# 640x480 MJPEG file (decode and scale instead of the scene's work), and,
# if BENCH_PICTURE_BEFORE names an older camdecoy binary (one built before
# the camera look), its built-in scene too; BENCH_PICTURE_OLD (a binary
# from before the path-traced scenes) each drawn scene next to ours.
set -euo pipefail
build="$(cd "$1" && pwd)" secs="${2:-10}"
tmp="$(mktemp -d /tmp/camdecoy-bench-picture.XXXXXX)"
pid=""
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
. "$(dirname "${BASH_SOURCE[0]}")/../tools/net.sh"
port() { free_port; }
as_user=()
[ "$(id -u)" = 0 ] && as_user=(--allow-root)
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=640x480:rate=10" -t 20 -c:v mjpeg -q:v 4 "$tmp/peer.mkv"
per_frame() { # ARGS...: ms per frame with one viewer for $secs
	local p bin="${BIN_UNDER_TEST:-$build/camdecoy}"
	p=$(port)
	"$bin" --listen "127.0.0.1:$p" --db "$tmp/d-$p.db" --size 640x480 --fps 10 "${as_user[@]}" \
		"$@" >"$tmp/log" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" && break; sleep 0.1; done
	curl -s -o /dev/null --max-time "$secs" "http://127.0.0.1:$p/mjpg/video.mjpg" || true
	kill "$pid"
	wait "$pid" 2>/dev/null || true
	pid=""
	grep -o '[0-9.]* ms per frame' "$tmp/log" | tail -n 1 | cut -d' ' -f1
}
peer=$(per_frame --video "$tmp/peer.mkv")
echo "| picture (640x480, 10 fps, per-viewer trap) | ms per frame | / peer | / 1.87 ms (the scene before the camera look) |"
echo "|---|---|---|---|"
echo "| peer: a looped MJPEG file | $peer | 1.00x | $(python3 -c "print(round($peer / 1.87, 2))")x |"
if [ -n "${BENCH_PICTURE_BEFORE:-}" ]; then
	before=$(BIN_UNDER_TEST="$BENCH_PICTURE_BEFORE" per_frame)
	echo "| the scene before the camera look (BENCH_PICTURE_BEFORE) | $before | $(python3 -c "print(round($before / $peer, 2))")x | $(python3 -c "print(round($before / 1.87, 2))")x |"
fi
# BENCH_PICTURE_OLD names a binary from before the path-traced scenes: its
# server room and office are measured next to ours, scene by scene and
# mode by mode, each pair back to back (the machine's load changes slowly).
for scene in server-room office warehouse car-park; do
	for mode in day night; do
		ms=$(per_frame --scene "$scene" --day-night "$mode")
		old=""
		if [ -n "${BENCH_PICTURE_OLD:-}" ] && { [ "$scene" = server-room ] || [ "$scene" = office ]; }; then
			old=$(BIN_UNDER_TEST="$BENCH_PICTURE_OLD" per_frame --scene "$scene" --day-night "$mode")
			old=" (drawn scene: $old ms, $(python3 -c "print(round($ms / $old, 2))")x)"
		fi
		echo "| $scene by $mode | $ms$old | $(python3 -c "print(round($ms / $peer, 2))")x | $(python3 -c "print(round($ms / 1.87, 2))")x |"
	done
done
