#!/usr/bin/env bash
# t_funnel: `camdecoy-report funnel` on the two report fixtures, recomputed
# here from the raw rows (requests, views, logins of both databases) and
# compared row by row: hosts that requested anything (or only tried logins,
# over Telnet say) -> fetched a frame ->
# watched over 10 s / 60 s / 4 min -> tried a login -> used a trap
# credential, in all, per referer class and per country. The listing moment
# in `summary` (the fixtures are shaped like the reference: a quiet week,
# then Insecam) is recomputed the same way.
. "$(dirname "$0")/lib.sh"

MKFIX="$(dirname "$BIN")/tests/mkfixture"
HERE="$(cd "$(dirname "$0")/../analytics" && pwd)"
"$MKFIX" "$TMP/a.db" "$HERE/fixture_a.sql" tokyo-1 && "$MKFIX" "$TMP/b.db" "$HERE/fixture_b.sql" osaka-1 ||
	{ bad "fixtures"; finish; exit 1; }
"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --format json funnel >"$TMP/funnel.json"
check "funnel runs" [ $? = 0 ]
python3 - "$TMP/funnel.json" "$TMP/a.db" "$TMP/b.db" >"$TMP/funnel.out" 2>&1 <<'PY'
import json, sqlite3, sys
got = {(r["by"], r["value"]): r for r in json.load(open(sys.argv[1]))["funnel"]}
hosts, fr, w10, w60, w240, tried, used = {}, set(), set(), set(), set(), set(), set()
only_logins = []
for path in sys.argv[2:]:
    db = sqlite3.connect(path)
    for ip, cls, cc in db.execute("SELECT src_ip, referer_class, IFNULL(country, 'unknown') FROM requests"):
        h = hosts.setdefault(ip, (set(), set()))
        h[0].add(cls)
        h[1].add(cc)
    for ip, frames, dur in db.execute("SELECT src_ip, frames, IFNULL(duration_ms, 0) FROM views"):
        if frames >= 1: fr.add(ip)
        if dur > 10000: w10.add(ip)
        if dur > 60000: w60.add(ip)
        if dur > 240000: w240.add(ip)
    for ip, kind, cc in db.execute("SELECT src_ip, match_kind, IFNULL(country, 'unknown') FROM logins"):
        only_logins.append((ip, cc))
        tried.add(ip)
        if kind in ("exact", "password-only", "static"): used.add(ip)
# an address seen only in logins (Telnet, say) is a host too, without a Referer
requested = set(hosts)
for ip, cc in only_logins:
    if ip not in requested:
        h = hosts.setdefault(ip, (set(), set()))
        h[0].add("none")
        h[1].add(cc)
groups = {("all", "all"): set(hosts)}
for ip, (classes, countries) in hosts.items():
    for c in classes: groups.setdefault(("referer_class", c), set()).add(ip)
    for c in countries: groups.setdefault(("country", c), set()).add(ip)
bad = 0
for key, ips in groups.items():
    want = [len(ips), len(ips & fr), len(ips & w10), len(ips & w60), len(ips & w240), len(ips & tried), len(ips & used)]
    r = got.get(key)
    have = None if r is None else [r[k] for k in ("requested", "fetched_frame", "watched_10s", "watched_60s",
                                                 "watched_4min", "tried_login", "used_trap_credential")]
    print(("ok   " if have == want else "FAIL ") + "%s=%s: %s (recomputed %s)" % (key[0], key[1], have, want))
    bad += have != want
print("%d groups, %d in the report" % (len(groups), len(got)))
sys.exit(1 if bad or len(got) != len(groups) else 0)
PY
rc=$?
cat "$TMP/funnel.out"
check "every funnel figure equals its recomputation from the raw rows" [ "$rc" = 0 ]
check "the fixtures reach past the first stage" grep -q '"fetched_frame":[1-9]' "$TMP/funnel.json"

"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --tz UTC --format json summary >"$TMP/summary.json"
python3 - "$TMP/summary.json" "$TMP/a.db" "$TMP/b.db" >"$TMP/listing.out" 2>&1 <<'PY'
import datetime, json, sqlite3, sys
got = json.load(open(sys.argv[1]))["listing"]
views, reqs = [], []
for path in sys.argv[2:]:
    db = sqlite3.connect(path)
    views += db.execute("SELECT started_at, id, referer_class FROM views WHERE frames >= 1"
                        " AND referer_class IN ('insecam', 'directory')").fetchall()
    reqs += db.execute("SELECT ts, src_ip FROM requests").fetchall()
at, _, cls = min(views)
before = {ip for ts, ip in reqs if ts < at}
after = {ip for ts, ip in reqs if ts >= at}
day = 86400000
db_ = max(1, -(-(at - min(ts for ts, _ in reqs if ts < at)) // day))
da = max(1, -(-(max(ts for ts, _ in reqs if ts >= at) - at) // day))
want = {"listed_at": datetime.datetime.fromtimestamp(at / 1000, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
        "referer_class": cls, "hosts_before": len(before), "days_before": db_, "hosts_after": len(after),
        "days_after": da}
r = got[0] if len(got) == 1 else {}
ok = all(r.get(k) == v for k, v in want.items())
ok = ok and abs(r["factor"] - round((len(after) / da) / (len(before) / db_), 1)) < 1e-9
print(("ok   " if ok else "FAIL ") + "listing %s (recomputed %s)" % (r, want))
sys.exit(0 if ok else 1)
PY
rc=$?
cat "$TMP/listing.out"
check "the listing moment and its before/after hosts equal their recomputation" [ "$rc" = 0 ]
finish
