#!/usr/bin/env python3
"""The task attention is for, through the CLI: y_t = 0.9 y_{t−24} + N(0, 0.45²), a random
seasonal pattern that drifts; only the value a season back predicts the next one.

Usage: bench/attention_copy_task.py [path/to/grucast] [--lookbacks 24,36,48] [--epochs 30]
Trains the plain GRU and GRU + additive / dot attention (H 16, K 1, no transform or window
normalization) for each lookback, and prints test RMSE beside seasonal naive with the lag of
the largest mean attention weight (evaluate --explain). Lag 24 is the value a season back.
"""
import argparse
import csv
import json
import random
import subprocess
import tempfile


def series(n, seed=1):
    rng = random.Random(seed)
    y = [rng.gauss(0, 1) for _ in range(24)]
    for t in range(24, n):
        y.append(0.9 * y[t - 24] + rng.gauss(0, 0.45))
    return y


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--lookbacks", default="24,36,48")
    parser.add_argument("--epochs", default="30")
    args = parser.parse_args()
    print("| lookback T | attention | test RMSE | snaive RMSE | peak lag (mean weight) |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        data, model, explain = f"{folder}/copy.csv", f"{folder}/m.grc", f"{folder}/lags.csv"
        with open(data, "w") as f:
            f.write("y\n" + "".join(f"{v:.5f}\n" for v in series(3000)))
        for lookback in args.lookbacks.split(","):
            for attention in ("none", "additive", "dot"):
                subprocess.run([args.grucast, "train", "--data", data, "--target", "y", "--time", "none",
                                "--lookback", lookback, "--horizon", "1", "--season", "24", "--hidden", "16",
                                "--epochs", args.epochs, "--patience", args.epochs, "--transform", "none",
                                "--normalize", "none", "--attention", attention, "--quiet", "--out", model],
                               check=True, capture_output=True)
                command = [args.grucast, "evaluate", "--model", model, "--data", data, "--json", "--quiet"]
                if attention != "none":
                    command += ["--explain", explain]
                result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
                peak = "-"
                if attention != "none":
                    with open(explain) as f:
                        top = max(csv.DictReader(f), key=lambda r: float(r["weight"]))
                    peak = f"{top['lag']} ({float(top['weight']):.2f})"
                print(f"| {lookback} | {attention} | {result['metrics']['rmse']:.4f} | "
                      f"{result['baselines']['snaive']['rmse']:.4f} | {peak} |", flush=True)


if __name__ == "__main__":
    main()
