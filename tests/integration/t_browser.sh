#!/usr/bin/env bash
# t_browser: headless Chromium renders the axis live page with a live picture in it.
. "$(dirname "$0")/lib.sh"

CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$CHROMIUM" ]; then
	bad "chromium is not installed (make deps-test installs it)"
	finish
	exit 1
fi

# shot URL PNG: a 1024x768 screenshot, giving the stream 4 s to arrive.
shot() {
	timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --no-first-run --disable-sync --disable-quic \
		--user-data-dir="$TMP/chromium" --window-size=1024,768 --timeout=4000 \
		--screenshot="$2" "$1" >"$TMP/chromium.log" 2>&1
}

# region_stats PNG: "mean stddev" of the grey levels where the live image sits
# (the page puts the 640x480 image at about x=25..665, y=80..560).
region_stats() {
	ffmpeg -nostdin -v error -i "$1" -vf "crop=500:350:100:150,format=gray" -f rawvideo - |
		camclient graystats
}

start_decoy || { finish; exit 1; }
shot "$BASE/view/viewer_index.shtml" "$TMP/live.png"
check "chromium wrote a screenshot" [ -s "$TMP/live.png" ]
read -r mean sd <<<"$(region_stats "$TMP/live.png")"
echo "browser: live image region mean=$mean stddev=$sd"
check "the live image region is a picture, not blank (stddev $sd)" [ "${sd:-0}" -ge 20 ]
check "the live image region is not white page background (mean $mean)" [ "${mean:-255}" -le 200 ]

# Control: the same layout with the image pointing at a missing path shows a
# broken-image box, which the same measurement must reject.
cat >"$TMP/broken.html" <<HTML
<html><head><link rel="stylesheet" href="$BASE/css/axis.css"></head><body>
<div id="topbar">x</div><div id="main"><div id="camname">x</div><div id="viewarea">
<img src="$BASE/no/such/video.mjpg" width="640" height="480"></div></div></body></html>
HTML
shot "file://$TMP/broken.html" "$TMP/broken.png"
read -r mean sd <<<"$(region_stats "$TMP/broken.png")"
echo "browser: broken-image control mean=$mean stddev=$sd"
check "the measurement rejects a broken image (stddev $sd)" [ "${sd:-99}" -lt 20 ]
stop_decoy
finish
