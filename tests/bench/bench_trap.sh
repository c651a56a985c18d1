#!/usr/bin/env bash
# bench_trap.sh BUILD_DIR [VIEWERS] [SECONDS]: server CPU of per-viewer
# credentials against static mode at VIEWERS x 10 fps, alternating A/B/A/B
# in one run; prints the ratio and the cost per viewer-frame.
set -euo pipefail
build="$1"
viewers="${2:-500}"
secs="${3:-10}"
bin="$build/camdecoy"
client="$build/tests/bench/loadclient"
tmp="$(mktemp -d /tmp/camdecoy-bench.XXXXXX)"
trap 'rm -rf "$tmp"' EXIT
hz=$(getconf CLK_TCK)
. "$(dirname "${BASH_SOURCE[0]}")/../tools/net.sh"
# As root the decoy switches to nobody after binding, as deployed.
as_user=()
[ "$(id -u)" = 0 ] && as_user=(--user nobody) && chmod 755 "$tmp"

# run MODE: prints "cpu_seconds frames"
run() {
	local mode="$1" port pid a b out
	port=$(free_port)
	"$bin" --listen "127.0.0.1:$port" --db "$tmp/$mode-$port.db" --geoip "" --fps 10 \
		--trap-mode "$mode" --per-ip-connections 10000 --per-net-connections 10000 --streams-per-ip 10000 \
		--max-connections 10000 "${as_user[@]}" >"$tmp/log" 2>&1 &
	pid=$!
	for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
	# warm-up second, then measure the server's CPU over the run
	"$client" 127.0.0.1 "$port" /mjpg/video.mjpg "$viewers" "$secs" 1000 >"$tmp/out" &
	local cpid=$!
	sleep 2
	a=$(awk '{print $14+$15}' /proc/$pid/stat)
	sleep $((secs - 3))
	b=$(awk '{print $14+$15}' /proc/$pid/stat)
	wait "$cpid"
	out=$(cat "$tmp/out")
	kill -TERM "$pid"
	wait "$pid" || true
	frames=$(echo "$out" | sed -E 's/.* fps_mean=([0-9.]+).*/\1/')
	echo "$(python3 -c "print(($b-$a)/$hz)") $(python3 -c "print($frames*$viewers*($secs-3))") $out"
}

declare -a st pv
for _ in 1 2; do
	st+=("$(run static)")
	pv+=("$(run per-viewer)")
done
python3 - "${st[@]}" "${pv[@]}" <<'PY'
import sys
rows = [r.split(" ", 2) for r in sys.argv[1:]]
half = len(rows) // 2
def agg(rs):
    cpu = sum(float(r[0]) for r in rs); frames = sum(float(r[1]) for r in rs)
    return cpu, frames
sc, sf = agg(rows[:half]); pc, pf = agg(rows[half:])
print("| mode | server CPU s | viewer-frames | us per viewer-frame |")
print("|---|---|---|---|")
print("| static | %.2f | %.0f | %.1f |" % (sc, sf, sc / sf * 1e6))
print("| per-viewer | %.2f | %.0f | %.1f |" % (pc, pf, pc / pf * 1e6))
print("per-viewer / static CPU per viewer-frame: %.2fx (target <= 1.3x)" % ((pc / pf) / (sc / sf)))
for r in rows:
    print("  run:", r[2])
PY
