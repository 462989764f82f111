#!/usr/bin/env python3
"""GRU vs GRU + additive vs GRU + dot attention on the reference tasks of docs/benchmarks.md,
under the rolling-origin protocol, with grucast train's defaults otherwise.

Usage: bench/attention_study.py [path/to/grucast] [--seeds 1,2,3]
Prints a Markdown table: per task and variant, the protocol's metrics (mean over the seeds;
MASE per seed), the training time, and where the mean attention weight peaks (from
evaluate --explain: the three lags with the most weight).
"""
import argparse
import csv
import json
import statistics
import subprocess
import tempfile
import time

from reference_gru import REFERENCE

VARIANTS = ["none", "additive", "dot"]


def run(grucast, task, attention, seed, folder):
    file, target, k, t, m, _ = task
    model, explain = f"{folder}/model.grc", f"{folder}/explain.csv"
    start = time.monotonic()
    subprocess.run([grucast, "train", "--quiet", "--data", f"datasets/{file}", "--target", target, "--horizon", str(k),
                    "--lookback", str(t), "--season", str(m), "--seed", str(seed), "--attention", attention,
                    "--out", model], check=True, capture_output=True, text=True)
    seconds = time.monotonic() - start
    command = [grucast, "evaluate", "--quiet", "--model", model, "--data", f"datasets/{file}", "--json"]
    if attention != "none":
        command += ["--explain", explain]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    peaks = ""
    if attention != "none":
        with open(explain) as f:
            rows = sorted(csv.DictReader(f), key=lambda r: -float(r["weight"]))
        peaks = ", ".join(f"{r['lag']} ({float(r['weight']):.2f})" for r in rows[:3])
    return result["metrics"], seconds, peaks


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--seeds", default="1,2,3")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    print("| task | attention | MAE | RMSE | sMAPE% | MASE (mean) | MASE per seed | train s | top lags (weight), seed 1 |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for task in REFERENCE:
            for attention in VARIANTS:
                metrics, seconds, peaks = [], [], ""
                for seed in seeds:
                    m, s, p = run(args.grucast, task, attention, seed, folder)
                    metrics.append(m)
                    seconds.append(s)
                    peaks = peaks or p
                mean = {key: statistics.mean(m[key] for m in metrics) for key in ("mae", "rmse", "smape", "mase")}
                per_seed = ", ".join(f"{m['mase']:.3f}" for m in metrics)
                print(f"| {task[0]} {task[1]} | {attention} | {mean['mae']:.4f} | {mean['rmse']:.4f} | "
                      f"{mean['smape']:.3f} | {mean['mase']:.4f} | {per_seed} | {statistics.mean(seconds):.0f} | "
                      f"{peaks or '-'} |", flush=True)


if __name__ == "__main__":
    main()
