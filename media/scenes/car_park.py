# car_park.py: a building's entrance and its car park by day (sky and sun)
# and by night (IR): asphalt, bays, parked cars, a glass door, lamp posts,
# a ticket pillar by the camera with a sheet on it (the note).
# Usage: blender -b --factory-startup -P car_park.py -- --out DIR
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

opt = c.args()
c.reset()
asphalt = c.mat("asphalt", (0.12, 0.12, 0.13), rough=0.85, var=0.4, scale=60)
paint = c.mat("line", (0.85, 0.85, 0.82), rough=0.7, var=0.2, scale=30)
brick = c.tiles("brick", (0.45, 0.22, 0.15), (0.5, 0.26, 0.18), (0.6, 0.58, 0.55), scale=12, brick_w=0.5, brick_h=0.25, offset=0.5)
glass = c.mat("glass", (0.05, 0.07, 0.09), rough=0.05, metal=0.3, var=0)
frame = c.mat("frame", (0.3, 0.3, 0.32), rough=0.4, metal=0.7, var=0)
kerb = c.mat("kerb", (0.55, 0.55, 0.53), rough=0.8, var=0.2, scale=10)
grass = c.mat("grass", (0.12, 0.25, 0.06), rough=0.9, var=0.4, scale=40)
post = c.mat("post", (0.2, 0.2, 0.22), rough=0.5, metal=0.6, var=0.05)
paper = c.mat("paper", (0.86, 0.86, 0.83), rough=0.3, var=0.02, scale=50)
board = c.mat("board", (0.1, 0.1, 0.12), rough=0.5, metal=0.3, var=0)
pillar = c.mat("pillar", (0.55, 0.55, 0.58), rough=0.5, metal=0.4, var=0.08, scale=12)

c.plane("ground", (0, 15, 0), (60, 60), asphalt)
c.plane("verge", (-14, 15, 0.005), (10, 60), grass)
# the building across the car park: brick, an entrance of glass
c.box("building", (0, 24.0, 4.0), (30.0, 4.0, 8.0), brick)
c.box("entrance", (1.0, 21.98, 1.3), (3.0, 0.04, 2.6), glass)
for x in (-0.5, 1.0, 2.5):
    c.box("mullion", (x, 21.95, 1.3), (0.08, 0.06, 2.6), frame)
c.box("canopy", (1.0, 21.2, 2.8), (4.0, 1.6, 0.12), frame)
for k in range(6):
    c.box("window", (-12 + k * 4.5 + (2 if k > 2 else 0), 21.98, 5.2), (2.0, 0.04, 1.4), glass)
c.box("kerb", (0, 21.0, 0.07), (30, 0.3, 0.14), kerb)
# bays and parked cars
for k in range(9):
    x = -9.0 + k * 2.6
    c.plane("bay", (x, 13.0, 0.004), (0.1, 5.0), paint)
c.plane("bayline", (1.4, 10.5, 0.004), (21.0, 0.1), paint)
colours = ((0.6, 0.6, 0.62), (0.05, 0.05, 0.06), (0.1, 0.15, 0.35), (0.75, 0.75, 0.72), (0.4, 0.05, 0.05))
for k, slot in enumerate((0, 1, 3, 4, 6)):
    root, parts = c.car((-7.7 + slot * 2.6, 13.2, 0), 180 if k % 2 else 0, body=colours[k])
for x in (-10.0, 10.0):
    c.cyl("lamppost", (x, 9.0, 3.0), 0.07, 6.0, post)
    c.box("lamphead", (x, 9.4, 6.0), (0.3, 0.8, 0.12), post)
c.world_color((0, 0, 0), 0)
sun_sky = c.sky(35, 200, strength=0.25)
sun = c.bpy.data.lights.new("sun", "SUN")
sun.energy = 1.4
sun.angle = math.radians(1.0)
so = c.bpy.data.objects.new("sun", sun)
so.rotation_euler = (math.radians(50), 0, math.radians(200))
c.bpy.context.collection.objects.link(so)

cam = c.camera((7.0, 0.0, 4.0), (-1.0, 20.0, 0.0), lens=18)
corners, _, _ = c.note(28, 372, 412, 436, 2.0, 0, paper, board, support_m=pillar)
hide = [o for o in c.bpy.data.objects if o.type == "MESH"]
meta = {"name": "car_park", "indoor": 0, "note": corners, "leds": [], "screens": []}
meta["sprite"] = c.render_sprite(lambda at, h, p: c.car(at, h, body=(0.7, 0.7, 0.72)),
                                 (-1.0, 9.4, 0), (14.0, 9.4, 0), 270, 2, opt["out"], "car_park_drive",
                                 max(8, opt["samples"] // 2), hide,
                                 scale=opt["scale"], reach=1.2)


def night():
    w = c.bpy.context.scene.world
    w.node_tree.nodes["Background"].inputs["Strength"].default_value = 0.0
    c.night_mode(1500)


c.finish(opt, "car_park", meta, [], [night])
