#!/usr/bin/python3
"""GRU against LSTM (with and without attention) on the reference tasks and the synthetic
dependency tasks, through grucast compare: the tables of docs/gru-vs-lstm.md.

Usage: bench/gru_vs_lstm.py [path/to/grucast] [--seeds 3] [--attention none,additive]
                            [--tasks seattle,sp500,co2,hourly,short,long] [--delays 5,30,60,120]
Every variant of a task trains on the same data, split, budget and seeds (grucast compare).
The reference tasks use grucast's defaults with only T, K and m given; the synthetic tasks
(bench/synthetic_tasks.py) read raw values: --transform none --normalize none --season 1.
--delays adds a sweep over the echo's delay, each a generated file in a temporary folder.
Prints Markdown: one table per task, test metrics as mean ± sample standard deviation over seeds.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import synthetic_tasks  # noqa: E402

SYNTHETIC = ["--features", "cue", "--lookback", "128", "--horizon", "1", "--season", "1", "--transform", "none",
             "--normalize", "none"]
TASKS = {  # name: file, target, options
    "seattle": ("datasets/seattle-weather.csv", "temp_max", ["--horizon", "7", "--lookback", "28", "--season", "1"]),
    "sp500": ("datasets/sp500-2000.csv", "close", ["--horizon", "5", "--lookback", "30", "--season", "1"]),
    "co2": ("datasets/co2-concentration.csv", "CO2", ["--horizon", "12", "--lookback", "36", "--season", "12"]),
    "hourly": ("datasets/seattle-weather-hourly-normals.csv", "temperature",
               ["--horizon", "24", "--lookback", "168", "--season", "24"]),
    "short": ("datasets/synthetic-short-dependency.csv", "y", SYNTHETIC),
    "long": ("datasets/synthetic-long-dependency.csv", "y", SYNTHETIC),
}


def compare(grucast, file, target, options, seeds, attention):
    command = [grucast, "compare", "--quiet", "--data", file, "--target", target, "--seeds", str(seeds),
               "--attention", attention, "--format", "json"] + options
    start = time.monotonic()
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out), time.monotonic() - start


def pm(stats, key, digits, scale=1.0):
    mean, spread = scale * stats["mean"][key], scale * stats["spread"][key]
    return f"{mean:.{digits}f} ± {spread:.{digits}f}"


def table(report):
    lines = ["| variant | parameters | train s | samples/s | epochs to best | MAE | RMSE | sMAPE % | MASE | latency µs |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for v in report["variants"]:
        lines.append(f"| {v['name']} | {v['parameters']:,} | {v['mean']['seconds']:.1f} | "
                     f"{v['mean']['samples_per_second']:,.0f} | {v['mean']['best_epoch']:.1f} | {pm(v, 'mae', 4)} | "
                     f"{pm(v, 'rmse', 4)} | {pm(v, 'smape', 2)} | {pm(v, 'mase', 4)} | {v['latency_us']:.1f} |")
    for name, m in report["baselines"].items():
        lines.append(f"| {name} | | | | | {m['mae']:.4f} | {m['rmse']:.4f} | {m['smape']:.2f} | {m['mase']:.4f} | |")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--attention", default="none,additive")
    parser.add_argument("--tasks", default=",".join(TASKS))
    parser.add_argument("--delays", default="", help="echo delays for a sweep of generated tasks, e.g. 10,20,30")
    parser.add_argument("--sweep-attention", default="none", help="the sweep's attention list")
    args = parser.parse_args()
    runs = [(name, *TASKS[name]) for name in args.tasks.split(",") if name]
    with tempfile.TemporaryDirectory() as folder:
        for delay in [int(d) for d in args.delays.split(",") if d]:
            path = pathlib.Path(folder) / f"echo-{delay}.csv"
            synthetic_tasks.write(path, delay, 100 + delay)
            runs.append((f"echo, delay {delay}", str(path), "y", SYNTHETIC, args.sweep_attention))
        for name, file, target, options, *attention in runs:
            report, seconds = compare(args.grucast, file, target, options, args.seeds, (attention or [args.attention])[0])
            print(f"### {name}: {file} → {target} ({' '.join(options)})\n")
            print(f"{report['origins']} test origins, seeds {', '.join(map(str, report['seeds']))}; "
                  f"compare took {seconds:.0f} s\n")
            print(table(report) + "\n", flush=True)


if __name__ == "__main__":
    main()
