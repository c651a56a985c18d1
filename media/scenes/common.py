# common.py: what the scene scripts share: primitives, procedural materials,
# the CCTV camera, day and night (IR) lighting, and the passes each scene
# renders for the decoy (day, night, a sprite sheet of something passing,
# the depth of the room against the passer's path) with what the runtime
# needs to know (note quad, LEDs, screens) as JSON.
# Everything is modelled here from primitives; no downloaded asset is used.
import json
import math
import os
import sys

import bpy
from array import array
from bpy_extras.object_utils import world_to_camera_view
from mathutils import Euler, Matrix, Vector

W, H = 640, 480
# The depth layer's encoding (media/scene_data.h says the same): the grey
# level is DEPTH_ZERO + DEPTH_PER_M x the metres by which the room seen at
# a pixel stands in front of the passer's path, clamped to 0 .. 255.
DEPTH_ZERO, DEPTH_PER_M = 128, 64
ONLY = ""  # "depth": the depth layers and the JSON only, no path tracing


def args():
    """--out DIR [--samples N] [--scale PCT] [--only depth] after the '--' of
    blender's command line."""
    global ONLY
    argv = sys.argv[sys.argv.index("--") + 1:] if "--" in sys.argv else []
    opt = {"out": "media/scenes/assets", "samples": 24, "scale": 100, "only": ""}
    for i in range(0, len(argv) - 1, 2):
        opt[argv[i].lstrip("-")] = argv[i + 1]
    opt["samples"] = int(opt["samples"])
    opt["scale"] = int(opt["scale"])
    ONLY = opt["only"]
    os.makedirs(opt["out"], exist_ok=True)
    return opt


def reset():
    bpy.ops.wm.read_factory_settings(use_empty=True)
    sc = bpy.context.scene
    sc.render.engine = "CYCLES"
    sc.cycles.device = "CPU"
    sc.cycles.use_denoising = False
    sc.cycles.max_bounces = 4
    sc.cycles.diffuse_bounces = 3
    sc.cycles.glossy_bounces = 2
    sc.cycles.transmission_bounces = 2
    sc.cycles.caustics_reflective = False
    sc.cycles.caustics_refractive = False
    sc.cycles.sample_clamp_indirect = 3.0
    sc.cycles.sample_clamp_direct = 10.0
    sc.cycles.use_adaptive_sampling = True
    sc.cycles.adaptive_threshold = 0.03
    sc.cycles.blur_glossy = 1.0
    # before anything is placed: projections use the render's aspect
    sc.render.resolution_x = W
    sc.render.resolution_y = H
    sc.render.resolution_percentage = 100
    sc.render.threads_mode = "FIXED"
    sc.render.threads = 2
    sc.view_settings.view_transform = "Filmic"
    sc.view_settings.look = "Medium Contrast"
    sc.view_settings.exposure = -0.7
    sc.world = bpy.data.worlds.new("world")
    sc.world.use_nodes = True
    return sc


# ---- materials ----

def _nodes(m):
    m.use_nodes = True
    nt = m.node_tree
    return nt, nt.nodes, nt.links, nt.nodes["Principled BSDF"]


def mat(name, color, rough=0.6, metal=0.0, var=0.15, scale=8.0, emit=None, strength=0.0):
    """A principled material whose colour wanders by var through a noise
    texture (dirt, wear, uneven paint), optionally emissive."""
    m = bpy.data.materials.new(name)
    nt, n, l, bsdf = _nodes(m)
    c = tuple(color) + (1.0,)
    bsdf.inputs["Roughness"].default_value = rough
    bsdf.inputs["Metallic"].default_value = metal
    if var > 0:
        tex = n.new("ShaderNodeTexNoise")
        tex.inputs["Scale"].default_value = scale
        tex.inputs["Detail"].default_value = 6.0
        ramp = n.new("ShaderNodeValToRGB")
        ramp.color_ramp.elements[0].color = tuple(x * (1 - var) for x in color) + (1.0,)
        ramp.color_ramp.elements[1].color = tuple(min(1.0, x * (1 + var * 0.5)) for x in color) + (1.0,)
        l.new(tex.outputs["Fac"], ramp.inputs["Fac"])
        l.new(ramp.outputs["Color"], bsdf.inputs["Base Color"])
    else:
        bsdf.inputs["Base Color"].default_value = c
    if emit is not None:
        bsdf.inputs["Emission"].default_value = tuple(emit) + (1.0,)
        bsdf.inputs["Emission Strength"].default_value = strength
    return m


def tiles(name, c1, c2, mortar, scale=4.0, rough=0.7, brick_w=0.5, brick_h=0.5, offset=0.0):
    """Tiles or bricks: Blender's brick texture, noise on top."""
    m = bpy.data.materials.new(name)
    nt, n, l, bsdf = _nodes(m)
    b = n.new("ShaderNodeTexBrick")
    b.offset = offset
    b.inputs["Color1"].default_value = tuple(c1) + (1.0,)
    b.inputs["Color2"].default_value = tuple(c2) + (1.0,)
    b.inputs["Mortar"].default_value = tuple(mortar) + (1.0,)
    b.inputs["Scale"].default_value = scale
    b.inputs["Mortar Size"].default_value = 0.015
    b.inputs["Brick Width"].default_value = brick_w
    b.inputs["Row Height"].default_value = brick_h
    tex = n.new("ShaderNodeTexNoise")
    tex.inputs["Scale"].default_value = 30.0
    mix = n.new("ShaderNodeMixRGB")
    mix.blend_type = "MULTIPLY"
    mix.inputs["Fac"].default_value = 0.25
    l.new(b.outputs["Color"], mix.inputs["Color1"])
    l.new(tex.outputs["Color"], mix.inputs["Color2"])
    l.new(mix.outputs["Color"], bsdf.inputs["Base Color"])
    bsdf.inputs["Roughness"].default_value = rough
    return m


LAMPS = []  # emissive materials switched off at night


def lamp_mat(name, color=(1.0, 0.97, 0.9), strength=6.0):
    m = mat(name, (0.9, 0.9, 0.9), rough=0.4, var=0, emit=color, strength=strength)
    LAMPS.append((m, strength))
    return m


# ---- primitives ----

def box(name, loc, dims, m, rot=(0, 0, 0), parent=None):
    bpy.ops.mesh.primitive_cube_add(size=1.0, location=loc, rotation=rot)
    o = bpy.context.object
    o.name = name
    o.scale = dims
    o.data.materials.append(m)
    if parent:
        o.parent = parent
    return o


def cyl(name, loc, r, depth, m, rot=(0, 0, 0), verts=24):
    bpy.ops.mesh.primitive_cylinder_add(vertices=verts, radius=r, depth=depth, location=loc, rotation=rot)
    o = bpy.context.object
    o.name = name
    o.data.materials.append(m)
    bpy.ops.object.shade_smooth()
    return o


def ball(name, loc, r, m, scale=(1, 1, 1)):
    bpy.ops.mesh.primitive_uv_sphere_add(segments=16, ring_count=8, radius=r, location=loc)
    o = bpy.context.object
    o.name = name
    o.scale = scale
    o.data.materials.append(m)
    bpy.ops.object.shade_smooth()
    return o


def plane(name, loc, size, m, rot=(0, 0, 0)):
    bpy.ops.mesh.primitive_plane_add(size=1.0, location=loc, rotation=rot)
    o = bpy.context.object
    o.name = name
    o.scale = (size[0], size[1], 1)
    o.data.materials.append(m)
    return o


def room(w, d, h, floor_m, wall_m, ceil_m, open_front=True):
    """A room from x -w/2..w/2, y 0..d, z 0..h; the camera stands near y=0."""
    plane("floor", (0, d / 2, 0), (w, d), floor_m)
    plane("ceiling", (0, d / 2, h), (w, d), ceil_m, rot=(math.pi, 0, 0))
    plane("wall_back", (0, d, h / 2), (w, h), wall_m, rot=(math.pi / 2, 0, 0))
    plane("wall_left", (-w / 2, d / 2, h / 2), (d, h), wall_m, rot=(math.pi / 2, 0, math.pi / 2))
    plane("wall_right", (w / 2, d / 2, h / 2), (d, h), wall_m, rot=(math.pi / 2, 0, -math.pi / 2))
    if not open_front:
        plane("wall_front", (0, 0, h / 2), (w, h), wall_m, rot=(-math.pi / 2, 0, 0))


def area_light(name, loc, size, power, color=(1.0, 0.97, 0.92)):
    d = bpy.data.lights.new(name, "AREA")
    d.shape = "RECTANGLE"
    d.size, d.size_y = size
    d.energy = power
    d.color = color
    o = bpy.data.objects.new(name, d)
    o.location = loc
    bpy.context.collection.objects.link(o)
    return o


# ---- camera ----

def camera(loc, look_at, lens=20.0):
    d = bpy.data.cameras.new("cctv")
    d.lens = lens
    d.sensor_width = 36.0
    d.clip_start = 0.05
    o = bpy.data.objects.new("cctv", d)
    o.location = loc
    bpy.context.collection.objects.link(o)
    direction = Vector(look_at) - Vector(loc)
    o.rotation_euler = direction.to_track_quat("-Z", "Y").to_euler()
    bpy.context.scene.camera = o
    bpy.context.view_layer.update()
    return o


def project(p):
    """Image pixel (x, y) of world point p at W x H, y down."""
    sc = bpy.context.scene
    v = world_to_camera_view(sc, sc.camera, Vector(p))
    return (round(v.x * W, 1), round((1 - v.y) * H, 1))


def unproject(px, py, depth):
    """The world point at image pixel (px, py), depth metres in front of the camera."""
    cam = bpy.context.scene.camera
    fr = cam.data.view_frame(scene=bpy.context.scene)  # corners at z = -1 scale
    # frame corners: 0 top-right, 1 bottom-right, 2 bottom-left, 3 top-left
    tl, tr, bl = fr[3], fr[0], fr[2]
    u, v = px / W, py / H
    local = tl + (tr - tl) * u + (bl - tl) * v
    local = local * (depth / -local.z)
    return cam.matrix_world @ local


# ---- the note: a paper on a board in the foreground ----

def note(x0, y0, x1, y1, depth, yaw_deg, paper_m, board_m, support_m=None, board_margin=0.03):
    """A sheet whose text area covers about the pixels (x0, y0)-(x1, y1) at
    depth, turned yaw_deg about the vertical, on a board that carries it.
    Returns the sheet's four corners (TL, TR, BR, BL) as image pixels."""
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    c = unproject(cx, cy, depth)
    cam = bpy.context.scene.camera
    # parallel to the image: a board propped up facing the camera (leaning
    # back by the camera's tilt), whose writing shows without keystone
    rot = (cam.matrix_world.to_quaternion() @ Euler((0, 0, math.radians(yaw_deg))).to_quaternion()).to_euler()
    width, height = 0.5, 0.15
    for _ in range(4):  # size it until its picture covers the target box
        sheet = plane("note", c, (width, height), paper_m, rot=rot)
        bpy.context.view_layer.update()
        mw = sheet.matrix_world
        pts = [project(mw @ Vector((lx, ly, 0))) for lx, ly in ((-0.5, 0.5), (0.5, 0.5), (0.5, -0.5), (-0.5, -0.5))]
        pw = (pts[1][0] - pts[0][0] + pts[2][0] - pts[3][0]) / 2
        ph = (pts[3][1] - pts[0][1] + pts[2][1] - pts[1][1]) / 2
        width *= (x1 - x0) / pw
        height *= (y1 - y0) / ph
        bpy.data.objects.remove(sheet)
    sheet = plane("note", c, (width, height), paper_m, rot=rot)
    bpy.context.view_layer.update()
    n = sheet.matrix_world.to_3x3() @ Vector((0, 0, 1))
    board = box("note_board", c - n * 0.012, (width + 2 * board_margin, height + 2 * board_margin, 0.02),
                board_m, rot=rot)
    bpy.context.view_layer.update()
    if support_m is not None:
        # what carries it: a cabinet from the floor to the board's lower edge
        bottom = sheet.matrix_world @ Vector((0, -0.5, 0))
        top_z = bottom.z - board_margin
        back = Vector((-n.x, -n.y, 0)).normalized()
        base = bottom + back * 0.22
        box("note_support", (base.x, base.y, top_z / 2), (width + 0.3, 0.5, top_z), support_m,
            rot=(0, 0, math.atan2(-back.x, back.y)))
    bpy.context.view_layer.update()
    corners = []
    mw = sheet.matrix_world
    for lx, ly in ((-0.5, 0.5), (0.5, 0.5), (0.5, -0.5), (-0.5, -0.5)):
        corners.append(project(mw @ Vector((lx, ly, 0.001))))
    return corners, board, n


# ---- passes ----

def world_color(color, strength):
    w = bpy.context.scene.world
    bg = w.node_tree.nodes["Background"]
    bg.inputs["Color"].default_value = tuple(color) + (1.0,)
    bg.inputs["Strength"].default_value = strength


def sky(sun_elev_deg, sun_rot_deg, strength=1.0):
    w = bpy.context.scene.world
    nt = w.node_tree
    s = nt.nodes.new("ShaderNodeTexSky")
    s.sky_type = "NISHITA"
    s.sun_elevation = math.radians(sun_elev_deg)
    s.sun_rotation = math.radians(sun_rot_deg)
    s.sun_intensity = 0.6
    nt.links.new(s.outputs["Color"], nt.nodes["Background"].inputs["Color"])
    nt.nodes["Background"].inputs["Strength"].default_value = strength
    return s


def render(path, samples, scale, transparent=False):
    sc = bpy.context.scene
    sc.cycles.samples = samples
    sc.render.resolution_x = W
    sc.render.resolution_y = H
    sc.render.resolution_percentage = scale
    sc.render.film_transparent = transparent
    sc.render.image_settings.file_format = "PNG"
    sc.render.image_settings.color_mode = "RGBA" if transparent else "RGB"
    sc.render.filepath = path
    bpy.ops.render.render(write_still=True)


def night_mode(ir_power, cam_offset=(0, 0, 0)):
    """Lights off; the camera's IR illuminator (a wide spot at the lens)."""
    for o in bpy.data.objects:
        if o.type == "LIGHT" and not o.name.startswith("ir"):
            o.hide_render = True
    for m, _ in LAMPS:
        m.node_tree.nodes["Principled BSDF"].inputs["Emission Strength"].default_value = 0.0
    cam = bpy.context.scene.camera
    d = bpy.data.lights.new("ir", "SPOT")
    d.energy = ir_power
    d.spot_size = math.radians(110)
    d.spot_blend = 0.6
    d.shadow_soft_size = 0.05
    o = bpy.data.objects.new("ir", d)
    o.matrix_world = cam.matrix_world
    o.location = cam.location + Vector(cam_offset)
    bpy.context.collection.objects.link(o)


def save_png_as_jpeg(png, jpg, quality=88):
    img = bpy.data.images.load(png)
    sc = bpy.context.scene
    sc.render.image_settings.file_format = "JPEG"
    sc.render.image_settings.color_mode = "RGB"
    sc.render.image_settings.quality = quality
    img.save_render(jpg, scene=sc)
    bpy.data.images.remove(img)


def sprite_sheet(frames, out_jpg, quality=90):
    """Frames (RGBA PNGs of one size) side by side, colour above and alpha
    below, as one JPEG: the runtime decodes one image per animation."""
    imgs = [bpy.data.images.load(f) for f in frames]
    w, h = imgs[0].size
    n = len(imgs)
    sw = w * n
    sheet = array("f", [1.0]) * (sw * 2 * h * 4)  # rows bottom first, as Blender keeps them
    for i, im in enumerate(imgs):
        px = array("f", [0.0]) * (w * h * 4)
        im.pixels.foreach_get(px)
        for row in range(h):
            src = px[row * w * 4:(row + 1) * w * 4]
            alpha = array("f", [0.0]) * (w * 4)
            for k in range(3):
                alpha[k::4] = src[3::4]
            src[3::4] = array("f", [1.0]) * w
            alpha[3::4] = array("f", [1.0]) * w
            top = ((row + h) * sw + i * w) * 4  # colour in the upper half
            bot = (row * sw + i * w) * 4  # alpha in the lower half
            sheet[top:top + w * 4] = src
            sheet[bot:bot + w * 4] = alpha
    out = bpy.data.images.new("sheet", sw, 2 * h, alpha=False)
    out.pixels.foreach_set(sheet)
    sc = bpy.context.scene
    sc.render.image_settings.file_format = "JPEG"
    sc.render.image_settings.color_mode = "RGB"
    sc.render.image_settings.quality = quality
    out.filepath_raw = out_jpg
    out.file_format = "JPEG"
    out.save()
    for im in imgs:
        bpy.data.images.remove(im)
    return w, h


def bbox_px(objs, pad=3):
    xs, ys = [], []
    for o in objs:
        for c in o.bound_box:
            x, y = project(o.matrix_world @ Vector(c))
            xs.append(x)
            ys.append(y)
    return (max(0, int(min(xs)) - pad), max(0, int(min(ys)) - pad),
            min(W, int(max(xs)) + pad + 1), min(H, int(max(ys)) + pad + 1))


# ---- what passes by: a person walking, a car ----

def person(at, heading_deg, phase, shirt=(0.15, 0.25, 0.45), trousers=(0.1, 0.1, 0.12)):
    """A walking figure at `at` (feet), facing heading_deg, at walk phase 0..1."""
    skin = mat("skin", (0.75, 0.55, 0.42), rough=0.5, var=0.05)
    top = mat("shirt", shirt, rough=0.8, var=0.1, scale=20)
    legs_m = mat("trousers", trousers, rough=0.8, var=0.1, scale=20)
    hair = mat("hair", (0.08, 0.06, 0.05), rough=0.7, var=0.1)
    root = bpy.data.objects.new("person", None)
    bpy.context.collection.objects.link(root)
    root.location = at
    root.rotation_euler = (0, 0, math.radians(heading_deg))
    parts = []
    swing = math.sin(phase * 2 * math.pi) * 0.35
    bob = abs(math.cos(phase * 2 * math.pi)) * 0.03
    for side, s in ((-1, swing), (1, -swing)):
        leg = cyl("leg", (0, 0, 0), 0.075, 0.86, legs_m)
        leg.parent = root
        # hip pivot: rotate about x through the hip
        leg.rotation_euler = (s, 0, 0)
        leg.location = (side * 0.1, math.sin(s) * 0.43, 0.86 - math.cos(s) * 0.43 + bob)
        shoe = box("shoe", (0, 0, 0), (0.1, 0.26, 0.08), legs_m)
        shoe.parent = root
        shoe.location = (side * 0.1, math.sin(s) * 0.86 + 0.04, 0.86 - math.cos(s) * 0.86 + 0.04 + bob)
        arm = cyl("arm", (0, 0, 0), 0.05, 0.62, top)
        arm.parent = root
        a = -s * 0.8
        arm.rotation_euler = (a, 0, 0)
        arm.location = (side * 0.25, math.sin(a) * 0.31, 1.45 - math.cos(a) * 0.31 + bob)
        parts += [leg, shoe, arm]
    torso = ball("torso", (0, 0, 0), 0.2, top, scale=(1.15, 0.7, 1.55))
    torso.parent = root
    torso.location = (0, 0, 1.2 + bob)
    head = ball("head", (0, 0, 0), 0.11, skin, scale=(1, 1.1, 1.2))
    head.parent = root
    head.location = (0, 0, 1.66 + bob)
    cap = ball("hair", (0, 0, 0), 0.115, hair, scale=(1, 1.1, 0.9))
    cap.parent = root
    cap.location = (0, 0.015, 1.71 + bob)
    parts += [torso, head, cap]
    bpy.context.view_layer.update()
    return root, parts


def car(at, heading_deg, body=(0.55, 0.05, 0.05), phase=0.0):
    paint = mat("paint", body, rough=0.25, metal=0.6, var=0.04)
    glass = mat("glass", (0.05, 0.06, 0.08), rough=0.05, var=0)
    tyre = mat("tyre", (0.03, 0.03, 0.03), rough=0.8, var=0)
    lamp = mat("lamp", (0.9, 0.9, 0.85), rough=0.2, var=0)
    root = bpy.data.objects.new("car", None)
    bpy.context.collection.objects.link(root)
    root.location = at
    root.rotation_euler = (0, 0, math.radians(heading_deg))
    parts = [box("body", (0, 0, 0.55), (1.8, 4.4, 0.6), paint), box("cabin", (0, -0.2, 1.1), (1.6, 2.3, 0.55), glass),
             box("roof", (0, -0.2, 1.38), (1.55, 2.0, 0.04), paint)]
    for x in (-0.82, 0.82):
        for y in (-1.4, 1.35):
            parts.append(cyl("wheel", (x, y, 0.33), 0.33, 0.22, tyre, rot=(0, math.pi / 2, 0)))
    for x in (-0.6, 0.6):
        parts.append(box("headlamp", (x, 2.2, 0.65), (0.35, 0.03, 0.12), lamp))
    for p in parts:
        p.parent = root
    bpy.context.view_layer.update()
    return root, parts


def render_sprite(make, path_a, path_b, heading, frames, outdir, name, samples, hide, scale=100, reach=0.35):
    """Renders `frames` poses of what make(at, heading, phase) builds, at
    the middle of the path a -> b, cropped to one box, over a transparent
    film with the room hidden from the camera (it still lights the figure);
    writes <name>.jpg (a sheet) and the room's depth against the path
    (see depth_layer; reach: how far the figure comes toward the camera
    from its path, metres) and returns their geometry for the runtime."""
    mid = [(a + b) / 2 for a, b in zip(path_a, path_b)]
    for o in hide:
        o.visible_camera = False
        o.visible_glossy = False
    # the union box of all poses
    boxes = []
    for i in range(frames):
        root, parts = make(mid, heading, i / frames)
        boxes.append(bbox_px(parts))
        for p in parts:
            bpy.data.objects.remove(p)
        bpy.data.objects.remove(root)
    x0 = min(b[0] for b in boxes) & ~1
    y0 = min(b[1] for b in boxes) & ~1
    x1 = (max(b[2] for b in boxes) + 1) & ~1
    y1 = (max(b[3] for b in boxes) + 1) & ~1
    sc = bpy.context.scene
    sc.render.use_border = True
    sc.render.use_crop_to_border = True
    sc.render.border_min_x, sc.render.border_max_x = x0 / W, x1 / W
    sc.render.border_min_y, sc.render.border_max_y = 1 - y1 / H, 1 - y0 / H
    files = []
    for i in range(frames if ONLY != "depth" else 0):
        root, parts = make(mid, heading, i / frames)
        f = os.path.join(outdir, "_%s_%d.png" % (name, i))
        render(f, samples, 100, transparent=True)
        files.append(f)
        for p in parts:
            bpy.data.objects.remove(p)
        bpy.data.objects.remove(root)
    sc.render.use_border = False
    for o in hide:
        o.visible_camera = True
        o.visible_glossy = True
    if files:
        sprite_sheet(files, os.path.join(outdir, name + ".jpg"))
    fw, fh = x1 - x0, y1 - y0  # at 100%: the sheet's frames; smaller renders keep the geometry
    for f in files:
        os.remove(f)
    scene_name = name.rsplit("_", 1)[0]  # office_walk: office_depth.jpg
    depth_layer(path_a, path_b, os.path.join(outdir, scene_name + "_depth.jpg"), scale)
    foot_mid = project(mid)
    return {"name": name, "frames": frames, "w": fw, "h": fh, "x": x0, "y": y0,
            "from": project(path_a), "mid": foot_mid, "to": project(path_b), "reach": reach}


def depth_layer(path_a, path_b, out_jpg, scale=100):
    """What in the room can stand in front of the passer: for each pixel,
    how far the surface the camera sees there is in front of the vertical
    plane through the path a -> b (toward the camera), as a grey JPEG
    (DEPTH_ZERO + DEPTH_PER_M x metres; nothing seen, the sky: 0). Ray-cast
    through the pixels' centres against all the meshes the camera sees:
    exact and noiseless, and seconds where a render pass would be minutes.
    Whatever walks the path, its distance along it does not matter: the
    runtime hides it where this is more than its reach."""
    from mathutils.bvhtree import BVHTree
    sc = bpy.context.scene
    dg = bpy.context.evaluated_depsgraph_get()
    verts, polys = [], []
    for o in sc.objects:
        if o.type != "MESH" or not o.visible_camera or o.hide_render:
            continue
        ev = o.evaluated_get(dg)
        me = ev.to_mesh()
        base, mw = len(verts), o.matrix_world
        verts.extend(mw @ v.co for v in me.vertices)
        polys.extend([base + k for k in p.vertices] for p in me.polygons)
        ev.to_mesh_clear()
    bvh = BVHTree.FromPolygons(verts, polys, all_triangles=False)
    cam = sc.camera
    eye, rot = cam.matrix_world.translation, cam.matrix_world.to_3x3()
    fr = cam.data.view_frame(scene=sc)  # 0 top-right, 1 bottom-right, 2 bottom-left, 3 top-left
    tl, tr, bl = rot @ fr[3], rot @ fr[0], rot @ fr[2]
    a, b = Vector(path_a), Vector(path_b)
    n = Vector((a.y - b.y, b.x - a.x, 0.0)).normalized()
    if n.dot(eye - a) < 0:
        n = -n
    w, h = W * scale // 100, H * scale // 100
    px = array("f", [1.0]) * (w * h * 4)
    step = (tr - tl) / w
    for y in range(h):
        left = tl + (bl - tl) * ((y + 0.5) / h) + step * 0.5
        row = (h - 1 - y) * w * 4  # Blender keeps the rows bottom first
        for x in range(w):
            hit = bvh.ray_cast(eye, (left + step * x).normalized())[0]
            v = 0.0 if hit is None else DEPTH_ZERO + DEPTH_PER_M * n.dot(hit - a)
            px[row + x * 4] = px[row + x * 4 + 1] = px[row + x * 4 + 2] = min(255.0, max(0.0, v)) / 255.0
    img = bpy.data.images.new("depth", w, h, alpha=False)
    img.pixels.foreach_set(px)
    sc.render.image_settings.file_format = "JPEG"
    sc.render.image_settings.color_mode = "BW"
    sc.render.image_settings.quality = 95
    img.filepath_raw = out_jpg
    img.file_format = "JPEG"
    img.save()
    bpy.data.images.remove(img)


def leds(points):
    """[(world point, (r, g, b), kind)] -> image positions for the runtime,
    those the camera sees (nothing in between)."""
    out = []
    sc = bpy.context.scene
    dg = bpy.context.evaluated_depsgraph_get()
    eye = sc.camera.matrix_world.translation
    for p, rgb, kind in points:
        ray = Vector(p) - eye
        hit, loc, _, _, _, _ = sc.ray_cast(dg, eye, ray.normalized(), distance=ray.length + 0.05)
        if hit and (loc - eye).length < ray.length - 0.02:
            continue
        x, y = project(p)
        if 0 <= x < W and 0 <= y < H:
            out.append({"x": x, "y": y, "rgb": rgb, "kind": kind})
    return out


def quad(corners_world):
    return [project(p) for p in corners_world]


def finish(opt, name, meta, day_jobs, night_jobs):
    """Renders day, then night, writes <name>_day.jpg, <name>_night.jpg and
    <name>.json (with --only depth, the JSON alone)."""
    out = opt["out"]
    for when, jobs in (("day", day_jobs), ("night", night_jobs)):
        if ONLY == "depth":
            break
        for job in jobs:
            job()
        png = os.path.join(out, "_%s_%s.png" % (name, when))
        render(png, opt["samples"], opt["scale"])
        save_png_as_jpeg(png, os.path.join(out, "%s_%s.jpg" % (name, when)))
        os.remove(png)
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(meta, f, indent=1)
