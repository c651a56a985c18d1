#!/usr/bin/env bash
# t_telnet_caps: the Telnet trap cannot be held shut: at most 8 sessions per
# address and 32 per /24, NUL and option noise do not keep a session alive,
# and no session outlives telnet-lifetime. It opens the way busybox telnetd
# does, with the hikvision camera's prompt, and takes the client's answers to
# what it asked for without arguing.
. "$(dirname "$0")/lib.sh"

TPORT="$(free_port)"
start_decoy --persona hikvision --telnet "127.0.0.1:$TPORT" --telnet-idle 2 --telnet-lifetime 5 ||
	{ finish; exit 1; }
python3 - "$TPORT" >"$TMP/hello.out" <<'PY'
import socket, sys
from camclient import connect, read_until
s = connect(sys.argv[1], timeout=3)
try:
    data = read_until(s, b"login: ")
except SystemExit:
    data = b""
print("greeting", int(data == b"\xff\xfd\x01\xff\xfd\x1f\xff\xfb\x01\xff\xfb\x03\r\n192.0.0.64 login: "))
# a client that agrees to echo and sends its window size gets no reply to either
s.sendall(b"\xff\xfb\x01\xff\xfb\x1f\xff\xfa\x1f\x00\x50\x00\x18\xff\xf0")
s.settimeout(1.0)
try:
    extra = s.recv(4096)
except socket.timeout:
    extra = b""
print("quiet", int(extra == b""))
# an option it did not ask for is refused
s.sendall(b"\xff\xfb\x18")
print("refused", int(s.recv(16) == b"\xff\xfe\x18"))
PY
check "telnet opens like busybox telnetd, with hikvision's prompt" grep -qx "greeting 1" "$TMP/hello.out"
check "the client's echo and window size are taken without a reply" grep -qx "quiet 1" "$TMP/hello.out"
check "an option nobody asked for is refused (DONT)" grep -qx "refused 1" "$TMP/hello.out"
python3 - "$TPORT" >"$TMP/caps.out" <<'PY'
import socket, sys, time
import camclient
port = int(sys.argv[1])

def connect(src):
    return camclient.connect(port, src, 1.5)

def alive(s):
    """The session answers with its login prompt (not a close)."""
    try:
        camclient.read_until(s, b"login:")
        return True
    except (OSError, SystemExit):
        return False

# 10 from one address: 8 get a prompt
one = [connect("127.0.0.1") for _ in range(10)]
print("per_ip", sum(alive(s) for s in one))
# then 30 more addresses of the same /24, one each: 24 more fit (32 in all)
more = [connect("127.0.0.%d" % (i + 2)) for i in range(30)]
print("per_net", sum(alive(s) for s in more))
for s in one + more:
    s.close()
time.sleep(0.5)

def closed_after(s, feed, limit):
    """Seconds until the decoy closes s while feed() is sent every 0.3 s."""
    t0 = time.time()
    s.settimeout(0.3)
    while time.time() - t0 < limit:
        try:
            s.sendall(feed)
            if s.recv(4096) == b"":
                return time.time() - t0
        except socket.timeout:
            pass
        except OSError:
            return time.time() - t0
    return None

noise = connect("127.0.0.50"); alive(noise)
print("noise_closed_after", closed_after(noise, b"\0\xff\xf1", 8))   # NUL, IAC NOP
typing = connect("127.0.0.51"); alive(typing)
print("typing_closed_after", closed_after(typing, b"a", 9))          # a character, no line end
PY
cat "$TMP/caps.out"
val() { sed -n "s/^$1 //p" "$TMP/caps.out"; }
check "8 sessions from one address ($(val per_ip))" [ "$(val per_ip)" = 8 ]
check "32 sessions from one /24 ($(val per_net) more after 8)" [ "$(val per_net)" = 24 ]
check "NUL and option noise do not keep a session alive ($(val noise_closed_after) s, idle 2 s)" \
	camclient cmp 1.5 "<=" "$(val noise_closed_after)" "<=" 4
check "typing keeps it alive until its lifetime ($(val typing_closed_after) s, lifetime 5 s)" \
	camclient cmp 4.5 "<=" "$(val typing_closed_after)" "<=" 7.5
stop_decoy
check "refusals are counted" grep -q "telnet: .* refused 0 (full) 2 (per address) 6 (per network)" "$TMP/decoy.log"
check "each refusal is a requests row: route telnet, its reason" \
	[ "$(sql "SELECT group_concat(refused || ' ' || n) FROM (SELECT refused, COUNT(*) AS n FROM requests WHERE route = 'telnet' GROUP BY refused ORDER BY refused)")" = "per-ip 2,per-net 6" ]
finish
