#!/usr/bin/env python3
"""grucast's defaults on random walks, where no forecast beats naive (or drift) but by luck.

Usage: bench/random_walk_study.py [path/to/grucast ...] [--series 8] [--seeds 1,2,3] [--length 1500]

Generates geometric random walks (daily steps of sd 1%, drifts from -0.05% to +0.05% a day; the
generator's seed is fixed, so every run sees the same series), trains each with the defaults and
`--horizon 5`, and scores the model's forecast (`evaluate --model`: the network or what validation
chose) against naive on the test part. Prints, per grucast binary given, the mean ratio of its
MASE to naive's over series and seeds, how often it is worse than naive (and how often without train's warning that validation did not
show it better than naive), and what was chosen.
"""
import argparse
import collections
import json
import math
import os
import random
import statistics
import subprocess
import tempfile


def write_walk(path, index, length):
    rng = random.Random(1000 + index)
    drift = -0.0005 + 0.001 * index / max(1, ARGS.series - 1)
    level, rows = 100.0, ["value"]
    for _ in range(length):
        level *= math.exp(drift + 0.01 * rng.gauss(0.0, 1.0))
        rows.append(f"{level:.4f}")
    with open(path, "w") as f:
        f.write("\n".join(rows) + "\n")


def score(grucast, data, seed, model):
    trained = subprocess.run([grucast, "train", "-q", "--data", data, "--target", "value", "--horizon", "5", "--seed",
                              str(seed), "--out", model], check=True, capture_output=True, text=True)
    warned = "than naive" in trained.stderr  # train's warning that validation did not show it beat naive
    result = json.loads(subprocess.run([grucast, "evaluate", "-q", "--model", model, "--data", data, "--json"],
                                       check=True, capture_output=True, text=True).stdout)
    header = json.loads(subprocess.run([grucast, "inspect", model, "--json"], check=True, capture_output=True,
                                       text=True).stdout)
    chosen = header["selection"]["series"][0]["method"] if header.get("selection") else result["method"]
    return result["metrics"]["mase"] / result["baselines"]["naive"]["mase"], chosen, warned


def main():
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for i in range(ARGS.series):
            files.append(os.path.join(folder, f"walk{i}.csv"))
            write_walk(files[-1], i, ARGS.length)
        print(f"{ARGS.series} random walks of {ARGS.length} steps, horizon 5, seeds {ARGS.seeds}; "
              "MASE relative to naive's on the test part (below 1: better than naive)")
        print()
        print("| grucast | mean MASE / naive's | worst | worse than naive | of those, not warned | forecast by |")
        print("|---|---|---|---|---|---|")
        for grucast in ARGS.grucast:
            ratios, methods, unwarned = [], collections.Counter(), 0
            for data in files:
                for seed in ARGS.seeds.split(","):
                    ratio, method, warned = score(grucast, data, seed, os.path.join(folder, "model.grc"))
                    ratios.append(ratio)
                    unwarned += ratio > 1.0 and not warned
                    methods[method] += 1
            worse = sum(r > 1.0 for r in ratios)
            print(f"| {grucast} | {statistics.fmean(ratios):.4f} | {max(ratios):.4f} | {worse} of {len(ratios)} | "
                  f"{unwarned} | {', '.join(f'{m} {n}' for m, n in methods.most_common())} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="*", default=["build/grucast"])
    parser.add_argument("--series", type=int, default=8)
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--length", type=int, default=1500)
    ARGS = parser.parse_args()
    main()
