#!/usr/bin/env bash
# t_report: camdecoy-report on two fixture databases: exact golden output for
# every subcommand and format, merging, filters and zones, and the HTML report
# with its charts (valid SVG, PNGs of the right size, rendered by Chromium).
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
check "report written" [ -s "$TMP/rep/index.html" ]
for ch in view_durations host_series country_shares duration_cdf credential_timeline funnel; do
	check "$ch.svg is valid XML" xmllint --noout "$TMP/rep/$ch.svg"
	size="$(python3 -c 'import struct,sys; d=open(sys.argv[1],"rb").read(24); print("%dx%d" % struct.unpack(">II", d[16:24]) if d[:8]==b"\x89PNG\r\n\x1a\n" else "bad")' "$TMP/rep/$ch.png")"
	check "$ch.png is a 960x520 PNG ($size)" [ "$size" = 960x520 ]
	check "$ch.pdf exists" bash -c "head -c 5 '$TMP/rep/$ch.pdf' | grep -q '%PDF-'"
	check "$ch data files" [ -s "$TMP/rep/$ch.csv" -a -s "$TMP/rep/$ch.json" ]
done
"$REPORT" --db "$TMP/a.db" --db "$TMP/b.db" --tz UTC --format csv funnel >"$TMP/funnel.csv"
check "the funnel chart draws the funnel subcommand's figures" cmp -s "$TMP/funnel.csv" "$TMP/rep/funnel.csv"
check "index.html forbids scripts" grep -q "script-src 'none'" "$TMP/rep/index.html"
check "attacker markup is escaped in the page" \
	bash -c "grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' '$TMP/rep/index.html' && ! grep -q '<script>' '$TMP/rep/index.html'"

CHROMIUM="$(command -v chromium || true)"
if [ -n "$CHROMIUM" ]; then
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --disable-sync --user-data-dir="$TMP/chromium" \
		--allow-file-access-from-files --window-size=1100,1400 --screenshot="$TMP/report.png" \
		"file://$TMP/rep/index.html" >"$TMP/chromium.log" 2>&1
	# the first chart sits at the top of the page: its plot must not be blank
	read -r mean sd <<<"$(ffmpeg -nostdin -v error -i "$TMP/report.png" -vf "crop=900:480:24:120,format=gray" -f rawvideo - |
		python3 -c 'import sys,statistics as s; d=sys.stdin.buffer.read(); print(round(s.mean(d)), round(s.pstdev(d)))')"
	echo "report: screenshot chart region mean=$mean stddev=$sd"
	check "Chromium shows the charts (stddev $sd)" [ "${sd:-0}" -ge 15 ]
else
	bad "chromium is not installed"
fi
finish
