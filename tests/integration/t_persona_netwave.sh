#!/usr/bin/env bash
# t_persona_netwave: Netwave/Foscam MJPEG with a clock that starts in 1970.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/persona.sh"
PERSONA=netwave PAGE=/index.htm TITLE="SERVER ROOM 1" STREAM=/videostream.cgi
SNAPSHOT=/snapshot.cgi SNAPSHOT_QS="?rand=" AUTH=/get_params.cgi SERVER="Netwave IP Camera"
NOTFOUND="404 Not Found"
REALM="index.html"
check_persona

start_decoy --persona netwave
curl -s -D "$TMP/h" -o /dev/null --max-time 1 "$BASE/videostream.cgi?user=admin&pwd="
check "netwave stream is HTTP/1.1" bash -c "head -n1 '$TMP/h' | grep -q '^HTTP/1.1 200 OK'"
check "netwave Connection: close" [ "$(header "$TMP/h" Connection)" = close ]
check "netwave boundary" [ "$(header "$TMP/h" Content-Type)" = "multipart/x-mixed-replace;boundary=ipcamera" ]
check "netwave date is in 1970" bash -c "grep -q '^Date: Thu, 01 Jan 1970' '$TMP/h'"
stop_decoy
finish
