#!/usr/bin/env python3
"""The rolling-origin protocol of docs/benchmarks.md written out by hand in plain Python.

An independent check of `grucast evaluate`: no grucast code, no libraries, one loop over
origins and steps. Usage: bench/hand_protocol.py (from the repository's top folder).
"""
import csv
import math

TASKS = [  # file, target, horizon K, season m
    ("seattle-weather.csv", "temp_max", 7, 1),
    ("sp500-2000.csv", "close", 5, 1),
    ("co2-concentration.csv", "CO2", 12, 12),
    ("seattle-weather-hourly-normals.csv", "temperature", 24, 24),
]


def forecast(y, t, h, m, method):
    """Step h from origin t, having seen y[0:t] (y_1..y_t)."""
    if method == "naive":
        return y[t - 1]
    if method == "snaive":
        return y[t - m + (h - 1) % m]
    if method == "drift":
        return y[t - 1] + h * (y[t - 1] - y[0]) / (t - 1)
    return sum(y[:t]) / t


def protocol(y, k, m, method):
    n = len(y)
    n_train, n_val = math.floor(0.7 * n), math.floor(0.1 * n)
    scale = sum(abs(y[i] - y[i - m]) for i in range(m, n_train)) / (n_train - m)
    errors, apes, smapes = [], [], []
    for t in range(n_train + n_val, n - k + 1):
        for h in range(1, k + 1):
            f, a = forecast(y, t, h, m, method), y[t + h - 1]
            errors.append(abs(f - a))
            if a != 0:
                apes.append(100 * abs(f - a) / abs(a))
            smapes.append(0.0 if abs(f) + abs(a) == 0 else 200 * abs(f - a) / (abs(f) + abs(a)))
    mae = sum(errors) / len(errors)
    return {"origins": n - k + 1 - n_train - n_val, "mae": mae,
            "rmse": math.sqrt(sum(e * e for e in errors) / len(errors)), "mape": sum(apes) / len(apes),
            "smape": sum(smapes) / len(smapes), "mase": mae / scale}


for file, target, k, m in TASKS:
    with open(f"datasets/{file}", newline="") as f:
        y = [float(row[target]) for row in csv.DictReader(f)]
    for method in ("naive", "snaive", "drift", "mean"):
        r = protocol(y, k, m, method)
        print(f"{file} {method}: origins {r['origins']}, MAE {r['mae']:.12g}, RMSE {r['rmse']:.12g}, "
              f"MAPE {r['mape']:.12g}, sMAPE {r['smape']:.12g}, MASE {r['mase']:.12g}")
