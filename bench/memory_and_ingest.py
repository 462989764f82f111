#!/usr/bin/env python3
"""The speed issue's memory and CSV ingest benchmarks, on a generated numeric CSV file.

Usage: bench/memory_and_ingest.py [path/to/grucast] [--rows 1000000] [--keep DIR]

1. Generates ROWS rows of 8 numeric columns (c0, a daily-seasonal random walk, the target;
   c1..c7 noise), 6 decimals, no time column: about 76 MB for 1,000,000 rows.
2. CSV ingest: `grucast forecast --baseline naive` reading all 8 columns, the best of 3 runs;
   MB/s = file size / wall time of the whole command (process start, parsing, checks,
   output). Target: at least 100 MB/s.
3. Memory: `grucast train` with T = 168, K = 24, H = 16, one epoch, on all 8 columns; the
   peak resident memory of the process (ru_maxrss) against the raw data (ROWS x 8 float64
   values). Target: at most raw + 200 MB.
Exits 1 when a target is missed. Standard library only.
"""
import argparse
import math
import os
import random
import subprocess
import sys
import tempfile
import time

COLUMNS = 8


def generate(path, rows):
    rng = random.Random(1)
    level = 0.0
    with open(path, "w") as f:
        f.write(",".join(f"c{i}" for i in range(COLUMNS)) + "\n")
        lines = []
        for t in range(rows):
            level += rng.gauss(0.0, 0.01)
            values = [math.sin(2 * math.pi * t / 24) + level] + [rng.gauss(0.0, 1.0) for _ in range(COLUMNS - 1)]
            lines.append(",".join(f"{v:.6f}" for v in values))
            if len(lines) == 10000:
                f.write("\n".join(lines) + "\n")
                lines = []
        if lines:
            f.write("\n".join(lines) + "\n")


def run_measured(command):
    """Wall seconds and peak resident memory (MB) of one child process, from wait4."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - start
    if child.returncode != 0:
        sys.exit(f"failed ({child.returncode}): {' '.join(command)}\n{err.decode()}")
    return seconds, usage.ru_maxrss * 1024 / 1e6  # Linux reports KiB


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", help="directory for the generated file (kept); default: a temporary one")
    args = parser.parse_args()
    grucast = os.path.abspath(args.grucast)
    directory = args.keep or tempfile.mkdtemp(prefix="grucast-memory-")
    os.makedirs(directory, exist_ok=True)
    data = os.path.join(directory, f"numeric-{args.rows}x{COLUMNS}.csv")
    if not os.path.exists(data):
        print(f"generating {data} ...", flush=True)
        generate(data, args.rows)
    size_mb = os.path.getsize(data) / 1e6
    features = ",".join(f"c{i}" for i in range(1, COLUMNS))
    common = ["--data", data, "--target", "c0", "--features", features, "--time", "none", "-q"]

    ingest = min(run_measured([grucast, "forecast", "--baseline", "naive", "--horizon", "1", "--out", os.devnull]
                              + common)[0] for _ in range(3))
    ingest_rate = size_mb / ingest

    model = os.path.join(directory, "memory.grc")
    train_seconds, peak_mb = run_measured([grucast, "train", "--lookback", "168", "--horizon", "24", "--season", "24",
                                           "--hidden", "16", "--epochs", "1", "--ensemble", "1", "--out", model] + common)
    raw_mb = args.rows * COLUMNS * 8 / 1e6

    print(f"file: {data}, {args.rows} rows x {COLUMNS} columns, {size_mb:.1f} MB")
    print(f"CSV ingest: {ingest:.2f} s, {ingest_rate:.0f} MB/s (target >= 100)")
    print(f"training (T=168, K=24, H=16, 1 epoch): {train_seconds:.1f} s, peak RSS {peak_mb:.0f} MB; "
          f"raw data {raw_mb:.0f} MB + {peak_mb - raw_mb:.0f} MB (target <= raw + 200)")
    missed = (ingest_rate < 100) + (peak_mb > raw_mb + 200)
    if not args.keep:
        for path in (data, model):
            if os.path.exists(path):
                os.remove(path)
        os.rmdir(directory)
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
