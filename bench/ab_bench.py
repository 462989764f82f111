#!/usr/bin/env python3
"""Speed of two grucast builds side by side: `grucast bench` of every configuration and cell,
the two binaries in turn (the order flipped every repetition, so drift on a noisy machine falls
on both), and per configuration the median of the paired ratios new/base.

usage: bench/ab_bench.py BASE_BIN NEW_BIN [--reps 6] [--seconds 1] [--cells gru,lstm]
"""
import argparse
import csv
import io
import statistics
import subprocess

CONFIGS = ("small", "medium", "large")
COLUMNS = ("train_samples_per_s", "infer_samples_per_s", "latency_us")


def bench(binary, config, cell, seconds):
    out = subprocess.run([binary, "bench", "--config", config, "--cell", cell, "--format", "csv",
                          "--seconds", str(seconds), "-q"], check=True, capture_output=True, text=True).stdout
    row = list(csv.DictReader(io.StringIO(out)))[-1]
    return {c: float(row[c]) for c in COLUMNS}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("new")
    parser.add_argument("--reps", type=int, default=6)
    parser.add_argument("--seconds", type=float, default=1)
    parser.add_argument("--cells", default="gru,lstm")
    args = parser.parse_args()
    cells = args.cells.split(",")
    ratios = {(cfg, cell): {c: [] for c in COLUMNS} for cfg in CONFIGS for cell in cells}
    for rep in range(args.reps):
        order = ("base", "new") if rep % 2 == 0 else ("new", "base")
        for cfg in CONFIGS:
            for cell in cells:
                runs = {which: bench(getattr(args, which), cfg, cell, args.seconds) for which in order}
                for c in COLUMNS:
                    ratios[(cfg, cell)][c].append(runs["new"][c] / runs["base"][c])
    print(f"median of {args.reps} paired ratios new/base (throughput: above 1 is faster; latency: below 1 is faster)")
    print(f"{'config':8}{'cell':6}{'train':>8}{'infer':>8}{'latency':>9}   (min-max of latency)")
    for (cfg, cell), r in ratios.items():
        lat = r["latency_us"]
        print(f"{cfg:8}{cell:6}{statistics.median(r[COLUMNS[0]]):8.3f}{statistics.median(r[COLUMNS[1]]):8.3f}"
              f"{statistics.median(lat):9.3f}   ({min(lat):.2f}-{max(lat):.2f})")


if __name__ == "__main__":
    main()
