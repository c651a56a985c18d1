#!/usr/bin/env bash
# t_nmap: what a scanner that feeds camera directories calls each persona.
# `nmap -sV` (Debian's, with its own probe database) must name Netwave,
# Hikvision and Panasonic cameras, on two different ports for netwave; axis
# imitates an M1124, which nmap has no matcher for (a real one is unnamed
# too; without a Server header, which we could not confirm for the M1124, it
# is "unknown" with its fingerprint): never libmicrohttpd, never a honeypot,
# never tcpwrapped. Every probe nmap sent to axis is a row. On the RTSP
# port (rtsp key) nmap names Hikvision's and Axis' rtspd.
. "$(dirname "$0")/lib.sh"

command -v nmap >/dev/null || { bad "nmap is installed (make deps-test)"; finish; exit 1; }

# scan: prints the port line of nmap's report ("PORT STATE SERVICE VERSION").
scan() {
	nmap -sV -Pn -n -p "$1" --host-timeout 240s 127.0.0.1 2>&1 | tee "$TMP/nmap-$1.txt" | awk -v p="$1/tcp" '$1 == p'
}

expect_named() {
	local persona="$1" want="$2" line t0 took
	start_decoy --persona "$persona" || return 1
	t0=$(date +%s)
	line="$(scan "$PORT")"
	took=$(($(date +%s) - t0))
	echo "nmap: $persona on $PORT (${took}s): $line"
	check "nmap names $persona: $want" grep -q -- "$want" <<<"$line"
	check "nmap sees no libmicrohttpd in $persona" bash -c "! grep -qi microhttpd '$TMP/nmap-$PORT.txt'"
	check "every connection nmap made to $persona is a row or a counted silent one" \
		[ "$(sql "SELECT COUNT(*) FROM requests")" -gt 0 ]
	stop_decoy
}

expect_named netwave "Netwave IP camera http config"
expect_named netwave "Netwave IP camera http config" # another port: free_port picks a new one
expect_named hikvision "Hikvision IP camera httpd"
expect_named panasonic "Panasonic Network Camera"

start_decoy --persona axis || { finish; exit 1; }
line="$(scan "$PORT")"
echo "nmap: axis on $PORT: $line"
check "axis is open" grep -qE "open +(http|unknown)" <<<"$line"
check "and not tcpwrapped, libmicrohttpd or a honeypot" bash -c "! grep -qiE 'tcpwrapped|microhttpd|honeypot' '$TMP/nmap-$PORT.txt'"
tr -d '\n' <"$TMP/nmap-$PORT.txt" | sed 's/SF://g' >"$TMP/fp"
fingerprint_is_axis() {
	grep -qF 'HTTP/1\.0\x20200\x20OK\r\nDate:' "$TMP/fp" && grep -qF 'HTTP/1\.0\x20405\x20Method' "$TMP/fp" &&
		grep -qF 'HTTP/1\.0\x20404\x20Not\x20Found' "$TMP/fp"
}
check "its fingerprint is the persona's 200, 405 and 404" fingerprint_is_axis
sleep 2 # the writer's batch
probes="$(sql "SELECT COUNT(*) FROM requests")"
echo "nmap: axis recorded $probes requests and probes: $(sql "SELECT group_concat(route || '=' || n, ' ') FROM
	(SELECT route, COUNT(*) AS n FROM requests GROUP BY route ORDER BY route)")"
check "nmap's probes to axis are rows" [ "$probes" -gt 20 ]
check "TLS, RTSP, junk and HTTP alike" [ "$(sql "SELECT COUNT(DISTINCT route) FROM requests
	WHERE route IN ('probe-tls', 'probe-rtsp', 'probe-junk', 'page', 'error')")" = 5 ]
stop_decoy

# The RTSP login trap, on a port of its own.
expect_rtsp() {
	local persona="$1" want="$2" rport line
	rport="$(free_port)"
	start_decoy --persona "$persona" --rtsp "127.0.0.1:$rport" || return 1
	line="$(scan "$rport")"
	echo "nmap: $persona rtsp on $rport: $line"
	check "nmap names $persona's rtsp: $want" grep -q -- "$want" <<<"$line"
	sleep 2 # the writer's batch
	check "nmap's RTSP requests to $persona are rows" [ "$(sql "SELECT COUNT(*) FROM requests WHERE route = 'rtsp'")" -gt 0 ]
	stop_decoy
}
expect_rtsp hikvision "Hikvision 7513 POE IP camera rtspd"
expect_rtsp axis "AXIS 207W or 212 PTZ network camera rtspd"
finish
