#!/usr/bin/env bash
# t_digest_flood: the red-team scenario of a Digest flood on one trap username.
# DIGEST_VIEWS (20,000; `make test-long`: 210,000) poll views are shown a
# credential each; then 8 clients, each from a /24 of its own (127.30.k.0/24),
# send bogus Digest logins for one of those usernames for FLOOD_SECONDS (10;
# long run 30) while 8 genuine Digest logins with a correct response arrive
# from 8 other /24s. Every genuine login is stored as an exact match of its
# view: the flood delays only its own networks' attempts. Loopback only, bounded
# in count and time.
. "$(dirname "$0")/lib.sh"
VIEWS="${DIGEST_VIEWS:-20000}"
SECONDS_FLOOD="${FLOOD_SECONDS:-10}"
[ "$SECONDS_FLOOD" -le 120 ] || SECONDS_FLOOD=120
TOOLS="$(dirname "$BIN")/tests"
CAPS=(--event-rate 0 --per-ip-connections 1000 --per-net-connections 10000 --max-connections 2000)

start_decoy --persona axis --size 320x240 --fps 5 "${CAPS[@]}" || { finish; exit 1; }
"$TOOLS/pollers" "$PORT" /jpg/image.jpg "$VIEWS" 64 >"$TMP/pollers" 2>&1
check "every snapshot answered" grep -q "answered=$VIEWS failed=0" "$TMP/pollers"
creds_stored() { [ "$(sql "SELECT COUNT(*) FROM credentials")" -ge "$VIEWS" ]; }
wait_for 60 creds_stored
check "$VIEWS credentials stored" [ "$(sql "SELECT COUNT(*) FROM credentials")" -ge "$VIEWS" ]

# The flooded username: a viewer's in the middle of the run. The genuine
# logins: every credential shown with it (up to 8), then others.
target=$(sql "SELECT trap_username FROM views WHERE user_agent = 'poller-$((VIEWS / 2))'")
sql "SELECT view_id, username, password FROM credentials WHERE username = '$target' ORDER BY seq DESC LIMIT 8" \
	>"$TMP/genuine"
sql "SELECT view_id, username, password FROM credentials WHERE username != '$target' ORDER BY seq LIMIT 8" \
	| head -n $((8 - $(wc -l <"$TMP/genuine"))) >>"$TMP/genuine"
echo "digest flood: $VIEWS credentials, flooded username $target shown $(sql "SELECT COUNT(*) FROM credentials
	WHERE username = '$target'") times"

cat >"$TMP/digest.py" <<'PY'
# digest.py PORT MODE ...: flood SOURCE USER SECONDS (bogus logins from SOURCE
# until SECONDS have passed; prints the count) or login SOURCE USER PASS
# (one genuine login after a challenge).
import sys, time
import camclient
port, mode, src = int(sys.argv[1]), sys.argv[2], sys.argv[3]
uri = "/axis-cgi/admin/param.cgi"
def get(extra=()):
    return camclient.get(port, uri, ["User-Agent: digest-client"] + list(extra), src)
realm, nonce = camclient.digest_challenge(get())
if mode == "flood":
    user, end = sys.argv[4], time.monotonic() + float(sys.argv[5])
    n = 0
    while time.monotonic() < end:
        try:
            get([camclient.digest_authorization(user, "Wrong%d" % n, realm, nonce, uri, "f%d" % n)])
            n += 1
        except OSError:
            time.sleep(0.01)  # pacing: a refused connection is tried again, not in a busy loop
    print(n)
else:
    get([camclient.digest_authorization(sys.argv[4], sys.argv[5], realm, nonce, uri, "genuine")])
PY
# The flood, then (a third of the way in) the genuine logins, one per /24.
pids=()
for k in 0 1 2 3 4 5 6 7; do
	python3 "$TMP/digest.py" "$PORT" flood "127.30.$k.1" "$target" "$SECONDS_FLOOD" >"$TMP/flood.$k" 2>&1 &
	pids+=($!)
done
sleep $((SECONDS_FLOOD / 3))
k=0
while IFS='|' read -r vid user pass; do
	python3 "$TMP/digest.py" "$PORT" login "127.60.$k.1" "$user" "$pass" || bad "genuine login $k not answered"
	k=$((k + 1))
done <"$TMP/genuine"
wait "${pids[@]}"
sent=$(cat "$TMP"/flood.* | awk '{ s += $1 } END { print s + 0 }')
# Every attempt is a row (or counted, past a budget) once the matcher has
# been through them: wait for the flood's rows to stop growing.
last=-1
for _ in $(seq 1 600); do
	now=$(sql "SELECT COUNT(*) FROM logins WHERE src_ip LIKE '127.30.%'")
	[ "$now" = "$last" ] && break
	last=$now
	sleep 0.5
done
matched=0
while IFS='|' read -r vid user pass; do
	n=$(sql "SELECT COUNT(*) FROM logins WHERE src_ip LIKE '127.60.%' AND match_kind = 'exact'
		AND matched_view = $vid AND password = '$pass'")
	[ "$n" = 1 ] && matched=$((matched + 1))
done <"$TMP/genuine"
stop_decoy
read -r unchecked matched_all busy <<<"$(sql "SELECT
	(SELECT value FROM counters WHERE name = 'logins_unchecked'),
	(SELECT value FROM counters WHERE name = 'logins_matched'),
	(SELECT COALESCE((SELECT value FROM counters WHERE name = 'logins_match_us'), 0))" | tr '|' ' ')"
echo "digest flood: $sent bogus Digest logins from 8 /24s in $SECONDS_FLOOD s, $last recorded;" \
	"$matched of 8 genuine logins matched; logins_unchecked $unchecked, logins_matched $matched_all," \
	"matcher busy $busy us ($(awk -v b="$busy" -v m="$matched_all" 'BEGIN { printf "%.1f", b / (m > 1 ? m : 1) }') us per attempt)"
check "the flood was recorded ($last of $sent)" [ "$last" -gt 0 ]
check "8 of 8 genuine Digest logins matched their view ($matched)" [ "$matched" = 8 ]
check "none of the flood matched" [ "$(sql "SELECT COUNT(*) FROM logins WHERE src_ip LIKE '127.30.%'
	AND match_kind != 'none'")" = 0 ]
finish
