#!/usr/bin/env bash
# t_config: bad configuration names the key and exits 2; --check-config; --help.
. "$(dirname "$0")/lib.sh"

# expect_bad KEYWORD ARGS...: camdecoy ARGS exits 2 and its message names KEYWORD.
expect_bad() {
	local key="$1" rc; shift
	"$BIN" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	check "exit 2 for $* (got $rc)" [ "$rc" -eq 2 ]
	check "message names '$key' for $*" grep -q -- "$key" "$TMP/err"
}

expect_bad fps --fps 0
expect_bad fps --fps=abc
expect_bad quality --quality 101
expect_bad size --size 641x480
expect_bad listen --listen example.com:80
expect_bad persona --persona sony
expect_bad camera-name --camera-name "$(printf 'a\033[31mb')"
expect_bad "unknown" --frobnicate 1
expect_bad "/nonexistent/clip.mp4" --video /nonexistent/clip.mp4
printf 'not a video at all\n' >"$TMP/junk.mp4"
expect_bad "junk.mp4" --video "$TMP/junk.mp4"
expect_bad "font" --font /nonexistent.ttf
expect_bad scene --scene garage
expect_bad day-night --day-night dusk
expect_bad timezone --timezone Mars/Olympus_Mons
expect_bad timezone --timezone Asia                    # a directory, not a zone
expect_bad timezone --timezone ../../../etc/passwd
expect_bad video-fallback --video-fallback 0
expect_bad video "--video" "rtsp://a b/"               # a camera URL with a space

printf '# decoy\nfps = 12\nqualty = 50\n' >"$TMP/bad.conf"
expect_bad "qualty" --config "$TMP/bad.conf"
expect_bad ":3:" --config "$TMP/bad.conf"
expect_bad "cannot open" --config "$TMP/missing.conf"

printf 'persona = hikvision\nfps = 5\ncamera-name = "Lobby East"\n' >"$TMP/good.conf"
out="$("$BIN" --config "$TMP/good.conf" --check-config 2>&1)"
check "check-config prints configuration OK (got: $out)" [ "$out" = "configuration OK" ]

# The example file documents every key and is itself valid.
example="$(dirname "$0")/../../camdecoy.conf.example"
out="$("$BIN" --config "$example" --check-config 2>&1)"
check "camdecoy.conf.example is valid (got: $out)" [ "$out" = "configuration OK" ]
for key in $("$BIN" --help | awk '/^  --/{sub("--","",$1); print $1}'); do
	check "camdecoy.conf.example documents $key" grep -q "^#* *$key *=" "$example"
done

# Settings from the file reach the server.
start_decoy --config "$TMP/good.conf"
curl -s -D "$TMP/h" -o /dev/null "$BASE/"
check "config file persona is served" [ "$(header "$TMP/h" Server)" = "App-webs/" ]
stop_decoy

# A port already in use is a clear start-up error, not a crash.
python3 -c 'import socket,time; s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(); print(s.getsockname()[1], flush=True); time.sleep(15)' >"$TMP/port" &
holder=$!
for _ in $(seq 1 100); do [ -s "$TMP/port" ] && break; sleep 0.1; done
"$BIN" --listen "127.0.0.1:$(cat "$TMP/port")" --db "$TMP/busy.db" "${AS_USER[@]}" >"$TMP/out" 2>"$TMP/err"
rc=$?
kill "$holder" 2>/dev/null
check "busy port fails with status 1 (got $rc)" [ "$rc" -eq 1 ]
check "busy port error names the address" grep -q "cannot listen on 127.0.0.1" "$TMP/err"
finish
