#!/usr/bin/env bash
# t_diskfull: the database cannot grow, two ways. (1) db-max-mb approached:
# past 80% of it requests are counted instead of written (so commits do not
# fail and room is kept for logins), the decoy keeps streaming, the database
# stays intact and under the cap. (2) A full filesystem (a 6 MB tmpfs in a mount namespace of this
# test's own): the same, and once space is freed the queued events are
# written and the failures show in the counters.
if [ -z "${CAMDECOY_IN_NS:-}" ] && unshare -Urm true 2>/dev/null; then
	exec unshare -Urm env CAMDECOY_IN_NS=1 bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
# In the test's user namespace only root is mapped: no user to switch to.
[ -n "${CAMDECOY_IN_NS:-}" ] && AS_USER=(--allow-root)
STREAM=/axis-cgi/mjpg/video.cgi

ua="$(head -c 400 /dev/zero | tr '\0' u)"
# burst N TAG: N requests with a 400-byte User-Agent, keep-alive.
burst() {
	local urls=()
	for i in $(seq 1 "$1"); do urls+=("$BASE/$2/$i"); done
	curl -s -A "$ua" "${urls[@]}" >/dev/null
}

# (1) The size cap.
start_decoy --db-max-mb 1 --event-rate 0 || { finish; exit 1; }
for _ in $(seq 1 8); do burst 500 cap; done
check "streaming goes on at the cap" [ "$(stream_frames "$BASE$STREAM" 2)" -ge 10 ]
check "the decoy still answers" curl -s -f -o /dev/null "$BASE/"
stop_decoy
check "requests past 80% of the cap were counted, not written" \
	[ "$(sql "SELECT value > 0 FROM counters WHERE name = 'rows_squeezed'")" = 1 ]
check "nothing was dropped at the cap" [ "$(sql "SELECT value FROM counters WHERE name = 'events_dropped'")" = 0 ]
check "the capped database is intact" [ "$(sql "PRAGMA integrity_check")" = ok ]
check "the capped database stayed near 1 MiB ($(stat -c %s "$DB") bytes)" [ "$(stat -c %s "$DB")" -le 1200000 ]

# (2) A full filesystem.
if [ -z "${CAMDECOY_IN_NS:-}" ]; then
	echo "SKIP: no user and mount namespace here; the full-filesystem half did not run"
	finish
	exit
fi
mkdir -p "$TMP/small"
mount -t tmpfs -o size=6m tmpfs "$TMP/small"
DIR="$TMP/small"
PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
DB="$DIR/full.db"
"$BIN" --listen "127.0.0.1:$PORT" --db "$DB" --event-log "$DIR/events.jsonl" --event-rate 0 --sensor-id test-sensor \
	"${AS_USER[@]}" >"$TMP/decoy.log" 2>&1 &
DECOY_PID=$!
wait_http "$BASE/"
burst 200 before
wait_sql "SELECT COUNT(*) FROM requests WHERE path LIKE '/before/%'" 200
# Fill what is left.
dd if=/dev/zero of="$DIR/filler" bs=64k 2>/dev/null
for _ in $(seq 1 10); do burst 500 full; done
sleep 1
during="$(sql "SELECT COUNT(*) FROM requests WHERE path LIKE '/full/%'")"
check "streaming goes on with the disk full" [ "$(stream_frames "$BASE$STREAM" 2)" -ge 10 ]
check "the decoy answers with the disk full" curl -s -f -o /dev/null "$BASE/"
check "not everything fitted ($during of 5000 written while full)" [ "$during" -lt 5000 ]
rm -f "$DIR/filler"
check "writing resumes once space is freed" wait_sql "SELECT COUNT(*) FROM requests WHERE path LIKE '/full/%'" 5000
check "the failures are in the counters" wait_sql "SELECT value > 0 FROM counters WHERE name = 'write_failures'" 1
check "no event was dropped (the queue held them)" [ "$(sql "SELECT value FROM counters WHERE name = 'events_dropped'")" = 0 ]
stop_decoy
check "the database is intact" [ "$(sql "PRAGMA integrity_check")" = ok ]
umount "$DIR"
finish
