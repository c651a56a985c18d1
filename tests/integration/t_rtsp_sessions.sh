#!/usr/bin/env bash
# t_rtsp_sessions: one view and one login per RTSP session, refusals in rows,
# and what nmap's RTSP scripts see.
# - A credential is one login row per session however often it is repeated;
#   Basic "admin:" and a Digest computed with the empty password (ffprobe's
#   rtsp://admin:@host/) are the same row, a Digest with an unknown password
#   its own; URL credentials are a login too, beside a header as alone.
# - PLAY..TEARDOWN from a Python client that holds the session 2 s is one
#   views row of kind rtsp: its duration within 1 s of what the client held,
#   its User-Agent, class player, the credential it was shown.
# - A look of a few frames under a second is a probe.
# - rtsp-lifetime ends a session that keeps playing.
# - A connection refused (per address, connection rate) is a requests row
#   with its reason; past the rows budget counted in aggregated, rows and
#   counts together what the counter says.
# - nmap's rtsp-methods and rtsp-url-brute (a short URL list): the methods
#   the firmware lists, 401 for its paths, 404 for the others.
. "$(dirname "$0")/lib.sh"
HERE="$(dirname "$0")"
RTSP_PORT="$(free_port)"
start_decoy --persona hikvision --rtsp "127.0.0.1:$RTSP_PORT" || { finish; exit 1; }

python3 - "$RTSP_PORT" >"$TMP/logins.out" 2>&1 <<'PY'
import base64, hashlib, re, socket, sys
port = int(sys.argv[1])
url = "rtsp://127.0.0.1:%d/Streaming/Channels/101" % port
md5 = lambda s: hashlib.md5(s.encode()).hexdigest()
def session(ua, auths, uri=url):
    """One connection: a DESCRIBE without credentials (for the challenge),
    then one DESCRIBE per entry of auths, a function of the challenge."""
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    def ask(n, extra=""):
        s.sendall(("DESCRIBE %s RTSP/1.0\r\nCSeq: %d\r\nUser-Agent: %s\r\n%s\r\n" % (uri, n, ua, extra)).encode())
        buf = b""
        while b"\r\n\r\n" not in buf:
            buf += s.recv(4096)
        return buf.decode(errors="replace")
    ch = ask(1) if uri == url else None
    if ch is None:  # the challenge from the plain URL, credentials after it
        s.sendall(("DESCRIBE %s RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: %s\r\n\r\n" % (url, ua)).encode())
        ch = ""
        while "\r\n\r\n" not in ch:
            ch += s.recv(4096).decode(errors="replace")
    realm = re.search(r'Digest realm="([^"]*)"', ch).group(1)
    nonce = re.search(r'nonce="([^"]*)"', ch).group(1)
    for i, a in enumerate(auths):
        ask(i + 2, "Authorization: %s\r\n" % a(realm, nonce))
    s.close()
def basic(u, p):
    return lambda realm, nonce: "Basic " + base64.b64encode(("%s:%s" % (u, p)).encode()).decode()
def digest(u, p, uri=url):
    def f(realm, nonce):
        resp = md5("%s:%s:%s" % (md5("%s:%s:%s" % (u, realm, p)), nonce, md5("DESCRIBE:" + uri)))
        return 'Digest username="%s", realm="%s", nonce="%s", uri="%s", response="%s"' % (u, realm, nonce, uri, resp)
    return f
session("t-basic-empty", [basic("admin", "")])
session("t-digest-empty", [digest("admin", "")])
session("t-both-empty", [basic("admin", ""), digest("admin", ""), digest("admin", "")])
session("t-digest-unknown", [digest("admin", "secret"), digest("admin", "secret")])
session("t-repeat", [basic("root", "12345")] * 4)
# VLC: credentials in the URL and a header, here different ones
session("t-url-and-header", [basic("admin", "hdr")], uri="rtsp://viewer:inurl@127.0.0.1:%d/Streaming/Channels/101" % port)
print("done")
PY
check "the login sessions ran ($(tail -1 "$TMP/logins.out"))" grep -q '^done$' "$TMP/logins.out"
rows() { sql "SELECT group_concat(quote(username) || ' ' || quote(password), ',') FROM (SELECT username, password FROM logins WHERE user_agent = '$1' ORDER BY username, password)"; }
check "Basic admin: is one login: admin and the empty password" wait_sql "SELECT COUNT(*) FROM logins WHERE user_agent = 't-basic-empty'" 1
check "a Digest computed with the empty password is the same row as Basic's ($(rows t-digest-empty) = $(rows t-basic-empty))" \
	[ "$(rows t-digest-empty)|$(rows t-basic-empty)" = "'admin' ''|'admin' ''" ]
check "Basic admin: and Digest admin/'' in one session: one row ($(rows t-both-empty))" [ "$(rows t-both-empty)" = "'admin' ''" ]
check "a Digest with a password we cannot know: one row, password NULL ($(rows t-digest-unknown))" [ "$(rows t-digest-unknown)" = "'admin' NULL" ]
check "a credential repeated four times is one row ($(rows t-repeat))" [ "$(rows t-repeat)" = "'root' '12345'" ]
check "URL credentials beside a header: both are logins ($(rows t-url-and-header))" \
	[ "$(rows t-url-and-header)" = "'admin' 'hdr','viewer' 'inurl'" ]
# ffprobe as a user would type it: a username and an empty password
timeout 20 ffprobe -v error -user_agent ff-empty "rtsp://admin:@127.0.0.1:$RTSP_PORT/Streaming/Channels/101" >/dev/null 2>&1
check "ffprobe rtsp://admin:@host/ (a Digest): the same row as Basic's ($(rows ff-empty))" \
	wait_sql "SELECT group_concat(quote(username) || ' ' || quote(password)) FROM logins WHERE user_agent = 'ff-empty'" "'admin' ''"

# Refusals: a ninth connection from one address, and a network that
# connects faster than the rate (each from its own /24: the rows' budget is
# per network).
python3 - "$RTSP_PORT" >"$TMP/refuse.out" 2>&1 <<'PY'
import socket, struct, sys, time
port = int(sys.argv[1])
def conn(src, reset=False):
    s = socket.socket()
    if reset:  # closed with a RST: no TIME_WAIT for the next port to meet
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    return s
held = [conn("127.0.3.1") for _ in range(8)]
ninth = conn("127.0.3.1")
ninth.settimeout(5)
try:
    print("ninth", "closed" if ninth.recv(1) == b"" else "open")
except OSError as e:
    print("ninth", "closed" if "reset" in str(e).lower() else "open")
for s in held + [ninth]:
    s.close()
t0 = time.monotonic()
for _ in range(400):
    conn("127.0.4.1", True).close()
print("flood: 400 connections in %.1f s" % (time.monotonic() - t0))
print("done")
PY
cat "$TMP/refuse.out"
check "a ninth connection from one address is closed at once" grep -q '^ninth closed$' "$TMP/refuse.out"
check "the refusal is a row: route rtsp, refused per-ip, from that address" \
	wait_sql "SELECT COUNT(*) >= 1 FROM requests WHERE src_ip = '127.0.3.1' AND route = 'rtsp' AND refused = 'per-ip' AND status = 0" 1
check "400 connections one after the other from one /24: refusals are rows" \
	wait_sql "SELECT COUNT(*) > 0 FROM requests WHERE src_ip = '127.0.4.1' AND refused IS NOT NULL" 1

# nmap's RTSP scripts (forced onto a port that is not 554), a short list.
printf '%s\n' /Streaming/Channels/101 /Streaming/Channels/102 /live.sdp /axis-media/media.amp /cam/realmonitor /h264 >"$TMP/urls.txt"
timeout 60 nmap -Pn -n -sT -p "$RTSP_PORT" --script +rtsp-methods,+rtsp-url-brute \
	--script-args "rtsp-url-brute.urlfile=$TMP/urls.txt" 127.0.0.1 >"$TMP/nmap.out" 2>&1
cat "$TMP/nmap.out"
check "rtsp-methods: the firmware's Public" \
	grep -q "rtsp-methods: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER" "$TMP/nmap.out"
check "rtsp-url-brute: 401 for the firmware's paths" \
	grep -A3 "401:" "$TMP/nmap.out" | grep -q "/Streaming/Channels/102"
check "rtsp-url-brute: nothing it lacks reported" bash -c "! grep -E 'live.sdp|axis-media|realmonitor|h264' '$TMP/nmap.out'"
check "the paths it lacks answered 404, as rows" \
	wait_sql "SELECT COUNT(DISTINCT path) FROM requests WHERE route = 'rtsp' AND method = 'DESCRIBE' AND status = 404 AND (path LIKE '%/live.sdp' OR path LIKE '%/axis-media/media.amp' OR path LIKE '%/cam/realmonitor' OR path LIKE '%/h264')" 4
stop_decoy
check "every refusal recorded is a row, or past the rows budget counted in aggregated" \
	[ "$(sql "SELECT (SELECT COUNT(*) FROM requests WHERE refused IS NOT NULL) + (SELECT IFNULL(SUM(count), 0) FROM aggregated WHERE kind = 'request')")" = "$(sql "SELECT value FROM counters WHERE name = 'rtsp_refusals_recorded'")" ]
echo "rtsp: refusal rows from the flooding /24: $(sql "SELECT COUNT(*) FROM requests WHERE src_ip = '127.0.4.1'"), counted in aggregated: $(sql "SELECT IFNULL(SUM(count), 0) FROM aggregated WHERE network = '127.0.4.0/24'")"
check "past the rows budget (a burst of 60, then one a second) refusals are counted in aggregated" \
	[ "$(sql "SELECT IFNULL(SUM(count), 0) > 0 FROM aggregated WHERE network = '127.0.4.0/24' AND kind = 'request'")" = 1 ]
check "the counters name the reasons" \
	[ "$(sql "SELECT (SELECT value FROM counters WHERE name = 'rtsp_refused_ip') >= 1 AND (SELECT value FROM counters WHERE name = 'rtsp_refused_rate') >= 1")" = 1 ]

# An open camera (no credential asked), its lifetime cut at 4 s.
RTSP_PORT="$(free_port)"
start_decoy --persona hikvision --rtsp "127.0.0.1:$RTSP_PORT" --rtsp-auth none --rtsp-lifetime 4 || { finish; exit 1; }
UA="LibVLC/3.0.18 (LIVE555 Streaming Media v2022.07.14)"
python3 "$HERE/rtsp_play.py" "$RTSP_PORT" /Streaming/Channels/101 "$UA" 2 >"$TMP/play.json"
cat "$TMP/play.json"
val() { python3 -c "import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$1" "$2"; }
held="$(val "$TMP/play.json" held_ms)"
check "the player played and tore down ($(val "$TMP/play.json" frames) frames)" \
	[ "$(val "$TMP/play.json" play)/$(val "$TMP/play.json" teardown)" = 200/200 ]
check "its session is one view, kind rtsp, its User-Agent, class player, a credential shown, ended 'completed'" \
	wait_sql "SELECT COUNT(*) || ' ' || kind || ' ' || user_agent || ' ' || client_class || ' ' || (trap_username IS NOT NULL) || ' ' || end_reason FROM views WHERE ended_at IS NOT NULL" \
	"1 rtsp $UA player 1 completed"
dur="$(sql "SELECT duration_ms FROM views")"
echo "rtsp: the client held its session $held ms; its view lasted $dur ms"
check "its duration is what the client held (${dur} ms of ${held} ms, within 1 s)" [ $((dur - held <= 1000 && held - dur <= 1000)) = 1 ]
# a look of a few frames (as Motion takes before it opens the stream it keeps)
python3 "$HERE/rtsp_play.py" "$RTSP_PORT" /Streaming/Channels/101 short-look 0.3 >"$TMP/short.json"
cat "$TMP/short.json"
check "a view of a few frames under a second is a probe; the 2 s view is not" \
	wait_sql "SELECT group_concat(probe, ' ') FROM (SELECT probe FROM views WHERE user_agent IN ('short-look', '$UA') ORDER BY id)" "0 1"
python3 "$HERE/rtsp_play.py" "$RTSP_PORT" /Streaming/Channels/101 keeps-playing 15 >"$TMP/long.json"
cat "$TMP/long.json"
check "rtsp-lifetime ends a session that keeps playing" [ "$(val "$TMP/long.json" server_closed)" = True ]
check "its view ends 'limit', about 4 s long" \
	wait_sql "SELECT end_reason || ' ' || (duration_ms BETWEEN 3000 AND 5000) FROM views WHERE user_agent = 'keeps-playing'" "limit 1"
check "the lifetime end is a counter" wait_sql "SELECT value >= 1 FROM counters WHERE name = 'rtsp_ended_lifetime'" 1
stop_decoy
finish
