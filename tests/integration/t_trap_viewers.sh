#!/usr/bin/env bash
# t_trap_viewers: in per-viewer mode two viewers watching at once each read
# (with tesseract) their own credential, equal to the one stored for their
# view; a polling viewer keeps one credential for its whole run.
. "$(dirname "$0")/lib.sh"

start_decoy --persona axis || { finish; exit 1; }
stream_frame "$BASE/mjpg/video.mjpg" "$TMP/a.jpg" -A viewer-A &
pa=$!
stream_frame "$BASE/mjpg/video.mjpg" "$TMP/b.jpg" -A viewer-B &
pb=$!
wait "$pa" "$pb"
wait_sql "SELECT COUNT(*) FROM views WHERE user_agent IN ('viewer-A', 'viewer-B') AND trap_password IS NOT NULL" 2
read_a="$(ocr_note "$TMP/a.jpg")"
read_b="$(ocr_note "$TMP/b.jpg")"
stored_a="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE user_agent = 'viewer-A'")"
stored_b="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE user_agent = 'viewer-B'")"
echo "trap: viewer A read '$read_a' (stored '$stored_a'), viewer B read '$read_b' (stored '$stored_b')"
check "viewer A reads its stored credential" [ -n "$stored_a" -a "$read_a" = "$stored_a" ]
check "viewer B reads its stored credential" [ -n "$stored_b" -a "$read_b" = "$stored_b" ]
check "the two credentials differ" [ "$stored_a" != "$stored_b" ]

# Snapshots: the same poll view shows the same credential on every request.
curl -s -o "$TMP/p1.jpg" -A poller "$BASE/jpg/image.jpg?1"
sleep 1
curl -s -o "$TMP/p2.jpg" -A poller "$BASE/jpg/image.jpg?2"
wait_sql "SELECT frames FROM views WHERE user_agent = 'poller'" 2
read_1="$(ocr_note "$TMP/p1.jpg")"
read_2="$(ocr_note "$TMP/p2.jpg")"
stored_p="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE user_agent = 'poller'")"
echo "trap: poller read '$read_1' and '$read_2' (stored '$stored_p')"
check "a poll view keeps its credential" [ -n "$stored_p" -a "$read_1" = "$stored_p" -a "$read_2" = "$stored_p" ]
check "one poll view" [ "$(sql "SELECT COUNT(*) FROM views WHERE user_agent = 'poller'")" = 1 ]
check "snapshot is still a 640x480 JPEG" [ "$(jpeg_size "$TMP/p2.jpg")" = 640x480 ]
stop_decoy
finish
