"""The PyTorch round trip through the command line, as a user runs it (docs/torch-json.md):

1. grucast train → export → PyTorch loads the state_dict into the parity model (strict) →
   the README's lines write it back → import: the model file is byte-identical and the
   forecasts are the same, GRU and LSTM, in f32 and f64, without and with attention;
2. a network trained in PyTorch on raw values (nn.GRU and nn.LSTM) → the README's lines with
   the least model object → import → grucast forecast equals PyTorch's forecast of the last window.
"""
import argparse
import json
import pathlib
import subprocess
import sys
import tempfile

import parity

torch = parity.torch


def grucast(binary, *args):
    done = subprocess.run([binary, *args], capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: grucast {' '.join(args)} exited with {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def forecasts(csv_text):
    lines = csv_text.strip().splitlines()
    column = lines[0].split(",").index("forecast")
    return [float(line.split(",")[column]) for line in lines[1:]]


def network_of(exported):
    config = exported["model"]["config"]
    dtype = torch.float64 if config["precision"] == "f64" else torch.float32
    kind = parity.model_kind(config.get("cell", "gru"), config["attention"])
    net = parity.MODELS[kind](config["inputs"], config["hidden"], config["layers"], config["horizon"]).to(dtype)
    net.load_state_dict({k: torch.tensor(v, dtype=dtype) for k, v in exported["state_dict"].items()}, strict=True)
    return net


def export_round_trip(binary, folder, data, cell, precision, attention, comparison):
    case = f"{cell} {precision} {attention}"
    model, exported_path, back_path, back_model = (folder / f"{cell}-{precision}-{attention}{suffix}"
                                                   for suffix in (".grc", ".json", "-back.json", "-back.grc"))
    grucast(binary, "train", "--data", data, "--target", "CO2", "--lookback", "24", "--horizon", "6", "--hidden", "6",
            "--layers", "2", "--epochs", "3", "--cell", cell, "--precision", precision, "--attention", attention,
            "--threads", "1", "--ensemble", "1", "--quiet", "--out", str(model))
    grucast(binary, "export", str(model), "--out", str(exported_path))
    exported = json.loads(exported_path.read_text())
    if exported["model"]["config"].get("cell") != cell:
        comparison.failures.append(f"{case}: the export says the cell is {exported['model']['config'].get('cell')!r}")
    net = network_of(exported)
    if not hasattr(net, cell):
        comparison.failures.append(f"{case}: the PyTorch model has no module named {cell}")
    # The README's lines: the state_dict as lists, the model object as exported.
    json.dump({"format": "grucast-torch-json", "model": exported["model"],
               "state_dict": {k: v.tolist() for k, v in net.state_dict().items()}}, open(back_path, "w"))
    grucast(binary, "import", str(back_path), "--out", str(back_model))
    if model.read_bytes() != back_model.read_bytes():
        comparison.failures.append(f"{case}: the model file after export → PyTorch → import differs")
    before = forecasts(grucast(binary, "forecast", "--model", str(model), "--data", data, "--quiet"))
    after = forecasts(grucast(binary, "forecast", "--model", str(back_model), "--data", data, "--quiet"))
    comparison.check(f"{case} forecasts after the round trip", after, torch.tensor(before, dtype=torch.float64), 0.0)


def windows(series, lookback, horizon):
    n = len(series) - lookback - horizon + 1
    x = torch.stack([series[i:i + lookback] for i in range(n)]).unsqueeze(-1)
    y = torch.stack([series[i + lookback:i + lookback + horizon] for i in range(n)])
    return x, y


def trained_in_pytorch(binary, folder, cell, comparison):
    lookback, horizon = 16, 4
    steps = torch.arange(300, dtype=torch.float64)
    series = (torch.sin(2 * torch.pi * steps / 12) + 0.3 * torch.cos(steps * 0.7)).to(torch.float32)
    data = folder / f"raw-{cell}.csv"
    data.write_text("y\n" + "".join(f"{v!r}\n" for v in series.tolist()))
    torch.manual_seed(3)
    net = parity.MODELS[cell](1, 8, 1, horizon)
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-2)
    x, y = windows(series, lookback, horizon)
    for _ in range(30):
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        optimizer.step()
    net_path, model = folder / f"net-{cell}.json", folder / f"net-{cell}.grc"
    json.dump({"format": "grucast-torch-json",
               "model": {"config": {"lookback": lookback}, "data": {"target": "y"}},
               "state_dict": {k: v.tolist() for k, v in net.state_dict().items()}}, open(net_path, "w"))
    grucast(binary, "import", str(net_path), "--out", str(model))
    ours = forecasts(grucast(binary, "forecast", "--model", str(model), "--data", str(data), "--quiet"))
    with torch.no_grad():
        expected = net(series[-lookback:].reshape(1, lookback, 1))[0]
    comparison.check(f"an nn.{cell.upper()} trained in PyTorch: grucast's forecast", ours, expected, 1e-6)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--grucast", required=True)
    parser.add_argument("--datasets", required=True)
    args = parser.parse_args()
    comparison = parity.Comparison("round trip")
    data = str(pathlib.Path(args.datasets) / "co2-concentration.csv")
    with tempfile.TemporaryDirectory() as folder:
        for cell in ("gru", "lstm"):
            for precision, attention in (("f32", "none"), ("f64", "none"), ("f32", "additive"), ("f64", "dot")):
                export_round_trip(args.grucast, pathlib.Path(folder), data, cell, precision, attention, comparison)
            trained_in_pytorch(args.grucast, pathlib.Path(folder), cell, comparison)
    comparison.finish()


if __name__ == "__main__":
    main()
