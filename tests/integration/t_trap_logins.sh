#!/usr/bin/env bash
# t_trap_logins: a credential read from a viewer's frame, used on every login
# channel (form, Basic, Digest, Telnet), names that viewer's view exactly; a
# wrong password matches nothing; a login from another address is flagged as
# shared; the webhook receives one JSON POST per credential use.
. "$(dirname "$0")/lib.sh"

TELNET_PORT="$(free_port)"
start_hook
hook=$HOOK_PID

start_decoy --persona hikvision --telnet "127.0.0.1:$TELNET_PORT" \
	--webhook "http://127.0.0.1:$HOOK_PORT/hook" || { kill "$hook"; finish; exit 1; }
# A viewer reads its credential from the picture (a fresh viewer, and so a
# fresh credential, if OCR and the database disagree: the scenario tests the
# login channels, t_trap_viewers tests legibility).
for attempt in 1 2 3; do
	stream_frame "$BASE/ISAPI/Streaming/channels/102/httpPreview" "$TMP/v.jpg" -A "watcher-$attempt"
	cred="$(ocr_note "$TMP/v.jpg")"
	wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'watcher-$attempt'" 1
	stored="$(sql "SELECT trap_username || ' / ' || trap_password FROM views WHERE user_agent = 'watcher-$attempt'")"
	view="$(sql "SELECT id FROM views WHERE user_agent = 'watcher-$attempt'")"
	[ "$cred" = "$stored" ] && break
	echo "logins: attempt $attempt read '$cred', stored '$stored'" >&2
done
user="${cred%% / *}"
pass="${cred##* / }"
echo "logins: viewer $view read '$user' / '$pass'"
check "a credential was read from the picture" [ -n "$user" -a -n "$pass" -a "$user" != "$cred" ]

curl -s -o /dev/null -d "username=$user&password=$pass" "$BASE/doc/page/login.asp"
curl -s -o /dev/null -u "$user:$pass" "$BASE/ISAPI/Security/userCheck"
curl -s -o /dev/null --digest -u "$user:$pass" "$BASE/ISAPI/System/deviceInfo"
python3 - "$TELNET_PORT" "$user" "$pass" <<'PY'
import sys
from camclient import connect, read_until
s = connect(sys.argv[1], timeout=10)
def until(tok):
    return read_until(s, tok)
until(b"login: ")
s.sendall(b"\xff\xfd\x1f" + sys.argv[2].encode() + b"\r\n")  # with a DO NAWS in front
until(b"Password: ")
s.sendall(sys.argv[3].encode() + b"\r\n")
assert b"Login incorrect" in until(b"login: ")
PY
check "telnet answers 'Login incorrect'" [ $? -eq 0 ]
curl -s -o /dev/null -u "someone:wrong-$pass" "$BASE/ISAPI/Security/userCheck"
curl -s -o /dev/null -u "$user:also-wrong" "$BASE/ISAPI/Security/userCheck"
curl -s -o /dev/null --interface 127.0.0.2 -u "$user:$pass" "$BASE/ISAPI/Security/userCheck"
wait_sql "SELECT COUNT(*) FROM logins" 7 || echo "logins: $(sql "SELECT COUNT(*) FROM logins") rows" >&2
five_posts() { [ "$(grep -c '"event":"credential.use"' "$TMP/hook.jsonl" 2>/dev/null)" = 5 ]; }
wait_for 10 five_posts # the webhook thread posts on its own time
for ch in form basic digest telnet; do
	row="$(sql "SELECT matched_view || '|' || match_kind FROM logins WHERE channel = '$ch' AND src_ip = '127.0.0.1' AND password = '$pass' LIMIT 1")"
	check "$ch login names view $view exactly ($row)" [ "$row" = "$view|exact" ]
done
# the peer's identity travels from accept (web and Telnet alike) through the matcher to the row;
# the test databases map 127.0.0.0/24 to NL and AS64496
who="$(sql "SELECT COUNT(DISTINCT channel) FROM logins WHERE password = '$pass' AND country = 'NL' AND asn = 64496 AND as_org = 'Loopback Test AS' AND src_port > 0")"
check "every channel's login carries its peer's country, AS and port ($who of 4)" [ "$who" = 4 ]
check "a wrong credential matches nothing" \
	[ "$(sql "SELECT match_kind || '|' || IFNULL(matched_view, 'null') FROM logins WHERE password = 'wrong-$pass'")" = "none|null" ]
kind="$(sql "SELECT match_kind FROM logins WHERE password = 'also-wrong'")"
check "the right username with a wrong password is never exact ($kind)" \
	bash -c "[ '$kind' = none ] || [ '$kind' = username-only ]"
check "a login from another address is flagged as shared" \
	[ "$(sql "SELECT moved_ip || '|' || matched_view FROM logins WHERE src_ip = '127.0.0.2'")" = "1|$view" ]
check "lag from first display is recorded" \
	[ "$(sql "SELECT COUNT(*) FROM logins WHERE matched_view = $view AND match_kind = 'exact' AND lag_ms > 0")" = 5 ]
hooks="$(grep -c '"event":"credential.use"' "$TMP/hook.jsonl" 2>/dev/null)"
check "one webhook POST per credential use ($hooks of 5)" [ "${hooks:-0}" = 5 ]
check "webhook bodies name the view" \
	python3 -c 'import json,sys; assert all(json.loads(l)["matched_view"] == int(sys.argv[2]) for l in open(sys.argv[1]))' "$TMP/hook.jsonl" "$view"
stop_decoy

# With the receiver down the decoy keeps serving and counts the failure.
kill "$hook"
wait "$hook" 2>/dev/null
start_decoy --persona hikvision --webhook "http://127.0.0.1:$HOOK_PORT/hook" --trap-mode static \
	--trap-user admin --trap-password 'Lobby#2024' || { finish; exit 1; }
curl -s -o /dev/null -u 'admin:Lobby#2024' "$BASE/ISAPI/Security/userCheck"
wait_sql "SELECT COUNT(*) FROM logins" 1
check "the decoy still serves with the receiver down" curl -s -f -o /dev/null "$BASE/ISAPI/Streaming/channels/101/picture"
check "static credential matched" [ "$(sql "SELECT match_kind FROM logins")" = static ]
stop_decoy
check "the failed webhook attempt is counted" grep -q "webhook: 0 sent, [1-9][0-9]* failed attempts" "$TMP/decoy.log"
finish
