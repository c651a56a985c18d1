#!/usr/bin/env python3
# bench_rtsp: N viewers over RTSP (RTP/AVP/TCP interleaved) or HTTP MJPEG against one running decoy for
# T seconds: frames delivered and the decoy's CPU (utime + stime from /proc) per delivered frame.
# Usage: bench_rtsp.py rtsp|http N SECONDS RTSP_PORT HTTP_PORT DECOY_PID USER PASS
# (loopback; one address holds at most 8 RTSP sessions: N <= 8 from one client address).
import base64, os, re, selectors, socket, sys, time

mode, n, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
rport, hport, pid = int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
auth = b"Authorization: Basic " + base64.b64encode(("%s:%s" % (sys.argv[7], sys.argv[8])).encode()) + b"\r\n"


def cpu():
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def rtsp_viewer():
    s = socket.create_connection(("127.0.0.1", rport))
    s.sendall(b"SETUP rtsp://h/Streaming/Channels/101/trackID=1 RTSP/1.0\r\nCSeq: 1\r\n" + auth +
              b"Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n")
    d = b""
    while b"\r\n\r\n" not in d:
        d += s.recv(4096)
    sid = re.search(rb"Session:\s+(\d+)", d).group(1)
    s.sendall(b"PLAY rtsp://h/Streaming/Channels/101/ RTSP/1.0\r\nCSeq: 2\r\n" + auth + b"Session: " + sid + b"\r\n\r\n")
    return s


def http_viewer():
    s = socket.create_connection(("127.0.0.1", hport))
    s.sendall(b"GET /ISAPI/Streaming/channels/102/httpPreview HTTP/1.1\r\nHost: h\r\nUser-Agent: bench\r\n\r\n")
    return s


sel = selectors.DefaultSelector()
bufs, count = {}, {}
for i in range(n):
    s = rtsp_viewer() if mode == "rtsp" else http_viewer()
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
    bufs[i], count[i] = b"", 0
time.sleep(1)  # past the set-up
c0, t0 = cpu(), time.monotonic()
while time.monotonic() - t0 < secs:
    for key, _ in sel.select(0.5):
        try:
            d = key.fileobj.recv(262144)
        except BlockingIOError:
            continue
        i = key.data
        if mode == "http":
            count[i] += d.count(b"Content-Type: image/jpeg")
            continue
        b = bufs[i] + d
        while True:  # '$'-framed packets; a frame ends with the RTP marker on channel 0
            if b[:1] == b"$" and len(b) >= 4:
                ln = b[2] << 8 | b[3]
                if len(b) < 4 + ln:
                    break
                if b[1] == 0 and b[5] & 0x80:
                    count[i] += 1
                b = b[4 + ln:]
            elif b[:1] != b"$" and b"\r\n\r\n" in b:
                b = b.split(b"\r\n\r\n", 1)[1]
            else:
                break
        bufs[i] = b
c1 = cpu()
tot = sum(count.values())
print("%s: %d viewers, %.0f s, %d frames delivered, decoy CPU %.2f s, %.0f us per delivered frame" %
      (mode, n, secs, tot, c1 - c0, (c1 - c0) / max(tot, 1) * 1e6))
