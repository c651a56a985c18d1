#!/usr/bin/env bash
# t_probes: every TCP probe in the installed nmap probe file (what
# `nmap --version-all` can send), plus the odd cases libmicrohttpd used to
# answer itself, against each persona's HTTP port and the RTSP trap of axis
# and hikvision. No answer may hold a libmicrohttpd text; every HTTP answer
# is in the persona's HTTP version with only the headers the persona sends;
# every RTSP answer is RTSP/1.0; and every probe is a row of its own (found
# by its source address and port), or, for a connection that sent nothing,
# counted in connections_without_request.
. "$(dirname "$0")/lib.sh"

PROBES=/usr/share/nmap/nmap-service-probes
[ -r "$PROBES" ] || { bad "nmap's probe file is installed (make deps-test)"; finish; exit 1; }

PROBES_PY="$TMP/probes.py"
cat >"$PROBES_PY" <<'PY'
import concurrent.futures, re, socket, sys, time
probes_file, port, kind, version, allowed, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5], sys.argv[6]
allowed = {h.lower() for h in allowed.split(",") if h}

def unescape(s):
    # nmap's q|...| strings: \\, \0, \a, \b, \f, \n, \r, \t, \v, \xHH; other bytes as they are
    outb, i = bytearray(), 0
    raw = s.encode("latin1")
    simple = {ord("0"): 0, ord("a"): 7, ord("b"): 8, ord("f"): 12, ord("n"): 10, ord("r"): 13, ord("t"): 9,
              ord("v"): 11, ord("\\"): 92}
    while i < len(raw):
        c = raw[i]
        if c == 92 and i + 1 < len(raw):
            n = raw[i + 1]
            if n == ord("x") and i + 3 < len(raw):
                outb.append(int(raw[i + 2:i + 4], 16))
                i += 4
                continue
            if n in simple:
                outb.append(simple[n])
                i += 2
                continue
            outb.append(n)
            i += 2
            continue
        outb.append(c)
        i += 1
    return bytes(outb)

probes = []
for line in open(probes_file, encoding="latin1"):
    m = re.match(r"^Probe TCP (\S+) q\|(.*)\|", line)
    if m:
        probes.append((m.group(1), unescape(m.group(2))))
# the odd cases of the wire issue, and a few of our own
probes += [("odd-rtsp", b"OPTIONS / RTSP/1.0\r\n\r\n"), ("odd-http09", b"GET /\r\n"),
           ("odd-version", b"GET / HTTP/9.9\r\nHost: cam\r\n\r\n"), ("odd-nohost", b"GET / HTTP/1.1\r\n\r\n"),
           ("odd-junk", b"\x00\xff\xfe junk\r\n\r\n"), ("odd-lf", b"GET / HTTP/1.0\n\n"),
           ("odd-space", b"GET  / HTTP/1.0\r\n\r\n"), ("odd-expect", b"POST / HTTP/1.1\r\nHost: cam\r\n"
                                                      b"Content-Length: 4\r\nExpect: 100-continue\r\n\r\n")]
bad = [b"Request malformed", b"syntactically incorrect", b"Request too big", b"Requested HTTP version",
       b"Please ask the developer", b"libmicrohttpd", b"MHD"]

def one(i):
    name, data = probes[i]
    src = "127.0.%d.%d" % (10 + i // 250, 1 + i % 250)
    s = socket.socket()
    s.settimeout(8)
    s.bind((src, 0))
    s.connect(("127.0.0.1", port))
    sport = s.getsockname()[1]
    got = b""
    try:
        if data:
            s.sendall(data)
        else:
            time.sleep(0.2)
        s.shutdown(socket.SHUT_WR)  # nothing more comes, as nmap waits for an answer
        while True:
            b = s.recv(65536)
            if not b:
                break
            got += b
    except (socket.timeout, ConnectionResetError):
        pass
    s.close()
    return name, src, sport, data, got

fails = 0
with concurrent.futures.ThreadPoolExecutor(24) as ex, open(out, "w") as rows:
    for name, src, sport, data, got in ex.map(one, range(len(probes))):
        why = []
        if any(t in got for t in bad):
            why.append("libmicrohttpd text")
        if got and kind == "http":
            head = got.split(b"\r\n\r\n", 1)[0].split(b"\r\n")
            if not head[0].startswith(version.encode() + b" "):
                why.append("status line %r" % head[0][:40])
            for h in head[1:]:
                n = h.split(b":", 1)[0].decode("latin1").lower()
                if n not in allowed:
                    why.append("header %r" % n)
        if got and kind == "rtsp" and not got.startswith(b"RTSP/1.0 "):
            why.append("not RTSP/1.0: %r" % got[:20])
        if why:
            fails += 1
            print("FAIL %s: %s" % (name, "; ".join(why)))
        rows.write("%s|%s|%d|%d\n" % (name, src, sport, 1 if data else 0))
print("%d probes, %d with a bad answer" % (len(probes), fails))
sys.exit(1 if fails else 0)
PY

# run_probes PERSONA KIND PORT VERSION HEADERS
run_probes() {
	local persona="$1" kind="$2" port="$3" version="$4" headers="$5" rc
	python3 "$PROBES_PY" "$PROBES" "$port" "$kind" "$version" "$headers" "$TMP/sent-$persona-$kind" \
		>"$TMP/probes-$persona-$kind.out" 2>&1
	rc=$?
	grep -v '^ok' "$TMP/probes-$persona-$kind.out" | sed "s/^/probes: $persona $kind: /"
	check "$persona ($kind): no libmicrohttpd text and only the persona's own headers in any answer" [ "$rc" = 0 ]
}

# every_probe_recorded PERSONA KIND ROUTE_CLAUSE: each probe with bytes is a
# row from its own address and port.
every_probe_recorded() {
	local persona="$1" kind="$2" clause="$3" missing=0 silent=0 name src sport has
	sql "SELECT src_ip || '|' || src_port FROM requests WHERE $clause" | sort -u >"$TMP/rows"
	while IFS='|' read -r name src sport has; do
		if [ "$has" = 0 ]; then
			silent=$((silent + 1))
		elif ! grep -qx "$src|$sport" "$TMP/rows"; then
			missing=$((missing + 1))
			echo "probes: $persona $kind: $name from $src:$sport left no row"
		fi
	done <"$TMP/sent-$persona-$kind"
	check "$persona ($kind): every probe that sent bytes is a row ($missing missing)" [ "$missing" = 0 ]
	echo "probes: $persona $kind: $(wc -l <"$TMP/sent-$persona-$kind") probes, $silent silent"
}

# probe_persona PERSONA VERSION HEADERS: one decoy, all its probes; run in a
# subshell of its own (its own TMP, so the four run at once), its counts
# left in $TMP/count-PERSONA for the main shell.
probe_persona() {
	local persona="$1" version="$2" headers="$3" rport="" top="$TMP"
	local extra=()
	TMP="$top/$persona"
	mkdir -p "$TMP"
	[ "$(id -u)" = 0 ] && chmod 755 "$TMP"
	if [ "$persona" = axis ] || [ "$persona" = hikvision ]; then
		rport="$(free_port)"
		extra=(--rtsp "127.0.0.1:$rport")
	fi
	if start_decoy --persona "$persona" --event-rate 0 --request-timeout 4 "${extra[@]}"; then
		run_probes "$persona" http "$PORT" "$version" "$headers"
		[ -n "$rport" ] && run_probes "$persona" rtsp "$rport" RTSP/1.0 ""
		stop_decoy
		every_probe_recorded "$persona" http "route <> 'rtsp'"
		[ -n "$rport" ] && every_probe_recorded "$persona" rtsp "route = 'rtsp'"
		check "$persona: silent connections are counted as such" \
			[ "$(sql "SELECT value FROM counters WHERE name = 'connections_without_request'")" -ge 1 ]
	else
		bad "$persona starts"
	fi
	echo "$PASSED $FAILED" >"$top/count-$persona"
}

HDR_COMMON="Date,Content-Type,Content-Length,WWW-Authenticate,Location"
for spec in "axis HTTP/1.0 $HDR_COMMON,Cache-Control,Pragma,Expires" \
	"panasonic HTTP/1.0 Content-type,Content-Length,WWW-Authenticate,Location,Cache-Control,Pragma" \
	"hikvision HTTP/1.0 $HDR_COMMON,Server,Connection" \
	"netwave HTTP/1.1 $HDR_COMMON,Server,Connection,Accept-Ranges"; do
	read -r persona version headers <<<"$spec"
	(PASSED=0 FAILED=0 DECOY_PID="" && probe_persona "$persona" "$version" "$headers") &
done
wait
for persona in axis panasonic hikvision netwave; do
	if read -r p f <"$TMP/count-$persona"; then
		PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
	else
		bad "$persona's probes finished"
	fi
done
finish
