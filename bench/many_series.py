#!/usr/bin/env python3
"""`grucast forecast --model` (and `evaluate --model`) over many series: two builds side by side
(issue 20, item 5: series batched into passes instead of one at a time).

usage: bench/many_series.py OLD_BIN NEW_BIN [--series 10000] [--rows 200] [--train-rows 80]
                            [--runs 3] [--evaluate] [--dir DIR]

1. Writes SERIES series of ROWS daily points in long format (id,date,value; seeded): series i
   is a level 10 + i % 97, a weekly wave of amplitude 1 + i % 5 and Gaussian noise of sd 0.2.
2. Trains a tiny model with NEW_BIN (GRU, H = 16, T = 28, K = 7, m = 7, one epoch) on the
   first TRAIN_ROWS rows of every series: every series has a scaler, so the old build, which
   refuses a series it was not trained on, can forecast them all.
3. Runs `forecast --model` over all SERIES series of ROWS rows with each build in turn, RUNS
   times, and keeps each build's best: the wall time and CPU time (user + system) of the whole
   command (-q), and of everything after reading the data (a run with -v: its "time: forecast"
   line, which includes the -v report of every series). Checks that both builds wrote the same
   bytes, and prints old / new.
   With --evaluate, the same for `evaluate --model --json` (every test origin of every series).
Standard library only.
"""
import argparse
import filecmp
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time


def write_panel(path, series, rows, cut=None):
    rng = random.Random(1)
    with open(path, "w") as f:
        f.write("id,date,value\n")
        for i in range(series):
            level, amplitude = 10 + i % 97, 1 + i % 5
            lines = []
            for t in range(rows):
                day = time.strftime("%Y-%m-%d", time.gmtime((18262 + t) * 86400))  # from 2020-01-01
                value = level + amplitude * math.sin(2 * math.pi * t / 7) + rng.gauss(0.0, 0.2)
                if cut is None or t < cut:
                    lines.append(f"s{i:05d},{day},{value:.4f}")
            f.write("\n".join(lines) + "\n")


def timed(command, out):
    """Wall seconds, CPU seconds and the `-v` phase (seconds) of one run writing `out`."""
    start = time.perf_counter()
    with open(out, "w") as stdout:
        child = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, text=True)
        err = child.stderr.read()
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{err}")
    phase = re.search(r"time: (forecast|evaluate) ([0-9.]+) s", err)
    return wall, usage.ru_utime + usage.ru_stime, float(phase.group(2)) if phase else math.nan


def compare(name, args, builds, runs, work):
    best = {}
    for _ in range(runs):
        for build, binary in builds:
            wall, cpu, _ = timed([binary] + args + ["-q"], os.path.join(work, f"{name}-{build}.out"))
            phase = timed([binary] + args + ["-v"], os.path.join(work, f"{name}-{build}-v.out"))[2]
            best[build] = tuple(min(a, b) for a, b in zip((wall, cpu, phase), best.get(build, (math.inf,) * 3)))
    same = filecmp.cmp(os.path.join(work, f"{name}-old.out"), os.path.join(work, f"{name}-new.out"), shallow=False)
    print(f"\n`{name}`, best of {runs}:\n")
    print("| build | command, wall s | command, CPU s | after reading (-v), s |")
    print("|---|---|---|---|")
    for build, _ in builds:
        print(f"| {build} | {best[build][0]:.2f} | {best[build][1]:.2f} | {best[build][2]:.3f} |")
    ratios = [best["old"][i] / best["new"][i] for i in range(3)]
    print(f"| old / new | {ratios[0]:.1f}x | {ratios[1]:.1f}x | {ratios[2]:.1f}x |")
    print("outputs identical" if same else "outputs DIFFER")
    return same


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--series", type=int, default=10000)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--train-rows", type=int, default=80)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--evaluate", action="store_true")
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    work = args.dir or tempfile.mkdtemp(prefix="many-series-")
    os.makedirs(work, exist_ok=True)
    panel, head, model = (os.path.join(work, name) for name in ("panel.csv", "train.csv", "m.grc"))
    write_panel(panel, args.series, args.rows)
    write_panel(head, args.series, args.rows, cut=args.train_rows)
    subprocess.run([args.new, "train", "--data", head, "--id", "id", "--target", "value", "--lookback", "28",
                    "--horizon", "7", "--season", "7", "--hidden", "16", "--epochs", "1", "-q", "--out", model],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"{args.series:,} series x {args.rows} rows ({os.path.getsize(panel) / 1e6:.1f} MB); "
          f"model trained on their first {args.train_rows} rows; {os.cpu_count()} cores")
    builds = [("old", args.old), ("new", args.new)]
    same = compare("forecast", ["forecast", "--model", model, "--data", panel], builds, args.runs, work)
    if args.evaluate:
        same &= compare("evaluate", ["evaluate", "--model", model, "--data", panel, "--json"], builds, args.runs,
                        work)
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
