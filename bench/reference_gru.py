#!/usr/bin/env python3
"""The GRU with its default settings on the reference tasks of docs/benchmarks.md, and on
series it was not designed on, under the rolling-origin protocol.

Usage: bench/reference_gru.py [path/to/grucast] [--seeds 1,2,3] [--unseen] [--defaults] [--options "--loss mse ..."]
Only the lookback T, horizon K and season m of each task are given (with --defaults only K);
every other setting is grucast train's default. Prints a Markdown table of test MASE per seed beside naive and
seasonal naive, with the training time.
"""
import argparse
import json
import subprocess
import tempfile
import time

REFERENCE = [  # file, target, horizon K, lookback T, season m, the bar the issue sets
    ("seattle-weather.csv", "temp_max", 7, 28, 1, "≤ 1.43"),
    ("sp500-2000.csv", "close", 5, 30, 1, "≤ 2.789"),
    ("co2-concentration.csv", "CO2", 12, 36, 12, "≤ 0.435"),
    ("seattle-weather-hourly-normals.csv", "temperature", 24, 168, 24, "< 1.329"),
]
UNSEEN = [  # other columns of the bundled files: no default was chosen by looking at them
    ("seattle-weather.csv", "temp_min", 7, 28, 1, "-"),
    ("seattle-weather.csv", "wind", 7, 28, 1, "-"),
    ("co2-concentration.csv", "adjusted CO2", 12, 36, 12, "-"),
    ("seattle-weather-hourly-normals.csv", "pressure", 24, 168, 24, "-"),
    ("sp500-2000.csv", "volume", 5, 30, 1, "-"),
]


def train(grucast, file, target, k, t, m, seed, model, options, defaults):
    """`defaults`: only the horizon (every file has dates, so the season and lookback are grucast's)."""
    shape = [] if defaults else ["--lookback", str(t), "--season", str(m)]
    command = [grucast, "train", "--quiet", "--data", f"datasets/{file}", "--target", target, "--horizon", str(k),
               "--seed", str(seed), "--out", model] + shape + options
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.monotonic() - start
    evaluation = [grucast, "evaluate", "--quiet", "--model", model, "--data", f"datasets/{file}", "--json"]
    result = json.loads(subprocess.run(evaluation, check=True, capture_output=True, text=True).stdout)
    return result, seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--seeds", default="1")
    parser.add_argument("--unseen", action="store_true", help="the other columns instead of the reference tasks")
    parser.add_argument("--options", default="", help="extra train options, to measure a setting against the defaults")
    parser.add_argument("--defaults", action="store_true",
                        help="give only the horizon: grucast chooses the season and the lookback (issue 21's bar)")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    print("| task | target | origins | GRU MASE (seed " + ", ".join(map(str, seeds)) +
          ") | chosen | naive | snaive | must reach | train s |")
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for file, target, k, t, m, bar in UNSEEN if args.unseen else REFERENCE:
            scores, times, methods = [], [], []
            for seed in seeds:
                result, seconds = train(args.grucast, file, target, k, t, m, seed, f"{folder}/model.grc",
                                        args.options.split(), args.defaults)
                scores.append(result["metrics"]["mase"])
                methods.append(result["method"])
                times.append(seconds)
            base = result["baselines"]
            print(f"| {file} (K={k}, T={result['lookback']}, m={result['season']}) | {target} | {result['origins']} | "
                  f"{', '.join(f'{s:.4f}' for s in scores)} | {', '.join(methods)} | {base['naive']['mase']:.4f} | "
                  f"{base['snaive']['mase']:.4f} | {bar} | {', '.join(f'{s:.0f}' for s in times)} |")


if __name__ == "__main__":
    main()
