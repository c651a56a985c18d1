#!/usr/bin/env python3
# bench_rtsp: N viewers over RTSP (RTP/AVP/TCP interleaved) or HTTP MJPEG against one running server
# for T seconds: frames delivered, and each process's CPU (utime + stime from /proc) per delivered
# frame; for RTSP the RSS the server grew by per session.
# Usage: bench_rtsp.py rtsp|http N SECONDS PORT PIDS USER PASS PATH
# PIDS: comma-separated, the server first (a peer's source after it); PATH: the stream's.
# (loopback; one address holds at most 8 of the decoy's RTSP sessions: N <= 8 from one client).
import base64, os, re, selectors, socket, sys, time

mode, n, secs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
port, pids = int(sys.argv[4]), [int(p) for p in sys.argv[5].split(",")]
auth = b"Authorization: Basic " + base64.b64encode(("%s:%s" % (sys.argv[6], sys.argv[7])).encode()) + b"\r\n"
path = sys.argv[8].encode()


def cpu(pid):
    f = open("/proc/%d/stat" % pid).read().rsplit(")", 1)[1].split()
    return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")


def rss_kb(pid):
    return int(re.search(r"VmRSS:\s+(\d+)", open("/proc/%d/status" % pid).read()).group(1))


def answer(s, d=b""):
    while b"\r\n\r\n" not in d:
        d += s.recv(4096)
    head, rest = d.split(b"\r\n\r\n", 1)
    m = re.search(rb"Content-Length:\s*(\d+)", head)
    while m and len(rest) < int(m.group(1)):
        rest += s.recv(4096)
    return head, rest


def rtsp_viewer():
    s = socket.create_connection(("127.0.0.1", port))
    url = b"rtsp://127.0.0.1:%d%s" % (port, path)
    s.sendall(b"DESCRIBE " + url + b" RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n" + auth + b"\r\n")
    head, sdp = answer(s)
    base = re.search(rb"Content-Base:\s*(\S+)", head)
    base = base.group(1) if base else url + b"/"
    control = re.findall(rb"a=control:(\S+)", sdp)[-1]  # the video's
    track = control if control.startswith(b"rtsp://") else base.rstrip(b"/") + b"/" + control
    s.sendall(b"SETUP " + track + b" RTSP/1.0\r\nCSeq: 2\r\n" + auth +
              b"Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n")
    head, _ = answer(s)
    sid = re.search(rb"Session:\s*([^;\r\n]+)", head).group(1)
    s.sendall(b"PLAY " + url + b" RTSP/1.0\r\nCSeq: 3\r\n" + auth + b"Session: " + sid + b"\r\n\r\n")
    return s


def http_viewer():
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: h\r\nUser-Agent: bench\r\n\r\n")
    return s


sel = selectors.DefaultSelector()
bufs, count = {}, {}
rss0 = rss_kb(pids[0])
for i in range(n):
    s = rtsp_viewer() if mode == "rtsp" else http_viewer()
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ, i)
    bufs[i], count[i] = b"", 0
time.sleep(1)  # past the set-up
rss1 = rss_kb(pids[0])
c0, t0 = [cpu(p) for p in pids], time.monotonic()
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
c1 = [cpu(p) for p in pids]
tot = sum(count.values())
used = [b - a for a, b in zip(c0, c1)]
print("%s %s: %d viewers, %.0f s, %d frames delivered, CPU %s s, %.0f us per delivered frame (all), "
      "RSS +%.0f KiB per session" %
      (mode, path.decode(), n, secs, tot, "+".join("%.2f" % u for u in used),
       sum(used) / max(tot, 1) * 1e6, (rss1 - rss0) / n))
