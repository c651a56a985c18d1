#!/usr/bin/env bash
# t_credentials: CRED_VIEWS (20,000; 200,000 in make test-long) poll views, each from a User-Agent of
# its own, each shown a per-viewer credential: none is shown to two views.
# With all of them in the database a Digest login with one is answered and
# linked to its view; a stream goes on to its end while 8 clients send Digest
# logins, each answered one a row (the login's time and the stream's rate are
# printed, not asserted: they follow the machine's load). After kill -9 and a
# restart new credentials skip past everything reserved: still none repeats.
. "$(dirname "$0")/lib.sh"
VIEWS="${CRED_VIEWS:-20000}"
TOOLS="$(dirname "$BIN")/tests"
CAPS=(--event-rate 0 --per-ip-connections 1000 --per-net-connections 10000 --max-connections 2000)

# 320x240 keeps the note's band encode (one per new view) cheap.
start_decoy --persona axis --size 320x240 --fps 10 "${CAPS[@]}" || { finish; exit 1; }
db="$DB"
"$TOOLS/pollers" "$PORT" /jpg/image.jpg "$VIEWS" 64 >"$TMP/pollers" 2>&1
echo "credentials: $(cat "$TMP/pollers")"
check "every snapshot answered" grep -q "answered=$VIEWS failed=0" "$TMP/pollers"
creds_stored() { [ "$(sql "SELECT COUNT(*) FROM credentials")" -ge "$VIEWS" ]; }
wait_for 30 creds_stored
read -r views distinct shared creds <<<"$(sql "SELECT COUNT(*), COUNT(DISTINCT trap_password),
	(SELECT COUNT(*) FROM (SELECT 1 FROM views WHERE trap_password IS NOT NULL GROUP BY trap_password HAVING COUNT(*) > 1)),
	(SELECT COUNT(*) FROM credentials) FROM views WHERE user_agent LIKE 'poller-%'" | tr '|' ' ')"
echo "credentials: $views poll views, $distinct distinct passwords, $shared shown to two views, $creds stored"
# Where missing rows went (the queue's bound drops and counts).
echo "credentials: counters $(sql "SELECT group_concat(name || '=' || value, ' ') FROM counters
	WHERE name IN ('events_dropped', 'credentials_issued', 'credentials_unavailable', 'aggregated', 'rows_squeezed')")"
check "$VIEWS poll views, each with a credential" [ "$views" = "$VIEWS" -a "$distinct" = "$VIEWS" ]
check "no password shown to two views" [ "$shared" = 0 ]
check "each credential stored once" [ "$creds" = "$VIEWS" ]

# A Digest login with one of them (a viewer in the middle of the run).
IFS='|' read -r vid user pass <<<"$(sql "SELECT id, trap_username, trap_password FROM views
	WHERE user_agent = 'poller-$((VIEWS / 2))'")"
# The challenge first, then the login itself timed (the median of 5).
cat >"$TMP/digest.py" <<'PY'
import sys, time
import camclient
port, user, pw = sys.argv[1], sys.argv[2], sys.argv[3]
uri = "/axis-cgi/admin/param.cgi"
took, answers = [], []
for i in range(5):
    realm, nonce = camclient.digest_challenge(camclient.get(port, uri, ["User-Agent: digest-client"]))
    auth = camclient.digest_authorization(user, pw, realm, nonce, uri, "c%d" % i)
    t0 = time.monotonic()
    answers.append(camclient.first_line(camclient.get(port, uri, ["User-Agent: digest-client", auth]).encode("latin-1")))
    took.append(time.monotonic() - t0)
print("%.6f %d" % (sorted(took)[2], sum(a.startswith("HTTP/1.") for a in answers)))
PY
read -r took answered <<<"$(python3 "$TMP/digest.py" "$PORT" "$user" "$pass")"
echo "credentials: Digest login with view $vid's credential: $answered of 5 answered, $took s end to end (median)"
# How long a login takes is a figure for the log (the machine's load moves
# it); the behaviour is that each is answered and linked to its view.
check "5 Digest logins with the view's credential answered ($answered; median $took s)" [ "$answered" = 5 ]
check "and each linked to its view" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'digest' AND match_kind = 'exact' AND matched_view = $vid" 5
check "the matched password is stored ($pass)" \
	[ "$(sql "SELECT DISTINCT password FROM logins WHERE channel = 'digest' AND matched_view = $vid")" = "$pass" ]

# A stream viewer while 8 clients send Digest logins for usernames with
# candidates (the most work a login can ask for) and wrong passwords: the
# stream goes on to its end, and every login answered is a row (the stream's
# rate and the logins' count under this load are figures for the log).
mapfile -t users < <(sql "SELECT username FROM credentials GROUP BY username ORDER BY COUNT(*) DESC LIMIT 8")
"$TOOLS/bench/loadclient" 127.0.0.1 "$PORT" /mjpg/video.mjpg 1 10 >"$TMP/viewer" 2>&1 &
viewer=$!
end=$(($(date +%s) + 10))
loops=()
k=0
for u in "${users[@]}"; do
	(while [ "$(date +%s)" -lt "$end" ]; do
		curl -s -o /dev/null -w '%{http_code}\n' --max-time 2 --digest -u "$u:Wrong2345" "$BASE/axis-cgi/admin/param.cgi"
	done >"$TMP/answers.$k") &
	loops+=($!)
	k=$((k + 1))
done
wait "$viewer" "${loops[@]}"
fps=$(sed -n 's/.* fps_mean=\([0-9.]*\).*/\1/p' "$TMP/viewer")
frames=$(sed -n 's/.* frames=\([0-9]*\).*/\1/p' "$TMP/viewer")
sent=$(cat "$TMP"/answers.* | wc -l)
answered=$(cat "$TMP"/answers.* | grep -cv '^000$')
digest_rows() { sql "SELECT COUNT(*) FROM logins WHERE password IS NULL AND channel = 'digest'"; }
answers_recorded() { [ "$(digest_rows)" -ge "$answered" ]; }
# rows appear a moment after the answers (the matcher, then the writer's batch)
wait_for 30 answers_recorded
attempts=$(digest_rows)
echo "credentials: stream at $fps fps ($frames frames) while $attempts Digest logins ($answered answered of $sent sent) were matched against $VIEWS credentials"
check "the stream went on to its end while logins were matched ($(grep -o 'failed=[0-9]* dropped=[0-9]*' "$TMP/viewer"))" \
	grep -q "failed=0 dropped=0" "$TMP/viewer"
check "and delivered frames ($frames)" [ "${frames:-0}" -gt 0 ]
check "every Digest login answered is a row ($answered <= $attempts <= $sent)" \
	[ "$answered" -gt 0 -a "$attempts" -ge "$answered" -a "$attempts" -le "$sent" ]
check "none of them matched" [ "$(sql "SELECT COUNT(*) FROM logins WHERE channel = 'digest' AND match_kind != 'none'
	AND password IS NULL")" = 0 ]

# kill -9, restart on the same file: numbers go on past the reservation.
mark=$(sql "SELECT value FROM meta WHERE key = 'trap_seq_next'")
kill -KILL "$DECOY_PID"
wait "$DECOY_PID" 2>/dev/null
"$BIN" --listen "127.0.0.1:$PORT" --db "$db" --persona axis --size 320x240 "${CAPS[@]}" "${AS_USER[@]}" \
	>"$TMP/decoy2.log" 2>&1 &
DECOY_PID=$!
wait_http "$BASE/" || cat "$TMP/decoy2.log" >&2
for i in 1 2 3 4 5; do curl -s -o /dev/null -A "after-$i" "$BASE/jpg/image.jpg"; done
wait_sql "SELECT COUNT(*) FROM views WHERE user_agent LIKE 'after-%' AND trap_seq IS NOT NULL" 5
first=$(sql "SELECT MIN(trap_seq) FROM views WHERE user_agent LIKE 'after-%'")
echo "credentials: before kill -9 numbers were reserved below $mark; after the restart they start at $first"
check "after a crash, numbers start at the old reservation's end ($first >= $mark)" [ "$first" -ge "$mark" ]
check "still no password shown to two views" [ "$(sql "SELECT COUNT(*) FROM (SELECT 1 FROM views
	WHERE trap_password IS NOT NULL GROUP BY trap_password HAVING COUNT(*) > 1)")" = 0 ]
# A login with a credential shown before the crash still finds its view.
curl -s -o /dev/null -u "$user:$pass" "$BASE/axis-cgi/admin/param.cgi"
check "a pre-crash credential, used after the restart, is linked to its view" \
	wait_sql "SELECT COUNT(*) FROM logins WHERE channel = 'basic' AND match_kind = 'exact' AND matched_view = $vid" 1
stop_decoy
finish
