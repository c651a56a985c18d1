# warehouse.py: a warehouse floor from high on a column: pallet racking
# with boxes, a concrete floor with painted lanes, high-bay lamps; a
# cabinet by the camera with a sheet on it (the note).
# Usage: blender -b --factory-startup -P warehouse.py -- --out DIR
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

opt = c.args()
c.reset()
concrete = c.mat("concrete", (0.42, 0.41, 0.38), rough=0.7, var=0.3, scale=4)
wall = c.tiles("blockwork", (0.62, 0.62, 0.6), (0.58, 0.58, 0.56), (0.45, 0.45, 0.44), scale=6, brick_w=0.8, brick_h=0.4, offset=0.5)
roof = c.mat("roof", (0.5, 0.5, 0.52), rough=0.6, metal=0.4, var=0.1, scale=2)
c.room(16.0, 22.0, 7.0, concrete, wall, roof)
upright = c.mat("upright", (0.1, 0.2, 0.55), rough=0.4, metal=0.4, var=0.05)
beam = c.mat("beam", (0.85, 0.4, 0.05), rough=0.4, metal=0.4, var=0.05)
pallet = c.mat("pallet", (0.55, 0.42, 0.28), rough=0.8, var=0.3, scale=20)
cardboard = [c.mat("box%d" % k, col, rough=0.85, var=0.15, scale=15) for k, col in
             enumerate(((0.55, 0.4, 0.25), (0.6, 0.46, 0.3), (0.5, 0.36, 0.22), (0.8, 0.8, 0.78)))]
yellow = c.mat("lane", (0.85, 0.7, 0.05), rough=0.6, var=0.2, scale=10)
lamp = c.lamp_mat("highbay", strength=12.0)
paper = c.mat("paper", (0.86, 0.86, 0.83), rough=0.9, var=0.02, scale=50)
board = c.mat("board", (0.3, 0.3, 0.32), rough=0.5, metal=0.3, var=0)
cabinet = c.mat("cabinet", (0.15, 0.3, 0.2), rough=0.5, metal=0.3, var=0.06, scale=12)

cam = c.camera((5.5, 0.3, 4.5), (-1.0, 14.0, 0.5), lens=18)
rnd = 777


def rand():
    global rnd
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff
    return rnd / 0x7fffffff


for x in (-5.5, -1.8, 3.5):
    for k in range(5):
        y = 6.0 + k * 2.7
        for dx in (-0.5, 0.5):
            for dy in (-1.3, 1.3):
                c.box("upright", (x + dx, y + dy, 2.5), (0.08, 0.08, 5.0), upright)
        for z in (0.0, 1.6, 3.2):
            if z > 0:
                for dx in (-0.5, 0.5):
                    c.box("beam", (x + dx, y, z), (0.05, 2.6, 0.12), beam)
            for dy in (-0.65, 0.65):
                if rand() < 0.15:
                    continue
                c.box("pallet", (x, y + dy, z + 0.08), (1.0, 1.15, 0.14), pallet)
                hb = 0.5 + rand() * 0.8
                c.box("load", (x, y + dy, z + 0.15 + hb / 2), (0.95, 1.1, hb), cardboard[int(rand() * 4)])
# lanes
for x in (-0.6, 2.3):
    c.plane("lane", (x, 11.0, 0.002), (0.1, 20.0), yellow)
c.plane("lane", (0.85, 3.8, 0.002), (10.0, 0.1), yellow)
for k in range(3):
    c.box("stack", (0.6 + k * 0.3, 2.8 - k * 0.15, 0.3), (0.8, 0.6, 0.6), cardboard[k])
c.box("door", (0.5, 21.98, 2.5), (4.0, 0.04, 5.0), c.mat("shutter", (0.6, 0.6, 0.62), rough=0.4, metal=0.6, var=0.1, scale=40))
for x in (-4.0, 1.0, 6.0):
    for y in (5.0, 11.0, 17.0):
        c.cyl("highbay", (x, y, 6.7), 0.3, 0.1, lamp)
        c.area_light("bay", (x, y, 6.6), (0.6, 0.6), 900, color=(1.0, 0.95, 0.85)).rotation_euler = (0, 0, 0)
# a lamp over the camera: the sheet's face toward it is lit
c.cyl("highbay", (2.0, 0.5, 6.7), 0.3, 0.1, lamp)
c.area_light("bay", (2.0, 0.5, 6.6), (0.6, 0.6), 700, color=(1.0, 0.95, 0.85))
c.world_color((0, 0, 0), 0)

corners, _, _ = c.note(28, 372, 412, 436, 2.2, 0, paper, board, support_m=cabinet)
hide = [o for o in c.bpy.data.objects if o.type == "MESH"]
meta = {"name": "warehouse", "indoor": 1, "note": corners, "leds": [], "screens": []}
meta["sprite"] = c.render_sprite(lambda at, h, p: c.person(at, h, p, shirt=(0.9, 0.5, 0.05), trousers=(0.15, 0.15, 0.3)),
                                 (-1.1, 6.6, 0), (2.8, 6.6, 0), 90, 6, opt["out"], "warehouse_walk",
                                 max(8, opt["samples"] // 2), hide,
                                 scale=opt["scale"])


def night():
    c.night_mode(300)


c.finish(opt, "warehouse", meta, [], [night])
