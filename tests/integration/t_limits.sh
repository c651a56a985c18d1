#!/usr/bin/env bash
# t_limits: connection caps per address and per /24 at accept, the request
# deadline against trickled headers, streams per address, the longest stream,
# the persona's 414 and 431, the detail budget (rows + aggregated = seen), and
# dropping root.
. "$(dirname "$0")/lib.sh"

start_decoy --per-ip-connections 3 --per-net-connections 5 --request-timeout 3 --streams-per-ip 2 \
	--max-stream-seconds 2 --event-rate 1 --event-burst 5 || { finish; exit 1; }

# hold.py PORT SRC N DEADLINE READY: opens N idle connections from SRC,
# touches READY once all are connected; prints how many the decoy kept (not
# closed at once), how many are left after DEADLINE s, and when.
cat >"$TMP/hold.py" <<'PY'
import socket, sys, time
from camclient import connect
port, src, n, wait = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
socks = [connect(port, src, 0.05) for _ in range(n)]
open(sys.argv[5], "w").close()
def alive():
    left = 0
    for s in socks:
        try:
            left += s.recv(1) != b""   # data would be a surprise; EOF means closed
        except socket.timeout:
            left += 1
        except OSError:
            pass
    return left
time.sleep(0.5)
first = alive()
t0 = time.time()
while time.time() - t0 < wait and alive() > 0:
    time.sleep(0.2)
print(first, alive(), round(time.time() - t0 + 0.5, 1))
PY
# the second address connects once the first's are all in the backlog (the
# decoy accepts in order: the first address fills its share first)
python3 "$TMP/hold.py" "$PORT" 127.0.0.1 5 8 "$TMP/h1.ready" >"$TMP/h1" &
h1=$!
wait_for 10 [ -e "$TMP/h1.ready" ]
python3 "$TMP/hold.py" "$PORT" 127.0.0.2 3 8 "$TMP/h2.ready" >"$TMP/h2" &
h2=$!
wait_for 10 [ -e "$TMP/h2.ready" ]
# another /24 is still served while both are held
check "a viewer from another /24 is served during the hold" \
	curl -s -f -o /dev/null --interface 127.0.1.1 --max-time 2 "$BASE/"
wait "$h1" "$h2"
read -r kept1 left1 took1 <"$TMP/h1"
read -r kept2 left2 _ <"$TMP/h2"
check "3 of 5 connections kept from one address (got $kept1)" [ "$kept1" = 3 ]
check "2 of 3 kept from a second address in the /24 (got $kept2)" [ "$kept2" = 2 ]
check "idle connections closed by the request deadline (left $left1 $left2 after $took1 s)" \
	[ "$left1$left2" = 00 ]
check "the deadline is 3 s plus at most the 1 s sweep (took $took1 s)" \
	camclient cmp 2.5 "<=" "$took1" "<=" 5.5

# Trickled headers outlive an idle timeout, not the request deadline.
python3 - "$PORT" >"$TMP/trickle" <<'PY'
import socket, sys, time
from camclient import connect
s = connect(sys.argv[1], timeout=None)
s.sendall(b"GET /trickle HTTP/1.1\r\nHost: x\r\n")
t0 = time.time()
try:
    while time.time() - t0 < 15:
        s.sendall(b"X-a: b\r\n")
        s.settimeout(0.5)
        try:
            if s.recv(1) == b"":
                break
        except socket.timeout:
            pass
except OSError:
    pass
print(round(time.time() - t0, 1))
PY
check "a socket trickling headers is cut within 5 s (took $(cat "$TMP/trickle") s)" \
	camclient cmp "$(cat "$TMP/trickle")" "<=" 5.5

# Streams per address: the third concurrent one gets the persona's 503.
pids=()
for i in 1 2; do curl -s -o "$TMP/stream$i" --max-time 4 "$BASE/axis-cgi/mjpg/video.cgi" & pids+=($!); done
# both are streaming (their first bytes arrived) before the third asks
wait_for 10 [ -s "$TMP/stream1" -a -s "$TMP/stream2" ]
curl -s -D "$TMP/h503" -o "$TMP/b503" --max-time 2 "$BASE/axis-cgi/mjpg/video.cgi"
check "third stream from one address refused with 503 (got $(status "$TMP/h503"))" [ "$(status "$TMP/h503")" = 503 ]
check "the 503 is the persona's page" grep -q "503 Service Unavailable" "$TMP/b503"
check "the 503 is not libmicrohttpd's (no Content-Length 0 or MHD text)" [ -s "$TMP/b503" ]
curl -s -o /dev/null --interface 127.0.0.3 --max-time 2 -w '%{http_code}' "$BASE/axis-cgi/mjpg/video.cgi" >"$TMP/other" || true
check "another address may still stream" [ "$(cat "$TMP/other")" = 200 ]
wait "${pids[@]}"
# The longest stream: it ends by itself after 2 s.
start=$(date +%s%N)
curl -s -o "$TMP/long.bin" --max-time 8 "$BASE/axis-cgi/mjpg/video.cgi"
took=$(( ($(date +%s%N) - start) / 1000000 ))
check "a stream ends at max-stream-seconds (took $took ms)" [ "$took" -ge 1800 -a "$took" -lt 5000 ]
check "its view ends with reason 'limit'" wait_sql "SELECT COUNT(*) >= 1 FROM views WHERE end_reason = 'limit'" 1

# 414 and 431 from the persona below libmicrohttpd's own limits.
long="$(head -c 9000 /dev/zero | tr '\0' a)"
curl -s -D "$TMP/h414" -o "$TMP/b414" --interface 127.0.0.4 "$BASE/$long"
check "a 9 KB target gets 414 (got $(status "$TMP/h414"))" [ "$(status "$TMP/h414")" = 414 ]
check "the 414 is the persona's page" grep -q "414 Request-URI Too Long" "$TMP/b414"
curl -s -D "$TMP/h431" -o "$TMP/b431" --interface 127.0.0.4 -H "X-Big: $long" "$BASE/"
check "9 KB of headers gets 431 (got $(status "$TMP/h431"))" [ "$(status "$TMP/h431")" = 431 ]
check "the 431 is the persona's page" grep -q "431 Request Header Fields Too Large" "$TMP/b431"

# The detail budget: 1/s with bursts of 5 from a fresh /24; every request is
# either a row or counted in aggregated.
urls=()
for i in $(seq 1 60); do urls+=("$BASE/budget$i"); done
curl -s --interface 127.0.2.1 "${urls[@]}" >/dev/null
stop_decoy
seen="$(sql "SELECT value FROM counters WHERE name = 'requests_seen'")"
rows="$(sql "SELECT COUNT(*) FROM requests")"
agg="$(sql "SELECT COALESCE(SUM(count), 0) FROM aggregated WHERE kind = 'request'")"
check "rows + aggregated = requests seen ($rows + $agg = $seen)" [ $((rows + agg)) = "$seen" ]
budget_rows="$(sql "SELECT COUNT(*) FROM requests WHERE path LIKE '/budget%'")"
budget_agg="$(sql "SELECT count FROM aggregated WHERE network = '127.0.2.0/24'")"
check "60 budgeted requests: $budget_rows rows + $budget_agg counted" [ $((budget_rows + budget_agg)) = 60 ]
check "at most burst + a few in detail ($budget_rows)" [ "$budget_rows" -ge 5 -a "$budget_rows" -le 10 ]
check "refusals counted per cause" \
	[ "$(sql "SELECT group_concat(value) FROM counters WHERE name IN ('connections_refused_ip', 'connections_refused_net') ORDER BY name")" = "2,1" ]
check "deadline closures counted" [ "$(sql "SELECT value >= 6 FROM counters WHERE name = 'connections_request_timeout'")" = 1 ]
check "stream refusals counted" [ "$(sql "SELECT value FROM counters WHERE name = 'streams_refused'")" = 1 ]

# Root: refused without --user; with it, every id is the user's.
if [ "$(id -u)" = 0 ]; then
	"$BIN" --listen "127.0.0.1:$(free_port)" --db "$TMP/root.db" >"$TMP/root.out" 2>&1
	check "as root without --user: exit 2" [ $? = 2 ]
	check "the refusal says why" grep -q "refusing to run as root" "$TMP/root.out"
	check "nothing was created as root" [ ! -e "$TMP/root.db" ]
	"$BIN" --listen "127.0.0.1:$(free_port)" --db "$TMP/nouser.db" --user no-such-user-x >"$TMP/nouser.out" 2>&1
	check "an unknown --user fails" [ $? != 0 ]
	check "and names it" grep -q "no such user \"no-such-user-x\"" "$TMP/nouser.out"
	start_decoy
	check "switched to nobody: real, effective and saved ids" \
		[ "$(awk '/^Uid:/{print $2,$3,$4,$5}' "/proc/$DECOY_PID/status")" = "65534 65534 65534 65534" ]
	check "no supplementary groups left" [ -z "$(awk '/^Groups:/{print $2}' "/proc/$DECOY_PID/status")" ]
	curl -s -o /dev/null "$BASE/after-drop"
	check "records after the switch" wait_sql "SELECT COUNT(*) FROM requests WHERE path = '/after-drop'" 1
	stop_decoy
fi
finish
