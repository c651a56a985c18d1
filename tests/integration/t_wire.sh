#!/usr/bin/env bash
# t_wire: every kind of answer of every persona (pages, HEAD, 400, 401, 404,
# 405, 413, 414, 431, 503, the snapshot, the stream's head and first part,
# the login page and its POST), byte for byte against its fixture in
# tests/integration/wire/PERSONA.txt: status line, header order and
# spelling, CR LF line ends, body lengths and digests; only a Date, a nonce
# and a JPEG's length are masked (wire.py). The fixtures were checked
# against the firmware facts (nmap's matchers, public captures: README, On
# the wire); a change to any byte fails here until the fixture is updated on
# purpose (UPDATE_WIRE=1) and reviewed in the diff. The 500 (out of memory)
# cannot be provoked from outside; it is the same template (test_assets).
. "$(dirname "$0")/lib.sh"
HERE="$(cd "$(dirname "$0")" && pwd)"

for persona in axis panasonic hikvision netwave; do
	start_decoy --persona "$persona" --streams-per-ip 1 || { finish; exit 1; }
	timeout 120 python3 "$HERE/wire.py" "$PORT" "$persona" >"$TMP/$persona.txt" 2>"$TMP/$persona.err"
	rc=$?
	check "wire.py ran against $persona" [ "$rc" = 0 ]
	[ "$rc" = 0 ] || cat "$TMP/$persona.err" >&2
	stop_decoy
	if [ "${UPDATE_WIRE:-0}" = 1 ]; then
		cp "$TMP/$persona.txt" "$HERE/wire/$persona.txt"
		echo "wire: wrote $HERE/wire/$persona.txt"
	fi
	if diff -u "$HERE/wire/$persona.txt" "$TMP/$persona.txt" >"$TMP/$persona.diff"; then
		ok
	else
		bad "$persona's answers differ from tests/integration/wire/$persona.txt"
		cat "$TMP/$persona.diff" >&2
	fi
	check "$persona: every head line ends in CR LF" bash -c "! grep -q '<LF without CR' '$TMP/$persona.txt'"
	check "$persona: no answer is missing" bash -c "! grep -q -e '(nothing)' -e '(head not ended)' '$TMP/$persona.txt'"
	echo "wire: $persona: $(grep -c '^== ' "$TMP/$persona.txt") answers"
done
finish
