#!/usr/bin/env python3
"""Scoring time against the number of rows: `grucast evaluate --model` of a small GRU on series
of 0.5M, 1M, 2M and 4M rows, wall time and peak memory, and the time per million rows (flat when
scoring is linear in the rows; issue 19, item 8).

usage: bench/scoring_scale.py GRUCAST_BIN [--rows 500000,1000000,2000000,4000000] [--dir DIR]
"""
import argparse
import json
import math
import os
import random
import subprocess
import tempfile
import time


def write_series(path, rows):
    # value = 10 + sin(2*pi*i/24) + N(0, 0.1), hourly row index; the same as docs/benchmarks.md.
    random.seed(1)
    with open(path, "w") as f:
        f.write("t,value\n")
        for i in range(rows):
            f.write(f"{i},{10 + math.sin(2 * math.pi * i / 24) + random.gauss(0, 0.1):.4f}\n")


def timed(command):
    """Wall time, peak memory (KB) and the test origins of an evaluate --json run."""
    start = time.perf_counter()
    out = subprocess.run(["/usr/bin/time", "-f", "%M"] + command, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    return seconds, int(out.stderr.strip().splitlines()[-1]), json.loads(out.stdout)["origins"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("grucast")
    parser.add_argument("--rows", default="500000,1000000,2000000,4000000")
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    work = args.dir or tempfile.mkdtemp(prefix="scoring-scale-")
    small, model = os.path.join(work, "small.csv"), os.path.join(work, "m.grc")
    write_series(small, 2000)
    subprocess.run([args.grucast, "train", "--data", small, "--target", "value", "--time", "t", "--lookback", "24",
                    "--horizon", "4", "--season", "24", "--epochs", "2", "--ensemble", "1", "-q", "--out", model],
                   check=True, capture_output=True)
    print("| rows | test origins | evaluate, s | s per million rows | peak memory, MB |")
    print("|---|---|---|---|---|")
    for rows in (int(r) for r in args.rows.split(",")):
        data = os.path.join(work, f"series-{rows}.csv")
        write_series(data, rows)
        seconds, peak_kb, origins = timed([args.grucast, "evaluate", "--model", model, "--data", data, "-q",
                                           "--json"])
        print(f"| {rows:,} | {origins:,} | {seconds:.2f} | {seconds / rows * 1e6:.2f} | {peak_kb / 1024:.0f} |")
        os.remove(data)


if __name__ == "__main__":
    main()
