#!/usr/bin/env bash
# t_rtsp_players: the H.264 stream (RFC 6184) as players receive it. With a
# viewer's trap credential ffmpeg over TCP and over UDP, and GStreamer's
# rtspsrc over both, decode frames of codec h264 at the snapshot's size, the
# size the SDP names (Hikvision's x-dimensions), with the SDP's parameter
# sets those of the stream. The note in a frame decoded from the H.264
# stream shows that session's own credential (OCR), and that credential,
# logged in over HTTP, names the RTSP view. VLC is played when it can play
# RTSP at all (Debian 12's VLC has no live555 module: it plays no rtsp://
# URL from any server, and is skipped with that said). Eight sessions hold an
# H.264 encoder at once; a ninth is answered JPEG over RTP until one is given back.
. "$(dirname "$0")/lib.sh"
RTSP_PORT="$(free_port)"

start_decoy --persona hikvision --rtsp "127.0.0.1:$RTSP_PORT" --event-rate 0 || { finish; exit 1; }
# a credential shown to an HTTP viewer gets the stream
stream_frame "$BASE/ISAPI/Streaming/channels/102/httpPreview" "$TMP/v.jpg" -A players-watcher
wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'players-watcher' AND trap_password IS NOT NULL" 1
user="$(sql "SELECT trap_username FROM views WHERE user_agent = 'players-watcher'")"
pass="$(sql "SELECT trap_password FROM views WHERE user_agent = 'players-watcher'")"
enc="$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1], safe=""))' "$pass")"
URL="rtsp://$user:$enc@127.0.0.1:$RTSP_PORT/Streaming/Channels/101"
curl -s -o "$TMP/snap.jpg" "$BASE/ISAPI/Streaming/channels/101/picture"
snap="$(ffprobe -v error -show_entries stream=width,height -of csv=p=0:s=x "$TMP/snap.jpg")"
check "the snapshot has a size ($snap)" [ -n "$snap" ]

# ffprobe: the SDP, then the stream it describes
timeout 20 ffprobe -v debug -rtsp_transport tcp -show_entries stream=codec_name,profile,width,height -of compact \
	"$URL" >"$TMP/probe.out" 2>&1
sdp_size="$(sed -n 's/^a=x-dimensions:\([0-9]*\),\([0-9]*\).*/\1x\2/p' "$TMP/probe.out" | head -n 1)"
check "the SDP: H.264, packetization-mode 1, its parameter sets" \
	grep -q "^a=fmtp:96 profile-level-id=[0-9a-f]\{6\}; packetization-mode=1; sprop-parameter-sets=[A-Za-z0-9+/=]*,[A-Za-z0-9+/=]*" "$TMP/probe.out"
check "the SDP's x-dimensions are the snapshot's ($sdp_size = $snap)" [ "$sdp_size" = "$snap" ]
check "ffprobe: h264 Main at the snapshot's size" grep -q "^stream|codec_name=h264|profile=Main|width=${snap%x*}|height=${snap#*x}" "$TMP/probe.out"
# the SDP's profile-level-id and SPS are the stream's own (ffmpeg prints the in-band SPS it parses)
plid="$(sed -n 's/.*profile-level-id=\([0-9a-f]\{6\}\).*/\1/p' "$TMP/probe.out" | head -n 1)"
sprop="$(sed -n 's/.*sprop-parameter-sets=\([^,]*\),.*/\1/p' "$TMP/probe.out" | head -n 1 | tr -d '\r')"
sps_hex="$(printf '%s' "$sprop" | base64 -d 2>/dev/null | od -An -tx1 | tr -d ' \n')"
check "profile-level-id is the SPS's bytes 1-3 ($plid, SPS $sps_hex)" [ -n "$plid" -a "${sps_hex:2:6}" = "$plid" ]

# frames decoded over TCP and over UDP: counted, codec and size each time
for tr in tcp udp; do
	timeout 30 ffmpeg -nostdin -v info -rtsp_transport "$tr" -i "$URL" -frames:v 15 \
		-f framecrc "$TMP/$tr.crc" >"$TMP/$tr.err" 2>&1
	frames="$(grep -vc '^#' "$TMP/$tr.crc" 2>/dev/null)"
	check "ffmpeg over $tr decoded 15 frames ($frames)" [ "$frames" = 15 ]
	check "over $tr the input stream is H.264" grep -q "Stream #0:0: Video: h264 (Main)" "$TMP/$tr.err"
	check "over $tr the frames are the snapshot's size" \
		grep -q "^#dimensions 0: $snap" "$TMP/$tr.crc"
done

# GStreamer's rtspsrc over TCP and UDP: depayloaded, parsed, decoded
if command -v gst-launch-1.0 >/dev/null && gst-inspect-1.0 avdec_h264 >/dev/null 2>&1; then
	for tr in tcp udp; do
		timeout 30 gst-launch-1.0 -v rtspsrc location="rtsp://127.0.0.1:$RTSP_PORT/Streaming/Channels/101" \
			user-id="$user" user-pw="$pass" protocols="$tr" ! rtph264depay ! h264parse ! avdec_h264 ! \
			identity eos-after=15 ! fakesink silent=false >"$TMP/gst_$tr.out" 2>&1
		rc=$?
		frames="$(grep -c 'fakesink0.*chain' "$TMP/gst_$tr.out")"
		check "gst-launch rtspsrc over $tr: played to its end (rc $rc), 14 or more frames decoded ($frames)" \
			[ "$rc" = 0 -a "$frames" -ge 14 ]
		check "gst-launch over $tr: decoded at the snapshot's size" \
			grep -q "video/x-raw, format=(string)I420, width=(int)${snap%x*}, height=(int)${snap#*x}" "$TMP/gst_$tr.out"
	done
else
	bad "GStreamer (gstreamer1.0-tools, gstreamer1.0-libav) is not installed: make deps-test"
fi

# VLC, where it has an RTSP client (live555)
vlc_live="$(find /usr/lib -path '*vlc/plugins/access/liblive555_plugin.so' 2>/dev/null | head -n 1)"
if command -v cvlc >/dev/null && [ -n "$vlc_live" ]; then
	chmod 777 "$TMP"
	# VLC refuses to run as root
	timeout 30 runuser -u nobody -- cvlc -q --intf dummy --run-time 4 --play-and-exit --rtsp-tcp "$URL" \
		--sout "#std{access=file,mux=ts,dst=$TMP/vlc.ts}" >"$TMP/vlc.out" 2>&1
	got="$(ffprobe -v error -count_frames -show_entries stream=codec_name,width,height,nb_read_frames -of csv=p=0 "$TMP/vlc.ts" 2>&1)"
	check "VLC received the H.264 stream for 4 s ($got)" [ "${got%,*}" = "h264,${snap/x/,}" -a "${got##*,}" -ge 10 ]
else
	echo "skip: VLC without live555 (Debian 12's plays no rtsp:// URL)"
fi

# The note in a frame decoded from the H.264 stream shows the session's own
# credential; logged in over HTTP it names that RTSP view.
for attempt in 1 2; do
	rm -f "$TMP"/h264_*.png
	timeout 30 ffmpeg -nostdin -v error -rtsp_transport tcp -user_agent "ocr-player-$attempt" -i "$URL" \
		-frames:v 12 -f image2 "$TMP/h264_%02d.png" >/dev/null 2>&1
	rview="$(sql "SELECT MAX(id) FROM views WHERE user_agent = 'ocr-player-$attempt'")"
	stored="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE id = '$rview'")"
	cred="$(ocr_note "$TMP/h264_12.png")"
	[ -n "$cred" ] && [ "$cred" = "$stored" ] && break
	echo "players: attempt $attempt read '$cred', stored '$stored'" >&2
done
check "the note in a frame decoded from H.264 shows that session's own credential ('$cred')" \
	[ -n "$cred" -a "$cred" = "$stored" -a "$cred" != "$user / $pass" ]
check "the session is one view: the RTSP path, 12 frames or more" \
	wait_sql "SELECT path || ' ' || (frames >= 12) FROM views WHERE id = '$rview'" \
	"/Streaming/Channels/101/ 1"
curl -s -o /dev/null -u "${cred%% / *}:${cred##* / }" -A h264-reader "$BASE/ISAPI/Security/userCheck"
check "the credential read from the H.264 frame logs in over HTTP and names the RTSP view" \
	wait_sql "SELECT match_kind || ' ' || matched_view FROM logins WHERE user_agent = 'h264-reader'" "exact $rview"

# The cap: 8 sessions hold an encoder's place from their DESCRIBE; a ninth
# (from another address: 8 is also the per-address cap) is answered JPEG over
# RTP, and gets H.264 once a place is given back (a connection closed).
python3 - "$RTSP_PORT" "$user" "$pass" >"$TMP/cap.out" 2>&1 <<'PY'
import base64, socket, sys
port, auth = int(sys.argv[1]), base64.b64encode(("%s:%s" % (sys.argv[2], sys.argv[3])).encode())
def describe(src):
    s = socket.socket()
    s.settimeout(10)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    s.sendall(b"DESCRIBE rtsp://h/Streaming/Channels/101 RTSP/1.0\r\nCSeq: 1\r\nAuthorization: Basic " + auth + b"\r\n\r\n")
    d = b""
    while b"a=rtpmap:" not in d or not d.endswith(b"\r\n"):
        c = s.recv(4096)
        if not c:
            break
        d += c
    return s, b"H264" if b"a=rtpmap:96 H264/90000" in d else b"JPEG" if b"a=rtpmap:26 JPEG/90000" in d else b"?"
held = [describe("127.0.0.1") for _ in range(8)]
print("first 8:", b",".join(k for _, k in held).decode())
s9, k9 = describe("127.0.0.2")
print("ninth:", k9.decode())
held[0][0].close()
s10, k10 = None, b"?"
for _ in range(50):  # the place comes back when the listener sees the close
    s10, k10 = describe("127.0.0.2")
    if k10 == b"H264":
        break
    s10.close()
print("after a close:", k10.decode())
PY
check "8 sessions get H.264" grep -q "^first 8: H264,H264,H264,H264,H264,H264,H264,H264$" "$TMP/cap.out"
check "the ninth is answered JPEG over RTP" grep -q "^ninth: JPEG$" "$TMP/cap.out"
check "a place given back is H.264 again" grep -q "^after a close: H264$" "$TMP/cap.out"
stop_decoy
finish
