#!/usr/bin/env bash
# render.sh OUT_DIR META_C [SAMPLES] [SCALE] [ONLY]: renders the four scenes
# with Blender (Cycles, headless, niced: a 2-core machine stays usable) into
# OUT_DIR (<scene>_day.jpg, <scene>_night.jpg, the passer-by's sheet, the
# room's depth against its path <scene>_depth.jpg, <scene>.json) and packs
# their geometry into META_C. `make scenes` runs it with the committed
# assets as OUT_DIR (16 samples: 4-10 minutes on 2 cores); SCALE (percent)
# renders smaller pictures for a quick check; ONLY=depth writes the depth
# layers and the geometry alone (ray-cast, no path tracing: a minute).
set -euo pipefail
out="$1" meta="$2" samples="${3:-24}" scale="${4:-100}" only="${5:-}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v blender >/dev/null || { echo "render.sh: blender is not installed (apt-get install blender)" >&2; exit 1; }
mkdir -p "$out"
for scene in server_room office warehouse car_park; do
	start=$(date +%s)
	nice -n 10 blender -b --factory-startup -P "$here/$scene.py" -- --out "$out" --samples "$samples" \
		--scale "$scale" --only "$only" >"$out/$scene.log" 2>&1 || { tail -n 20 "$out/$scene.log" >&2; exit 1; }
	files=("${scene}_depth.jpg" "$scene.json")
	[ "$only" = depth ] || files+=("${scene}_day.jpg" "${scene}_night.jpg")
	for f in "${files[@]}"; do
		[ -s "$out/$f" ] || { echo "render.sh: $scene did not render $f (see $out/$scene.log)" >&2; exit 1; }
	done
	rm -f "$out/$scene.log"
	echo "render.sh: $scene in $(($(date +%s) - start)) s"
done
python3 "$here/pack.py" "$out" "$meta"
