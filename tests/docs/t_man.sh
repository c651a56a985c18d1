#!/usr/bin/env bash
# t_man: the man pages lint clean and list exactly what the binaries accept:
# camdecoy.conf(5) every key of camdecoy --help (with the bounds the key table
# enforces), camdecoy(8) every option, camdecoy-report(1) every subcommand and
# option of camdecoy-report --help.
set -u
BIN="${1:?usage: $0 camdecoy camdecoy-report docs/man}"
REPORT="${2:?usage: $0 camdecoy camdecoy-report docs/man}"
MAN="${3:?usage: $0 camdecoy camdecoy-report docs/man}"
EXAMPLE="$(dirname "$0")/../../camdecoy.conf.example"
# absolute, since the checks run in a temporary directory
BIN="$(realpath "$BIN")" REPORT="$(realpath "$REPORT")" MAN="$(realpath "$MAN")"
EXAMPLE="$(realpath "$EXAMPLE")"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 1
FAILS=0

fail() {
	echo "FAIL: $*"
	FAILS=$((FAILS + 1))
}

# same WHAT FROM_BINARY FROM_PAGE: two sorted lists, each difference a failure.
same() {
	local what="$1" bin="$2" page="$3" x
	for x in $(comm -23 <(sort -u <<<"$bin") <(sort -u <<<"$page")); do
		fail "$what '$x' is accepted by the binary but missing from the page"
	done
	for x in $(comm -13 <(sort -u <<<"$bin") <(sort -u <<<"$page")); do
		fail "$what '$x' is in the page but not accepted by the binary"
	done
	[ -n "$bin" ] || fail "no $what found in the binary's help"
}

# section FILE NAME: the lines of one .Sh section.
section() {
	awk -v s="$2" '/^\.Sh /{on = (substr($0, 5) == s); next} on' "$1"
}

# --- Lint: mandoc (and groff where it is installed) say nothing. ---
command -v mandoc >/dev/null || fail "mandoc is not installed (make deps-test installs it)"
mkdir -p man/man1 man/man5 man/man8
if ! cp "$MAN/camdecoy-report.1" man/man1/ || ! cp "$MAN/camdecoy.conf.5" man/man5/ ||
	! cp "$MAN/camdecoy.8" man/man8/; then
	fail "the three pages are not all in $MAN"
fi
# an index, so that the pages' references to each other resolve
command -v makewhatis >/dev/null && makewhatis "$TMP/man" 2>/dev/null
for page in man/man*/*; do
	if command -v mandoc >/dev/null; then
		# references to other packages' pages depend on what this machine has
		MANPATH="$TMP/man" mandoc -T lint -W style "$page" >"$TMP/lint.txt" 2>&1
		grep -v -e 'referenced manual not found' -e 'outdated mandoc.db' "$TMP/lint.txt" \
			>"$TMP/lint.own"
		grep 'referenced manual not found: Xr camdecoy' "$TMP/lint.txt" >>"$TMP/lint.own"
		[ -s "$TMP/lint.own" ] && fail "mandoc -T lint $(basename "$page"): $(cat "$TMP/lint.own")"
	fi
	if command -v groff >/dev/null; then
		groff -mdoc -ww -z "$page" >"$TMP/groff.txt" 2>&1
		[ -s "$TMP/groff.txt" ] && fail "groff -mdoc -ww -z $(basename "$page"): $(cat "$TMP/groff.txt")"
	fi
done

# --- camdecoy.conf(5): every key of the table once, with its bounds. ---
CONF="$MAN/camdecoy.conf.5"
help="$("$BIN" --help)" || fail "camdecoy --help does not exit 0"
bin_keys="$(awk '/^  --/{sub("--", "", $1); print $1}' <<<"$help")"
ints=0
page_keys="$(section "$CONF" KEYS | awk '/^\.It Ic /{print $3}')"
same "key" "$bin_keys" "$page_keys"
for k in $(sort <<<"$page_keys" | uniq -d); do
	fail "key '$k' is described twice in camdecoy.conf(5)"
done
# each key's entry as one line, "key text...", in one pass (\- read as -)
declare -A entry
while read -r k text; do
	entry[$k]="$text"
done < <(section "$CONF" KEYS | awk '/^\.It /{if (k != "") print k, t; k = ($2 == "Ic") ? $3 : ""; t = ""; next}
	/^\.El/{if (k != "") print k, t; k = ""; next} {t = t " " $0} END{if (k != "") print k, t}' |
	sed 's/\\-/-/g')
# the example's "# key = value" lines
declare -A example
while IFS='=' read -r k v; do
	example[${k% }]="${v# }"
done < <(sed -n 's/^# \([a-z-]*\) = /\1 = /p' "$EXAMPLE")
while read -r k line; do
	text="${entry[$k]-}"
	[[ "$text" == *Default* ]] || fail "camdecoy.conf(5) $k: no default given"
	# an integer's bounds and default, as the table gives them in --help
	[[ "$line" =~ \[(-?[0-9]+)\.\.(-?[0-9]+),\ default\ (-?[0-9]+)\]$ ]] || continue
	range="from ${BASH_REMATCH[1]} to ${BASH_REMATCH[2]}" def="${BASH_REMATCH[3]}"
	[[ "$text" == *"$range"* ]] || fail "camdecoy.conf(5) $k: does not say '$range'"
	[[ "$text " =~ Default:\ ${def}[\ .] ]] || fail "camdecoy.conf(5) $k: does not say 'Default: $def'"
	[ "${example[$k]-}" = "$def" ] ||
		fail "camdecoy.conf.example: $k's default is '${example[$k]-}', not '$def'"
	ints=$((ints + 1))
done < <(sed -n 's/^  --//p' <<<"$help")

# --- camdecoy(8): every option that is not a key. ---
opts="$(sed -n '1p' <<<"$help" | grep -o -- '--[a-z][a-z-]*' | sed 's/^--//')"
for o in help version; do
	"$BIN" "--$o" >/dev/null 2>&1 || fail "camdecoy --$o does not exit 0"
	opts="$opts"$'\n'"$o"
done
page_opts="$(section "$MAN/camdecoy.8" OPTIONS | awk '/^\.It /' | grep -o 'Fl \\-[a-z][a-z-]*' |
	sed 's/^Fl \\-//' | grep -v '^key$')"
same "camdecoy option" "$opts" "$page_opts"

# --- camdecoy-report(1): every subcommand and option. ---
rhelp="$("$REPORT" --help)" || fail "camdecoy-report --help does not exit 0"
subs="$(awk '/^subcommands/{on = 1; next} /^[^ ]/{on = 0} on && /^  [a-z]/{print $1}' <<<"$rhelp")"
page_subs="$(section "$MAN/camdecoy-report.1" SUBCOMMANDS | awk '/^\.It Cm /{print $3}')"
same "subcommand" "$subs" "$page_subs"
# each subcommand of the page is one the tool runs: over a ClickHouse that
# is not there it fails to connect (1), an unknown one is a usage error (2)
for s in $page_subs no-such-subcommand; do
	"$REPORT" --clickhouse http://127.0.0.1:1/ "$s" --out "$TMP/out" >/dev/null 2>&1
	rc=$?
	if [ "$s" = no-such-subcommand ]; then
		[ "$rc" -eq 2 ] || fail "camdecoy-report $s: exit $rc, not 2"
	else
		[ "$rc" -ne 2 ] || fail "camdecoy-report refuses the subcommand '$s' (exit 2)"
	fi
done
ropts="$(grep -o -- '--[a-z][a-z-]*' <<<"$rhelp" | sed 's/^--//')"$'\n'"help"
page_ropts="$(section "$MAN/camdecoy-report.1" OPTIONS | awk '/^\.It /' |
	grep -o 'Fl \\-[a-z][a-z-]*' | sed 's/^Fl \\-//')"
same "camdecoy-report option" "$ropts" "$page_ropts"

if [ "$FAILS" -gt 0 ]; then
	echo "$FAILS check(s) failed"
	exit 1
fi
echo "man pages: $(wc -w <<<"$bin_keys") keys ($ints with bounds), $(wc -w <<<"$subs") subcommands, lint clean"
