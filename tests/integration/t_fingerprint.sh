#!/usr/bin/env bash
# t_fingerprint: each persona's first answer against the installed nmap probe
# file's own `match` lines (the fast check beside t_nmap): the netwave,
# hikvision and panasonic lines that name the vendor must match what the
# persona sends to nmap's GetRequest (`GET / HTTP/1.0`) and, for netwave, its
# 404; no line naming libmicrohttpd may match any persona's answer.
. "$(dirname "$0")/lib.sh"

PROBES=/usr/share/nmap/nmap-service-probes
[ -r "$PROBES" ] || { bad "nmap's probe file is installed (make deps-test)"; finish; exit 1; }

cat >"$TMP/fp.py" <<'PY'
import re, socket, sys
probes, port, want = sys.argv[1], int(sys.argv[2]), sys.argv[3]

def answer(req):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(req)
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            return out
        out += b

def matchers(needle):
    """The http match lines whose product text holds needle, compiled as nmap does (m|...|flags)."""
    found = []
    for line in open(probes, encoding="latin-1"):
        m = re.match(r"(?:soft)?match http m\|(.*?)\|([si]*) (.*)$", line.rstrip("\n"))
        if m and needle in m.group(3):
            flags = (re.S if "s" in m.group(2) else 0) | (re.I if "i" in m.group(2) else 0)
            found.append((m.group(1), re.compile(m.group(1).encode("latin-1"), flags)))
    return found

get = answer(b"GET / HTTP/1.0\r\n\r\n")
missing = answer(b"GET /nice%20ports%2C/Tri%6Eity.txt%2ebak HTTP/1.0\r\n\r\n")
names = {"netwave": "Netwave", "hikvision": "Hikvision", "panasonic": "Panasonic Network Camera"}
if want in names:
    lines = matchers(names[want])
    print("matchers", len(lines))
    print("get", int(any(rx.match(get) for _, rx in lines)))
    if want == "netwave":
        print("404", int(any(rx.match(missing) for src, rx in lines if "404" in src)))
mhd = matchers("libmicrohttpd")
print("mhd", len(mhd), int(any(rx.match(get) or rx.match(missing) for _, rx in mhd)))
PY

for persona in netwave hikvision panasonic axis; do
	start_decoy --persona "$persona" || { finish; exit 1; }
	python3 "$TMP/fp.py" "$PROBES" "$PORT" "$persona" >"$TMP/fp-$persona" 2>&1
	echo "fingerprint: $persona: $(tr '\n' ' ' <"$TMP/fp-$persona")"
	if [ "$persona" != axis ]; then
		check "$persona: the probe file has matchers naming it" bash -c "awk '\$1 == \"matchers\" && \$2 > 0' '$TMP/fp-$persona' | grep -q ."
		check "$persona: its answer to GET / matches one of them" grep -qx "get 1" "$TMP/fp-$persona"
	fi
	[ "$persona" = netwave ] && check "netwave: its 404 matches nmap's Netwave 404 line" grep -qx "404 1" "$TMP/fp-$persona"
	check "$persona: no libmicrohttpd matcher matches (and there are some to try)" grep -qE "^mhd [1-9][0-9]* 0$" "$TMP/fp-$persona"
	stop_decoy
done
finish
