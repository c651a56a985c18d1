"""wire.py PORT PERSONA: every kind of answer a persona gives, as its bytes.

Prints one block per case: the request, then the answer's head line by line
exactly as sent (each line must end in CR LF; a line that does not is marked),
with only what varies by run masked: a Date value, a nonce, the length of a
JPEG. Bodies are given by length and SHA-256 (pages and error pages are
rendered once at start-up, so they are the same on every run); a stream's
first part header follows its head. t_wire.sh compares this with
tests/integration/wire/PERSONA.txt, a fixture checked against the firmware
facts the personas are built from (field notes, nmap's matchers).
"""
import hashlib
import re
import socket
import sys
import time

port, persona = int(sys.argv[1]), sys.argv[2]

# per persona: a page, the stream, the snapshot, a protected CGI, a login page (or None)
ROUTES = {
    "axis": ("/view/viewer_index.shtml", "/mjpg/video.mjpg", "/jpg/image.jpg", "/axis-cgi/admin/param.cgi", None),
    "panasonic": ("/CgiStart", "/nphMotionJpeg", "/SnapshotJPEG", "/Set", None),
    "hikvision": ("/doc/page/preview.asp", "/ISAPI/Streaming/channels/102/httpPreview",
                  "/ISAPI/Streaming/channels/101/picture", "/ISAPI/Security/userCheck", "/doc/page/login.asp"),
    "netwave": ("/live.htm", "/videostream.cgi", "/snapshot.cgi", "/get_params.cgi", None),
}
page, stream, snapshot, protected, login = ROUTES[persona]


def send(data, until_head_and_part=False, timeout=5):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(data)
    out = b""
    try:
        while True:
            b = s.recv(65536)
            if not b:
                break
            out += b
            if until_head_and_part and out.count(b"\r\n\r\n") >= 2:
                break
    except socket.timeout:
        pass
    s.close()
    return out


def mask(line):
    line = re.sub(rb"^(Date: ).*", rb"\1<date>", line)
    line = re.sub(rb'nonce="[0-9a-f]{32}"', rb'nonce="<nonce>"', line)
    return line


def show(name, req, out, jpeg=False, part=False):
    print("== %s" % name)
    print("> %s" % req.split(b"\r\n")[0].decode("latin1")[:80])
    if not out:
        print("(nothing)")
        return
    head, sep, body = out.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if b"\n" in line:
            print("<LF without CR in %r>" % line)
        if jpeg:
            line = re.sub(rb"^(Content-Length: )\d+", rb"\1<jpeg>", line)
        print(mask(line).decode("latin1"))
    if not sep:
        print("(head not ended)")
        return
    if part:
        phead, psep, _ = body.partition(b"\r\n\r\n")
        print("-- first part")
        for line in phead.split(b"\r\n"):
            print(re.sub(rb"^(Content-Length: )\d+", rb"\1<jpeg>", line).decode("latin1"))
    elif jpeg:
        print("[body: a JPEG]" if body.startswith(b"\xff\xd8") else "[body: not a JPEG]")
    else:
        print("[body: %d bytes, sha256 %s]" % (len(body), hashlib.sha256(body).hexdigest()[:16]))


def get(path, extra=b"", method=b"GET", version=b"HTTP/1.1"):
    return method + b" " + path.encode() + b" " + version + b"\r\nHost: cam\r\nUser-Agent: wire/1\r\n" + extra + b"\r\n"


for name, req, kw in [
    ("front page, HTTP/1.0", get("/", version=b"HTTP/1.0"), {}),
    ("front page, HTTP/1.1", get("/"), {}),
    ("front page, HEAD", get("/", method=b"HEAD"), {}),
    ("a page", get(page), {}),
    ("404", get("/no/such/page.html"), {}),
    ("405", get(page, method=b"DELETE"), {}),
    ("401", get(protected), {}),
    ("413", get(protected, b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 5000\r\n",
                method=b"POST") + b"u" * 5000, {}),
    ("414", get("/" + "a" * 9000), {}),
    ("431", get("/", b"X-Pad: " + b"p" * 9000 + b"\r\n"), {}),
    ("400 (a header line without a colon)", get("/", b"no colon here\r\n"), {}),
    # what libmicrohttpd 0.9.75 would refuse with its own text, though the
    # head is under header-memory: 64 bytes of its pool per header line,
    # query argument or cookie; a NUL before a colon; a folded line
    ("431 (500 short header lines)", get("/", b"a: b\r\n" * 500), {}),
    ("431 (a query of 600 arguments)", get("/?" + "&".join(["a"] * 600)), {}),
    ("431 (a cookie of 600 pieces)", get("/", b"Cookie: " + b";".join([b"a"] * 600) + b"\r\n"), {}),
    ("400 (a NUL before a header's colon)", get("/", b"X-A\x00b: c\r\n"), {}),
    ("400 (a folded header line)", get("/", b"X-A: b\r\n c\r\n"), {}),
    ("404 (a decoded NUL in the path)", get(snapshot + "%00.php"), {}),
    ("snapshot", get(snapshot), {"jpeg": True}),
    ("stream", get(stream), {"part": True, "until": True}),
] + ([("login page", get(login), {}),
      ("login POST", get(login, b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 27\r\n",
                         method=b"POST") + b"username=admin&password=xyz", {})] if login else []):
    until = kw.pop("until", False)
    show(name, req, send(req, until_head_and_part=until), **kw)

# 503: a second stream from one address over streams-per-ip (t_wire starts
# the decoy with 1). The stream case above may still hold the slot for a
# moment after its client left: the holder retries until it streams.
for attempt in range(50):
    hold = socket.create_connection(("127.0.0.1", port), timeout=5)
    hold.sendall(get(stream))
    first = b""
    while first.count(b"\r\n\r\n") < 2:
        b = hold.recv(65536)
        if not b:
            break
        first += b
    if b" 200 OK" in first.split(b"\r\n")[0]:
        break
    hold.close()
    time.sleep(0.2)
req = get(stream)
show("503 (streams-per-ip)", req, send(req))
hold.close()
