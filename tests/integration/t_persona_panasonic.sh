#!/usr/bin/env bash
# t_persona_panasonic: a snapshot-polling Panasonic camera.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/persona.sh"
PERSONA=panasonic PAGE="/CgiStart?page=Single&Language=0" TITLE="Network Camera BB-HCM581"
STREAM=/nphMotionJpeg SNAPSHOT="/SnapshotJPEG?Resolution=640x480&Quality=Clarity" SNAPSHOT_QS="&"
AUTH=/admin/index.html SERVER="" NOTFOUND="404 Not Found"
REALM="BB-HCM581"
check_persona

start_decoy --persona panasonic
curl -s -o "$TMP/start.html" "$BASE/"
check "panasonic / is the BB-HCM5xx frameset, its main frame the live page" \
	grep -q '<FRAME name=main src="CgiStart?page=Single&Language=0">' "$TMP/start.html"
check "with the menu bar and foot bar frames" grep -q 'src="CgiTagMenu?page=Top&Language=0"' "$TMP/start.html"
check "which are served" curl -sf -o /dev/null "$BASE/CgiTagMenu?page=Top&Language=0"
curl -s -o "$TMP/p.html" "$BASE/CgiStart?page=Single&Language=0"
check "panasonic page polls the snapshot" grep -q 'SnapshotJPEG?Resolution=640x480&Quality=Clarity&Count=' "$TMP/p.html"
stop_decoy
finish
