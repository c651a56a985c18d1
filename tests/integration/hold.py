"""hold.py: try to hold a door shut from many /24s, and count what a legitimate client gets meanwhile.

  hold.py DOOR PORT SECONDS NETS PER_NET ADDRS TRIES OUT

DOOR is http, telnet or rtsp. NETS networks 127.10.N.0/24 each keep PER_NET
connections open from ADDRS addresses of their /24; each connection
reconnects as soon as it is cut (after 50 ms, to bound the loop). HTTP
holders are idle sockets (nothing sent); Telnet holders type a character
and RTSP holders send OPTIONS every second, so no idle timer ever fires.
Once the holders hold their share (or 20 s have passed), a client from
127.200.0.1 tries TRIES times over SECONDS: the HTTP page, the Telnet login
prompt, or an RTSP OPTIONS answer, each within 5 s. Loopback only, bounded
in count and time. OUT gets a JSON summary.
"""
import asyncio, json, resource, socket, sys, time

LEGIT = "127.200.0.1"
TRY_TIMEOUT = 5.0


async def open_from(src, port):
    s = socket.socket()
    s.setblocking(False)
    s.bind((src, 0))
    loop = asyncio.get_running_loop()
    await loop.sock_connect(s, ("127.0.0.1", port))
    return s


class Hold:
    def __init__(self, door, port, end):
        self.door, self.port, self.end = door, port, end
        self.alive = 0       # connected and not cut
        self.connects = 0
        self.cuts = 0

    async def talk(self, s, loop):
        """Keeps the connection busy until the decoy cuts it."""
        n = 0
        while time.monotonic() < self.end:
            if self.door == "http":
                data = await asyncio.wait_for(loop.sock_recv(s, 4096), self.end - time.monotonic())
                if not data:
                    return
                continue
            n += 1
            msg = b"a" if self.door == "telnet" else (
                b"OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: %d\r\n\r\n" % n)
            await loop.sock_sendall(s, msg)
            t = time.monotonic() + 1.0
            while time.monotonic() < t:
                try:
                    data = await asyncio.wait_for(loop.sock_recv(s, 4096), t - time.monotonic())
                except asyncio.TimeoutError:
                    break
                if not data:
                    return

    async def holder(self, src):
        loop = asyncio.get_running_loop()
        while time.monotonic() < self.end:
            s = None
            try:
                s = await asyncio.wait_for(open_from(src, self.port), 5)
                self.connects += 1
                self.alive += 1
                try:
                    await self.talk(s, loop)
                finally:
                    self.alive -= 1
                self.cuts += 1
            except (OSError, asyncio.TimeoutError):
                pass
            finally:
                if s is not None:
                    s.close()
            await asyncio.sleep(0.05)


async def legit_try(door, port):
    loop = asyncio.get_running_loop()
    s = await open_from(LEGIT, port)
    try:
        if door == "http":
            await loop.sock_sendall(s, b"GET / HTTP/1.1\r\nHost: cam\r\nConnection: close\r\n\r\n")
        elif door == "rtsp":
            await loop.sock_sendall(s, b"OPTIONS rtsp://127.0.0.1/ RTSP/1.0\r\nCSeq: 1\r\n\r\n")
        data = b""
        while True:
            d = await loop.sock_recv(s, 65536)
            if not d:
                break
            data += d
            if door == "telnet" and b"login: " in data:
                return True
            if door == "rtsp" and b"\r\n\r\n" in data:
                break
        if door == "http":
            return data.startswith(b"HTTP/1.") and b" 200 " in data.split(b"\r\n", 1)[0]
        if door == "rtsp":
            return data.startswith(b"RTSP/1.0 200 ")
        return False
    finally:
        s.close()


async def main():
    door, port, seconds, nets, per_net, addrs, tries, out = sys.argv[1:9]
    port, seconds, nets, per_net, addrs, tries = map(int, (port, seconds, nets, per_net, addrs, tries))
    if door not in ("http", "telnet", "rtsp") or nets > 250 or addrs > 250 or nets * per_net > 8192:
        sys.exit("hold.py: bad arguments")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    target = nets * per_net
    warm_end = time.monotonic() + 20
    h = Hold(door, port, warm_end + seconds + 10)
    tasks = [asyncio.create_task(h.holder("127.10.%d.%d" % (n, 1 + i % addrs)))
             for n in range(nets) for i in range(per_net)]
    # held: the holders have their share (wait on that, bounded)
    while time.monotonic() < warm_end and h.alive < target * 0.95:
        await asyncio.sleep(0.1)
    held = h.alive
    ok = 0
    t0 = time.monotonic()
    for k in range(tries):
        try:
            ok += bool(await asyncio.wait_for(legit_try(door, port), TRY_TIMEOUT))
        except (OSError, asyncio.TimeoutError):
            pass
        wait = t0 + (k + 1) * seconds / tries - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
    h.end = 0
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    json.dump({"door": door, "held": held, "target": target, "tries": tries, "ok": ok,
               "connects": h.connects, "cuts": h.cuts}, open(out, "w"))
    print("%s: %d held of %d, legitimate %d of %d, %d holder connects, %d cut" %
          (door, held, target, ok, tries, h.connects, h.cuts))


asyncio.run(main())
