# server_room.py: a server room aisle from a ceiling corner: racks on both
# sides with their equipment and LEDs, a raised floor, cable trays, lamps;
# a cabinet by the camera with a laminated sheet on it (the note).
# Usage: blender -b --factory-startup -P server_room.py -- --out DIR
import math
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common as c  # noqa: E402

opt = c.args()
c.reset()
floor = c.tiles("raised_floor", (0.55, 0.56, 0.57), (0.52, 0.53, 0.55), (0.25, 0.25, 0.27), scale=3.5, rough=0.5)
wall = c.mat("wall", (0.72, 0.72, 0.70), rough=0.9, var=0.05, scale=3)
ceil = c.tiles("ceiling", (0.8, 0.8, 0.8), (0.78, 0.78, 0.78), (0.55, 0.55, 0.55), scale=4)
c.room(6.0, 10.0, 3.0, floor, wall, ceil)
rack_m = c.mat("rack", (0.03, 0.03, 0.035), rough=0.4, metal=0.3, var=0.1)
panel_m = [c.mat("srv%d" % k, col, rough=0.35, metal=0.5, var=0.08, scale=40) for k, col in
           enumerate(((0.12, 0.12, 0.13), (0.35, 0.35, 0.37), (0.06, 0.06, 0.07), (0.22, 0.23, 0.26)))]
bezel = c.mat("bezel", (0.5, 0.5, 0.52), rough=0.3, metal=0.7, var=0.05, scale=60)
tray = c.mat("tray", (0.4, 0.4, 0.42), rough=0.4, metal=0.8, var=0.05)
cable = c.mat("cable", (0.1, 0.25, 0.6), rough=0.6, var=0.1)
lamp = c.lamp_mat("tube", strength=10.0)
paper = c.mat("paper", (0.86, 0.86, 0.84), rough=0.25, var=0.02, scale=50)  # laminated: a little gloss
board = c.mat("board", (0.6, 0.6, 0.62), rough=0.3, metal=0.6, var=0)
cabinet = c.mat("cabinet", (0.62, 0.63, 0.60), rough=0.5, metal=0.3, var=0.06, scale=12)

cam = c.camera((0.5, 0.15, 2.75), (-0.1, 8.0, 0.7), lens=17)
leds = []
rnd = 12345


def rand():
    global rnd
    rnd = (rnd * 1103515245 + 12345) & 0x7fffffff
    return rnd / 0x7fffffff


# two rows of racks facing the aisle (x = -0.9 and x = 0.9), fronts toward the aisle
for side in (-1, 1):
    x = side * 1.35
    for k in range(8):
        y = 2.2 + k * 0.62
        c.box("rack", (x, y, 1.0), (0.9, 0.6, 2.0), rack_m)
        fx = x - side * 0.451  # the rack's front, toward the aisle
        z = 0.12
        while z < 1.85:
            u = 0.045 * (1 + int(rand() * 4))
            if z + u > 1.9:
                break
            m = panel_m[int(rand() * 4)]
            c.box("srv", (fx, y, z + u / 2), (0.01, 0.52, u - 0.006), m)
            if rand() < 0.5:
                c.box("bezel", (fx - side * 0.006, y - 0.12, z + u / 2), (0.004, 0.2, u * 0.6), bezel)
            led_kind = 1 if rand() < 0.7 else 2
            leds.append(((fx - side * 0.008, y + 0.22 * -side, z + u * 0.6), (60, 255, 80), led_kind))
            if rand() < 0.4:
                leds.append(((fx - side * 0.008, y + 0.18 * -side, z + u * 0.6), (255, 170, 30), 1))
            z += u
        # a label on each rack's top
        c.box("label", (fx - side * 0.002, y, 1.95), (0.004, 0.2, 0.04), paper)
# cable trays overhead, lamps between them
for side in (-1, 1):
    c.box("tray", (side * 1.35, 5.0, 2.45), (0.4, 9.6, 0.08), tray)
    for k in range(12):
        c.box("bundle", (side * 1.35 + (k % 3 - 1) * 0.1, 5.0, 2.52), (0.06, 9.5, 0.06), cable)
for y in (2.5, 5.0, 7.5):
    c.plane("tube", (0, y, 2.99), (0.3, 1.5), lamp, rot=(math.pi, 0, 0))
    c.area_light("tube", (0, y, 2.95), (0.3, 1.5), 90)
c.box("door", (0, 9.98, 1.05), (1.0, 0.04, 2.1), cabinet)
c.box("ac", (-2.6, 9.5, 1.0), (0.8, 0.8, 2.0), c.mat("ac", (0.85, 0.85, 0.82), rough=0.5, var=0.05))
# a lamp over the camera: the sheet's face toward it is lit
c.plane("tube", (0, 0.9, 2.99), (0.3, 1.2), lamp, rot=(math.pi, 0, 0))
c.area_light("tube", (0, 0.9, 2.95), (0.3, 1.2), 60)
c.world_color((0, 0, 0), 0)

corners, _, _ = c.note(28, 372, 412, 436, 1.3, 0, paper, board, support_m=cabinet)
hide = [o for o in c.bpy.data.objects if o.type == "MESH"]
meta = {"name": "server_room", "indoor": 1, "note": corners, "leds": c.leds(leds), "screens": []}
meta["sprite"] = c.render_sprite(lambda at, h, p: c.person(at, h, p, shirt=(0.5, 0.5, 0.52)),
                                 (-2.6, 9.0, 0), (2.6, 9.0, 0), 90, 6, opt["out"], "server_room_walk",
                                 max(8, opt["samples"] // 2), hide,
                                 scale=opt["scale"])


def night():
    c.night_mode(90)


c.finish(opt, "server_room", meta, [], [night])
