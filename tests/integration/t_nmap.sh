#!/usr/bin/env bash
# t_nmap: what a scanner that feeds camera directories calls each persona.
# `nmap -sV` (Debian's, with its own probe database) must name Netwave,
# Hikvision and Panasonic cameras, on two different ports for netwave; axis
# imitates an M1124, which nmap has no matcher for (a real one is unnamed
# too; without a Server header, which we could not confirm for the M1124, it
# is "unknown" with its fingerprint): never libmicrohttpd, never a honeypot,
# never tcpwrapped. Every probe nmap sent to axis is a row. On the RTSP
# port (rtsp key) nmap names Hikvision's and Axis' rtspd.
# Every decoy runs at once and one nmap scans all their ports: nmap probes
# ports in parallel, so the scenario takes about one scan's time, not six.
. "$(dirname "$0")/lib.sh"

command -v nmap >/dev/null || { bad "nmap is installed (make deps-test)"; finish; exit 1; }

# Several decoys at a time: lib.sh keeps one in PORT/DB/DECOY_PID, so each is
# noted here under a name and stopped through stop_decoy one by one.
declare -A D_PORT D_DB D_PID D_RTSP
start_named() { # start_named NAME PERSONA [RTSP]
	local name="$1" persona="$2" rport=""
	if [ -n "${3:-}" ]; then
		rport="$(free_port)"
		start_decoy --persona "$persona" --rtsp "127.0.0.1:$rport" || return 1
	else
		start_decoy --persona "$persona" || return 1
	fi
	D_PORT[$name]="$PORT" D_DB[$name]="$DB" D_PID[$name]="$DECOY_PID" D_RTSP[$name]="$rport"
	cp "$TMP/decoy.log" "$TMP/decoy-$name.log" 2>/dev/null
	DECOY_PID="" # stopped by stop_named, not by the next start
}
stop_named() { # stop_named NAME: SIGTERM, a clean exit, check on its database
	DECOY_PID="${D_PID[$1]}" DB="${D_DB[$1]}"
	stop_decoy
}
# port_line PORT: nmap's line for that port ("PORT STATE SERVICE VERSION")
port_line() {
	awk -v p="$1/tcp" '$1 == p' "$TMP/nmap.txt"
}

start_named netwave netwave || { finish; exit 1; }
start_named netwave2 netwave || { finish; exit 1; } # another port: free_port picks a new one
start_named hikvision hikvision rtsp || { finish; exit 1; }
start_named panasonic panasonic || { finish; exit 1; }
start_named axis axis rtsp || { finish; exit 1; }
ports="${D_PORT[netwave]},${D_PORT[netwave2]},${D_PORT[hikvision]},${D_PORT[panasonic]},${D_PORT[axis]}"
ports="$ports,${D_RTSP[hikvision]},${D_RTSP[axis]}"
t0=$(date +%s)
nmap -sV -Pn -n -p "$ports" --host-timeout 240s 127.0.0.1 >"$TMP/nmap.txt" 2>&1
echo "nmap: scanned $ports in $(($(date +%s) - t0)) s"

expect_named() { # expect_named NAME WANT
	local line
	line="$(port_line "${D_PORT[$1]}")"
	echo "nmap: $1 on ${D_PORT[$1]}: $line"
	check "nmap names $1: $2" grep -q -- "$2" <<<"$line"
}
expect_named netwave "Netwave IP camera http config"
expect_named netwave2 "Netwave IP camera http config"
expect_named hikvision "Hikvision IP camera httpd"
expect_named panasonic "Panasonic Network Camera"
check "nmap sees no libmicrohttpd, tcpwrapped or honeypot on any port" \
	bash -c "! grep -qiE 'tcpwrapped|microhttpd|honeypot' '$TMP/nmap.txt'"

line="$(port_line "${D_PORT[axis]}")"
echo "nmap: axis on ${D_PORT[axis]}: $line"
check "axis is open" grep -qE "open +(http|unknown)" <<<"$line"
# the fingerprint of the axis port alone (nmap prints one per unnamed service)
awk -v p="${D_PORT[axis]}-TCP" 'index($0, "SF-Port" p) == 1 {on = 1} on && /^SF-Port/ && index($0, "SF-Port" p) != 1 {on = 0} on' \
	"$TMP/nmap.txt" | tr -d '\n' | sed 's/SF://g' >"$TMP/fp"
fingerprint_is_axis() {
	grep -qF 'HTTP/1\.0\x20200\x20OK\r\nDate:' "$TMP/fp" && grep -qF 'HTTP/1\.0\x20405\x20Method' "$TMP/fp" &&
		grep -qF 'HTTP/1\.0\x20404\x20Not\x20Found' "$TMP/fp"
}
check "its fingerprint is the persona's 200, 405 and 404" fingerprint_is_axis

expect_rtsp() { # expect_rtsp NAME WANT
	local line
	line="$(port_line "${D_RTSP[$1]}")"
	echo "nmap: $1 rtsp on ${D_RTSP[$1]}: $line"
	check "nmap names $1's rtsp: $2" grep -q -- "$2" <<<"$line"
}
expect_rtsp hikvision "Hikvision 7513 POE IP camera rtspd"
expect_rtsp axis "AXIS 207W or 212 PTZ network camera rtspd"

# Stopped, every decoy has committed all it was sent.
for name in netwave netwave2 hikvision panasonic axis; do
	stop_named "$name"
	check "every connection nmap made to $name is a row or a counted silent one" \
		[ "$(sql "SELECT COUNT(*) FROM requests")" -gt 0 ]
done
DB="${D_DB[axis]}"
probes="$(sql "SELECT COUNT(*) FROM requests WHERE route != 'rtsp'")"
echo "nmap: axis recorded $probes requests and probes: $(sql "SELECT group_concat(route || '=' || n, ' ') FROM
	(SELECT route, COUNT(*) AS n FROM requests GROUP BY route ORDER BY route)")"
check "nmap's probes to axis are rows" [ "$probes" -gt 20 ]
check "TLS, RTSP, junk and HTTP alike" [ "$(sql "SELECT COUNT(DISTINCT route) FROM requests
	WHERE route IN ('probe-tls', 'probe-rtsp', 'probe-junk', 'page', 'error')")" = 5 ]
for name in hikvision axis; do
	DB="${D_DB[$name]}"
	check "nmap's RTSP requests to $name are rows" [ "$(sql "SELECT COUNT(*) FROM requests WHERE route = 'rtsp'")" -gt 0 ]
done
finish
