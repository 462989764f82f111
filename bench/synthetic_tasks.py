#!/usr/bin/python3
"""Writes the two synthetic tasks of docs/gru-vs-lstm.md: a cue column of sparse random pulses
and a target that echoes each pulse DELAY steps later, plus noise. Only the cue DELAY steps
back tells the next target value (the target's own past does not: the pulses are independent),
so the two files differ in one thing, how far back the answer lies:

  synthetic-long-dependency.csv   y_t = s_{t-120} + e_t
  synthetic-short-dependency.csv  y_t = s_{t-5} + e_t

s_t is 0 but with probability 0.1 a pulse of amplitude ±U(0.5, 1); e_t ~ N(0, 0.05²).
Hourly timestamps from 2020-01-01; 4000 rows; fixed seeds, so the files are reproducible:

  /usr/bin/python3 bench/synthetic_tasks.py datasets/
"""
import datetime
import pathlib
import random
import sys

ROWS = 4000
PULSE_PROBABILITY = 0.1
NOISE = 0.05
TASKS = {"synthetic-long-dependency.csv": (120, 11), "synthetic-short-dependency.csv": (5, 12)}


def series(delay, seed, probability=PULSE_PROBABILITY):
    rng = random.Random(seed)
    cue = []
    for _ in range(ROWS + delay):
        pulse = rng.random() < probability
        cue.append(rng.choice((-1, 1)) * rng.uniform(0.5, 1.0) if pulse else 0.0)
    target = [cue[t] + rng.gauss(0.0, NOISE) for t in range(ROWS)]  # cue[t] is s_{t-delay}
    return cue[delay:], target


def write(path, delay, seed, probability=PULSE_PROBABILITY):
    cue, target = series(delay, seed, probability)
    start = datetime.datetime(2020, 1, 1)
    with open(path, "w") as out:
        out.write("time,cue,y\n")
        for t in range(ROWS):
            stamp = (start + datetime.timedelta(hours=t)).strftime("%Y-%m-%dT%H:%M:%S")
            out.write(f"{stamp},{cue[t]:.4f},{target[t]:.4f}\n")


def main():
    folder = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "datasets")
    for name, (delay, seed) in TASKS.items():
        write(folder / name, delay, seed)
        print(f"wrote {folder / name}: y_t = cue_(t-{delay}) + noise, {ROWS} rows")


if __name__ == "__main__":
    main()
