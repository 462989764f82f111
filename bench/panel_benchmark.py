#!/usr/bin/env python3
"""A panel scored the M4 way: `grucast train --final` and `grucast forecast` on a long-format
train file, scored against the test file beside grucast's baselines, and printed next to the
published results (issue 20, item 8).

Per series, over its h test points: sMAPE = mean 200|y - f| / (|y| + |f|); MASE = mean |y - f| over
the in-sample seasonal-naive MAE of the whole training part (season m). Both averaged over series.
The network is trained once per seed (default 1,2,3): its row is the mean over the seeds, with the
spread (min-max) beside it. Nothing is tuned on the test file: it is read only to score.

usage: bench/panel_benchmark.py GRUCAST_BIN [--train F] [--test F] [--id id] [--horizon 13]
       [--season 1] [--seeds 1,2,3] [--readme README.md] [--dir DIR] [-- extra train options]
"""
import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import OrderedDict

M4_WEEKLY = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "datasets", "m4-weekly")
BASELINES = ["naive", "snaive", "drift", "mean", "ses", "holt", "damped", "theta", "comb", "ets"]


def read_panel(path, id_column):
    """OrderedDict id -> list of floats, in file order (the value column is the other column)."""
    series = OrderedDict()
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        value = [c for c in reader.fieldnames if c != id_column][0]
        for row in reader:
            series.setdefault(row[id_column], []).append(float(row[value]))
    return series


def read_forecasts(path):
    """id -> forecasts by step (the id column is the first; columns step and forecast)."""
    out = {}
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        id_column = reader.fieldnames[0]
        for row in reader:
            out.setdefault(row[id_column], {})[int(row["step"])] = float(row["forecast"])
    return {k: [v[s] for s in sorted(v)] for k, v in out.items()}


def scores(train, test, forecasts, season):
    """Mean sMAPE and MASE over series, and how many series had no forecast."""
    smapes, mases, missing = [], [], 0
    for sid, actual in test.items():
        f = forecasts.get(sid)
        if f is None or len(f) < len(actual):
            missing += 1
            continue
        f = f[: len(actual)]
        smapes.append(statistics.fmean(200 * abs(y - p) / (abs(y) + abs(p)) if abs(y) + abs(p) > 0 else 0
                                       for y, p in zip(actual, f)))
        history = train[sid]
        m = season if len(history) > season else 1
        scale = statistics.fmean(abs(history[i] - history[i - m]) for i in range(m, len(history))) \
            if len(history) > m else float("nan")
        mae = statistics.fmean(abs(y - p) for y, p in zip(actual, f))
        if scale > 0:
            mases.append(mae / scale)
    return statistics.fmean(smapes), statistics.fmean(mases), missing


def run(command):
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def published(readme):
    """(method, sMAPE, MASE) rows of the README's published table."""
    rows = []
    if not readme or not os.path.exists(readme):
        return rows
    for line in open(readme):
        m = re.match(r"\|\s*([^|]+?)\s*\|\s*([0-9.]+)\s*\|\s*([0-9.]+)\s*\|", line)
        if m:
            rows.append((m.group(1), float(m.group(2)), float(m.group(3))))
    return rows


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        extra = argv[argv.index("--") + 1:]
        argv = argv[: argv.index("--")]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("grucast")
    parser.add_argument("--train", default=os.path.join(M4_WEEKLY, "weekly-train.csv"))
    parser.add_argument("--test", default=os.path.join(M4_WEEKLY, "weekly-test.csv"))
    parser.add_argument("--readme", default=os.path.join(M4_WEEKLY, "README.md"))
    parser.add_argument("--id", default="id")
    parser.add_argument("--horizon", type=int, default=13)
    parser.add_argument("--season", type=int, default=None,
                        help="season m of the MASE scale and snaive (default 1); given to train only when given here")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--dir", default=None)
    args = parser.parse_args(argv)
    season_options = ["--season", str(args.season)] if args.season else []
    args.season = args.season or 1
    work = args.dir or tempfile.mkdtemp(prefix="panel-")
    os.makedirs(work, exist_ok=True)
    train, test = read_panel(args.train, args.id), read_panel(args.test, args.id)
    common = ["--data", args.train, "--id", args.id]
    rows = []
    for method in BASELINES:
        out = os.path.join(work, f"{method}.csv")
        run([args.grucast, "forecast", "--baseline", method, "--horizon", str(args.horizon), "--season",
             str(args.season), "--out", out, "-q"] + common)
        rows.append((f"grucast {method}",) + scores(train, test, read_forecasts(out), args.season)[:2])
    runs = []
    for seed in filter(None, args.seeds.split(",")):  # --seeds "" scores the baselines only
        model, out = os.path.join(work, f"gru-{seed}.grc"), os.path.join(work, f"gru-{seed}.csv")
        start = time.perf_counter()
        run([args.grucast, "train", "--horizon", str(args.horizon), "--final", "--seed", seed, "--out", model,
             "-q"] + season_options + common + extra)
        run([args.grucast, "forecast", "--model", model, "--out", out, "-q"] + common)
        seconds = time.perf_counter() - start
        smape, mase, missing = scores(train, test, read_forecasts(out), args.season)
        runs.append((smape, mase, seconds, missing))
        print(f"seed {seed}: sMAPE {smape:.3f}  MASE {mase:.3f}  ({seconds:.0f} s, {missing} series unforecast)",
              file=sys.stderr)
    smapes, mases = [r[0] for r in runs], [r[1] for r in runs]
    print(f"{len(test)} series, horizon {args.horizon}, season {args.season}; train options: "
          f"--id {args.id} --horizon {args.horizon} --final {' '.join(season_options + extra)}".rstrip())
    print()
    print("| method | sMAPE | MASE |")
    print("|---|---|---|")
    if runs:
        print(f"| grucast GRU, mean of {len(runs)} seeds (min-max) | {statistics.fmean(smapes):.3f} "
              f"({min(smapes):.3f}-{max(smapes):.3f}) | {statistics.fmean(mases):.3f} "
              f"({min(mases):.3f}-{max(mases):.3f}) |")
    for name, smape, mase in rows:
        print(f"| {name} | {smape:.3f} | {mase:.3f} |")
    for name, smape, mase in published(args.readme):
        print(f"| published: {name} | {smape:.3f} | {mase:.3f} |")
    print()
    if runs:
        print(f"train + forecast: {statistics.fmean(r[2] for r in runs):.0f} s per seed; "
              f"series without a forecast: {max(r[3] for r in runs)}")


if __name__ == "__main__":
    main()
