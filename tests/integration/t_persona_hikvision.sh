#!/usr/bin/env bash
# t_persona_hikvision: App-webs server header, login page, ISAPI picture.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/persona.sh"
PERSONA=hikvision PAGE=/doc/page/login.asp TITLE="HIKVISION"
STREAM=/ISAPI/Streaming/channels/102/httpPreview SNAPSHOT=/ISAPI/Streaming/channels/101/picture
SNAPSHOT_QS="?" AUTH=/ISAPI/Security/userCheck SERVER="App-webs/" NOTFOUND="Access Error: 404"
REALM="IP Camera(C6269)"
check_persona

start_decoy --persona hikvision
curl -s -D "$TMP/h" -o "$TMP/b" "$BASE/ISAPI/System/deviceInfo"
check "hikvision realm" bash -c "grep -q 'Digest qop=\"auth\", realm=\"IP Camera(' '$TMP/h'"
check "hikvision 401 body" grep -q "Document Error: Unauthorized" "$TMP/b"
curl -s -o "$TMP/s.jpg" "$BASE/Streaming/channels/1/picture?snapShotImageType=JPEG"
check "hikvision legacy picture path" [ "$(jpeg_size "$TMP/s.jpg")" = 640x480 ]
stop_decoy
finish
