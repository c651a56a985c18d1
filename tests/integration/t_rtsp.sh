#!/usr/bin/env bash
# t_rtsp: the camera's RTSP server. ffprobe (a client nobody here wrote) gets
# the 401 and sends its Digest; with a viewer's trap credential it gets the
# SDP (H.264, RFC 6184), sets up RTP/AVP/TCP interleaved and plays: ffmpeg decodes frames of
# the snapshot's size, the size the SDP names; one login row per credential
# per session, naming the viewer's view. Paths the firmware has not are 404.
# A raw client sees the firmware's bytes (nmap's matchers), pipelined requests
# answered in order, SETUP/PLAY/GET_PARAMETER/TEARDOWN with the session's id,
# RTP packets interleaved, malformed requests answered 400 and closed, the
# request cap; every request is a row (route 'rtsp'); a persona without RTSP
# refuses the key.
. "$(dirname "$0")/lib.sh"
RTSP_PORT="$(free_port)"

# A camera that never had RTSP: the key is refused, by name.
"$BIN" --persona netwave --rtsp "127.0.0.1:$RTSP_PORT" --check-config >"$TMP/cfg.out" 2>&1
rc=$?
check "netwave with rtsp: exit 2 (got $rc)" [ "$rc" = 2 ]
check "the error names the rtsp key" grep -q "^camdecoy: rtsp: the netwave persona" "$TMP/cfg.out"

start_decoy --persona hikvision --scene server-room --rtsp "127.0.0.1:$RTSP_PORT" --event-rate 0 || { finish; exit 1; }

# ffprobe with a wrong password: OPTIONS, DESCRIBE (401), DESCRIBE with Digest (401).
timeout 20 ffprobe -v error "rtsp://admin:12345@127.0.0.1:$RTSP_PORT/Streaming/Channels/101" >"$TMP/wrong.out" 2>&1
check "ffprobe with a wrong password fails" [ $? != 0 ]
check "ffprobe was told 401 Unauthorized" grep -q "401 Unauthorized" "$TMP/wrong.out"
check "ffprobe's Digest login recorded on channel rtsp" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND username = 'admin' AND match_kind = 'none' AND user_agent LIKE 'Lavf%'" 1
check "ffprobe's three requests are rows with their statuses" \
	wait_sql "SELECT group_concat(method || ' ' || status, ',') FROM (SELECT method, status FROM requests WHERE route = 'rtsp' ORDER BY id)" \
	"OPTIONS 200,DESCRIBE 401,DESCRIBE 401"

# A viewer's credential (from the database: t_trap_logins reads it from the picture).
stream_frame "$BASE/ISAPI/Streaming/channels/102/httpPreview" "$TMP/v.jpg" -A rtsp-watcher
wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'rtsp-watcher' AND trap_password IS NOT NULL" 1
user="$(sql "SELECT trap_username FROM views WHERE user_agent = 'rtsp-watcher'")"
pass="$(sql "SELECT trap_password FROM views WHERE user_agent = 'rtsp-watcher'")"
view="$(sql "SELECT id FROM views WHERE user_agent = 'rtsp-watcher'")"
check "the viewer was shown a credential" [ -n "$user" -a -n "$pass" ]
enc="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$pass")"
timeout 20 ffprobe -v debug -rtsp_transport tcp -show_entries stream=codec_name,width,height -of compact \
	"rtsp://$user:$enc@127.0.0.1:$RTSP_PORT/Streaming/Channels/101" >"$TMP/right.out" 2>&1
check "ffprobe with the trap credential got the SDP: H.264 (RFC 6184)" grep -q "a=rtpmap:96 H264/90000" "$TMP/right.out"
check "the SDP names the picture's real size" grep -q "a=x-dimensions:640,480" "$TMP/right.out"
check "ffprobe found the stream: h264 640x480" grep -q "^stream|codec_name=h264|width=640|height=480" "$TMP/right.out"
# ffmpeg, as a user would run it (RTP over UDP to its own ports), decodes frames.
rm -f "$TMP"/rtsp_*.jpg
timeout 30 ffmpeg -v error -i "rtsp://$user:$enc@127.0.0.1:$RTSP_PORT/Streaming/Channels/101" \
	-frames:v 10 -f image2 "$TMP/rtsp_%02d.jpg" >"$TMP/ffmpeg.out" 2>&1
check "ffmpeg decoded 10 frames over RTSP ($(ls "$TMP"/rtsp_*.jpg 2>/dev/null | wc -l))" [ -f "$TMP/rtsp_10.jpg" ]
curl -s -o "$TMP/snap.jpg" "$BASE/ISAPI/Streaming/channels/101/picture"
size_of() { ffprobe -v error -show_entries stream=width,height -of csv=p=0 "$1"; }
timeout 20 ffprobe -v debug -rtsp_transport udp -show_entries stream=codec_name,width,height -of compact \
	"rtsp://$user:$enc@127.0.0.1:$RTSP_PORT/Streaming/Channels/101" >"$TMP/udp.out" 2>&1
check "over UDP: ffprobe found the stream, h264 640x480" grep -q "^stream|codec_name=h264|width=640|height=480" "$TMP/udp.out"
check "a frame from RTSP has the snapshot's size ($(size_of "$TMP/rtsp_10.jpg") = $(size_of "$TMP/snap.jpg"))" \
	[ -n "$(size_of "$TMP/snap.jpg")" -a "$(size_of "$TMP/rtsp_10.jpg")" = "$(size_of "$TMP/snap.jpg")" ]
# Each RTSP viewer sees its own credential in the note, and its session is one view.
# (credentials are never issued twice, so the one read names its view; ffprobe's
# sessions since the capture are Lavf views too, hence no "the latest view")
for attempt in 1 2 3; do
	cred="$(ocr_note "$TMP/rtsp_10.jpg")"
	rview="$(sql "SELECT MAX(id) FROM views WHERE user_agent LIKE 'Lavf%' AND kind = 'rtsp' AND trap_username || ' / ' || trap_password = '${cred//\'/\'\'}'")"
	stored="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE id = '$rview'")"
	[ -n "$cred" ] && [ -n "$rview" ] && [ "$cred" = "$stored" ] && break
	echo "rtsp: attempt $attempt read '$cred', no RTSP view of ffmpeg's shows it" >&2
	timeout 30 ffmpeg -v error -rtsp_transport tcp -i "rtsp://$user:$enc@127.0.0.1:$RTSP_PORT/Streaming/Channels/101" \
		-frames:v 10 -f image2 -y "$TMP/rtsp_%02d.jpg" >/dev/null 2>&1
done
check "the note in a frame received over RTSP shows that view's own credential ('$cred')" \
	[ -n "$cred" -a "$cred" = "$stored" -a "$cred" != "$user / $pass" ]
check "ffmpeg's session is one view: the RTSP path, class player, 10 frames or more, ended" \
	wait_sql "SELECT path || ' ' || client_class || ' ' || (frames >= 10) || ' ' || (ended_at IS NOT NULL) FROM views WHERE id = '$rview'" \
	"/Streaming/Channels/101/ player 1 1"
ruser="${stored%% / *}"
rpass="${stored##* / }"
# the credential read from the RTSP frame logs in and names the RTSP view
python3 - "$RTSP_PORT" "$ruser" "$rpass" <<'PY'
import base64, socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
b = base64.b64encode(("%s:%s" % (sys.argv[2], sys.argv[3])).encode())
s.sendall(b"DESCRIBE rtsp://h/Streaming/Channels/102 RTSP/1.0\r\nCSeq: 1\r\nUser-Agent: rtsp-reader\r\nAuthorization: Basic " + b + b"\r\n\r\n")
s.recv(4096)
PY
check "the credential read from the RTSP frame logs in and names that RTSP view" \
	wait_sql "SELECT match_kind || ' ' || matched_view FROM logins WHERE user_agent = 'rtsp-reader'" "exact $rview"
# One login per credential per session, however many requests repeat it.
# (every ffmpeg/ffprobe session with the credential PLAYed: one view each)
check "one Digest login per session, each naming the view that showed the credential" \
	wait_sql "SELECT (SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND user_agent LIKE 'Lavf%' AND match_kind = 'exact' AND matched_view = $view) = (SELECT COUNT(*) FROM views WHERE user_agent LIKE 'Lavf%') AND (SELECT COUNT(*) FROM views WHERE user_agent LIKE 'Lavf%') >= 3 AND (SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND user_agent LIKE 'Lavf%' AND match_kind != 'exact') = 1" 1
check "ffmpeg's RTSP requests are classed player" \
	wait_sql "SELECT COUNT(*) > 0 AND SUM(client_class = 'player') = COUNT(*) FROM requests WHERE route = 'rtsp' AND user_agent LIKE 'Lavf%'" 1
timeout 20 ffprobe -v error "rtsp://$user:$enc@127.0.0.1:$RTSP_PORT/Streaming/Channels/103" >"$TMP/nopath.out" 2>&1
check "a path the firmware has not: 404" grep -q "404 Not Found" "$TMP/nopath.out"

# A raw client: the firmware's bytes, CSeq echoed verbatim, nonces that vary,
# Basic with the credential, pipelining, a body skipped, then 400 and close.
python3 - "$RTSP_PORT" "$user" "$pass" >"$TMP/raw.out" 2>&1 <<'PY'
import base64, re, socket, sys
port, user, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3]
def conn():
    return socket.create_connection(("127.0.0.1", port), timeout=5)
def answers(s, n):
    buf = b""
    out = []
    while len(out) < n:
        d = s.recv(65536)
        if not d:
            break
        buf += d
        while b"\r\n\r\n" in buf:
            head, rest = buf.split(b"\r\n\r\n", 1)
            m = re.search(rb"\r\nContent-Length: (\d+)", head)
            blen = int(m.group(1)) if m else 0
            if len(rest) < blen:
                break
            out.append(head + b"\r\n\r\n" + rest[:blen])
            buf = rest[blen:]
    return out
fails = 0
def want(what, cond):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    fails += not cond
s = conn()
s.sendall(b"OPTIONS / RTSP/1.0\r\n\r\n")
a = answers(s, 1)
want("OPTIONS without CSeq: 200, Public, the firmware's Date, nothing else",
     len(a) == 1 and re.fullmatch(rb"RTSP/1\.0 200 OK\r\nPublic: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, "
                                  rb"SET_PARAMETER, GET_PARAMETER\r\nDate:  \w{3}, \w{3} \d\d \d{4} \d\d:\d\d:\d\d GMT\r\n\r\n", a[0]) is not None)
s.sendall(b"OPTIONS sip:nm SIP/2.0\r\nVia: SIP/2.0/TCP nm;branch=foo\r\nCSeq: 42 OPTIONS\r\n\r\n")
a = answers(s, 1)
want("nmap's SIP OPTIONS: the CSeq echoed as it came (nmap's Hikvision rtspd matcher)",
     len(a) == 1 and re.match(rb"^RTSP/1\.0 200 OK\r\nCSeq: 42 OPTIONS\r\nPublic: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\nDate: .*\r\n\r\n", a[0]) is not None)
# two DESCRIBEs pipelined in one write, and an ANNOUNCE with a body in between
s.sendall(b"DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 2\r\n\r\nANNOUNCE rtsp://h/x RTSP/1.0\r\nCSeq: 3\r\nContent-Length: 10\r\n\r\nOPTIONS / DESCRIBE rtsp://h/Streaming/Channels/102 RTSP/1.0\r\nCSeq: 4\r\n\r\n")
a = answers(s, 3)
nonces = [re.search(rb'nonce="([0-9a-f]{32})"', x) for x in a]
want("pipelined: three answers in order, each a 401 with Digest and Basic",
     len(a) == 3 and all(re.match(rb"RTSP/1\.0 401 Unauthorized\r\nCSeq: %d\r\nWWW-Authenticate: Digest realm=\"IP Camera\(C6269\)\", nonce=\"[0-9a-f]{32}\", stale=\"FALSE\"\r\nWWW-Authenticate: Basic realm=\"IP Camera\(C6269\)\"\r\nDate:  " % (i + 2), x) for i, x in enumerate(a)))
want("every challenge has its own nonce", all(nonces) and len({n.group(1) for n in nonces}) == 3)
basic = base64.b64encode(("%s:%s" % (user, pw)).encode()).decode()
s.sendall(("DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 5\r\nAuthorization: Basic %s\r\nUser-Agent: raw-rtsp\r\n\r\n" % basic).encode())
a = answers(s, 1)
want("Basic with the trap credential: 200 with application/sdp and Content-Base",
     len(a) == 1 and a[0].startswith(b"RTSP/1.0 200 OK\r\nCSeq: 5\r\nContent-Type: application/sdp\r\nContent-Base: rtsp://h/Streaming/Channels/101/\r\n") and b"\r\n\r\nv=0\r\n" in a[0])
auth = b"Authorization: Basic " + basic.encode() + b"\r\n"
s.sendall(b"SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nCSeq: 6\r\n" + auth + b"Transport: RTP/AVP/TCP;unicast;interleaved=2-3\r\n\r\n")
a = answers(s, 1)
m = re.match(rb"RTSP/1\.0 200 OK\r\nCSeq: 6\r\nSession:       (\d{9,10});timeout=60\r\nTransport: RTP/AVP/TCP;unicast;interleaved=2-3;ssrc=([0-9a-f]{8});mode=\"play\"\r\nDate:  ", a[0]) if a else None
want("its SETUP: 200, the firmware's Session and Transport", m is not None)
sid, ssrc = (m.group(1), m.group(2)) if m else (b"0", b"0")
import time
t_play = time.monotonic()
s.sendall(b"PLAY rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nCSeq: 7\r\nUser-Agent: raw-player\r\n" + auth + b"Session: " + sid + b"\r\n\r\n")
# from here answers and interleaved RTP share the connection
buf, rtp, rtcp, got = b"", [], [], {}
def pump(want_cseq, frames=0):
    global buf
    while want_cseq not in got and sum(1 for _, p in rtp if p[1] & 0x80) < frames if frames else want_cseq not in got:
        d = s.recv(65536)
        if not d:
            return
        buf += d
        while buf:
            if buf[:1] == b"$":
                if len(buf) < 4 or len(buf) < 4 + (buf[2] << 8 | buf[3]):
                    break
                n = buf[2] << 8 | buf[3]
                (rtp if buf[1] == 2 else rtcp).append((buf[1], buf[4:4 + n]))
                buf = buf[4 + n:]
            elif b"\r\n\r\n" in buf:
                head, buf = buf.split(b"\r\n\r\n", 1)
                c = re.search(rb"CSeq: (\d+)", head)
                got[int(c.group(1)) if c else -1] = head
            else:
                break
pump(7)
want("PLAY: 200 with Session, Range and RTP-Info", 7 in got and re.match(rb"RTSP/1\.0 200 OK\r\nCSeq: 7\r\nSession:       " + sid + rb"\r\nRange: npt=0\.000-\r\nRTP-Info: url=rtsp://h/Streaming/Channels/101/trackID=1;seq=\d+;rtptime=\d+\r\n", got[7]) is not None)
# a client's RTCP receiver report on its channel: skipped, not a request
s.sendall(b"$\x03\x00\x08\x81\xc9\x00\x01\x00\x00\x00\x01")
s.sendall(b"GET_PARAMETER rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nCSeq: 8\r\n" + auth + b"Session: " + sid + b"\r\n\r\n")
pump(8)
want("GET_PARAMETER (a keep-alive) between RTP packets: 200", 8 in got and got[8].startswith(b"RTSP/1.0 200 OK\r\nCSeq: 8\r\nSession:       " + sid))
# hold the session for 20 frames (2 s at 10 fps), reading as a player does
pump(None, frames=20)
marks = [p for _, p in rtp if p[1] & 0x80]
want("RTP on channel 2: H.264 (96), the SETUP's ssrc, frames ended by the marker (%d packets, %d frames)" % (len(rtp), len(marks)),
     len(marks) >= 1 and all(p[0] == 0x80 and p[1] & 0x7f == 96 and p[8:12].hex().encode() == ssrc for _, p in rtp))
# RFC 6184 packetization-mode 1: SPS, PPS, then the IDR in FU-A fragments (started, ended)
nals = [p[12] & 0x1f for _, p in rtp]
fu = [(p[13] & 0xc0, p[13] & 0x1f) for _, p in rtp if p[12] & 0x1f == 28]
want("RFC 6184: SPS, PPS, then an IDR's FU-A start; no SEI (%s)" % nals[:4],
     nals[:3] == [7, 8, 28] and fu[0] == (0x80, 5) and 6 not in nals and any(f == (0x40, 5) for f in fu))
want("an RTCP sender report on channel 3", any(p[1] == 200 for _, p in rtcp))
t_held = time.monotonic() - t_play
print("held %d ms" % (t_held * 1000))
s.sendall(b"TEARDOWN rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nCSeq: 9\r\n" + auth + b"Session: " + sid + b"\r\n\r\n")
pump(9)
want("TEARDOWN: 200", 9 in got and got[9].startswith(b"RTSP/1.0 200 OK\r\nCSeq: 9\r\n"))
s.sendall(b"PLAY rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nCSeq: 10\r\n" + auth + b"Session: " + sid + b"\r\n\r\n")
pump(10)
want("a PLAY after TEARDOWN: 454", 10 in got and got[10].startswith(b"RTSP/1.0 454 Session Not Found\r\nCSeq: 10\r\n"))
s.sendall(b"GARBAGE\x01\x02 \r\n\r\n")
a = answers(s, 1)
want("a malformed request: 400", len(a) == 1 and a[0].startswith(b"RTSP/1.0 400 Bad Request\r\n"))
want("and the connection closed", s.recv(100) == b"")
# RTP over UDP goes to the RTSP peer's own address, at the port it asked for
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.settimeout(5)
uport = u.getsockname()[1]
s = conn()
s.sendall(b"SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nCSeq: 1\r\n" + auth + b"Transport: RTP/AVP;unicast;client_port=%d-%d\r\n\r\n" % (uport, uport + 1))
a = answers(s, 1)
m = re.search(rb"Session:\s+(\d+);timeout=60\r\nTransport: RTP/AVP;unicast;client_port=%d-%d;server_port=(\d+)-(\d+);" % (uport, uport + 1), a[0]) if a else None
want("SETUP over UDP: client_port echoed, server_port named", m is not None)
if m:
    s.sendall(b"PLAY rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nCSeq: 2\r\n" + auth + b"Session: " + m.group(1) + b"\r\n\r\n")
    d, frm = u.recvfrom(2048)
    want("RTP datagrams to our own port, from the server_port: H.264, starting with the SPS",
         frm == ("127.0.0.1", int(m.group(2))) and d[0] == 0x80 and d[1] & 0x7f == 96 and d[12] & 0x1f == 7)
s.close()
u.close()
# credentials in the URL: a login (once however often repeated), but not a key to the stream
s = conn()
for i in (1, 2):
    s.sendall(b"DESCRIBE rtsp://url%%40user:url+pass@h/Streaming/Channels/101 RTSP/1.0\r\nCSeq: %d\r\nUser-Agent: url-creds\r\n\r\n" % i)
a = answers(s, 2)
want("credentials in the URL only: 401, twice", len(a) == 2 and all(x.startswith(b"RTSP/1.0 401 Unauthorized") for x in a))
# TLS bytes: 400 and closed at once
s = conn()
s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
a = answers(s, 1)
want("TLS bytes: 400, closed", len(a) == 1 and a[0].startswith(b"RTSP/1.0 400 Bad Request") and s.recv(10) == b"")
# a head past 4096 bytes
s = conn()
s.sendall(b"OPTIONS / RTSP/1.0\r\nX-Pad: " + b"a" * 5000 + b"\r\n\r\n")
a = answers(s, 1)
want("a head over 4096 bytes: 400", len(a) == 1 and a[0].startswith(b"RTSP/1.0 400 Bad Request"))
# the request cap: 32 answers, then the connection ends
s = conn()
s.sendall(b"".join(b"OPTIONS / RTSP/1.0\r\nCSeq: %d\r\n\r\n" % i for i in range(40)))
a = answers(s, 40)
want("32 requests per connection, then it is closed (got %d)" % len(a), len(a) == 32)
sys.exit(1 if fails else 0)
PY
rc=$?
cat "$TMP/raw.out"
check "the raw client saw the firmware's answers" [ "$rc" = 0 ]
# Every RTSP player has gone while an HTTP viewer keeps frames coming: the
# listener must sleep in poll(), not spin on a frame wake meant for no one
# (it did once: a core at 100%).
cpu_s() { awk '{ split($0, a, ") "); split(a[2], f, " "); print f[12] + f[13] }' "/proc/$DECOY_PID/stat"; }
curl -s --max-time 5 -o /dev/null -A idle-check "$BASE/ISAPI/Streaming/channels/102/httpPreview" &
viewer=$!
c0="$(cpu_s)"
python3 -c 'import time; time.sleep(3)'
c1="$(cpu_s)"
wait "$viewer"
echo "rtsp: $((c1 - c0)) ticks of CPU in 3 s with one HTTP viewer and no RTSP player"
check "no RTSP player: the listener idles ($((c1 - c0)) ticks in 3 s, under 1 s)" [ $((c1 - c0)) -lt "$(getconf CLK_TCK)" ]
held="$(sed -n 's/^held \([0-9]*\) ms$/\1/p' "$TMP/raw.out")"
wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'raw-player' AND duration_ms IS NOT NULL" 1
dur="$(sql "SELECT duration_ms FROM views WHERE user_agent = 'raw-player'")"
echo "rtsp: the raw player held its session $held ms; its view lasted $dur ms"
within_1s() { [ -n "$1" ] && [ -n "$2" ] && [ $(($1 - $2)) -le 1000 ] && [ $(($2 - $1)) -le 1000 ]; }
check "the raw player's PLAY..TEARDOWN is one view lasting what it held (${dur} ms of ${held} ms, within 1 s)" \
	within_1s "$dur" "$held"
check "its end is 'completed' (TEARDOWN)" wait_sql "SELECT end_reason FROM views WHERE user_agent = 'raw-player'" completed
check "the raw Basic login names the same view" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND user_agent = 'raw-rtsp' AND match_kind = 'exact' AND matched_view = $view" 1
check "its SETUP, PLAY, GET_PARAMETER and TEARDOWN with the same credential added no login (the raw UDP connection its own)" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND match_kind = 'exact' AND matched_view = $view AND (user_agent IS NULL OR user_agent NOT LIKE 'Lavf%')" 2
check "credentials in the URL are one login, decoded ('+' is itself in a URL)" \
	wait_sql "SELECT group_concat(username || ' ' || password || ' ' || match_kind, ',') FROM logins WHERE channel = 'rtsp' AND user_agent = 'url-creds'" \
	"url@user url+pass none"
check "malformed requests are rows too, with their first line" \
	wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'rtsp' AND status = 400 AND method LIKE 'GARBAGE%'" 1
stop_decoy
total="$(sql "SELECT COUNT(*) FROM requests WHERE route = 'rtsp'")"
logged="$(sed -n 's/.*rtsp: [0-9]* sessions, \([0-9]*\) requests.*/\1/p' "$TMP/decoy.log")"
echo "rtsp: $total request rows, the decoy counted $logged"
check "one row per request the trap answered ($total = $logged)" [ -n "$logged" -a "$total" = "$logged" ]
exact="$(sql "SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND match_kind = 'exact'")"
check "every login with a trap credential ($exact) was answered as accepted" \
	grep -q "logins ($exact answered as accepted)" "$TMP/decoy.log"
check "the raw client and ffmpeg played: frames were sent as RTP" \
	grep -qE "rtsp: .* [1-9][0-9]* frames sent" "$TMP/decoy.log"

# Axis: nmap's Axis rtspd matcher wants exactly Public after an OPTIONS without CSeq.
RTSP_PORT="$(free_port)"
start_decoy --persona axis --rtsp "127.0.0.1:$RTSP_PORT" || { finish; exit 1; }
got="$(python3 - "$RTSP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"OPTIONS / RTSP/1.0\r\n\r\n")
print(repr(s.recv(4096)))
PY
)"
check "axis: OPTIONS answered with Public only ($got)" \
	[ "$got" = "b'RTSP/1.0 200 OK\\r\\nPublic: DESCRIBE, GET_PARAMETER, PAUSE, PLAY, SETUP, SET_PARAMETER, TEARDOWN\\r\\n\\r\\n'" ]
timeout 20 ffprobe -v error -rtsp_transport tcp -show_entries stream=codec_name,width,height -of compact \
	"rtsp://127.0.0.1:$RTSP_PORT/axis-media/media.amp?videocodec=jpeg" >"$TMP/axis-none.out" 2>&1
check "axis, rtsp-auth trap: no credential, no stream" grep -q "401 Unauthorized" "$TMP/axis-none.out"
timeout 20 ffprobe -v error "rtsp://root:pass@127.0.0.1:$RTSP_PORT/axis-media/media.amp" >"$TMP/axis.out" 2>&1
check "axis: ffprobe was told 401" grep -q "401 Unauthorized" "$TMP/axis.out"
check "axis: ffprobe's login recorded" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND username = 'root'" 1
stop_decoy

# rtsp-auth = none: an open camera plays for anyone; credentials sent anyway are still a login.
RTSP_PORT="$(free_port)"
start_decoy --persona axis --rtsp "127.0.0.1:$RTSP_PORT" --rtsp-auth none --size 320x240 || { finish; exit 1; }
timeout 20 ffprobe -v error -rtsp_transport tcp -show_entries stream=codec_name,width,height -of compact \
	"rtsp://127.0.0.1:$RTSP_PORT/axis-media/media.amp?videocodec=jpeg" >"$TMP/open.out" 2>&1
check "rtsp-auth none: ffprobe plays without a credential ($(cat "$TMP/open.out"))" \
	grep -q "^stream|codec_name=mjpeg|width=320|height=240" "$TMP/open.out"
# (ffmpeg sends none unasked: a raw client does)
python3 - "$RTSP_PORT" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"DESCRIBE rtsp://h/axis-media/media.amp RTSP/1.0\r\nCSeq: 1\r\nAuthorization: Basic cm9vdDpwYXNz\r\n\r\n")
s.recv(4096)
PY
check "rtsp-auth none: a credential sent anyway is a login" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'rtsp' AND username = 'root' AND password = 'pass'" 1
"$BIN" --persona axis --rtsp-auth open --check-config >"$TMP/auth.out" 2>&1
rc=$?
check "rtsp-auth: a value other than trap or none is refused by name (exit $rc)" \
	grep -q "rtsp-auth: must be trap or none" "$TMP/auth.out"
stop_decoy
finish
