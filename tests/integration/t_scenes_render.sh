#!/usr/bin/env bash
# t_scenes_render (long): `make scenes` still works: the four scene scripts
# render with Blender (2 samples at a quarter of the size: the scripts, not
# the picture, are under test) and pack into exactly the geometry committed
# in media/scene_meta.c (the note's sheet, LEDs, screens, the passer-by and
# its reach).
# Without Blender it is skipped with a message.
. "$(dirname "$0")/lib.sh"
src="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v blender >/dev/null; then
	echo "t_scenes_render: skipped: blender is not installed (apt-get install blender renders the scenes)"
	finish
	exit 0
fi
check "the four scenes render" "$src/media/scenes/render.sh" "$TMP/scenes" "$TMP/scene_meta.c" 2 25
for s in server_room office warehouse car_park; do
	check "$s: a day, a night and a depth layer" [ -s "$TMP/scenes/${s}_day.jpg" -a -s "$TMP/scenes/${s}_night.jpg" \
		-a -s "$TMP/scenes/${s}_depth.jpg" ]
done
check "the scripts give the committed geometry (media/scene_meta.c)" diff "$src/media/scene_meta.c" "$TMP/scene_meta.c"
finish
