#!/usr/bin/env bash
# t_persona_axis: the default persona looks and streams like an AXIS camera.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/persona.sh"
PERSONA=axis PAGE=/view/viewer_index.shtml TITLE="Live view - AXIS M1124 Network Camera"
STREAM=/mjpg/video.mjpg SNAPSHOT=/jpg/image.jpg SNAPSHOT_QS="?" AUTH=/axis-cgi/admin/param.cgi
SERVER="" NOTFOUND="404 Not Found"
REALM="AXIS_ACCC8E4B21D7"
check_persona

# AXIS firmware answers streams as HTTP/1.0 with boundary=myboundary.
start_decoy
curl -s -D "$TMP/h" -o /dev/null --max-time 1 "$BASE/axis-cgi/mjpg/video.cgi?resolution=640x480"
check "axis stream is HTTP/1.0" bash -c "head -n1 '$TMP/h' | grep -q '^HTTP/1.0 200'"
check "axis boundary" [ "$(header "$TMP/h" Content-Type)" = "multipart/x-mixed-replace; boundary=myboundary" ]
curl -s -D "$TMP/h" -o /dev/null "$BASE/operator/basic.shtml"
check "axis digest realm" bash -c "grep -q 'Digest realm=\"AXIS_[0-9A-F]\{12\}\", nonce=\"[0-9a-f]\{32\}\", algorithm=MD5, qop=\"auth\"' '$TMP/h'"
stop_decoy
finish
