# shellcheck shell=bash
# lib.sh: helpers shared by the integration scenarios (sourced, not run).
# Each scenario starts its own decoy on a free loopback port and stops it.

set -u
# Debian's python3 (the one `make deps-test` installs) before any version
# manager's shim: a shim costs a shell script per call, and the scenarios
# call python3 often (a free port, a client).
[ -x /usr/bin/python3 ] && PATH="/usr/bin:$PATH"
BIN="${1:?usage: $0 path/to/camdecoy}"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"
TMP="$(mktemp -d /tmp/camdecoy-it.XXXXXX)"
# As root (CI), every scenario runs the decoy the way a deployment should:
# it binds and opens its files, then switches to nobody.
AS_USER=()
if [ "$(id -u)" = 0 ]; then
	AS_USER=(--user nobody)
	chmod 755 "$TMP"
fi
REPORT="$(dirname "$BIN")/camdecoy-report"
PASSED=0
FAILED=0
DECOY_PID=""

cleanup() {
	stop_decoy
	rm -rf "$TMP"
}
trap cleanup EXIT

ok() { PASSED=$((PASSED + 1)); }
bad() { FAILED=$((FAILED + 1)); echo "FAIL: $*" >&2; }
# check DESCRIPTION COMMAND...: runs the command, counts the outcome.
check() {
	local what="$1"; shift
	if "$@"; then ok; else bad "$what"; fi
}

finish() {
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# under_asan: the decoy is the sanitizer build (RSS then includes ASan's
# quarantine and shadow memory, so memory bounds are checked in the plain build).
under_asan() {
	ldd "$BIN" 2>/dev/null | grep -q libasan
}

# free_port
. "$(dirname "${BASH_SOURCE[0]}")/../tools/net.sh"

# camclient CMD ARGS...: the scenarios' shared Python clients and checks
# (tests/tools/camclient.py, importable from a scenario's own Python too).
CAMCLIENT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../tools" && pwd)"
export PYTHONPATH="$CAMCLIENT_DIR${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONDONTWRITEBYTECODE=1 # no __pycache__ in the source tree
camclient() {
	python3 "$CAMCLIENT_DIR/camclient.py" "$@"
}

# start_decoy ARGS...: runs the decoy on 127.0.0.1:$PORT and waits until it answers
# (KEEP_DB=PATH: on that database, e.g. to restart on the same one).
start_decoy() {
	PORT="$(free_port)"
	BASE="http://127.0.0.1:$PORT"
	DB="${KEEP_DB:-$TMP/decoy-$PORT.db}" # a fresh database per start, or KEEP_DB's
	# Test defaults first: later flags (the scenario's) override them.
	"$BIN" --listen "127.0.0.1:$PORT" --db "$DB" --geoip "${CAMDECOY_TESTDATA:-.}/test-geoip2.mmdb" \
		--geoip-asn "${CAMDECOY_TESTDATA:-.}/test-asn.mmdb" \
		--sensor-id test-sensor --day-night day "${AS_USER[@]}" "$@" >"$TMP/decoy.log" 2>&1 &
	DECOY_PID=$!
	for _ in $(seq 1 100); do
		if curl -s -o /dev/null --max-time 1 "$BASE/"; then return 0; fi
		if ! kill -0 "$DECOY_PID" 2>/dev/null; then break; fi
		sleep 0.1
	done
	echo "decoy did not start:" >&2
	cat "$TMP/decoy.log" >&2
	return 1
}

# stop_decoy: SIGTERM, and insist that the daemon exits cleanly and promptly.
stop_decoy() {
	[ -n "$DECOY_PID" ] || return 0
	local pid="$DECOY_PID" rc
	DECOY_PID=""
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid"
		bad "decoy did not stop within 10 s of SIGTERM"
		return 1
	fi
	wait "$pid"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		bad "decoy exited with status $rc"
		cat "$TMP/decoy.log" >&2
	fi
	check_db "$DB"
}

# check_db FILE: every summary of the database equals what its rows say
# (camdecoy-report check); run after every decoy a scenario stops.
check_db() {
	[ -s "$1" ] || return 0
	if "$REPORT" --db "$1" check >"$TMP/check.out" 2>&1; then
		ok
	else
		bad "camdecoy-report check $1"
		cat "$TMP/check.out" >&2
	fi
}

# wait_http URL: until something answers there (at most 10 s).
wait_http() {
	for _ in $(seq 1 100); do
		curl -s -o /dev/null --max-time 1 "$1" && return 0
		sleep 0.1
	done
	return 1
}

# start_hook: a webhook receiver of the test's own on 127.0.0.1:$HOOK_PORT that
# appends each POST's body as a line to $TMP/hook.jsonl (its pid: HOOK_PID),
# waited for until it answers.
start_hook() {
	HOOK_PORT="$(free_port)"
	# python3 itself in the background (not the camclient function's
	# subshell), so that HOOK_PID is the receiver and kill stops it
	python3 "$CAMCLIENT_DIR/camclient.py" hook "$HOOK_PORT" "$TMP/hook.jsonl" &
	# shellcheck disable=SC2034 # the scenario stops it by this pid
	HOOK_PID=$!
	# the receiver answers POSTs only; any HTTP answer means it is up
	wait_http "http://127.0.0.1:$HOOK_PORT/"
}

# sql QUERY: one value (or rows, |-separated) from the decoy's database.
sql() {
	sqlite3 -batch -noheader "$DB" "$1"
}

# wait_for SECONDS COMMAND...: until the command succeeds (every 0.1 s, at
# most SECONDS); its status the last time.
wait_for() {
	local end=$((SECONDS + $1))
	shift
	until "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.1
	done
}

# wait_sql QUERY EXPECTED: until the query gives EXPECTED (at most 30 s: the
# writer commits in batches, so rows appear a moment after the request, and
# later on a machine busy with the sanitizer build); says what it got last.
wait_sql() {
	local got
	for _ in $(seq 1 300); do
		got="$(sql "$1")"
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	echo "wait_sql: wanted '$2', got '$got' for: $1" >&2
	return 1
}

# header FILE NAME: the value of a response header (first match, CR stripped).
header() {
	grep -i "^$2:" "$1" | head -n 1 | sed -e 's/^[^:]*:[ ]*//' -e 's/\r$//'
}

# status FILE: the status code of a dumped response.
status() {
	head -n 1 "$1" | awk '{print $2}'
}

# jpeg_size FILE: "WxH" of a JPEG according to ffprobe.
jpeg_size() {
	ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=s=x:p=0 "$1"
}

# stream_frames URL SECONDS: frames ffmpeg decodes from an MJPEG stream in SECONDS.
stream_frames() {
	timeout $(( $2 + 10 )) ffmpeg -nostdin -v error -use_wallclock_as_timestamps 1 -f mpjpeg \
		-i "$1" -t "$2" -f null - \
		-progress "$TMP/progress" >/dev/null 2>&1
	grep '^frame=' "$TMP/progress" | tail -n 1 | cut -d= -f2
}

# stream_frame URL OUT.jpg [CURL ARGS...]: the last complete JPEG a client
# received in 2 s of the stream.
stream_frame() {
	local url="$1" out="$2"; shift 2
	curl -s -o "$out.bin" --max-time 2 "$@" "$url"
	camclient lastjpeg "$out.bin" "$out"
}

# ocr_note JPEG: the credential line of the note ("user / pass"), read by
# tesseract from where every built-in scene has its sheet (the lower left,
# media/scenes/<scene>.py: x 28..412, y 372..436 of 640x480; on the whole
# picture its layout analysis loses the note among the room), inside the
# sheet's frame (whose edges tesseract reads as "|" or "F"), scaled 2x and
# grey. Tesseract misreads a note now and then, always the same way for
# the same note: a scenario that must read one draws a fresh viewer.
ocr_note() {
	ffmpeg -nostdin -v error -y -i "$1" -vf "crop=iw*9/16:ih*3/25:iw/16:ih*39/50,scale=iw*2:ih*2,format=gray" "$1.png" &&
		tesseract "$1.png" - --psm 6 2>/dev/null | grep -A1 "WEB LOGIN" | tail -n 1 | tr -d '\r'
}
