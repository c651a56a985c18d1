#!/usr/bin/env python3
"""jpegcheck: does a JPEG read as camera firmware wrote it, not as an encoder library did?

Usage: jpegcheck.py FILE [--sub 420|422] [--app APP0|APP1] [--quality Q]
Walks the marker segments up to the scan (its own parser: it shares no code
with the decoy) and checks: an APP0 JFIF header (or the vendor's APPn), no
COM segment, baseline DCT, every quantisation table the Annex K table of its
kind scaled the IJG way for one quality, the chroma subsampling asked for.
Prints what it found as one line; exit 0 when every check holds.
"""
import sys

# ITU-T T.81 Annex K, tables K.1 and K.2, in natural (row-major) order.
ANNEX_K_LUMA = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99]
ANNEX_K_CHROMA = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
    24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99] + [99] * 32


def zigzag():
    """The zigzag scan: position k of a DQT segment is natural index zz[k]."""
    order = []
    for s in range(15):
        cells = [(i, s - i) for i in range(8) if 0 <= s - i < 8]
        if s % 2 == 0:
            cells.reverse()
        order += [r * 8 + c for r, c in cells]
    return order


def ijg_scaled(base, quality):
    """The IJG library's scaling of a base table (jcparam.c's rule, baseline)."""
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return [min(255, max(1, (v * scale + 50) // 100)) for v in base]


def segments(data):
    """(marker, payload) pairs from SOI up to and including SOS."""
    if data[:2] != b"\xff\xd8":
        raise ValueError("no SOI")
    i, out = 2, []
    while True:
        if i + 4 > len(data) or data[i] != 0xFF:
            raise ValueError("bad marker at %d" % i)
        marker = data[i + 1]
        length = data[i + 2] << 8 | data[i + 3]
        if length < 2 or i + 2 + length > len(data):
            raise ValueError("bad length at %d" % i)
        out.append((marker, data[i + 4:i + 2 + length]))
        i += 2 + length
        if marker == 0xDA:
            return out


def dqt_tables(payload):
    """{table id: 64 values in natural order} from one DQT segment."""
    zz, tables, i = zigzag(), {}, 0
    while i < len(payload):
        pq, tq = payload[i] >> 4, payload[i] & 15
        if pq != 0:
            raise ValueError("16-bit quantisation table")
        natural = [0] * 64
        for k in range(64):
            natural[zz[k]] = payload[i + 1 + k]
        tables[tq] = natural
        i += 65
    return tables


def main(argv):
    path = argv[1]
    want_sub = argv[argv.index("--sub") + 1] if "--sub" in argv else None
    want_app = argv[argv.index("--app") + 1] if "--app" in argv else "APP0"
    want_q = int(argv[argv.index("--quality") + 1]) if "--quality" in argv else None
    data = open(path, "rb").read()
    problems, found = [], []
    try:
        segs = segments(data)
    except ValueError as e:
        print("%s: not a JPEG we can walk: %s" % (path, e))
        return 1
    markers = [m for m, _ in segs]
    if markers[0] == 0xE0 and segs[0][1][:5] == b"JFIF\0":
        found.append("JFIF %d.%02d" % (segs[0][1][5], segs[0][1][6]))
    elif markers[0] == 0xE1 and segs[0][1][:6] == b"Exif\0\0":
        found.append("Exif")
    if want_app == "APP0" and not found:
        problems.append("the first segment is not a JFIF APP0")
    if want_app == "APP1" and "Exif" not in found:
        problems.append("the first segment is not an Exif APP1")
    if 0xFE in markers:
        com = [p for m, p in segs if m == 0xFE][0]
        problems.append("a COM segment: %r" % com[:40])
    if 0xC0 not in markers:
        problems.append("not baseline (no SOF0)")
    tables = {}
    for m, p in segs:
        if m == 0xDB:
            tables.update(dqt_tables(p))
    sof = [p for m, p in segs if m == 0xC0]
    comps = {}
    if sof:
        n = sof[0][5]
        for k in range(n):
            cid, hv, tq = sof[0][6 + 3 * k:9 + 3 * k]
            comps[cid] = (hv >> 4, hv & 15, tq)
    # Each component's table must be its kind's Annex K table at one quality.
    qualities = set()
    for cid, (_, _, tq) in sorted(comps.items()):
        base = ANNEX_K_LUMA if cid == 1 else ANNEX_K_CHROMA
        if tq not in tables:
            problems.append("component %d uses a missing table %d" % (cid, tq))
            continue
        q = [q for q in range(1, 101) if ijg_scaled(base, q) == tables[tq]]
        if not q and ("table %d " % tq) not in " ".join(problems):
            problems.append("table %d is not Annex K scaled (starts %s)" %
                            (tq, tables[tq][:8]))
        qualities.add(tuple(q))
    if len(qualities) > 1:
        problems.append("luma and chroma tables are of different qualities")
    q_found = sorted(set.intersection(*[set(q) for q in qualities])) if qualities else []
    if q_found:
        found.append("quality %d" % q_found[0])
    if want_q is not None and want_q not in q_found:
        problems.append("quality %s, not %d" % (q_found, want_q))
    if 1 in comps and 2 in comps:
        (yh, yv, _), (ch, cv, _) = comps[1], comps[2]
        sub = {(2, 2, 1, 1): "420", (2, 1, 1, 1): "422", (1, 1, 1, 1): "444"}.get(
            (yh, yv, ch, cv), "%dx%d/%dx%d" % (yh, yv, ch, cv))
        found.append(sub)
        if want_sub and sub != want_sub:
            problems.append("subsampling %s, not %s" % (sub, want_sub))
    if 0xDD in markers:
        found.append("DRI")
    print("%s: %s%s" % (path, ", ".join(found),
                        "" if not problems else "; " + "; ".join(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
