"""camclient: the clients and checks the integration scenarios share (loopback only).

A scenario's own Python imports it (lib.sh puts this folder on PYTHONPATH);
a shell line runs it through lib.sh's `camclient` function:

  camclient cmp A OP B [OP C]      numbers compared as floats (2.5 <= 3.1 <= 5.5): exit 0 when it holds
  camclient lastjpeg IN OUT        the last complete JPEG of a captured MJPEG stream (empty if none)
  camclient hook PORT OUT          a webhook receiver: each POST's body appended to OUT as a line
  camclient pngsize FILE           "WxH" of a PNG, "bad" when it is none
  camclient graystats              mean and population stddev of the 8-bit samples on stdin
  camclient jsonlines FILE [MIN]   every line one JSON object with an "event", no raw control byte, at least MIN
                                   of them (prints how many)
  camclient digest PORT URI USER PASS [SRC]   a Digest login after its challenge; prints the answer's status line

Every client connects to 127.0.0.1 only, from a loopback source when one is given.
"""
import hashlib
import json
import re
import socket
import statistics
import struct
import sqlite3
import sys
import time

HOST = "127.0.0.1"
OPEN = b"<open>"  # what talk() appends when the peer kept the connection open


def loopback(addr):
    """addr if it is a loopback address; anything else ends the test."""
    if addr is not None and not addr.startswith("127."):
        sys.exit("camclient: loopback only, not " + addr)
    return addr


def connect(port, src=None, timeout=5.0):
    """A TCP connection to the decoy on 127.0.0.1:PORT, from SRC if given."""
    s = socket.socket()
    s.settimeout(timeout)
    if src is not None:
        s.bind((loopback(src), 0))
    s.connect((HOST, int(port)))
    return s


def read_all(s):
    """Everything until the peer closes; OPEN appended when it stays silent past the timeout."""
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                return out
            out += b
    except socket.timeout:
        return out + OPEN
    except OSError:
        return out


def read_until(s, token):
    """Bytes up to and including TOKEN; SystemExit if the peer closes first."""
    buf = b""
    while token not in buf:
        d = s.recv(4096)
        if not d:
            raise SystemExit("closed early: %r" % buf)
        buf += d
    return buf


def talk(port, data, timeout=5.0, src=None):
    """Send DATA on a fresh connection, read until close. (reply, seconds, still_open)."""
    s = connect(port, src, timeout)
    t0 = time.monotonic()
    s.sendall(data)
    out = read_all(s)
    took = time.monotonic() - t0
    s.close()
    still_open = out.endswith(OPEN)
    return (out[: -len(OPEN)] if still_open else out), took, still_open


def first_line(reply):
    """The status line of a raw reply, as text ("" when there was none)."""
    return reply.split(b"\r\n")[0].decode("latin-1")


def get(port, target, headers=(), src=None, version="HTTP/1.0", timeout=5.0):
    """A raw GET (header lines as given, no Host unless given); the whole reply as text."""
    head = "GET %s %s\r\n%s\r\n" % (target, version, "".join(h + "\r\n" for h in headers))
    reply, _, _ = talk(port, head.encode("latin-1"), timeout, src)
    return reply.decode("latin-1")


def md5(text):
    return hashlib.md5(text.encode()).hexdigest()


def digest_challenge(reply):
    """(realm, nonce) of a 401's WWW-Authenticate: Digest header."""
    realm = re.search(r'realm="([^"]*)"', reply).group(1)
    nonce = re.search(r'nonce="([^"]*)"', reply).group(1)
    return realm, nonce


def digest_authorization(user, password, realm, nonce, uri, cnonce, method="GET"):
    """An RFC 7616 (MD5, qop=auth, nc=1) Authorization header line, without its CRLF."""
    ha1 = md5("%s:%s:%s" % (user, realm, password))
    resp = md5("%s:%s:00000001:%s:auth:%s" % (ha1, nonce, cnonce, md5("%s:%s" % (method, uri))))
    return ('Authorization: Digest username="%s", realm="%s", nonce="%s", uri="%s", qop=auth, nc=00000001, '
            'cnonce="%s", response="%s", algorithm=MD5' % (user, realm, nonce, uri, cnonce, resp))


def digest_login(port, uri, user, password, src=None, cnonce="camclient", agent="digest-client"):
    """A challenge, then the login with it; the login's reply as text."""
    ua = "User-Agent: " + agent
    realm, nonce = digest_challenge(get(port, uri, [ua], src))
    return get(port, uri, [ua, digest_authorization(user, password, realm, nonce, uri, cnonce)], src)


def last_jpeg(data):
    """The last complete JPEG (SOI .. EOI) in captured MJPEG bytes, b"" if there is none."""
    end = data.rfind(b"\xff\xd9")
    start = data.rfind(b"\xff\xd8", 0, end)
    return data[start:end + 2] if start >= 0 and end > start else b""


def wait_until(cond, seconds=30.0, step=0.1):
    """cond() until it is true or SECONDS have passed; its last value."""
    end = time.monotonic() + seconds
    while True:
        got = cond()
        if got or time.monotonic() >= end:
            return got
        time.sleep(step)


def query(db, sql, *params):
    """Rows of a query on a database file (bound parameters only)."""
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def png_size(data):
    """(width, height) of PNG bytes, None when they are not a PNG."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or len(data) < 24:
        return None
    return struct.unpack(">II", data[16:24])


def gray_stats(data):
    """(mean, population stddev) of 8-bit samples, rounded to integers."""
    return round(statistics.mean(data)), round(statistics.pstdev(data))


def json_lines(raw):
    """The objects of a JSON-lines log (bytes): each line one object with an "event",
    no raw ESC, BEL or NUL, a newline at the end. AssertionError otherwise."""
    assert b"\x1b" not in raw and b"\x07" not in raw and b"\x00" not in raw, "a raw control byte"
    lines = raw.split(b"\n")
    assert lines[-1] == b"", "no newline at the end"
    objs = [json.loads(line.decode("utf-8")) for line in lines[:-1]]
    assert all(isinstance(o, dict) and "event" in o for o in objs), "a line without an event"
    return objs


class Checks:
    """Named checks printed as "ok   what" or "FAIL what"; status() is the exit code."""

    def __init__(self):
        self.bad = 0

    def want(self, what, cond):
        print(("ok   " if cond else "FAIL ") + what)
        self.bad += not cond
        return cond

    def status(self):
        return 1 if self.bad else 0


def serve_hook(port, out):
    """Append each POST's body to OUT as a line, answer 204 (any other method: 501)."""
    import http.server

    class Hook(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with open(out, "ab") as f:
                f.write(body + b"\n")
            self.send_response(204)
            self.end_headers()

    http.server.HTTPServer((HOST, int(port)), Hook).serve_forever()


OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
       ">=": lambda a, b: a >= b, "=": lambda a, b: a == b, "!=": lambda a, b: a != b}


def compare(args):
    """A OP B [OP C ...] over floats; a value that is no number fails the comparison."""
    try:
        vals = [float(a) for a in args[0::2]]
        return all(OPS[op](a, b) for a, op, b in zip(vals, args[1::2], vals[1:]))
    except (ValueError, KeyError, IndexError):
        return False


def main(argv):
    cmd, args = argv[1], argv[2:]
    if cmd == "cmp":
        return 0 if len(args) % 2 == 1 and compare(args) else 1
    if cmd == "lastjpeg":
        with open(args[0], "rb") as f:
            jpeg = last_jpeg(f.read())
        with open(args[1], "wb") as f:
            f.write(jpeg)
        return 0
    if cmd == "hook":
        serve_hook(args[0], args[1])
    if cmd == "pngsize":
        with open(args[0], "rb") as f:
            size = png_size(f.read(24))
        print("%dx%d" % size if size else "bad")
        return 0
    if cmd == "graystats":
        print("%d %d" % gray_stats(sys.stdin.buffer.read()))
        return 0
    if cmd == "jsonlines":
        with open(args[0], "rb") as f:
            n = len(json_lines(f.read()))
        print("%d JSON lines valid" % n)
        return 0 if n >= int(args[1] if len(args) > 1 else 0) else 1
    if cmd == "digest":
        print(first_line(digest_login(args[0], args[1], args[2], args[3], args[4] if len(args) > 4 else None)
                         .encode("latin-1")))
        return 0
    sys.exit("camclient: unknown command " + cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
