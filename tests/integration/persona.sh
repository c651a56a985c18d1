# shellcheck shell=bash
# persona.sh: the checks every persona must pass (sourced by t_persona_*.sh).
# Expects: PERSONA, PAGE (a page path), TITLE (text in that page), STREAM,
# SNAPSHOT, AUTH (a protected path), SERVER (expected Server header or ""),
# REALM (the challenge's realm, exactly), NOTFOUND (text of the 404 page).

check_persona() {
	local fps=10 frames size

	start_decoy --persona "$PERSONA" --fps "$fps" --size 640x480 || { bad "start $PERSONA"; return; }

	# The live page: persona headers and title.
	curl -s -D "$TMP/page.h" -o "$TMP/page.html" "$BASE$PAGE"
	check "$PERSONA page status" [ "$(status "$TMP/page.h")" = 200 ]
	check "$PERSONA page title" grep -q "$TITLE" "$TMP/page.html"
	check "$PERSONA Server header" [ "$(header "$TMP/page.h" Server)" = "$SERVER" ]

	# Unknown path: the persona's own 404, never libmicrohttpd's text.
	curl -s -D "$TMP/404.h" -o "$TMP/404.html" "$BASE/no/such/page.cgi?x=1"
	check "$PERSONA 404 status" [ "$(status "$TMP/404.h")" = 404 ]
	check "$PERSONA 404 body is the persona's" grep -q "$NOTFOUND" "$TMP/404.html"
	check "$PERSONA 404 is not libmicrohttpd's" \
		bash -c "! grep -qi 'microhttpd' '$TMP/404.html' '$TMP/404.h'"

	# Wrong method on a page.
	curl -s -D "$TMP/405.h" -o /dev/null -X DELETE "$BASE$PAGE"
	check "$PERSONA 405 status" [ "$(status "$TMP/405.h")" = 405 ]

	# A protected path challenges like the firmware.
	curl -s -D "$TMP/401.h" -o /dev/null "$BASE$AUTH"
	check "$PERSONA 401 status" [ "$(status "$TMP/401.h")" = 401 ]
	local realm
	realm="$(header "$TMP/401.h" WWW-Authenticate | sed -n 's/.*realm="\([^"]*\)".*/\1/p')"
	check "$PERSONA 401 realm is \"$REALM\" (got \"$realm\")" [ "$realm" = "$REALM" ]

	# Snapshot: a JPEG of the configured size; a cache-buster is ignored.
	curl -s -D "$TMP/snap.h" -o "$TMP/snap1.jpg" "$BASE$SNAPSHOT${SNAPSHOT_QS}1518051386"
	check "$PERSONA snapshot status" [ "$(status "$TMP/snap.h")" = 200 ]
	check "$PERSONA snapshot type" [ "$(header "$TMP/snap.h" Content-Type)" = image/jpeg ]
	size="$(jpeg_size "$TMP/snap1.jpg")"
	check "$PERSONA snapshot is 640x480 (got $size)" [ "$size" = 640x480 ]
	sleep 2
	curl -s -o "$TMP/snap2.jpg" "$BASE$SNAPSHOT"
	check "$PERSONA snapshots 2 s apart differ" bash -c "! cmp -s '$TMP/snap1.jpg' '$TMP/snap2.jpg'"

	# Stream: the persona's multipart headers, then ffmpeg decodes ~fps frames/s.
	curl -s -D "$TMP/stream.h" -o "$TMP/stream.bin" --max-time 2 "$BASE$STREAM?COUNTER"
	local ctype boundary
	ctype="$(header "$TMP/stream.h" Content-Type)"
	boundary="${ctype##*boundary=}"
	check "$PERSONA stream content type ($ctype)" \
		bash -c "[[ '$ctype' == multipart/x-mixed-replace* ]]"
	check "$PERSONA stream not chunked" bash -c "! grep -qi '^Transfer-Encoding' '$TMP/stream.h'"
	check "$PERSONA parts use the boundary" \
		bash -c "head -c 200 '$TMP/stream.bin' | grep -qa -- '--$boundary'"
	check "$PERSONA parts carry Content-Length" \
		bash -c "head -c 200 '$TMP/stream.bin' | grep -qa 'Content-Length: '"
	frames="$(stream_frames "$BASE$STREAM" 3)"
	echo "$PERSONA: ffmpeg decoded ${frames:-0} frames in 3 s at $fps fps"
	check "$PERSONA stream frame rate (${frames:-0} frames in 3 s)" \
		bash -c "[ '${frames:-0}' -ge 24 ] && [ '${frames:-0}' -le 36 ]"

	stop_decoy
}
