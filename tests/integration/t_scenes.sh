#!/usr/bin/env bash
# t_scenes: in each of the four path-traced scenes, by day and by night, a
# snapshot viewer reads (tesseract, lib.sh's ocr_note) the credential
# written on the scene's sheet, the one stored for its view; the spliced
# JPEG decodes without an error; and with no scene given each persona shows
# its own (the Panasonic the office).
. "$(dirname "$0")/lib.sh"

# Tesseract misreads about 1 note in 80, always the same way for the same
# note: a note it misreads is followed by a fresh viewer (at most 3).
read_note() { # SCENE DAY-NIGHT
	local try read stored
	start_decoy --persona axis --scene "$1" --day-night "$2" || return 1
	for try in 1 2 3; do
		curl -s -o "$TMP/s.jpg" -A "viewer-$1-$2-$try" "$BASE/jpg/image.jpg"
		wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'viewer-$1-$2-$try' AND trap_password IS NOT NULL" 1
		read="$(ocr_note "$TMP/s.jpg")"
		stored="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE user_agent = 'viewer-$1-$2-$try'")"
		echo "scenes ($1 by $2, viewer $try): read '$read', stored '$stored'"
		[ -n "$stored" ] && [ "$read" = "$stored" ] && break
	done
	check "$1 by $2: the viewer reads its credential on the sheet" [ -n "$stored" -a "$read" = "$stored" ]
	check "$1 by $2: the spliced snapshot decodes cleanly" \
		[ -z "$(ffmpeg -nostdin -v error -i "$TMP/s.jpg" -f null - 2>&1)" ]
	[ "$1/$2" = server-room/day ] && live_note
	stop_decoy
}

# A stream viewer's note stays on the live picture: no 16-row band of its
# frames (one restart interval each) is the same bytes two seconds later.
# The note's rows, drawn once when the view began, were (the grain froze
# under the note and a passer-by vanished behind it).
live_note() {
	curl -s -m 2.5 -o "$TMP/live.mjpg" -A "stream-viewer" "$BASE/mjpg/video.mjpg"
	check "a stream viewer's note bands change with the picture" python3 - "$TMP/live.mjpg" <<'PY'
import re, sys
data = open(sys.argv[1], "rb").read()
frames = [m.group(0) for m in re.finditer(rb"\xff\xd8.*?\xff\xd9", data, re.S)]
def bands(jpeg):
    scan = jpeg[jpeg.index(b"\xff\xda"):]
    return re.split(rb"\xff[\xd0-\xd7]", scan[2 + int.from_bytes(scan[2:4], "big"):])
first, last = bands(frames[0]), bands(frames[-1])
same = [i for i, (a, b) in enumerate(zip(first, last)) if a == b]
print("live note: %d frames, %d bands, the same bytes in bands %s" % (len(frames), len(first), same))
sys.exit(0 if len(frames) >= 10 and len(first) == len(last) > 20 and not same else 1)
PY
}
for scene in server-room office warehouse car-park; do
	for mode in day night; do
		read_note "$scene" "$mode" || bad "the decoy starts with --scene $scene --day-night $mode"
	done
done

# No --scene: the persona's own. The Panasonic's office has desks, chairs and
# a window: more colour than the server room's grey aisle.
start_decoy --persona panasonic || bad "the decoy starts as a panasonic"
curl -s -o "$TMP/p.jpg" "$BASE/SnapshotJPEG?Resolution=640x480"
stop_decoy
start_decoy --persona panasonic --scene office || bad "the decoy starts in the office"
curl -s -o "$TMP/o.jpg" "$BASE/SnapshotJPEG?Resolution=640x480"
stop_decoy
# the same scene: the pictures differ by noise and the clock only
check "the panasonic shows the office without --scene" python3 - "$TMP/p.jpg" "$TMP/o.jpg" <<'PY'
import subprocess, sys
def grey(path):
    return subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-vf", "scale=32:24,format=gray",
                           "-f", "rawvideo", "-"], capture_output=True, check=True).stdout
a, b = grey(sys.argv[1]), grey(sys.argv[2])
sys.exit(0 if len(a) == len(b) == 768 and sum(abs(x - y) for x, y in zip(a, b)) / 768 < 6 else 1)
PY
finish
