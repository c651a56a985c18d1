"""rtsp_play.py: a minimal RTSP player that holds a session a known time.

  rtsp_play.py PORT PATH USER_AGENT SECONDS [AUTH_HEADER]

OPTIONS, DESCRIBE, SETUP (RTP/AVP/TCP interleaved), PLAY, then reads the
interleaved RTP for SECONDS (or until the server ends the connection), then
TEARDOWN. AUTH_HEADER, if given, is sent with every request after OPTIONS
("Basic ..." or "Digest ..."). Prints one JSON line: the statuses, the RTP
frames received, the time held from the PLAY's answer to the TEARDOWN (or to
the server's close, ms) and whether the server closed first. Loopback only.
"""
import json, re, socket, sys, time

port, path, ua, secs = int(sys.argv[1]), sys.argv[2], sys.argv[3], float(sys.argv[4])
auth = ("Authorization: %s\r\n" % sys.argv[5]) if len(sys.argv) > 5 else ""
url = "rtsp://127.0.0.1:%d%s" % (port, path)
s = socket.create_connection(("127.0.0.1", port), timeout=5)
buf, cseq, frames, closed = b"", 0, 0, False


def read_answer(want):
    """Reads until the answer with CSeq want, counting RTP frames on the way."""
    global buf, frames, closed
    polled = False
    while True:
        while buf[:1] == b"$" and len(buf) >= 4 and len(buf) >= 4 + (buf[2] << 8 | buf[3]):
            n = buf[2] << 8 | buf[3]
            if buf[1] % 2 == 0 and n >= 2 and buf[5] & 0x80:
                frames += 1  # the marker: a frame's last packet
            buf = buf[4 + n:]
        if buf[:1] != b"$" and b"\r\n\r\n" in buf:
            head, rest = buf.split(b"\r\n\r\n", 1)
            m = re.search(rb"\r\nContent-Length: (\d+)", head)
            blen = int(m.group(1)) if m else 0
            if len(rest) >= blen:
                buf = rest[blen:]
                c = re.search(rb"\r\nCSeq: (\d+)", head)
                if want is not None and c and int(c.group(1)) == want:
                    return head
                continue
        if want is None and polled:
            return None  # one read's worth, while playing
        try:
            d = s.recv(65536)
        except socket.timeout:
            return None
        if not d:
            closed = True
            return None
        buf += d
        polled = True


def request(method, uri, extra=""):
    """Sends a request and returns its answer's status and head (0, b"" if none)."""
    global cseq
    cseq += 1
    s.sendall(("%s %s RTSP/1.0\r\nCSeq: %d\r\nUser-Agent: %s\r\n%s%s\r\n" %
               (method, uri, cseq, ua, auth if method != "OPTIONS" else "", extra)).encode())
    head = read_answer(cseq)
    return (int(head.split(b" ")[1]), head) if head else (0, b"")


out = {"options": request("OPTIONS", url)[0], "describe": request("DESCRIBE", url)[0]}
out["setup"], head = request("SETUP", url + "/trackID=1",
                             "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n")
m = re.search(rb"\r\nSession: *([^;\r]+)", head)
session = "Session: %s\r\n" % (m.group(1).decode() if m else "0")
out["play"] = request("PLAY", url + "/", session)[0]
t_play = time.monotonic()
end = t_play + secs
s.settimeout(0.5)
while time.monotonic() < end and not closed:
    read_answer(None)
held = time.monotonic() - t_play
if not closed:
    s.settimeout(5)
    out["teardown"] = request("TEARDOWN", url + "/", session)[0]
out.update(frames=frames, held_ms=int(held * 1000), server_closed=closed)
print(json.dumps(out))
