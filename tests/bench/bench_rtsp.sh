#!/usr/bin/env bash
# bench_rtsp.sh BUILD_DIR [VIEWERS] [SECONDS] (P8): CPU per delivered frame for VIEWERS RTSP
# viewers (RTP/AVP/TCP interleaved, 8 at most: the per-address cap) of the decoy's H.264 (each
# session its own encoder) and JPEG over RTP, the same viewers on its HTTP MJPEG, and the same
# viewers of a real RTSP server (gst-rtsp-server, tests/bench/rtsp_peer.py) serving the decoy's
# frames as JPEG over RTP and as one shared H.264 encode; the RSS per RTSP session. The peer's
# figure counts its own CPU and the decoy's feeding it (one HTTP viewer).
set -euo pipefail
build="$(cd "${1:-build}" && pwd)"
n="${2:-8}"
secs="${3:-10}"
here="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$tmp"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
hport="$(port)"
rport="$(port)"
pport="$(port)"
as_root=()
[ "$(id -u)" = 0 ] && as_root=(--allow-root)
"$build/camdecoy" "${as_root[@]}" --persona axis --listen "127.0.0.1:$hport" --rtsp "127.0.0.1:$rport" \
	--rtsp-auth none --db "$tmp/d.db" --event-rate 0 >"$tmp/decoy.log" 2>&1 &
decoy=$!
pids+=("$decoy")
for _ in $(seq 1 100); do curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$hport/" && break; sleep 0.1; done
fps="$(sed -n 's/.*, \([0-9]*\) fps.*/\1/p' "$tmp/decoy.log" | head -n 1)"
echo "decoy: axis persona, ${fps:-10} fps, $n viewers, $secs s each ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
b() { python3 "$here/bench_rtsp.py" "$@" | tee -a "$tmp/out"; }
b rtsp "$n" "$secs" "$rport" "$decoy" x x "/axis-media/media.amp"
b rtsp "$n" "$secs" "$rport" "$decoy" x x "/axis-media/media.amp?videocodec=jpeg"
b http "$n" "$secs" "$hport" "$decoy" x x "/axis-cgi/mjpg/video.cgi"
if /usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0")' 2>/dev/null; then
	/usr/bin/python3 "$here/rtsp_peer.py" "$pport" "http://127.0.0.1:$hport/axis-cgi/mjpg/video.cgi" "${fps:-10}" \
		>"$tmp/peer.log" 2>&1 &
	peer=$!
	pids+=("$peer")
	for _ in $(seq 1 50); do grep -q ready "$tmp/peer.log" && break; sleep 0.1; done
	b rtsp "$n" "$secs" "$pport" "$peer,$decoy" x x /jpeg
	b rtsp "$n" "$secs" "$pport" "$peer,$decoy" x x /h264
else
	echo "no gst-rtsp-server (python3-gst-1.0, gir1.2-gst-rtsp-server-1.0): no peer measured"
fi
# the ratios, from the per-frame figures in the order above
awk '{ for (i = 1; i <= NF; i++) if ($(i + 1) == "us" && $(i + 2) == "per") us[NR] = $i }
	END {
		if (us[3] > 0) printf "decoy RTSP H.264 / decoy HTTP MJPEG: %.2fx; RTSP JPEG / HTTP MJPEG: %.2fx\n", us[1] / us[3], us[2] / us[3]
		if (us[4] > 0) printf "decoy RTSP JPEG / gst-rtsp-server JPEG: %.2fx\n", us[2] / us[4]
		if (us[5] > 0) printf "decoy RTSP H.264 (per-session encoders) / gst-rtsp-server H.264 (one shared encode): %.2fx\n", us[1] / us[5]
	}' "$tmp/out"
