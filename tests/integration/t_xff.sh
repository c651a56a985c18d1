#!/usr/bin/env bash
# t_xff: X-Forwarded-For behind a trusted proxy cannot be spoofed or hidden:
# every line is read in order as one list (a proxy appends its own line),
# padding past the stored prefix does not push the proxy's hop out of sight,
# and an oversized header is not believed (the proxy is recorded and the row
# says so). (A NUL inside the header: libmicrohttpd 0.9.75 ends the value at
# it before we see it; the front acceptor of the wire-fidelity work reads
# the raw bytes. Here the cut value is all that arrives, and it is walked.)
. "$(dirname "$0")/lib.sh"

# raw HEADER_LINES...: one GET /jpg/image.jpg with these header lines, sent
# byte for byte (NULs included), the answer read to the end.
raw() {
	python3 - "$PORT" "$@" <<'PY'
import sys
from camclient import talk
lines = [a.encode("latin-1").replace(b"\\0", b"\0") for a in sys.argv[2:]]
talk(sys.argv[1], b"GET /jpg/image.jpg HTTP/1.1\r\nHost: 127.0.0.1\r\n" + b"".join(l + b"\r\n" for l in lines)
     + b"Connection: close\r\n\r\n")
PY
}

start_decoy --trust-proxy 127.0.0.1/32 --header-memory 65536 || { finish; exit 1; }
# 1: the client's own line first, the proxy's appended line last
raw "X-Forwarded-For: 6.6.6.6" "User-Agent: two-lines" "X-Forwarded-For: 198.51.100.7"
# 2: padding past the 512-byte stored prefix, the proxy's hop at the end
pad="$(head -c 700 /dev/zero | tr '\0' 'a')"
raw "X-Forwarded-For: $pad, 198.51.100.7" "User-Agent: padded"
# 4: larger than the decoy walks (8 KiB)
big="$(for i in $(seq 0 899); do printf '10.%d.%d.1, ' $((i / 250)) $((i % 250)); done)"
big="${big%, }"
raw "X-Forwarded-For: $big, 198.51.100.7" "User-Agent: oversized"
wait_sql "SELECT COUNT(*) FROM requests WHERE user_agent IN ('two-lines', 'padded', 'oversized')" 3

row() { sql "SELECT src_ip || '|' || IFNULL(peer_ip, '') || '|' || IFNULL(forwarded_status, '') || '|' || forwarded_for_len FROM requests WHERE user_agent = '$1'"; }
IFS='|' read -r ip peer st len <<<"$(row two-lines)"
check "two lines: the proxy's appended hop is the client ($ip)" [ "$ip" = 198.51.100.7 ]
check "two lines: both stored, in order" \
	[ "$(sql "SELECT forwarded_for FROM requests WHERE user_agent = 'two-lines'")" = "6.6.6.6, 198.51.100.7" ]
check "two lines: used, proxy kept ($st, $peer)" bash -c "[ '$st' = used ] && [ '$peer' = 127.0.0.1 ]"
IFS='|' read -r ip peer st len <<<"$(row padded)"
check "padded: the client is still found ($ip)" [ "$ip" = 198.51.100.7 ]
check "padded: the original length is kept ($len)" [ "$len" = 714 ]
check "padded: the stored text is bounded" \
	[ "$(sql "SELECT length(forwarded_for) FROM requests WHERE user_agent = 'padded'")" = 512 ]
IFS='|' read -r ip peer st len <<<"$(row oversized)"
check "oversized: not believed ($ip, $st, $len bytes)" bash -c "[ '$ip' = 127.0.0.1 ] && [ '$st' = invalid ] && [ '$len' -gt 8192 ]"
stop_decoy

# From a peer that is no trusted proxy: stored, marked untrusted, ignored.
start_decoy --trust-proxy 10.0.0.0/8 || { finish; exit 1; }
raw "X-Forwarded-For: 198.51.100.7" "User-Agent: direct"
wait_sql "SELECT COUNT(*) FROM requests WHERE user_agent = 'direct'" 1
IFS='|' read -r ip peer st len <<<"$(row direct)"
echo "direct: ip=$ip status=$st"
check "untrusted peer: ignored and marked ($ip, $st)" bash -c "[ '$ip' = 127.0.0.1 ] && [ '$st' = untrusted ]"
stop_decoy
finish
