#!/usr/bin/env bash
# t_funnel: `camdecoy-report funnel` on the two report fixtures, recomputed
# here from the raw rows (requests, views, logins of both databases) and
# compared row by row: hosts that requested anything -> fetched a frame ->
# watched over 10 s / 60 s / 4 min -> tried a login -> used a trap
# credential, in all, per referer class and per country.
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
    for ip, kind in db.execute("SELECT src_ip, match_kind FROM logins"):
        tried.add(ip)
        if kind in ("exact", "password-only", "static"): used.add(ip)
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
finish
