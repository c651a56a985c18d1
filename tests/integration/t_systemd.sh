#!/usr/bin/env bash
# t_systemd: the unit in decoy/ is as strict as promised: systemd-analyze
# rates its exposure at 2.0 or lower, and the settings the decoy relies on
# are there.
. "$(dirname "$0")/lib.sh"
UNIT="$(dirname "$0")/../../decoy/camdecoy.service"

systemd-analyze security --offline=true --no-pager "$UNIT" >"$TMP/sec" 2>&1
level="$(sed -n 's/.*Overall exposure level for camdecoy.service: \([0-9.]*\).*/\1/p' "$TMP/sec")"
check "systemd-analyze gave an exposure level" [ -n "$level" ]
check "exposure $level <= 2.0" python3 -c "import sys; sys.exit(not float('${level:-99}') <= 2.0)"
for want in NoNewPrivileges=yes ProtectSystem=strict PrivateTmp=yes DynamicUser=yes StateDirectory=camdecoy \
	CapabilityBoundingSet=CAP_NET_BIND_SERVICE "RestrictAddressFamilies=AF_INET AF_INET6" \
	SystemCallFilter=@system-service LimitNOFILE=8192; do
	check "unit sets $want" grep -qx "$want" "$UNIT"
done
# The unit's ExecStart names only keys the decoy accepts.
args="$(sed -n 's|^ExecStart=/usr/local/bin/camdecoy ||p' "$UNIT")"
printf 'listen = 127.0.0.1:8080\n' >"$TMP/unit.conf"
# shellcheck disable=SC2046 # the unit's words, split as systemd splits them
check "the unit's command line is a valid configuration" \
	"$BIN" $(echo "$args" | sed -e "s|/etc/camdecoy/camdecoy.conf|$TMP/unit.conf|" -e "s|/var/lib/camdecoy/|$TMP/|") --check-config
finish
