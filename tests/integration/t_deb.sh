#!/usr/bin/env bash
# t_deb: the Debian package `make deb` built (BUILD/deb/camdecoy_*.deb, or
# CAMDECOY_DEB): lint-clean, the files it promises, units as strict as the
# source tree's, and each shipped decoy starting from the installed tree.
# The package build compiles everything, so this runs in `make test-long`.
. "$(dirname "$0")/lib.sh"
SRC="$(cd "$(dirname "$0")/../.." && pwd)"
PERSONAS="axis panasonic hikvision netwave"

DEB="${CAMDECOY_DEB:-}"
if [ -z "$DEB" ]; then
	for f in "$(dirname "$BIN")"/deb/camdecoy_*.deb; do [ -s "$f" ] && DEB="$f"; done
fi
if [ -z "$DEB" ] || [ ! -s "$DEB" ]; then
	bad "no package to check: run make deb (or set CAMDECOY_DEB)"
	finish
	exit
fi

if lintian --fail-on error,warning "$DEB" >"$TMP/lintian" 2>&1; then ok; else
	bad "lintian: errors or warnings in $DEB"
	cat "$TMP/lintian" >&2
fi

ROOT="$TMP/root"
dpkg-deb -x "$DEB" "$ROOT"
dpkg-deb -e "$DEB" "$TMP/control"

# --- the files it promises ---
for f in usr/sbin/camdecoy usr/bin/camdecoy-report \
	lib/systemd/system/camdecoy.service lib/systemd/system/camdecoy@.service \
	etc/camdecoy/camdecoy.conf etc/logrotate.d/camdecoy \
	usr/share/camdecoy/geoip/geo-whois-asn-country.mmdb usr/share/camdecoy/geoip/asn.mmdb \
	usr/share/doc/camdecoy/copyright \
	usr/share/man/man8/camdecoy.8.gz usr/share/man/man5/camdecoy.conf.5.gz \
	usr/share/man/man1/camdecoy-report.1.gz; do
	check "the package has /$f" [ -s "$ROOT/$f" ]
done
for p in $PERSONAS; do
	check "the package has /etc/camdecoy/$p.conf" [ -s "$ROOT/etc/camdecoy/$p.conf" ]
done
for f in "$ROOT"/etc/camdecoy/* "$ROOT"/etc/logrotate.d/*; do
	check "${f#"$ROOT"} is a conffile" grep -qx "${f#"$ROOT"}" "$TMP/control/conffiles"
done
check "the daemon is executable" [ -x "$ROOT/usr/sbin/camdecoy" ]
check "the report tool is executable" [ -x "$ROOT/usr/bin/camdecoy-report" ]
# The state belongs to each instance (StateDirectory): nothing of it ships.
check "the package ships nothing in /var" [ ! -e "$ROOT/var" ]
CR="$ROOT/usr/share/doc/camdecoy/copyright"
for db in geo-whois-asn-country asn; do
	check "copyright: $db.mmdb is CC BY 4.0" \
		sh -c "sed -n '/^Files: build\/geoip\/$db.mmdb/,/^\$/p' '$CR' | grep -qx 'License: CC-BY-4.0'"
done
check "copyright carries the CC BY 4.0 notice" grep -q '^License: CC-BY-4.0$' "$CR"
# Upgrades keep the data: no maintainer script names a database or the state.
for s in preinst postinst prerm postrm; do
	[ -f "$TMP/control/$s" ] || continue
	check "$s never touches a database" sh -c "! grep -v '^[[:space:]]*#' '$TMP/control/$s' | grep -Eq '\\.db|\\.mmdb|/var/lib|geoip'"
done

# --- the manual pages, in their sections ---
for page in camdecoy.8 camdecoy.conf.5 camdecoy-report.1; do
	name="${page%.*}" sect="${page##*.}"
	gz="$ROOT/usr/share/man/man$sect/$page.gz"
	check "$page is mdoc for section $sect" sh -c "zcat '$gz' | grep -qix '\\.Dt $name $sect'"
	check "$page renders" sh -c "MANWIDTH=80 man -l '$gz' 2>/dev/null | grep -q ."
done

# --- the units: verified, exposure <= 2.0, the same sandbox as decoy/ ---
UNITS="$ROOT/lib/systemd/system"
mkdir -p "$TMP/units"
cp "$UNITS"/camdecoy.service "$UNITS"/camdecoy@.service "$TMP/units/"
cp "$UNITS"/camdecoy@.service "$TMP/units/camdecoy@axis.service"
for u in camdecoy.service camdecoy@axis.service; do
	# verify wants the command to exist where the unit says: the scratch root's.
	sed -i "s|=/usr/sbin/camdecoy|=$ROOT/usr/sbin/camdecoy|" "$TMP/units/$u"
	if systemd-analyze verify --man=no "$TMP/units/$u" >"$TMP/verify" 2>&1 &&
		! grep -v 'Unit is bound to inactive unit\|network-online.target' "$TMP/verify" | grep -q .; then
		ok
	else
		bad "systemd-analyze verify $u"
		cat "$TMP/verify" >&2
	fi
	systemd-analyze security --offline=true --no-pager "$TMP/units/$u" >"$TMP/sec" 2>&1
	level="$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' "$TMP/sec")"
	check "$u: systemd-analyze gave an exposure level" [ -n "$level" ]
	check "$u: exposure $level <= 2.0" python3 -c "import sys; sys.exit(not float('${level:-99}') <= 2.0)"
done
# Everything but the names and paths is the sandbox of decoy/camdecoy.service.
sandbox() {
	grep -Ev '^(#|$|Description=|Documentation=|ExecStart=|ExecStartPre=|StateDirectory=|WorkingDirectory=)' "$1"
}
for u in camdecoy.service camdecoy@.service; do
	if diff <(sandbox "$SRC/decoy/camdecoy.service") <(sandbox "$UNITS/$u") >"$TMP/diff"; then ok; else
		bad "$u's sandbox differs from decoy/camdecoy.service's"
		cat "$TMP/diff" >&2
	fi
done
check "camdecoy@NAME reads /etc/camdecoy/NAME.conf, keeps /var/lib/camdecoy/NAME" \
	grep -q '^ExecStart=/usr/sbin/camdecoy --config /etc/camdecoy/%i.conf --db /var/lib/camdecoy/%i/camdecoy.db$' \
	"$UNITS/camdecoy@.service"
check "camdecoy@NAME's state directory" grep -qx 'StateDirectory=camdecoy/%i' "$UNITS/camdecoy@.service"

# The unit's ExecStartPre, as written, on the installed tree (state in $TMP).
unit_check() { # UNIT INSTANCE [CONFIG]: runs the unit's ExecStartPre
	local cmd
	cmd="$(sed -n 's/^ExecStartPre=//p' "$UNITS/$1" | sed -e "s/%i/$2/g" \
		-e "s|^/usr/sbin/|$ROOT/usr/sbin/|" -e "s|/etc/camdecoy/|$ROOT/etc/camdecoy/|" \
		-e "s|/var/lib/camdecoy/|$TMP/state/|")"
	[ -n "${3:-}" ] && cmd="$(echo "$cmd" | sed "s|$ROOT/etc/camdecoy/$2.conf|$3|")"
	# shellcheck disable=SC2086
	$cmd
}
out="$(unit_check camdecoy.service camdecoy 2>&1)"
check "camdecoy.service's ExecStartPre passes on the installed camdecoy.conf ($out)" [ "$out" = "configuration OK" ]
for p in $PERSONAS; do
	out="$(unit_check camdecoy@.service "$p" 2>&1)"
	check "camdecoy@$p's ExecStartPre passes on the installed $p.conf ($out)" [ "$out" = "configuration OK" ]
done
# A bad value fails the start there, with the key named.
{ cat "$ROOT/etc/camdecoy/axis.conf"; echo "fps = 99"; } >"$TMP/bad.conf"
unit_check camdecoy@.service axis "$TMP/bad.conf" >"$TMP/bad.out" 2>&1
check "ExecStartPre refuses a bad value with status 2" [ "$?" = 2 ]
check "... naming the key" grep -q 'fps' "$TMP/bad.out"
# Four decoys side by side: four ports, four event logs.
ports="$(for p in $PERSONAS; do sed -n 's/^listen = .*:\([0-9]*\)$/\1/p' "$ROOT/etc/camdecoy/$p.conf"; done | sort -u | wc -l)"
check "the four shipped configurations listen on four ports ($ports)" [ "$ports" = 4 ]
for p in $PERSONAS; do
	check "$p.conf logs events in /var/lib/camdecoy/$p" \
		grep -qx "event-log = /var/lib/camdecoy/$p/events.jsonl" "$ROOT/etc/camdecoy/$p.conf"
done

# --- the installed decoys, from the installed configurations, on loopback ---
BUILD_BIN="$BIN"
BIN="$ROOT/usr/sbin/camdecoy"
REPORT="$ROOT/usr/bin/camdecoy-report"
GEO="$ROOT/usr/share/camdecoy/geoip"
snapshot_path() {
	case "$1" in
	axis) echo /jpg/image.jpg ;;
	panasonic) echo "/SnapshotJPEG?Resolution=640x480&Quality=Clarity" ;;
	hikvision) echo /ISAPI/Streaming/channels/101/picture ;;
	netwave) echo /snapshot.cgi ;;
	esac
}
# Without --geoip flags the installed binary reads the databases where the
# package puts them (it says so when they are not there: not installed here).
port="$(free_port)"
"$BIN" --listen "127.0.0.1:$port" --db "$TMP/defaults.db" "${AS_USER[@]}" >"$TMP/defaults.log" 2>&1 &
pid=$!
wait_http "http://127.0.0.1:$port/"
kill -TERM "$pid"
wait "$pid"
for db in geo-whois-asn-country asn; do
	if [ -s "/usr/share/camdecoy/geoip/$db.mmdb" ]; then
		check "the default $db.mmdb opens" sh -c "! grep -q 'cannot use' '$TMP/defaults.log'"
	else
		check "the default database is /usr/share/camdecoy/geoip/$db.mmdb" \
			grep -q "cannot use /usr/share/camdecoy/geoip/$db.mmdb:" "$TMP/defaults.log"
	fi
done

# The shipped logrotate rule, pointed at this scenario's state directory.
LR="$TMP/lr"
sed "s|/var/lib/camdecoy/|$LR/|" "$ROOT/etc/logrotate.d/camdecoy" >"$TMP/logrotate.conf"
chmod 644 "$TMP/logrotate.conf"
for p in $PERSONAS; do
	mkdir -p "$LR/$p"
	start_decoy --config "$ROOT/etc/camdecoy/$p.conf" --event-log "$LR/$p/events.jsonl" \
		--geoip "$GEO/geo-whois-asn-country.mmdb" --geoip-asn "$GEO/asn.mmdb" || { bad "$p did not start"; continue; }
	check "$p: the installed decoy says it is $p" [ "$(sql "SELECT value FROM meta WHERE key = 'persona'")" = "$p" ]
	check "$p: the shipped country database is open" [ -n "$(sql "SELECT value FROM meta WHERE key = 'geoip_type'")" ]
	check "$p: the shipped ASN database is open" [ -n "$(sql "SELECT value FROM meta WHERE key = 'geoip_asn_type'")" ]
	curl -s -D "$TMP/$p.h" -o "$TMP/$p.jpg" --max-time 5 "$BASE$(snapshot_path "$p")"
	check "$p: the snapshot is a JPEG" [ "$(header "$TMP/$p.h" Content-Type)" = image/jpeg ]
	check "$p: a 640x480 frame" [ "$(jpeg_size "$TMP/$p.jpg")" = 640x480 ]
	if [ "$p" = axis ]; then
		stream_frame "$BASE/mjpg/video.mjpg" "$TMP/frame.jpg"
		check "axis: the stream serves a frame" [ "$(jpeg_size "$TMP/frame.jpg")" = 640x480 ]
		# Rotation while the decoy writes: the old lines move to .1, the next
		# lands at the start of the emptied file (O_APPEND: no hole of NULs).
		for _ in $(seq 1 100); do [ -s "$LR/axis/events.jsonl" ] && break; sleep 0.1; done
		check "axis: the event log has lines" [ -s "$LR/axis/events.jsonl" ]
		logrotate -f -s "$TMP/logrotate.state" "$TMP/logrotate.conf" >"$TMP/lr.out" 2>&1
		check "logrotate accepts the shipped rule" [ "$?" = 0 ]
		check "the rotated log holds the earlier events" grep -q '"event":"http.request"' "$LR/axis/events.jsonl.1"
		curl -s -o /dev/null --max-time 5 "$BASE/jpg/image.jpg?after-rotation"
		for _ in $(seq 1 100); do grep -q after-rotation "$LR/axis/events.jsonl" 2>/dev/null && break; sleep 0.1; done
		check "the decoy goes on writing the rotated log" grep -q after-rotation "$LR/axis/events.jsonl"
		check "... from its first byte" [ "$(head -c 1 "$LR/axis/events.jsonl")" = "{" ]
	fi
	stop_decoy
done
BIN="$BUILD_BIN"

# --- upgrades keep the data: dpkg into a scratch root, then a newer version ---
# The maintainer scripts run outside a chroot (DPKG_ROOT is the scratch root,
# which deb-systemd-helper honours); with a running systemd here they would
# talk to it, so then this part is left out.
if [ -d /run/systemd/system ]; then
	echo "systemd runs here: the dpkg --root upgrade is skipped" >&2
else
	D="$TMP/droot"
	mkdir -p "$D/var/lib/dpkg/info" "$D/var/lib/dpkg/updates"
	: >"$D/var/lib/dpkg/status"
	dpkg-deb -R "$DEB" "$TMP/next"
	sed -i 's/^Version: \(.*\)$/Version: \1+1/' "$TMP/next/DEBIAN/control"
	dpkg-deb -b "$TMP/next" "$TMP/next.deb" >/dev/null
	dpkg_root() {
		dpkg --root="$D" --force-script-chrootless --force-depends --log=/dev/null "$@" >>"$TMP/dpkg.out" 2>&1
	}
	check "dpkg installs the package" dpkg_root -i "$DEB"
	# A decoy's state and an operator's edit, as a running host would have them.
	mkdir -p "$D/var/lib/camdecoy/axis"
	cp "$TMP/defaults.db" "$D/var/lib/camdecoy/axis/camdecoy.db"
	echo '{"event":"http.request"}' >"$D/var/lib/camdecoy/axis/events.jsonl"
	sed -i 's/^listen = .*/listen = 0.0.0.0:8080/' "$D/etc/camdecoy/axis.conf"
	state() { (cd "$D/var/lib/camdecoy" && find . -type f | sort | xargs sha256sum); }
	state >"$TMP/state.before"
	check "a database to keep" grep -q camdecoy.db "$TMP/state.before"
	check "dpkg upgrades it" dpkg_root -i "$TMP/next.deb"
	state >"$TMP/state.upgraded"
	check "the upgrade leaves the state alone" cmp -s "$TMP/state.before" "$TMP/state.upgraded"
	check "the upgrade keeps the operator's configuration" grep -qx 'listen = 0.0.0.0:8080' "$D/etc/camdecoy/axis.conf"
	check "dpkg purges it" dpkg_root --purge camdecoy
	state >"$TMP/state.purged"
	check "a purge leaves the recordings too" cmp -s "$TMP/state.before" "$TMP/state.purged"
	[ "$FAILED" = 0 ] || cat "$TMP/dpkg.out" >&2
fi
finish
