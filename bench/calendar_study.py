#!/usr/bin/env python3
"""Calendar features (train --calendar) against the same training without them, on the reference
tasks whose timestamps have a calendar to learn: the hourly normals and the daily Seattle weather.

Usage: bench/calendar_study.py [path/to/grucast] [--seeds 1,2,3] [--threads 2] [--task hourly|daily|both]
                                [--items "doy;hour,doy"]
Each run is `grucast train` with the task's T, K and m, the seed, --threads and the calendar
items, one network (--ensemble 1; every other option at its default: at most 100 epochs, early stopping after 10 without a
better validation loss). The test MASE is the one train prints beside naive and seasonal naive,
read back from the model file (inspect --json). Prints a Markdown table.
"""
import argparse
import json
import subprocess
import tempfile
import time

TASKS = {  # file, target, horizon K, lookback T, season m, the calendar items to try
    "hourly": ("seattle-weather-hourly-normals.csv", "temperature", 24, 168, 24, ["", "hour", "hour,doy"]),
    "daily": ("seattle-weather.csv", "temp_max", 7, 28, 1, ["", "doy", "month", "month,doy"]),
}


def run(grucast, task, calendar, seed, threads, model):
    file, target, k, t, m, _ = task
    command = ["nice", "-n", "10", grucast, "train", "--quiet", "--data", f"datasets/{file}", "--target", target,
               "--horizon", str(k), "--lookback", str(t), "--season", str(m), "--seed", str(seed),
               "--threads", str(threads), "--ensemble", "1", "--out", model] + (["--calendar", calendar] if calendar else [])
    start = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, text=True)
    seconds = time.monotonic() - start
    header = json.loads(subprocess.run([grucast, "inspect", "--json", model], check=True, capture_output=True,
                                       text=True).stdout)
    mase = {m["method"]: m["mase"] for m in header["test"]["methods"]}
    return mase, header["training"]["epochs_run"], header["training"]["best_epoch"], seconds


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--seeds", default="1,2,3")
    parser.add_argument("--threads", default="2")
    parser.add_argument("--task", default="both", choices=["hourly", "daily", "both"])
    parser.add_argument("--items", help="the --calendar values to try, separated by ';' (empty: none), instead of "
                                        "the task's own list")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    names = ["hourly", "daily"] if args.task == "both" else [args.task]
    print("| task | --calendar | GRU MASE (seed " + ", ".join(map(str, seeds)) +
          ") | mean | naive | snaive | epochs (best) | train s |")
    print("|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name in names:
            task = TASKS[name]
            for calendar in task[5] if args.items is None else args.items.split(";"):
                scores, epochs, times = [], [], []
                for seed in seeds:
                    mase, run_epochs, best, seconds = run(args.grucast, task, calendar, seed, args.threads,
                                                          f"{folder}/model.grc")
                    scores.append(mase["gru"])
                    epochs.append(f"{run_epochs} ({best})")
                    times.append(f"{seconds:.0f}")
                print(f"| {task[0]} {task[1]} (K={task[2]}, T={task[3]}, m={task[4]}) | {calendar or '(none)'} | "
                      f"{', '.join(f'{s:.4f}' for s in scores)} | {sum(scores) / len(scores):.4f} | "
                      f"{mase['naive']:.4f} | {mase['snaive']:.4f} | {', '.join(epochs)} | {', '.join(times)} |",
                      flush=True)


if __name__ == "__main__":
    main()
