#!/usr/bin/env bash
# t_onvif_discovery: WS-Discovery on UDP, on loopback. Off by default (no
# socket); record stores each Probe and never answers; answer sends one
# ProbeMatch to the sender only once it has sent at least as many bytes, at
# most once a second, and never more bytes than it received; a persona
# without ONVIF refuses the key.
. "$(dirname "$0")/lib.sh"
WSD_PORT="$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

"$BIN" --persona netwave --onvif-discovery answer --check-config >"$TMP/cfg.out" 2>&1
rc=$?
check "netwave with onvif-discovery: exit 2 (got $rc)" [ "$rc" = 2 ]
check "the error names the key" grep -q "onvif-discovery: the netwave persona" "$TMP/cfg.out"

cat >"$TMP/probe.py" <<'PY'
import socket, sys, time, uuid
port, count, gap = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.settimeout(0.5)
sent = got = answers = 0
for i in range(count):
    p = ('<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" '
         'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header><a:Action s:mustUnderstand="1">'
         'http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>uuid:%s</a:MessageID>'
         '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header><s:Body>'
         '<Probe xmlns="http://schemas.xmlsoap.org/ws/2005/04/discovery"><Types xmlns:dn="http://www.onvif.org/'
         'ver10/network/wsdl">dn:NetworkVideoTransmitter</Types><Scopes>onvif://www.onvif.org/probe-%d</Scopes>'
         '</Probe></s:Body></s:Envelope>') % (uuid.uuid4(), i)
    s.sendto(p.encode(), ("127.0.0.1", port))
    sent += len(p)
    try:
        while True:
            d, _ = s.recvfrom(65535)
            got += len(d)
            answers += 1
            ok = b"ProbeMatches" in d and b"/onvif/device_service" in d
            print("answer", i, len(d), "ok" if ok else "bad")
    except socket.timeout:
        pass
    time.sleep(gap)
print("sent", sent, "got", got, "answers", answers)
PY

# off by default: nothing listens
start_decoy --persona axis --onvif-discovery-port "$WSD_PORT" || { finish; exit 1; }
python3 "$TMP/probe.py" "$WSD_PORT" 2 0 >"$TMP/off.out"
check "off: no answer" grep -q "answers 0$" "$TMP/off.out"
check "off: no row" [ "$(sql "SELECT COUNT(*) FROM requests WHERE route = 'onvif-discovery'")" = 0 ]
stop_decoy

start_decoy --persona axis --onvif-discovery record --onvif-discovery-port "$WSD_PORT" || { finish; exit 1; }
python3 "$TMP/probe.py" "$WSD_PORT" 4 0 >"$TMP/record.out"
check "record: no answer" grep -q "answers 0$" "$TMP/record.out"
check "record: each Probe a row with its types and scopes" \
	wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'onvif-discovery' AND method = 'Probe' AND status = 0 AND path LIKE 'dn:NetworkVideoTransmitter | onvif://www.onvif.org/probe-%'" 4
stop_decoy

start_decoy --persona hikvision --onvif-discovery answer --onvif-discovery-port "$WSD_PORT" || { finish; exit 1; }
# every 0.5 s (the client's wait): the first Probe (~650 bytes) buys no
# answer (~1,300 bytes); then at most one answer a second
python3 "$TMP/probe.py" "$WSD_PORT" 6 0 >"$TMP/answer.out"
cat "$TMP/answer.out"
check "answer: the first Probe is not answered" bash -c "! grep -q '^answer 0 ' '$TMP/answer.out'"
check "answer: a later one is, with a ProbeMatch naming the device service" grep -q '^answer [0-9]* [0-9]* ok$' "$TMP/answer.out"
check "answer: never two answers within a second (two Probes apart)" \
	awk '/^answer/ { if (seen && $2 - last < 2) bad = 1; last = $2; seen = 1 } END { exit bad }' "$TMP/answer.out"
read -r sent got <<<"$(awk '/^sent/ {print $2, $4}' "$TMP/answer.out")"
check "answer: never more bytes out ($got) than in ($sent)" [ "$got" -le "$sent" ]
# spaced out: one answer per second at most, still within the bytes received
python3 "$TMP/probe.py" "$WSD_PORT" 8 0.6 >"$TMP/spaced.out"
read -r sent got <<<"$(awk '/^sent/ {print $2, $4}' "$TMP/spaced.out")"
check "spaced: some answered, never more out ($got) than in ($sent)" [ "$got" -gt 0 -a "$got" -le "$sent" ]
check "answered Probes are rows with status 200" \
	wait_sql "SELECT COUNT(*) > 0 FROM requests WHERE route = 'onvif-discovery' AND status = 200" 1
# junk datagrams are rows too, never answered
python3 -c "import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); [s.sendto(b'<x>' * 900, ('127.0.0.1', $WSD_PORT)) for _ in range(3)]"
check "junk: rows, method UDP" wait_sql "SELECT COUNT(*) FROM requests WHERE route = 'onvif-discovery' AND method = 'UDP' AND status = 0" 3
stop_decoy
check "the shutdown log counts them" grep -q "onvif-discovery: .* probes, .* answered" "$TMP/decoy.log"
finish
