# office.py: an office/reception seen from a ceiling corner: carpet tiles,
# desks with screens, chairs, a window, a plant, a partition by the camera
# with a sheet on it (the note). Usage: blender -b --factory-startup -P office.py -- --out DIR
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

opt = c.args()
c.reset()
carpet = c.tiles("carpet", (0.20, 0.22, 0.27), (0.24, 0.25, 0.30), (0.16, 0.17, 0.2), scale=6, rough=0.95)
wall = c.mat("wall", (0.78, 0.75, 0.68), rough=0.9, var=0.05, scale=3)
ceil = c.tiles("ceiling", (0.85, 0.85, 0.83), (0.83, 0.83, 0.81), (0.6, 0.6, 0.6), scale=4, brick_w=0.5, brick_h=0.5)
c.room(8.0, 9.0, 2.8, carpet, wall, ceil)
wood = c.mat("wood", (0.45, 0.30, 0.18), rough=0.45, var=0.25, scale=30)
grey = c.mat("grey", (0.25, 0.25, 0.27), rough=0.5, var=0.05)
black = c.mat("black", (0.03, 0.03, 0.035), rough=0.3, var=0)
fabric = c.mat("fabric", (0.12, 0.14, 0.22), rough=0.9, var=0.1, scale=40)
screen = c.lamp_mat("screen", (0.55, 0.7, 0.95), strength=1.6)
leaf = c.mat("leaf", (0.08, 0.25, 0.06), rough=0.6, var=0.3, scale=10)
terracotta = c.mat("pot", (0.5, 0.25, 0.15), rough=0.8, var=0.1)
paper = c.mat("paper", (0.86, 0.86, 0.83), rough=0.9, var=0.02, scale=50)
board = c.mat("board", (0.55, 0.56, 0.58), rough=0.3, metal=0.5, var=0)
partition = c.mat("partition", (0.30, 0.34, 0.38), rough=0.95, var=0.08, scale=25)
panel = c.lamp_mat("panel", strength=9.0)

cam = c.camera((3.5, 0.3, 2.6), (-0.8, 6.5, 0.7), lens=19)
leds = []
screens = []
# desks in two rows, each with a screen, a keyboard and a chair
for row, y in enumerate((4.2, 6.6)):
    for col, x in enumerate((-2.6, -0.4, 1.8)):
        c.box("desk", (x, y, 0.74), (1.6, 0.8, 0.04), wood)
        for lx in (-0.75, 0.75):
            c.box("leg", (x + lx, y, 0.36), (0.05, 0.7, 0.72), grey)
        c.box("modesty", (x, y + 0.38, 0.5), (1.5, 0.02, 0.4), grey)
        c.box("monitor", (x, y + 0.2, 1.08), (0.62, 0.04, 0.38), black)
        c.box("stand", (x, y + 0.24, 0.86), (0.06, 0.04, 0.22), black)
        s = c.plane("screen", (x, y + 0.177, 1.09), (0.58, 0.34), screen, rot=(math.pi / 2, 0, math.pi))
        screens.append(c.quad([(x - 0.29, y + 0.177, 1.26), (x + 0.29, y + 0.177, 1.26),
                               (x + 0.29, y + 0.177, 0.92), (x - 0.29, y + 0.177, 0.92)]))
        leds.append(((x + 0.27, y + 0.177, 0.9), (60, 140, 255), 0))
        c.box("keyboard", (x, y - 0.15, 0.77), (0.45, 0.15, 0.02), black)
        c.box("tower", (x + 0.55, y + 0.1, 0.25), (0.2, 0.45, 0.45), black)
        leds.append(((x + 0.55, y - 0.126, 0.4), (80, 255, 90), 1))
        seat = c.box("seat", (x, y - 0.7, 0.48), (0.5, 0.5, 0.08), fabric)
        c.box("back", (x, y - 0.95, 0.8), (0.46, 0.06, 0.55), fabric)
        c.cyl("post", (x, y - 0.7, 0.25), 0.03, 0.45, grey)
        c.cyl("base", (x, y - 0.7, 0.05), 0.3, 0.04, grey)
# a window on the left wall, daylight behind it
glass_emit = c.lamp_mat("window", (0.85, 0.92, 1.0), strength=4.0)
c.plane("window", (-3.99, 5.0, 1.6), (3.0, 1.4), glass_emit, rot=(math.pi / 2, 0, math.pi / 2))
for k in range(7):
    c.box("mullion", (-3.97, 3.5 + k * 0.5, 1.6), (0.04, 0.05, 1.45), grey)
c.box("sill", (-3.9, 5.0, 0.88), (0.2, 3.1, 0.04), wall)
# a door and a whiteboard on the back wall, a plant in the corner
c.box("door", (2.6, 8.98, 1.05), (0.95, 0.04, 2.1), wood)
c.box("handle", (2.25, 8.94, 1.05), (0.12, 0.03, 0.03), grey)
c.box("wb", (-0.6, 8.98, 1.5), (1.8, 0.03, 1.0), c.mat("wbw", (0.9, 0.9, 0.9), rough=0.15, var=0))
c.cyl("pot", (-3.5, 8.5, 0.25), 0.22, 0.5, terracotta)
for k in range(9):
    c.ball("leaves", (-3.5 + 0.18 * math.cos(k * 2.4), 8.5 + 0.18 * math.sin(k * 2.4), 0.7 + 0.08 * k),
           0.22, leaf, scale=(1, 1, 0.7))
c.box("shelf", (3.8, 7.5, 1.1), (0.35, 1.6, 2.2), wood)
for k in range(8):
    c.box("binder", (3.7, 6.9 + k * 0.16, 1.45), (0.25, 0.07, 0.32),
          c.mat("binder%d" % k, ((0.5, 0.1, 0.1), (0.1, 0.2, 0.5), (0.2, 0.4, 0.2), (0.6, 0.5, 0.1))[k % 4], var=0.05))
c.box("router", (3.7, 6.8, 2.0), (0.25, 0.18, 0.05), c.mat("white", (0.85, 0.85, 0.85), rough=0.4, var=0))
for k in range(4):
    leds.append(((3.57, 6.74 + k * 0.04, 2.0), (60, 255, 80), 1 if k else 0))
# ceiling panels: lamps and area lights
for x in (-2.0, 1.2):
    for y in (3.0, 6.0):
        c.plane("panel", (x, y, 2.79), (1.2, 0.6), panel, rot=(math.pi, 0, 0))
        c.area_light("tube", (x, y, 2.75), (1.2, 0.6), 80)
sun = c.area_light("daylight", (-4.3, 5.0, 1.6), (3.0, 1.4), 400, color=(0.9, 0.95, 1.0))
sun.rotation_euler = (0, -math.pi / 2, 0)
# a lamp over the camera: the sheet's face toward it is lit
c.plane("panel", (0.4, 0.7, 2.79), (1.2, 0.6), panel, rot=(math.pi, 0, 0))
c.area_light("tube", (0.4, 0.7, 2.75), (1.2, 0.6), 60)
c.world_color((0.6, 0.7, 0.9), 0.3)

corners, _, _ = c.note(28, 372, 412, 436, 1.75, 0, paper, board, support_m=partition)
hide = [o for o in c.bpy.data.objects if o.type == "MESH"]
meta = {"name": "office", "indoor": 1, "note": corners, "leds": c.leds(leds), "screens": screens}
meta["sprite"] = c.render_sprite(c.person, (-2.8, 8.1, 0), (3.2, 8.1, 0), 90, 6, opt["out"], "office_walk",
                                 max(8, opt["samples"] // 2), hide,
                                 scale=opt["scale"])


def night():
    c.world_color((0.0, 0.0, 0.0), 0.0)
    c.night_mode(100)


c.finish(opt, "office", meta, [], [night])
