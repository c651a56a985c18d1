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
curl -s -D "$TMP/h" -o /dev/null "$BASE/"
check "panasonic / redirects to the live page" [ "$(header "$TMP/h" Location)" = "/CgiStart?page=Single&Language=0" ]
curl -s -o "$TMP/p.html" "$BASE/CgiStart?page=Single&Language=0"
check "panasonic page polls the snapshot" grep -q 'SnapshotJPEG?Resolution=640x480&Quality=Clarity&Count=' "$TMP/p.html"
stop_decoy
finish
