#!/usr/bin/env bash
# t_trap_viewers: in per-viewer mode two viewers watching at once each read
# (with tesseract, on the note's corner scaled 2x) their own credential,
# equal to the one stored for their view, in both built-in scenes by day
# and by night; a polling viewer keeps one credential for its whole run.
. "$(dirname "$0")/lib.sh"

# Each built-in scene by day and by night (the IR picture): the notes are read.
two_viewers() { # SCENE DAY-NIGHT
	start_decoy --persona axis --scene "$1" --day-night "$2" || return 1
	stream_frame "$BASE/mjpg/video.mjpg" "$TMP/a.jpg" -A viewer-A &
	local pa=$!
	stream_frame "$BASE/mjpg/video.mjpg" "$TMP/b.jpg" -A viewer-B &
	local pb=$!
	wait "$pa" "$pb"
	wait_sql "SELECT COUNT(*) FROM views WHERE user_agent IN ('viewer-A', 'viewer-B') AND trap_password IS NOT NULL" 2
	local read_a read_b stored_a stored_b
	read_a="$(ocr_note "$TMP/a.jpg")"
	read_b="$(ocr_note "$TMP/b.jpg")"
	stored_a="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE user_agent = 'viewer-A'")"
	stored_b="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE user_agent = 'viewer-B'")"
	echo "trap ($1, $2): viewer A read '$read_a' (stored '$stored_a'), viewer B read '$read_b' (stored '$stored_b')"
	check "$1 by $2: viewer A reads its stored credential" [ -n "$stored_a" -a "$read_a" = "$stored_a" ]
	check "$1 by $2: viewer B reads its stored credential" [ -n "$stored_b" -a "$read_b" = "$stored_b" ]
	check "$1 by $2: the two credentials differ" [ "$stored_a" != "$stored_b" ]
}
for scene in server-room office; do
	for mode in day night; do
		two_viewers "$scene" "$mode" || bad "the decoy starts with --scene $scene --day-night $mode"
		[ "$scene/$mode" = office/night ] || stop_decoy
	done
done

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
