#!/usr/bin/env python3
"""grucast backtest on the reference tasks of docs/benchmarks.md: refit policies side by side.

Usage: bench/backtest_study.py [path/to/grucast] [--folds 5] [--seed 1] [--threads N]
Per task, `grucast backtest --folds F` (the folds split the 20% test part) three ways: a model
per fold trained from scratch (--refit every), from the previous fold's weights (--warm-start),
and one model trained on the first fold's rows (--refit once). Prints a Markdown table of the
MASE pooled over every fold (beside naive and snaive), the epochs trained in all and the
training seconds.
"""
import argparse
import json
import subprocess

from reference_gru import REFERENCE

VARIANTS = (("every", ["--refit", "every"]), ("every, warm start", ["--refit", "every", "--warm-start"]),
            ("once", ["--refit", "once"]))


def backtest(grucast, file, target, k, t, m, extra):
    command = [grucast, "backtest", "--quiet", "--data", f"datasets/{file}", "--target", target, "--horizon", str(k),
               "--lookback", str(t), "--season", str(m), "--format", "json"] + extra
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--folds", default="5")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--threads", default=None)
    args = parser.parse_args()
    common = ["--folds", args.folds, "--seed", args.seed] + (["--threads", args.threads] if args.threads else [])
    print("| task | refit | origins | GRU MASE | naive | snaive | epochs (all folds) | train s |")
    print("|---|---|---|---|---|---|---|---|")
    for file, target, k, t, m, _ in REFERENCE:
        for name, extra in VARIANTS:
            b = backtest(args.grucast, file, target, k, t, m, common + extra)
            epochs = sum(fold["epochs"] for fold in b["folds"] if fold["trained"])
            print(f"| {file} (K={k}, T={t}, m={m}) | {name} | {b['origins']} | {b['metrics']['mase']:.4f} | "
                  f"{b['baselines']['naive']['mase']:.4f} | {b['baselines']['snaive']['mase']:.4f} | {epochs} | "
                  f"{b['train_seconds']:.1f} |", flush=True)


if __name__ == "__main__":
    main()
