#!/usr/bin/env python3
"""Coverage of grucast's prediction intervals on the reference tasks of docs/benchmarks.md.

Usage: bench/interval_coverage.py [path/to/grucast] [--seed 1] [--levels 0.8,0.95] [--quantile]
Per task: `grucast train` of one network (--ensemble 1; the GRU's intervals are calibrated on its
validation part), then `grucast evaluate --intervals` for the GRU and for seasonal naive
(calibrated on the same validation part), and prints a Markdown table of the share of test
actuals inside their interval and the mean interval width, per level. With --quantile the GRU
is trained with `--loss quantile` and the quantiles (1 - L)/2, (1 + L)/2 of every level, and its
intervals are those quantiles.
"""
import argparse
import json
import subprocess
import tempfile

from reference_gru import REFERENCE


def evaluate(grucast, method, file, levels):
    command = [grucast, "evaluate", "--quiet", "--data", f"datasets/{file}", "--intervals", levels, "--json"] + method
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("grucast", nargs="?", default="build/grucast")
    parser.add_argument("--seed", default="1")
    parser.add_argument("--levels", default="0.8,0.95")
    parser.add_argument("--quantile", action="store_true", help="train the GRU with --loss quantile")
    args = parser.parse_args()
    levels = args.levels.split(",")
    extra = []
    if args.quantile:
        quantiles = sorted({q for level in levels for q in ((1 - float(level)) / 2, (1 + float(level)) / 2)})
        extra = ["--loss", "quantile", "--quantiles", ",".join(f"{q:g}" for q in quantiles)]
    header = " | ".join(f"{method} {float(level):.0%}: coverage, width" for method in ("GRU", "snaive")
                        for level in levels)
    print(f"| task | target | test pairs | {header} |")
    print("|---|---|---|" + "---|" * (2 * len(levels)))
    with tempfile.TemporaryDirectory() as folder:
        model = f"{folder}/model.grc"
        for file, target, k, t, m, _ in REFERENCE:
            subprocess.run([args.grucast, "train", "--quiet", "--data", f"datasets/{file}", "--target", target,
                            "--horizon", str(k), "--lookback", str(t), "--season", str(m), "--seed", args.seed,
                            "--ensemble", "1", "--out", model] + extra, check=True, capture_output=True, text=True)
            cells, pairs = [], 0
            for method in (["--model", model],
                           ["--baseline", "snaive", "--target", target, "--horizon", str(k), "--lookback", str(t),
                            "--season", str(m)]):
                for score in evaluate(args.grucast, method, file, args.levels)["intervals"]:
                    cells.append(f"{score['coverage']:.1%}, {score['mean_width']:.4g}")
                    pairs = score["count"]
            print(f"| {file} (K={k}, T={t}, m={m}) | {target} | {pairs} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
