#!/usr/bin/env bash
# t_jpeg: every persona's snapshot and stream frame (a per-viewer frame with
# its note spliced in) reads as its firmware's JPEG: a JFIF APP0 first, no
# COM segment (no encoder's signature), quantisation tables that are the
# Annex K tables scaled the IJG way at the persona's quality, the persona's
# chroma subsampling; and the spliced frame decodes without an error.
# jpegcheck.py parses the bytes itself: it shares no code with the decoy.
. "$(dirname "$0")/lib.sh"
JPEGCHECK="$(dirname "$0")/jpegcheck.py"

# PERSONA SNAPSHOT-PATH STREAM-PATH SUBSAMPLING QUALITY
check_jpegs() {
	local p="$1" snap="$2" stream="$3" sub="$4" q="$5"
	start_decoy --persona "$p" || { bad "start $p"; return; }
	curl -s -o "$TMP/$p-snap.jpg" --max-time 5 "$BASE$snap"
	stream_frame "$BASE$stream" "$TMP/$p-frame.jpg" -A "jpeg-$p"
	for f in snap frame; do
		check "$p $f: firmware's JPEG" python3 "$JPEGCHECK" "$TMP/$p-$f.jpg" --app APP0 \
			--sub "$sub" --quality "$q"
		ffmpeg -nostdin -v error -i "$TMP/$p-$f.jpg" -f null - 2>"$TMP/$p-$f.err"
		check "$p $f: decodes cleanly" [ -s "$TMP/$p-$f.jpg" -a ! -s "$TMP/$p-$f.err" ]
	done
	stop_decoy
}

check_jpegs axis /jpg/image.jpg /mjpg/video.mjpg 422 70
check_jpegs panasonic "/SnapshotJPEG?Resolution=640x480&Quality=Clarity" \
	"/nphMotionJpeg?Resolution=640x480&Quality=Standard" 422 65
check_jpegs hikvision /ISAPI/Streaming/channels/101/picture \
	/ISAPI/Streaming/channels/102/httpPreview 420 80
check_jpegs netwave /snapshot.cgi /videostream.cgi 422 60

# A configured quality wins over the persona's.
start_decoy --persona axis --quality 90 || bad "start with --quality 90"
curl -s -o "$TMP/q90.jpg" --max-time 5 "$BASE/jpg/image.jpg"
check "--quality 90 is written" python3 "$JPEGCHECK" "$TMP/q90.jpg" --quality 90
stop_decoy
finish
