#!/usr/bin/env bash
# t_report: camdecoy-report on two fixture databases: exact golden output for
# every subcommand and format, merging, filters and zones, and the HTML report
# with its charts (valid SVG, PNGs of the right size, rendered by Chromium);
# no invisible or direction-changing character reaches any output raw.
. "$(dirname "$0")/lib.sh"

REPORT="$(dirname "$BIN")/camdecoy-report"
MKFIX="$(dirname "$BIN")/tests/mkfixture"
HERE="$(cd "$(dirname "$0")/../analytics" && pwd)"
"$MKFIX" "$TMP/a.db" "$HERE/fixture_a.sql" tokyo-1 && "$MKFIX" "$TMP/b.db" "$HERE/fixture_b.sql" osaka-1 ||
	{ bad "fixtures"; finish; exit 1; }

for c in summary countries referers credentials views "views --merged" funnel abuse; do
	for f in text csv json; do
		name="$(echo "$c" | tr -d ' -')"
		# shellcheck disable=SC2086
		"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --tz UTC --format "$f" $c >"$TMP/out.$name.$f" 2>"$TMP/err"
		check "golden $c ($f)" cmp -s "$TMP/out.$name.$f" "$HERE/golden/$name.$f"
		cmp -s "$TMP/out.$name.$f" "$HERE/golden/$name.$f" || diff "$HERE/golden/$name.$f" "$TMP/out.$name.$f" | head -20 >&2
	done
done

# A host seen by both sensors counts once in the totals, once per sensor.
"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --format csv summary >"$TMP/s.csv"
check "198.51.100.7 once in the total (6 hosts)" grep -q '^"total",6,' "$TMP/s.csv"
check "per sensor: osaka-1 2 hosts, tokyo-1 5" \
	bash -c "grep -q '^\"osaka-1\",2,' '$TMP/s.csv' && grep -q '^\"tokyo-1\",5,' '$TMP/s.csv'"

# Filters and zones.
"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --format csv --sensor osaka-1 countries >"$TMP/c.csv"
check "--sensor keeps one sensor" [ "$(grep -c '^"' "$TMP/c.csv")" = 3 ]
"$REPORT" --db "$TMP/a.db" --format csv --since 2026-02-09 --until 2026-02-09T12:00:00Z summary >"$TMP/f.csv"
check "--since/--until window" grep -q '^"total",4,2,3,3,1,' "$TMP/f.csv"
"$REPORT" --db "$TMP/a.db" --format csv --tz Asia/Tokyo summary >"$TMP/z.csv"
check "--tz moves 23:30 UTC into the next day in Tokyo" grep -q '^"2026-02-10",1,1,1,1,' "$TMP/z.csv"
"$REPORT" --db "$TMP/a.db" --since yesterday summary >/dev/null 2>"$TMP/err"
rc=$?
check "a bad --since exits 2 ($rc)" [ "$rc" -eq 2 ]
check "a bad --since is a usage error naming it" grep -q -- '--since' "$TMP/err"
"$REPORT" --db "$TMP/missing.db" summary >/dev/null 2>"$TMP/err"
check "a missing database is a clear error" grep -q "missing.db" "$TMP/err"

# The report directory.
"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --tz UTC report --out "$TMP/rep" >/dev/null 2>"$TMP/err"
rc=$?
check "report written" [ -s "$TMP/rep/index.html" ]
# the sanitizer build too: no LeakSanitizer report (fontconfig's caches)
check "report --out exits 0 ($rc), nothing on stderr" [ "$rc" = 0 -a ! -s "$TMP/err" ]
[ -s "$TMP/err" ] && head -5 "$TMP/err" >&2
for ch in view_durations host_series country_shares duration_cdf credential_timeline funnel exploit_families; do
	check "$ch.svg is valid XML" xmllint --noout "$TMP/rep/$ch.svg"
	size="$(camclient pngsize "$TMP/rep/$ch.png")"
	check "$ch.png is a 960x520 PNG ($size)" [ "$size" = 960x520 ]
	check "$ch.pdf exists" bash -c "head -c 5 '$TMP/rep/$ch.pdf' | grep -q '%PDF-'"
	check "$ch data files" [ -s "$TMP/rep/$ch.csv" -a -s "$TMP/rep/$ch.json" ]
done
"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --tz UTC --format csv funnel >"$TMP/funnel.csv"
check "the funnel chart draws the funnel subcommand's figures" cmp -s "$TMP/funnel.csv" "$TMP/rep/funnel.csv"
check "the page has the exploits' rules and leak uses, every attempt as files" bash -c "grep -q '<h2>exploit_rules</h2>' '$TMP/rep/index.html' && grep -q '<h2>leak_uses</h2>' '$TMP/rep/index.html' && ! grep -q '<h2>exploit_attempts</h2>' '$TMP/rep/index.html' && [ -s '$TMP/rep/exploit_attempts.csv' ]"
check "index.html forbids scripts" grep -q "script-src 'none'" "$TMP/rep/index.html"
check "attacker markup is escaped in the page" \
	bash -c "grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' '$TMP/rep/index.html' && ! grep -q '<script>' '$TMP/rep/index.html'"

# Invisible and direction-changing characters (LRM, RLM, ALM, BOM, ZWJ, soft
# hyphen, a tag character, RLO) in a User-Agent, a Referer, a path and a
# username reach no output raw: not text, CSV, JSON, nor the report's files.
python3 - >"$TMP/invisible.sql" <<'PY'
marks = ["\u200e", "\u200f", "\u061c", "\ufeff", "\u200d", "\u00ad", "\U000e0041", "\u202e"]
s = "x" + "x".join(marks) + "x"
q = s.replace("'", "''")
print("INSERT INTO views (id, sensor, kind, src_ip, user_agent, referer, referer_class, client_class, persona,"
      " started_at, frames, bytes, probe) VALUES (1, 'inv-1', 'stream', '192.0.2.1', 'ua%s', 'http://r%s/',"
      " 'other', 'browser', 'axis', 1770627600000, 5, 1, 0);" % (q, q))
print("INSERT INTO requests (id, ts, sensor, src_ip, method, path, user_agent, referer_class, persona,"
      " client_class) VALUES (1, 1770627600000, 'inv-1', '192.0.2.1', 'GET', '/p%s', 'ua%s', 'none', 'axis',"
      " 'browser');" % (q, q))
print("INSERT INTO logins (id, ts, sensor, channel, src_ip, persona, match_kind, username) VALUES"
      " (1, 1770627700000, 'inv-1', 'form', '192.0.2.1', 'axis', 'none', 'u%s');" % q)
PY
"$MKFIX" "$TMP/inv.db" "$TMP/invisible.sql" inv-1 || bad "the invisible fixture"
for c in summary referers credentials views abuse; do
	for f in text csv json; do
		"$REPORT" --db "$TMP/inv.db" --tz UTC --format "$f" $c >"$TMP/inv.$c.$f" 2>&1
	done
done
"$REPORT" --db "$TMP/inv.db" --tz UTC report --out "$TMP/inv-rep" >/dev/null 2>&1
check "no invisible or direction-changing character reaches an output raw" python3 -c '
import glob, sys
marks = "\u200e\u200f\u061c\ufeff\u200d\u00ad\U000e0041\u202e"
files = glob.glob(sys.argv[1] + "/inv.*.*") + glob.glob(sys.argv[1] + "/inv-rep/*.html") + \
        glob.glob(sys.argv[1] + "/inv-rep/*.csv") + glob.glob(sys.argv[1] + "/inv-rep/*.json")
seen = [f for f in files if any(m in open(f, encoding="utf-8", errors="replace").read() for m in marks)]
print("report: %d outputs with invisible characters, %d raw" % (len(files), len(seen)))
sys.exit(1 if seen or len(files) < 15 else 0)' "$TMP"
check "and the rows are there, the marks shown" grep -qF 'uax?x?x' "$TMP/inv.views.text"

CHROMIUM="$(command -v chromium || true)"
if [ -n "$CHROMIUM" ]; then
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --disable-sync --user-data-dir="$TMP/chromium" \
		--allow-file-access-from-files --window-size=1100,1400 --screenshot="$TMP/report.png" \
		"file://$TMP/rep/index.html" >"$TMP/chromium.log" 2>&1
	# the first chart sits at the top of the page: its plot must not be blank
	read -r mean sd <<<"$(ffmpeg -nostdin -v error -i "$TMP/report.png" -vf "crop=900:480:24:120,format=gray" -f rawvideo - |
		camclient graystats)"
	echo "report: screenshot chart region mean=$mean stddev=$sd"
	check "Chromium shows the charts (stddev $sd)" [ "${sd:-0}" -ge 15 ]
else
	bad "chromium is not installed"
fi
finish
