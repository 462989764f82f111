#!/usr/bin/env python3
"""Writes the seed corpora under fuzz/corpus/<target>/ from the test data, the datasets (their
first lines), and model files trained here by a grucast executable (tiny models, so the seeds
stay small). Run from anywhere: fuzz/make_seeds.py BUILD/grucast [TARGET...] (default: all
targets). The seeds are checked in; rerun this when the formats change."""
import csv
import io
import json
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus"
HEAD_LINES = 24  # of each dataset: enough rows for a frequency, small enough to mutate fast


def write(target, name, data):
    path = CORPUS / target / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())


def head(path, lines=HEAD_LINES):
    with open(path, "rb") as f:
        return b"".join(f.readline() for _ in range(lines))


# The hostile files of the bad-input corpus, by kind (the model, JSON and config ones seed
# their own targets).
def bad_files(*suffixes):
    return [p for p in sorted((ROOT / "tests/data/bad").iterdir()) if p.name.endswith(suffixes)]


# fuzz_csv: [options][columns][CSV]; options 0 detects the delimiter with --missing error;
# columns bits 0-2 pick the target, bits 3-5 a feature (7: none), bit 6 an id column.
def csv_seeds():
    def columns(target, feature=7, id_column=False):
        return bytes([target | feature << 3 | (0x40 if id_column else 0)])

    write("csv", "daily", b"\x00" + columns(1) + (ROOT / "tests/data/daily.csv").read_bytes())
    write("csv", "daily-feature-ffill", b"\x08" + columns(1, 2) + (ROOT / "tests/data/daily.csv").read_bytes())
    write("csv", "long-id", b"\x00" + columns(2, 7, True) + (ROOT / "tests/data/long.csv").read_bytes())
    for path in sorted((ROOT / "datasets").glob("*.csv")):
        write("csv", path.stem, b"\x00" + columns(1) + head(path))
    for path in bad_files(".csv", ".gz", ".bin"):
        write("csv", "bad-" + path.name, b"\x00" + columns(1) + path.read_bytes()[:4096])
    write("csv", "semicolon-decimal-comma", b"\x00\x39" + b"Datum;Wert\n01.02.2020;3,14\n02.02.2020;2,5\n")
    write("csv", "pattern-time", b"\x80\x39" + b"date,v\n01.02.2020 10:00,1\n01.02.2020 11:00,2\n01.02.2020 12:00,3\n")
    write("csv", "epoch-interpolate", b"\x0c\x39" + b"time,v\n1600000000,1\n1600003600,\n1600007200,3\n")
    write("csv", "quoted-bom-crlf", b"\x00\x39" + b'\xef\xbb\xbf"date","v"\r\n"2020-01","1"\r\n"2020-02","2"\r\n')
    write("csv", "month-end-sort", b"\x10\x39" + b"date,v\n2020-02-29,2\n2020-01-31,1\n2020-03-31,3\n")
    write("csv", "business-days", b"\x00\x39" + b"date,v\n2020-01-02,1\n2020-01-03,2\n2020-01-06,3\n2020-01-07,4\n")
    write("csv", "offsets", b"\x00\x39" + b"date,v\n2020-01-01T00:00+02:00,1\n2020-01-01T01:00+02:00,2\n2020-01-01T02:00+02:00,3\n")


# fuzz_time: [0] timestamp, or [1] pattern LF timestamp.
def time_seeds():
    detected = ["2020-01-31", "2020-01", "2020-01-31T13:45:00", "2020-01-31 13:45", "2020-01-31T13:45:00Z",
                "2020-01-31T13:45:00+02:00", "2020-01-31T13:45:00.000-0530", "2020-01-31t13:45+14", "1600000000",
                "-86400", "0000-01-01", "9999-12-31T23:59:59", "2020-02-30", "  2020-01-31 "]
    for i, text in enumerate(detected):
        write("time", f"detected-{i:02}", b"\x00" + text.encode())
    patterns = [("%b %d %Y", "Jan 31 2020"), ("%d/%m/%Y %H:%M", "31/01/2020 13:45"), ("%Y-%m", "2020-01"),
                ("%s", "1600000000"), ("%Y-%m-%dT%H:%M:%S%z", "2020-01-31T13:45:00+0200"),
                ("%d.%m.%y", "31.01.20"), ("%A %B %e %Y %I %p", "Friday January 31 2020 01 PM"), ("%j %Y", "031 2020")]
    for i, (pattern, text) in enumerate(patterns):
        write("time", f"pattern-{i:02}", b"\x01" + f"{pattern}\n{text}".encode())


def train(grucast, workdir, name, args):
    out = workdir / f"{name}.grc"
    subprocess.run([str(grucast), "train", "--quiet", "--hidden", "3", "--epochs", "2", "--threads", "1",
                    "--out", str(out)] + args, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
    return out


# fuzz_model: [0] the file, and [2]/[3] header NUL parameters (f32/f64); fuzz_torch_json: export.
def model_seeds(grucast):
    daily = ["--data", "tests/data/daily.csv", "--target", "value", "--lookback", "3", "--horizon", "2",
             "--season", "1", "--val", "0.2", "--test", "0.2"]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = pathlib.Path(tmp)
        models = {
            "daily": train(grucast, workdir, "daily", daily),
            "features-f64": train(grucast, workdir, "features-f64", daily + ["--features", "temp", "--precision", "f64",
                                                                             "--transform", "none"]),
            "attention-2-layers": train(grucast, workdir, "attention", daily + ["--attention", "additive", "--layers", "2",
                                                                               "--scaler", "minmax"]),
            "long-id": train(grucast, workdir, "long", ["--data", "tests/data/long.csv", "--id", "store", "--target",
                                                       "sales", "--lookback", "2", "--horizon", "1", "--season", "1",
                                                       "--transform", "none", "--val", "0.25", "--test", "0.25"]),
        }
        for name, path in models.items():
            data = path.read_bytes()
            write("model", name, b"\x00" + data)
            header_length = int.from_bytes(data[12:20], "little")
            header = data[20:20 + header_length]
            element = int.from_bytes(data[20 + header_length:24 + header_length], "little")
            values = data[32 + header_length:-8]
            write("model", name + "-structured", (b"\x02" if element == 4 else b"\x03") + header + b"\0" + values)
            exported = subprocess.run([str(grucast), "export", str(path)], check=True, capture_output=True).stdout
            write("torch_json", name, json.dumps(json.loads(exported), separators=(",", ":")))
    minimal = {"format": "grucast-torch-json", "model": {"config": {"lookback": 2}, "data": {"target": "y"}},
               "state_dict": {"gru.weight_ih_l0": [[0.1], [0.2], [0.3]], "gru.weight_hh_l0": [[0.1], [0.2], [0.3]],
                              "gru.bias_ih_l0": [0.0, 0.0, 0.0], "gru.bias_hh_l0": [0.0, 0.0, 0.0],
                              "head.weight": [[1.0]], "head.bias": [0.0]}}
    write("torch_json", "minimal-from-python", json.dumps(minimal))
    for path in bad_files(".grc"):
        if path.stat().st_size <= 16384:
            write("model", "bad-" + path.stem, b"\x00" + path.read_bytes())
    for path in bad_files(".json"):
        if path.stat().st_size <= 16384:
            write("torch_json", "bad-" + path.stem, path.read_bytes())


# fuzz_checkpoint: [0] the file as written, [1] the same with the checksum recomputed by the target.
def checkpoint_seeds(grucast):
    daily = ["--data", "tests/data/daily.csv", "--target", "value", "--lookback", "3", "--horizon", "2",
             "--season", "1", "--val", "0.2", "--test", "0.2", "--checkpoint-every", "1"]
    runs = {"adam-f32": [], "sgd-f64": ["--optimizer", "sgd", "--precision", "f64", "--features", "temp"],
            "long-id": ["--data", "tests/data/long.csv", "--id", "store", "--target", "sales", "--lookback", "2",
                        "--horizon", "1", "--val", "0.25", "--test", "0.25"]}
    with tempfile.TemporaryDirectory() as tmp:
        for name, args in runs.items():
            out = train(grucast, pathlib.Path(tmp), name, daily + args)
            data = pathlib.Path(str(out) + ".ckpt").read_bytes()
            write("checkpoint", name, b"\x00" + data)
            write("checkpoint", name + "-checksum-fixed", b"\x01" + data)


# fuzz_config: [command (0 train, 1 forecast, 2 evaluate) | 0x80 for INI] then the file.
def config_seeds():
    write("config", "train-toml", b"\x00" + b"# training options\nhidden = 64\nlayers = 2\nfeatures = [\"temp\", \"wind\"]\n"
          b"lr = 0.001\nsort = true\n\n[train]\nepochs = 20\nattention = \"additive\"\n")
    write("config", "forecast-toml", b"\x01" + b"model = \"co2.grc\"\nhorizon = 12\nmissing = \"interpolate\"\n")
    write("config", "evaluate-ini", b"\x82" + b"; evaluate\n[evaluate]\nbaseline=snaive\nseason=12\ntest-from=2019-01-01\n")
    write("config", "bad-lines", b"\x00" + b"hidden = [1, 2\nnot a line\n")
    for path in bad_files(".toml", ".ini"):
        write("config", "bad-" + path.stem, bytes([0x80 if path.suffix == ".ini" else 0]) + path.read_bytes())


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: fuzz/make_seeds.py BUILD/grucast [TARGET...]")
    grucast = pathlib.Path(sys.argv[1]).resolve()
    writers = {"csv": csv_seeds, "time": time_seeds, "model": lambda: model_seeds(grucast), "config": config_seeds,
               "checkpoint": lambda: checkpoint_seeds(grucast)}
    targets = sys.argv[2:] or list(writers) + ["torch_json"]
    for target in targets:
        shutil.rmtree(CORPUS / target, ignore_errors=True)
    for target, write_seeds in writers.items():  # model_seeds writes the torch_json seeds too
        if target in targets or (target == "model" and "torch_json" in targets):
            write_seeds()


if __name__ == "__main__":
    main()
