#!/usr/bin/env bash
# t_onvif: the ONVIF device and media services over the real HTTP stack.
# Envelopes built here: GetSystemDateAndTime open to all; a viewer's trap
# credential as a WS-Security PasswordDigest gets the device information and
# the stream URI (the RTSP listener's), and its login names the view exactly
# on channel onvif; wrong and stale tokens get ter:NotAuthorized, a replayed
# one is answered as firmware answers it, its row saying so; all are login rows; hostile XML changes nothing; firmware without ONVIF keeps
# its 404. (Playing the stream URI waits for the RTSP video issue.)
. "$(dirname "$0")/lib.sh"
RTSP_PORT="$(free_port)"

start_decoy --persona hikvision --rtsp "127.0.0.1:$RTSP_PORT" --event-rate 0 || { finish; exit 1; }
stream_frame "$BASE/ISAPI/Streaming/channels/102/httpPreview" "$TMP/v.jpg" -A onvif-watcher
wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'onvif-watcher' AND trap_password IS NOT NULL" 1
user="$(sql "SELECT trap_username FROM views WHERE user_agent = 'onvif-watcher'")"
pass="$(sql "SELECT trap_password FROM views WHERE user_agent = 'onvif-watcher'")"
view="$(sql "SELECT id FROM views WHERE user_agent = 'onvif-watcher'")"
check "the viewer was shown a credential" [ -n "$user" -a -n "$pass" ]

URI_OUT="$TMP/stream.uri" python3 - "$PORT" "$user" "$pass" "$RTSP_PORT" >"$TMP/client.out" 2>&1 <<'PY'
import base64, datetime, hashlib, http.client, os, sys
port, user, pw, rtsp = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
DEV = "http://www.onvif.org/ver10/device/wsdl"
MED = "http://www.onvif.org/ver10/media/wsdl"
WSSE = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
WSU = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
DIG = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest"

def token(u, p, nonce=None, created=None):
    nonce = nonce or os.urandom(16)
    created = created or datetime.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%SZ")
    d = base64.b64encode(hashlib.sha1(nonce + created.encode() + p.encode()).digest()).decode()
    return ('<wsse:Security xmlns:wsse="%s" xmlns:wsu="%s"><wsse:UsernameToken>'
            '<wsse:Username>%s</wsse:Username><wsse:Password Type="%s">%s</wsse:Password>'
            '<wsse:Nonce>%s</wsse:Nonce><wsu:Created>%s</wsu:Created></wsse:UsernameToken>'
            '</wsse:Security>') % (WSSE, WSU, u, DIG, d, base64.b64encode(nonce).decode(), created)

def env(ns, action, inner="", head=""):
    return ('<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">'
            '<s:Header>%s</s:Header><s:Body><a:%s xmlns:a="%s">%s</a:%s></s:Body></s:Envelope>'
            % (head, action, ns, inner, action))

def post(path, body, ua="onvif-test"):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    c.request("POST", path, body=body.encode() if isinstance(body, str) else body,
              headers={"Content-Type": "application/soap+xml; charset=utf-8", "User-Agent": ua})
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    return r.status, r.getheader("Content-Type"), data

def say(name, ok):
    print(("ok " if ok else "FAIL ") + name)

s, ct, b = post("/onvif/device_service", env(DEV, "GetSystemDateAndTime"))
say("GetSystemDateAndTime without a credential", s == 200 and "<tt:UTCDateTime>" in b and ct.startswith("application/soap+xml"))
s, ct, b = post("/onvif/device_service", env(DEV, "GetDeviceInformation"))
say("GetDeviceInformation without a credential: 401 NotAuthorized", s == 401 and "ter:NotAuthorized" in b)
s, ct, b = post("/onvif/device_service", env(DEV, "GetDeviceInformation", head=token(user, pw)), ua="onvif-right")
say("the trap credential gets the device information", s == 200 and "<tds:Model>DS-2CD2032-I</tds:Model>" in b)
s, ct, b = post("/onvif/Media", env(MED, "GetStreamUri", "<a:ProfileToken>Profile_1</a:ProfileToken>", head=token(user, pw)))
say("GetStreamUri names the RTSP listener", s == 200 and ("rtsp://127.0.0.1:%s/Streaming/Channels/101?transportmode=unicast&amp;profile=Profile_1" % rtsp) in b)
import re
m = re.search(r"<tt:Uri>([^<]*)</tt:Uri>", b)
open(os.environ["URI_OUT"], "w").write(m.group(1).replace("&amp;", "&") if m else "")
s, ct, b = post("/onvif/device_service", env(DEV, "GetUsers", head=token(user, "wrong-" + pw)), ua="onvif-wrong")
say("a wrong password: 400 NotAuthorized", s == 400 and "ter:NotAuthorized" in b)
t = token(user, pw)
post("/onvif/device_service", env(DEV, "GetHostname", head=t), ua="onvif-first")
s, ct, b = post("/onvif/device_service", env(DEV, "GetHostname", head=t), ua="onvif-replay")
say("a replayed token: answered, as the firmware does", s == 200 and "<tt:Name>192.0.0.64</tt:Name>" in b)
s, ct, b = post("/onvif/device_service", env(DEV, "GetHostname", head=token(user, pw, created="2001-01-01T00:00:00Z")), ua="onvif-stale")
say("a stale Created: 400 NotAuthorized", s == 400 and "ter:NotAuthorized" in b)
s, ct, b = post("/onvif/device_service", env(DEV, "SetSystemFactoryDefault", head=token(user, pw)))
say("an unknown action: ActionNotSupported", s == 500 and "ter:ActionNotSupported" in b)
xxe = ('<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
       '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>'
       '<a:GetSystemDateAndTime xmlns:a="%s">&x;</a:GetSystemDateAndTime></s:Body></s:Envelope>' % DEV)
s, ct, b = post("/onvif/device_service", xxe, ua="onvif-xxe")
say("XXE: a SOAP fault, no file", s == 400 and "ter:WellFormed" in b and "root:" not in b)
lol = '<?xml version="1.0"?><!DOCTYPE s [<!ENTITY l0 "lol">' + "".join(
    '<!ENTITY l%d "%s">' % (i, ("&l%d;" % (i - 1)) * 10) for i in range(1, 10)) + ']>' + env(DEV, "GetHostname", "&l9;")[38:]
s, ct, b = post("/onvif/device_service", lol, ua="onvif-lol")
say("billion laughs: a SOAP fault", s == 400 and "ter:WellFormed" in b)
deep = env(DEV, "GetHostname", "<d>" * 100 + "</d>" * 100)
s, ct, b = post("/onvif/device_service", deep, ua="onvif-deep")
say("100 deep: a SOAP fault", s == 400 and "ter:WellFormed" in b)
s, ct, b = post("/onvif/device_service", env(DEV, "GetHostname", "x" * 5000), ua="onvif-big")
say("over 4 KiB: the persona's 413", s == 413)
s, ct, b = post("/onvif/device_service", env(DEV, "GetSystemDateAndTime"))
say("still answering after all that", s == 200)
PY
cat "$TMP/client.out"
while read -r verdict name; do
	check "$name" [ "$verdict" = ok ]
done <"$TMP/client.out"
check "the client ran every case" [ "$(grep -c '^ok ' "$TMP/client.out")" = 13 ]
# The stream URI ONVIF gave plays, with the credential ONVIF accepted.
uri="$(cat "$TMP/stream.uri" 2>/dev/null)"
# (the password percent-encoded: it may end in # or $)
url="$(python3 -c 'import sys, urllib.parse as u; print(sys.argv[1].replace("rtsp://", "rtsp://%s:%s@" % (u.quote(sys.argv[2], safe=""), u.quote(sys.argv[3], safe="")), 1))' "$uri" "$user" "$pass")"
got="$(timeout 20 ffprobe -v error -rtsp_transport tcp -show_entries stream=codec_name,width,height -of csv=p=0 "$url" 2>&1)"
check "ffprobe plays the URI GetStreamUri gave, H.264 as the profile says ($uri: $got)" [ "$got" = "h264,640,480" ]
check "GET on the device service: the persona's 405" [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/onvif/device_service")" = 405 ]

# the logins: one row per token, on channel onvif
check "the right digest names the view exactly" \
	wait_sql "SELECT matched_view || '|' || match_kind || '|' || password FROM logins WHERE channel = 'onvif' AND user_agent = 'onvif-right'" "$view|exact|$pass"
check "the wrong one matches nothing" \
	wait_sql "SELECT match_kind || '|' || COALESCE(password, '') FROM logins WHERE channel = 'onvif' AND user_agent = 'onvif-wrong'" "none|"
check "the replayed and the stale token are login rows too" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'onvif' AND user_agent IN ('onvif-replay', 'onvif-stale')" 2
check "and their requests say so" \
	wait_sql "SELECT group_concat(route || ' ' || status, ',') FROM (SELECT route, status FROM requests WHERE user_agent IN ('onvif-replay', 'onvif-stale') ORDER BY id)" \
	"onvif/replay/GetHostname 200,onvif/stale/GetHostname 400"
check "requests are rows with their action" \
	wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'onvif/GetDeviceInformation' AND status = 200" 1
check "hostile bodies are rows" \
	wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'onvif/malformed' AND user_agent IN ('onvif-xxe', 'onvif-lol', 'onvif-deep')" 3
stop_decoy

# Firmware without ONVIF keeps its 404.
for p in netwave panasonic; do
	start_decoy --persona "$p" || { finish; exit 1; }
	check "$p answers 404 on /onvif/device_service" \
		[ "$(curl -s -o /dev/null -w '%{http_code}' -d '<x/>' "$BASE/onvif/device_service")" = 404 ]
	stop_decoy
done
finish
