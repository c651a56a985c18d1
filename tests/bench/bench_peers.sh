#!/usr/bin/env bash
# bench_peers.sh BUILD_DIR OUT.md: camdecoy against the peers a user would
# otherwise run, on loopback, in one run (targets P1-P7 of the benchmark
# issue; P8 is bench_trap.sh). Runs alternate A/B/A/B; every figure is a
# ratio to a peer measured in the same run or a bound on camdecoy alone.
#   P1 CPU per delivered frame, 500 viewers x 15 fps, against motion
#   P2 the same at 5000 viewers x 1 fps, against ustreamer (its blank image)
#   P3 capacity: 2000 x 10 fps (p5 fps, server CPU), 5000 x 1 fps (failures)
#   P4 RSS per streaming viewer, and across connect/disconnect rounds
#   P5 time to first frame for a burst of 500 new viewers
#   P6 snapshots with full logging against nginx serving the same JPEG (wrk)
#   P7 idle CPU and frames encoded with no viewer
# The server runs on core 0, the clients on core 1.
set -euo pipefail
build="$(cd "$1" && pwd)"
out="$2"
bin="$build/camdecoy"
client="$build/tests/bench/loadclient"
tmp="$(mktemp -d /tmp/camdecoy-peers.XXXXXX)"
hz=$(getconf CLK_TCK)
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
as_user=()
[ "$(id -u)" = 0 ] && as_user=(--user nobody) && chmod 755 "$tmp"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

. "$(dirname "${BASH_SOURCE[0]}")/../tools/net.sh"
port() { free_port; }
# cpu PID...: user+system seconds of the processes (and their threads)
cpu() {
	local t=0
	for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done
	python3 -c "print($t / $hz)"
}
rss() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
wait_up() { for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "$1" && return 0; sleep 0.1; done; return 1; }
field() { sed -n "s/.*\b$1=\([0-9.-]*\).*/\1/p" <<<"$2"; }
calc() { python3 -c "print($*)"; }

# The same picture for everyone: a 640x480, 15 fps clip (motion and camdecoy
# stream it) and one 640x480 JPEG of it at quality 80 (ustreamer's blank
# image, nginx's file).
ffmpeg -nostdin -v error -f lavfi -i "testsrc2=size=640x480:rate=15" -t 20 -c:v mjpeg -q:v 4 "$tmp/clip.avi"

decoy() { # PORT FPS ARGS...: starts camdecoy on core 0, prints its pid
	local p="$1" fps="$2"; shift 2
	taskset -c 0 "$bin" --listen "127.0.0.1:$p" --db "$tmp/d-$p.db" --geoip "" --video "$tmp/clip.avi" \
		--fps "$fps" --size 640x480 --quality 80 --trap-mode static --max-connections 12000 \
		--per-ip-connections 12000 --per-net-connections 12000 --streams-per-ip 12000 "${as_user[@]}" "$@" \
		>"$tmp/d-$p.log" 2>&1 &
	echo $!
}
stop() { # PID: SIGTERM, then wait until it is gone (it may not be our child)
	kill -TERM "$1" 2>/dev/null || true
	for _ in $(seq 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$1" 2>/dev/null || true # a peer that ignores SIGTERM must not skew the next run
	wait "$1" 2>/dev/null || true
}

# stream_run PID URL VIEWERS FPS SECONDS: server CPU s over the middle of the
# run and the load client's line; "cpu frames line".
stream_run() {
	local pid="$1" url="$2" n="$3" secs="$5" a b line fps
	local p="${url#http://127.0.0.1:}"; p="${p%%/*}"
	taskset -c 1 "$client" 127.0.0.1 "$p" "/${url#http://127.0.0.1:*/}" "$n" "$secs" 1000 >"$tmp/lc" &
	local lc=$!
	sleep 2
	a=$(cpu "$pid")
	sleep $((secs - 3))
	b=$(cpu "$pid")
	wait "$lc"
	line="$(cat "$tmp/lc")"
	fps="$(field fps_mean "$line")"
	echo "$(calc "$b - $a") $(calc "$fps * $n * ($secs - 3)") $line"
}

results=()
row() { results+=("| $1 | $2 | $3 | $4 |"); echo "$1: $2 (target $3) $4"; }

# ---- P1: camdecoy vs motion, 500 x 15 fps ----
motion_conf() { # PORT
	mkdir -p "$tmp/motion"
	cat >"$tmp/motion.conf" <<EOF
daemon off
setup_mode off
log_level 4
target_dir $tmp/motion
netcam_url file://$tmp/clip.avi
width 640
height 480
framerate 15
stream_port $1
stream_localhost on
stream_quality 80
stream_maxrate 15
stream_motion off
stream_limit 0
webcontrol_port 0
picture_output off
movie_output off
text_right %Y-%m-%d %T
EOF
}
p1_d=() p1_m=()
for _ in 1 2; do
	p=$(port); pid=$(decoy "$p" 15); pids+=("$pid")
	wait_up "http://127.0.0.1:$p/"
	p1_d+=("$(stream_run "$pid" "http://127.0.0.1:$p/mjpg/video.mjpg" 500 15 14)")
	stop "$pid"
	p=$(port); motion_conf "$p"
	taskset -c 0 motion -n -c "$tmp/motion.conf" >"$tmp/motion.log" 2>&1 &
	pid=$!; pids+=("$pid")
	for _ in $(seq 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$p/" && break; sleep 0.2; done
	sleep 2
	p1_m+=("$(stream_run "$pid" "http://127.0.0.1:$p/" 500 15 14)")
	stop "$pid"
done
per_frame() { python3 - "$@" <<'PY'
import sys
c = sum(float(r.split()[0]) for r in sys.argv[1:]); f = sum(float(r.split()[1]) for r in sys.argv[1:])
print("%.2f %.0f %.3g" % (c, f, c / f * 1e6 if f else float("inf")))
PY
}
# The cost of a frame follows its bytes (copied to each socket): the row
# gives each side's frame size and the CPU per MB delivered as well.
kb_frame() { python3 - "$@" <<'PY'
import re, sys
b = f = 0.0
for r in sys.argv[1:]:
    v = dict(re.findall(r"(\w+)=([0-9.]+)", r))
    b += float(v["mbps"]) * 1e6; f += float(v["fps_mean"]) * float(v["clients"])
print("%.1f" % (b / f / 1000 if f else 0))
PY
}
read -r _ df dus <<<"$(per_frame "${p1_d[@]}")"
read -r _ mf mus <<<"$(per_frame "${p1_m[@]}")"
dkb=$(kb_frame "${p1_d[@]}") mkb=$(kb_frame "${p1_m[@]}")
row P1 "CPU per delivered frame, 500 x 15 fps: camdecoy ${dus} us, motion ${mus} us ($(calc "round($dus / $mus, 3)")x; frames delivered $df vs $mf; ${dkb} vs ${mkb} KB a frame, $(calc "round($dus / $dkb / ($mus / $mkb), 3)")x per MB)" "<= 0.35x motion" \
	"$(calc "'met' if $dus <= 0.35 * $mus else 'MISSED'")"
for r in "${p1_d[@]}" "${p1_m[@]}"; do echo "  P1 run: $r"; done

# ---- P2 (and P3's 5000 x 1 fps): camdecoy vs ustreamer, 5000 x 1 fps ----
p=$(port); pid=$(decoy "$p" 1); pids+=("$pid"); wait_up "http://127.0.0.1:$p/"
curl -s -o "$tmp/blank.jpg" "http://127.0.0.1:$p/jpg/image.jpg"
stop "$pid"
p2_d=() p2_u=()
for _ in 1 2; do
	p=$(port); pid=$(decoy "$p" 1); pids+=("$pid")
	wait_up "http://127.0.0.1:$p/"
	p2_d+=("$(stream_run "$pid" "http://127.0.0.1:$p/mjpg/video.mjpg" 5000 1 16)")
	stop "$pid"
	p=$(port)
	taskset -c 0 ustreamer --device /dev/camdecoy-no-such-device --blank "$tmp/blank.jpg" --host 127.0.0.1 \
		--port "$p" --desired-fps 1 --quality 80 --resolution 640x480 --device-error-delay 1 >"$tmp/us.log" 2>&1 &
	pid=$!; pids+=("$pid")
	wait_up "http://127.0.0.1:$p/"
	p2_u+=("$(stream_run "$pid" "http://127.0.0.1:$p/stream" 5000 1 16)")
	stop "$pid"
done
read -r _ df dus <<<"$(per_frame "${p2_d[@]}")"
read -r _ uf uus <<<"$(per_frame "${p2_u[@]}")"
row P2 "CPU per delivered frame, 5000 x 1 fps: camdecoy ${dus} us, ustreamer ${uus} us ($(calc "round($dus / $uus, 3)")x; frames $df vs $uf)" "<= 0.5x ustreamer" \
	"$(calc "'met' if $dus <= 0.5 * $uus else 'MISSED'")"
for r in "${p2_d[@]}" "${p2_u[@]}"; do echo "  P2 run: $r"; done
failed5k=$(( $(field failed "${p2_d[0]}") + $(field failed "${p2_d[1]}") ))

# ---- P3 and P4: 2000 x 10 fps, RSS per viewer ----
p=$(port); pid=$(decoy "$p" 10); pids+=("$pid"); wait_up "http://127.0.0.1:$p/"
curl -s -o /dev/null "http://127.0.0.1:$p/jpg/image.jpg"
sleep 1
base=$(rss "$pid")
taskset -c 1 "$client" 127.0.0.1 "$p" /mjpg/video.mjpg 2000 20 2000 >"$tmp/lc3" &
lc=$!
sleep 4
a=$(cpu "$pid"); peak=0
for _ in $(seq 14); do sleep 1; r=$(rss "$pid"); [ "$r" -gt "$peak" ] && peak=$r; done
b=$(cpu "$pid")
wait "$lc"
l3="$(cat "$tmp/lc3")"
core=$(calc "round(($b - $a) / 14, 2)")
p5=$(field fps_p5 "$l3")
row P3 "2000 x 10 fps: fps p5 $p5 (mean $(field fps_mean "$l3")), server CPU $core cores, failed $(field failed "$l3"); 5000 x 1 fps: $failed5k failed" \
	">= 9.5 fps p5 on <= 1 core; 0 failed at 5000" \
	"$(calc "'met' if $p5 >= 9.5 and $core <= 1.0 and $failed5k == 0 else 'MISSED'")"
per_kib=$(calc "round(($peak - $base) / 2000, 1)")
# connect/disconnect rounds: RSS after each
rounds=()
for _ in 1 2 3; do
	taskset -c 1 "$client" 127.0.0.1 "$p" /mjpg/video.mjpg 2000 5 500 >/dev/null
	sleep 2
	rounds+=("$(rss "$pid")")
done
row P4 "RSS per streaming viewer $per_kib KiB (base $base KiB, peak $peak KiB at 2000); after rounds of 2000: ${rounds[*]} KiB (third/second $(calc "round(${rounds[2]} / ${rounds[1]}, 3)"))" \
	"<= 64 KiB; third <= 1.1x second" \
	"$(calc "'met' if $per_kib <= 64 and ${rounds[2]} <= 1.1 * ${rounds[1]} else 'MISSED'")"

# ---- P5: a burst of 500 new viewers ----
taskset -c 1 "$client" 127.0.0.1 "$p" /mjpg/video.mjpg 500 4 0 >"$tmp/lc5"
l5="$(cat "$tmp/lc5")"
t95=$(field ttff_p95_ms "$l5")
row P5 "time to first frame, burst of 500: p50 $(field ttff_p50_ms "$l5") ms, p95 $t95 ms, max $(field ttff_max_ms "$l5") ms" \
	"p95 <= 100 ms" "$(calc "'met' if $t95 <= 100 else 'MISSED'")"
# slow readers and churn next to normal viewers (part of the capacity target)
LC_SLOW=100 taskset -c 1 "$client" 127.0.0.1 "$p" /mjpg/video.mjpg 600 10 1000 >"$tmp/lcs"
ls_="$(cat "$tmp/lcs")"
LC_CHURN_MS=1500 taskset -c 1 "$client" 127.0.0.1 "$p" /mjpg/video.mjpg 500 10 1000 >"$tmp/lcc"
lcc="$(cat "$tmp/lcc")"
row P3b "100 slow readers (32 KB/s) among 500 viewers: the others' fps p5 $(field fps_p5 "$ls_"), slow ones $(field slow_fps_mean "$ls_") fps; 500 viewers reconnecting every 1.5 s: $(field reconnects "$lcc") reconnects, fps p5 $(field fps_p5 "$lcc"), failed $(field failed "$lcc")" \
	"slow readers and churn cost the others nothing (p5 >= 9.5)" \
	"$(calc "'met' if $(field fps_p5 "$ls_") >= 9.5 and $(field failed "$lcc") == 0 else 'MISSED'")"
stop "$pid"

# ---- P6: snapshots with full logging vs nginx ----
mkdir -p "$tmp/www"
cp "$tmp/blank.jpg" "$tmp/www/image.jpg"
wrk_run() { # URL: "req_per_s p99_ms"
	taskset -c 1 wrk -t1 -c50 -d8s --latency "$1" >"$tmp/wrk"
	python3 - "$tmp/wrk" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
rps = float(re.search(r"Requests/sec:\s*([0-9.]+)", t).group(1))
m = re.search(r"99%\s+([0-9.]+)(us|ms|s)", t)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
print(rps, round(p99, 2))
PY
}
p6_d=() p6_n=() p6_drop=()
for _ in 1 2; do
	p=$(port)
	pid=$(decoy "$p" 10 --event-rate 0 --event-log "$tmp/events-$p.jsonl" \
		--geoip "$build/tests/test-geoip2.mmdb")
	pids+=("$pid"); wait_up "http://127.0.0.1:$p/"
	p6_d+=("$(wrk_run "http://127.0.0.1:$p/jpg/image.jpg")")
	stop "$pid"
	dropped=$(sqlite3 "$tmp/d-$p.db" "SELECT value FROM counters WHERE name = 'events_dropped'")
	rows=$(sqlite3 "$tmp/d-$p.db" "SELECT COUNT(*) FROM requests")
	p6_drop+=("$dropped/$rows")
	p=$(port)
	cat >"$tmp/nginx.conf" <<EOF
worker_processes auto;
pid $tmp/nginx-$p.pid;
error_log $tmp/nginx-error.log;
events { worker_connections 4096; }
http {
	access_log $tmp/nginx-access.log;
	sendfile on; tcp_nopush on; keepalive_requests 100000;
	types { image/jpeg jpg; }
	server { listen 127.0.0.1:$p; root $tmp/www; }
}
EOF
	taskset -c 0 nginx -c "$tmp/nginx.conf" -g 'daemon off;' &
	pid=$!; pids+=("$pid")
	wait_up "http://127.0.0.1:$p/image.jpg"
	p6_n+=("$(wrk_run "http://127.0.0.1:$p/image.jpg")")
	stop "$pid"
done
read -r d_rps d_p99 <<<"$(python3 -c "import sys; r=[l.split() for l in sys.argv[1:]]; print(sum(float(x[0]) for x in r)/len(r), max(float(x[1]) for x in r))" "${p6_d[@]}")"
read -r n_rps _ <<<"$(python3 -c "import sys; r=[l.split() for l in sys.argv[1:]]; print(sum(float(x[0]) for x in r)/len(r), max(float(x[1]) for x in r))" "${p6_n[@]}")"
row P6 "snapshots, 50 keep-alive connections, every request a row + GeoIP + JSON line: camdecoy $(calc "round($d_rps)") req/s, nginx (access log on) $(calc "round($n_rps)") req/s ($(calc "round($d_rps / $n_rps, 3)")x); camdecoy p99 $d_p99 ms; dropped/rows ${p6_drop[*]}" \
	">= 0.5x nginx; p99 <= 10 ms; nothing dropped" \
	"$(calc "'met' if $d_rps >= 0.5 * $n_rps and $d_p99 <= 10 and all(x.split('/')[0] == '0' for x in '${p6_drop[*]}'.split()) else 'MISSED'")"

# ---- P7: idle ----
p=$(port); pid=$(decoy "$p" 10); pids+=("$pid"); wait_up "http://127.0.0.1:$p/"
sleep 2
a=$(cpu "$pid"); sleep 10; b=$(cpu "$pid")
stop "$pid"
enc=$(sed -n 's/.*encoded \([0-9]*\) frames.*/\1/p' "$tmp/d-$p.log")
idle=$(calc "round(($b - $a) / 10 * 100, 2)")
row P7 "no viewers: $idle% of a core over 10 s, $enc frames encoded" "< 1%, no encoding" \
	"$(calc "'met' if $idle < 1 and '$enc' == '0' else 'MISSED'")"

{
	echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(uname -m)); server on core 0, clients on core 1;"
	echo "camdecoy $("$bin" --version | awk '{print $2}'), motion $(motion -h 2>&1 | sed -n 's/^motion Version \([^,]*\),.*/\1/p'),"
	echo "ustreamer $(ustreamer --version), nginx $(nginx -v 2>&1 | sed 's|.*/||'), wrk $(wrk -v 2>&1 | awk 'NR==1{print $2}')."
	echo
	echo "| # | measured | target | |"
	echo "|---|---|---|---|"
	printf '%s\n' "${results[@]}"
} >"$out"
cat "$out"
