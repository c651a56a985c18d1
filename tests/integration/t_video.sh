#!/usr/bin/env bash
# t_video: an operator's video file is scaled, looped forever and stamped with the OSD.
. "$(dirname "$0")/lib.sh"

# A 1-second clip, 320x240 at 25 fps: shorter than the test, so it must loop.
ffmpeg -nostdin -v error -f lavfi -i testsrc=size=320x240:rate=25:duration=1 \
	-c:v libx264 -pix_fmt yuv420p "$TMP/clip.mp4" 2>/dev/null ||
	ffmpeg -nostdin -v error -f lavfi -i testsrc=size=320x240:rate=25:duration=1 \
		-c:v mjpeg "$TMP/clip.avi"
clip="$TMP/clip.mp4"
[ -s "$clip" ] || clip="$TMP/clip.avi"

start_decoy --video "$clip" --size 640x360 --fps 10 || { finish; exit 1; }
curl -s -o "$TMP/a.jpg" "$BASE/jpg/image.jpg"
check "video snapshot is scaled to 640x360" [ "$(jpeg_size "$TMP/a.jpg")" = 640x360 ]
frames="$(stream_frames "$BASE/mjpg/video.mjpg" 3)"
echo "video: ffmpeg decoded ${frames:-0} frames in 3 s from a 1 s clip"
check "a 1 s clip keeps streaming for 3 s (${frames:-0} frames)" [ "${frames:-0}" -ge 24 ]
curl -s -o "$TMP/b.jpg" "$BASE/jpg/image.jpg"
check "the daemon is still serving after looping" [ "$(jpeg_size "$TMP/b.jpg")" = 640x360 ]
stop_decoy
finish
