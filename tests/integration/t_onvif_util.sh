#!/usr/bin/env bash
# t_onvif_util: Debian's onvif-util (onvif-tools 1.4.4) as a real ONVIF
# client, in a network of the test's own: onvif-util reaches a camera only
# through WS-Discovery (a multicast Probe, multicast loopback off, then port
# 80 of whoever answers), so it is never run on the host's network. Two
# network namespaces (unshare -n inside unshare -n) joined by a veth pair,
# 10.77.0.1 and 10.77.0.2, a multicast route on each end; the decoy with
# onvif-discovery = answer (and the group joined) on port 80 in one,
# onvif-util in the other. With the trap credential it gets each persona's
# name, serial, profile and stream URI; with a wrong one nothing, and every
# attempt is a login row on channel onvif. The test fails (it never falls
# back) when the namespaces cannot be made. Label: netns.
set -u
if [ -z "${CAMDECOY_NETNS_A:-}" ]; then
	command -v onvif-util >/dev/null || { echo "FAIL: onvif-util is not installed (onvif-tools)"; exit 1; }
	unshare -n true 2>/dev/null || { echo "FAIL: cannot create a network namespace (root and unshare -n needed)"; exit 1; }
	exec unshare -n env CAMDECOY_NETNS_A=1 bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
PEER=""
netns_cleanup() {
	[ -n "$PEER" ] && kill "$PEER" 2>/dev/null
	cleanup
}
trap netns_cleanup EXIT

# Namespace A (this shell) and B (a sleeper's, made from inside A).
ip link set lo up && ip link add veth0 type veth peer name veth1 || { bad "veth pair"; finish; exit 1; }
unshare -n sleep 600 &
PEER=$!
for _ in $(seq 1 50); do
	[ "$(readlink /proc/$PEER/ns/net)" != "$(readlink /proc/self/ns/net)" ] && break
	sleep 0.1
done
in_b() { nsenter -t "$PEER" -n "$@"; }
ip link set veth1 netns "$PEER" &&
	ip addr add 10.77.0.1/24 dev veth0 && ip link set veth0 up &&
	ip route add 224.0.0.0/4 dev veth0 &&
	in_b ip link set lo up && in_b ip addr add 10.77.0.2/24 dev veth1 && in_b ip link set veth1 up &&
	in_b ip route add 224.0.0.0/4 dev veth1 || { bad "the two namespaces could not be joined"; finish; exit 1; }
check "B is a namespace of its own" [ "$(readlink /proc/$PEER/ns/net)" != "$(readlink /proc/self/ns/net)" ]
check "and not the host's" [ "$(readlink /proc/$PEER/ns/net)" != "$(readlink /proc/1/ns/net)" ]

# session USER PASS: one onvif-util session. onvif-util sends one Probe
# (~820 bytes) per run and a ProbeMatch is ~1,300 bytes: under the byte rule
# a lone Probe is never answered, so each session follows an "onvif-util -a"
# from the same address (clients that follow SOAP-over-UDP repeat their
# multicast Probes and are answered at the repeat).
session() {
	timeout 30 nsenter -t "$PEER" -n onvif-util -a >"$TMP/scan.out" 2>&1
	printf 'get capabilities\nget profiles\nget rtsp\nget time\nquit\n' |
		timeout 60 nsenter -t "$PEER" -n onvif-util -u "$1" -p "$2" 10.77.0.1 2>&1
}

for persona in hikvision axis; do
	DB="$TMP/$persona.db"
	"$BIN" --listen 0.0.0.0:80 --db "$DB" --geoip "${CAMDECOY_TESTDATA:-.}/test-geoip2.mmdb" \
		--sensor-id test-sensor --day-night day "${AS_USER[@]}" --persona "$persona" \
		--onvif-discovery answer --onvif-discovery-multicast \
		--trap-mode static --trap-user operator --trap-password 'Quaker3975#' >"$TMP/decoy.log" 2>&1 &
	DECOY_PID=$!
	for _ in $(seq 1 100); do
		# from B: across the veth pair, which may take a moment to carry
		in_b curl -s -o /dev/null --max-time 1 "http://10.77.0.1/" && break
		sleep 0.1
	done
	kill -0 "$DECOY_PID" 2>/dev/null || { cat "$TMP/decoy.log"; bad "$persona: the decoy did not start"; }
	session operator 'Quaker3975#' >"$TMP/$persona.right"
	check "$persona: a lone Probe (onvif-util -a, the first) is not answered" grep -q "Found 0 cameras" "$TMP/scan.out"
	session admin 12345 >"$TMP/$persona.wrong"
	cat "$TMP/$persona.right"
	case $persona in
	hikvision) name="HIKVISION DS-2CD2032-I" serial="DS-2CD2032-I20170321CCWR726452362" profile=Profile_1
		uri="rtsp://10.77.0.1:554/Streaming/Channels/101?transportmode=unicast&profile=Profile_1" ;;
	axis) name="AXIS M1124" serial="ACCC8E4B21D7" profile=profile_1_h264
		uri="rtsp://10.77.0.1:554/onvif-media/media.amp?profile=profile_1_h264&sessiontimeout=60&streamtype=unicast" ;;
	esac
	check "$persona: onvif-util found the decoy by WS-Discovery" grep -q "found host: 10.77.0.1" "$TMP/$persona.right"
	check "$persona: its name" grep -qF "name:   $name" "$TMP/$persona.right"
	check "$persona: its serial" grep -qF "serial: $serial" "$TMP/$persona.right"
	check "$persona: its profile" grep -qF "Token 0: $profile" "$TMP/$persona.right"
	check "$persona: its stream URI" grep -qxF "  $uri" "$TMP/$persona.right"
	check "$persona: a wrong password gets no stream URI" bash -c "! grep -q rtsp:// '$TMP/$persona.wrong'"
	check "$persona: the ProbeMatch went to onvif-util's address only" \
		wait_sql "SELECT COUNT(*) > 0 FROM requests WHERE route = 'onvif-discovery' AND status = 200 AND src_ip = '10.77.0.2'" 1
	check "$persona: the trap credential's logins matched (static)" \
		wait_sql "SELECT COUNT(*) > 0 FROM logins WHERE channel = 'onvif' AND username = 'operator' AND match_kind = 'static'" 1
	check "$persona: the wrong ones are rows too, matching nothing" \
		wait_sql "SELECT COUNT(*) > 0 FROM logins WHERE channel = 'onvif' AND username = 'admin' AND match_kind = 'none'" 1
	check "$persona: GetStreamUri answered once, to the right password" \
		wait_sql "SELECT COUNT(*) FROM requests WHERE route IN ('onvif/GetStreamUri', 'onvif/replay/GetStreamUri') AND status = 200" 1
	stop_decoy
done
finish
