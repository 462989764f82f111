#!/usr/bin/env python3
"""Baselines on the reference tasks of docs/benchmarks.md, under the rolling-origin protocol.

Usage: bench/reference_baselines.py [path/to/grucast]   (default: build/grucast)
Prints a Markdown table: one row per task and method, with MAE, RMSE, MAPE, sMAPE, MASE.
"""
import json
import subprocess
import sys

GRUCAST = sys.argv[1] if len(sys.argv) > 1 else "build/grucast"
TASKS = [  # file, target, horizon K, lookback T, season m
    ("seattle-weather.csv", "temp_max", 7, 28, 1),
    ("sp500-2000.csv", "close", 5, 30, 1),
    ("co2-concentration.csv", "CO2", 12, 36, 12),
    ("seattle-weather-hourly-normals.csv", "temperature", 24, 168, 24),
]
METHODS = ["naive", "snaive", "drift", "mean", "ses", "holt", "damped", "theta", "comb", "ets"]

print("| task | method | origins | MAE | RMSE | MAPE % | sMAPE % | MASE |")
print("|---|---|---|---|---|---|---|---|")
for file, target, k, t, m in TASKS:
    for method in METHODS:
        command = [GRUCAST, "evaluate", "--baseline", method, "--data", f"datasets/{file}", "--target", target,
                   "--horizon", str(k), "--lookback", str(t), "--season", str(m), "--json", "--quiet"]
        result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
        s = result["metrics"]
        print(f"| {file} (K={k}, m={m}) | {method} | {result['origins']} | {s['mae']:.4f} | {s['rmse']:.4f} | "
              f"{s['mape']:.4f} | {s['smape']:.4f} | {s['mase']:.4f} |")
