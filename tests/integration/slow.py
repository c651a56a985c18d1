"""slow.py: helpers for the slowloris and flood scenarios (loopback only).

  slow.py probe PORT SECONDS OUT        a viewer: page latency and first-frame time
  slow.py loris PORT SECONDS SOCKETS    slow headers from 64 addresses, 64 /24s
  slow.py held PORT SECONDS OUT         samples established server sockets per peer
"""
import json, os, socket, sys, time

STREAM = "/axis-cgi/mjpg/video.cgi"


def loopback(host):
    if not host.startswith("127."):
        sys.exit("slow.py: loopback only, not " + host)
    return host


def connect_from(port, src):
    s = socket.socket()
    s.settimeout(5)
    s.bind((loopback(src), 0))
    s.connect(("127.0.0.1", port))
    return s


def page(port, src):
    t0 = time.monotonic()
    s = connect_from(port, src)
    s.sendall(b"GET / HTTP/1.1\r\nHost: cam\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    if not data.startswith(b"HTTP/1.") or b" 200 " not in data.split(b"\r\n", 1)[0]:
        raise OSError("bad answer")
    return (time.monotonic() - t0) * 1000


def first_frame(port, src):
    t0 = time.monotonic()
    s = connect_from(port, src)
    s.sendall(("GET %s HTTP/1.1\r\nHost: cam\r\n\r\n" % STREAM).encode())
    data = b""
    while b"\xff\xd9" not in data[data.find(b"\xff\xd8") + 2 if b"\xff\xd8" in data else len(data):]:
        d = s.recv(65536)
        if not d:
            raise OSError("stream ended")
        data += d
    s.close()
    return (time.monotonic() - t0) * 1000


def probe(port, seconds, out):
    pages, frames, failures = [], [], 0
    end = time.monotonic() + seconds
    next_frame = 0
    while time.monotonic() < end:
        try:
            pages.append(page(port, "127.0.1.1"))
        except OSError:
            failures += 1
        if time.monotonic() >= next_frame:
            try:
                frames.append(first_frame(port, "127.0.1.2"))
            except OSError:
                failures += 1
            next_frame = time.monotonic() + 1
        time.sleep(0.1)
    pages.sort()
    res = {
        "pages": len(pages),
        "page_p99_ms": round(pages[min(len(pages) - 1, int(len(pages) * 0.99))], 1) if pages else None,
        "frames": len(frames),
        "first_frame_max_ms": round(max(frames), 1) if frames else None,
        "failures": failures,
    }
    json.dump(res, open(out, "w"))


def loris(port, seconds, n):
    import selectors
    sel = selectors.DefaultSelector()
    srcs = ["127.0.%d.1" % (10 + i) for i in range(64)]
    socks = {}
    opened = 0
    def open_one(i):
        nonlocal opened
        s = socket.socket()
        s.setblocking(False)
        s.bind((srcs[i % 64], 0))
        try:
            s.connect(("127.0.0.1", port))
        except BlockingIOError:
            pass
        socks[s] = 0
        opened += 1
    for i in range(n):
        open_one(i)
    end = time.monotonic() + seconds
    tick = 0
    while time.monotonic() < end:
        dead = []
        for s, sent in list(socks.items()):
            try:
                s.send(b"GET / HTTP/1.1\r\nHost: x\r\n" if sent == 0 else b"X-a: b\r\n")
                socks[s] = sent + 1
            except (BlockingIOError, InterruptedError):
                pass
            except OSError:
                dead.append(s)
        for s in dead:
            s.close()
            del socks[s]
        for i in range(len(dead)):
            open_one(tick + i)
        tick += 1
        time.sleep(1)
    print(opened)


def held(port, seconds, out):
    """Established server-side sockets of PORT that the decoy accepted (their peer ports) per
    peer address, sampled."""
    samples = []
    end = time.monotonic() + seconds
    pport = "%04X" % port
    while time.monotonic() < end:
        per = {}
        for f in ("/proc/net/tcp",):
            for line in open(f).read().splitlines()[1:]:
                p = line.split()
                local, remote, state, inode = p[1], p[2], p[3], p[9]
                # inode 0: still in the kernel's accept queue, not yet the
                # decoy's (the cap applies to what it accepted)
                if state != "01" or local.split(":")[1] != pport or inode == "0":
                    continue
                ip = socket.inet_ntoa(bytes.fromhex(remote.split(":")[0])[::-1])
                per.setdefault(ip, []).append(remote.split(":")[1])
        samples.append(per)
        time.sleep(0.5)
    json.dump(samples, open(out, "w"))


if __name__ == "__main__":
    cmd, port = sys.argv[1], int(sys.argv[2])
    if cmd == "probe":
        probe(port, float(sys.argv[3]), sys.argv[4])
    elif cmd == "loris":
        loris(port, float(sys.argv[3]), int(sys.argv[4]))
    elif cmd == "held":
        held(port, float(sys.argv[3]), sys.argv[4])
