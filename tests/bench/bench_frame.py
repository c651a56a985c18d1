#!/usr/bin/env python3
"""bench_frame.py NEW_BENCH_FRAME OLD_BENCH_FRAME [ROUNDS]: the CPU one frame of
the built-in picture costs (scene, OSD, encode, one viewer's note bands), each
scene by day and by night, against the same measured for an older tree's
picture (bench_frame.c built against it: its scenes 0 and 1, the server room
and the office; our warehouse and car park are paired with its server room).

Per frame = (CPU of a 250-frame run - CPU of a 50-frame run) / 200, so the
start-up (layers decoded, fonts loaded) cancels out; the two binaries run
alternately, ROUNDS times each (default 5), and the minimum is kept: on a
shared machine other work only ever adds time. (callgrind cannot run them:
libavcodec's libjxl loads libhwy, whose start-up executes RDTSCP.)"""
import os
import subprocess
import sys


def cpu(args):
    before = os.times()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    after = os.times()
    return (after.children_user - before.children_user) + (after.children_system - before.children_system)


def per_frame_ms(binary, scene, mode, rounds):
    best_short = min(cpu([binary, "50", str(scene), str(mode)]) for _ in range(rounds))
    best_long = min(cpu([binary, "250", str(scene), str(mode)]) for _ in range(rounds))
    return max(best_long - best_short, 0.0) / 200 * 1000


def main():
    new, old = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    names = ["server room", "office", "warehouse", "car park"]
    print("| scene | mode | ms per frame | the drawn scene before | ratio |")
    print("|---|---|---|---|---|")
    ratios = []
    for scene in range(4):
        for mode in (1, 2):
            n = per_frame_ms(new, scene, mode, rounds)
            o = per_frame_ms(old, scene if scene < 2 else 0, mode, rounds)
            r = n / o if o > 0 else float("nan")
            ratios.append(r)
            print("| %s | %s | %.2f | %.2f | %.2fx |" % (names[scene], "day" if mode == 1 else "night", n, o, r))
    print("| all | | | | mean %.2fx |" % (sum(ratios) / len(ratios)))


if __name__ == "__main__":
    main()
