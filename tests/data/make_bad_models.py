#!/usr/bin/env python3
"""Writes the bad model files (.grc) and bad torch-json import files in tests/data/bad/.

Run from tests/data with the grucast to take the model format from:
    ./make_bad_models.py ../../build/grucast
It writes a tiny torch-json network (deterministic weights), imports it with that grucast to
get a valid model file, and damages copies of it the ways files get damaged (cut off, bytes
flipped, wrong magic, a newer version, edited headers). Rerun it when the model format
changes, then update the messages in bad/cases.txt that name sizes or offsets. The files are
committed; the same grucast writes the same bytes.
"""
import gzip
import json
import os
import struct
import subprocess
import sys
import tempfile

H, K = 2, 2  # hidden units and outputs; one input (the target)


def weights(rows, cols, seed):
    """A (rows, cols) list of small deterministic values, or (rows,) when cols is 0."""
    value = lambda k: round(((k * 7 + seed) % 11 - 5) / 20, 2)
    if cols == 0:
        return [value(r) for r in range(rows)]
    return [[value(r * cols + c) for c in range(cols)] for r in range(rows)]


def torch_json():
    return {
        "format": "grucast-torch-json",
        "model": {"config": {"lookback": 5},
                  "data": {"target": "value", "time_column": "date",
                           "frequency": {"unit": "seconds", "step": 86400}}},
        "state_dict": {
            "gru.weight_ih_l0": weights(3 * H, 1, 1), "gru.weight_hh_l0": weights(3 * H, H, 2),
            "gru.bias_ih_l0": weights(3 * H, 0, 3), "gru.bias_hh_l0": weights(3 * H, 0, 4),
            "head.weight": weights(K, H, 5), "head.bias": weights(K, 0, 6),
        },
    }


def lstm_state_dict():
    """The same network with an LSTM cell: four gate blocks (i, f, g, o) of H rows each."""
    return {
        "lstm.weight_ih_l0": weights(4 * H, 1, 1), "lstm.weight_hh_l0": weights(4 * H, H, 2),
        "lstm.bias_ih_l0": weights(4 * H, 0, 3), "lstm.bias_hh_l0": weights(4 * H, 0, 4),
        "head.weight": weights(K, H, 5), "head.bias": weights(K, 0, 6),
    }


def fnv1a64(data):
    h = 0xcbf29ce484222325
    for b in data:
        h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return h


def sealed(body):
    """`body` (everything before the checksum) with its checksum, as the loader expects."""
    return body + struct.pack("<Q", fnv1a64(body))


def with_header(model, header):
    """The model with its JSON header replaced by `header` (bytes) and the checksum redone."""
    (n,) = struct.unpack_from("<Q", model, 12)
    return sealed(model[:12] + struct.pack("<Q", len(header)) + header + model[20 + n:-8])


def header_of(model):
    (n,) = struct.unpack_from("<Q", model, 12)
    return json.loads(model[20:20 + n])


def compact(header):
    return json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode()


def write(name, data):
    with open(name, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def import_model(grucast, net):
    with tempfile.TemporaryDirectory() as tmp:
        source, target = os.path.join(tmp, "net.json"), os.path.join(tmp, "net.grc")
        write(source, json.dumps(net))
        subprocess.run([grucast, "import", source, "--out", target], check=True)
        with open(target, "rb") as f:
            return f.read()


def write_models(model):
    (n,) = struct.unpack_from("<Q", model, 12)
    values = 32 + n  # where the parameters start
    write("model-empty.grc", b"")
    write("model-truncated.grc", model[:len(model) // 2])
    write("model-cut-in-fixed-fields.grc", model[:16])
    write("model-trailing.grc", model + b"\n")
    write("model-wrong-magic.grc", b"GRUCASX\x1a" + model[8:])
    write("model-future-version.grc", sealed(model[:8] + struct.pack("<I", 2) + model[12:-8]))
    write("model-version-0.grc", sealed(model[:8] + struct.pack("<I", 0) + model[12:-8]))
    write("model-huge-header.grc", sealed(model[:12] + struct.pack("<Q", 1 << 40) + model[20:-8]))
    write("model-element-size.grc", sealed(model[:20 + n] + struct.pack("<I", 3) + model[24 + n:-8]))
    flipped = bytearray(model); flipped[values + 5] ^= 0x10
    write("model-flipped-byte.grc", bytes(flipped))
    nan = bytearray(model); nan[values + 4:values + 8] = struct.pack("<f", float("nan"))
    write("model-nan-weight.grc", sealed(bytes(nan[:-8])))
    header = header_of(model); del header["config"]["hidden"]
    write("model-edited-header.grc", with_header(model, compact(header)))
    header = header_of(model); header["config"]["layers"] = 1000000
    write("model-huge-layers.grc", with_header(model, compact(header)))
    header = header_of(model); header["config"]["cell"] = "rnn"
    write("model-cell-rnn.grc", with_header(model, compact(header)))
    write("model-header-not-json.grc", with_header(model, compact(header_of(model))[:-1]))
    write("model-header-latin1.grc", with_header(model, compact(header_of(model)).replace(b'"value"', b'"val\xe9"')))
    write("model.grc.gz", gzip.compress(model, mtime=0))


def write_imports(net):
    text = json.dumps(net)
    write("import-empty.json", "")
    write("import-truncated.json", text[:len(text) // 2])
    nan = json.loads(text); nan["state_dict"]["head.bias"][1] = float("nan")
    write("import-nan.json", json.dumps(nan))  # Python writes NaN, which JSON has not
    shape = json.loads(text)  # W_hh transposed: (H, 3H) for (3H, H)
    shape["state_dict"]["gru.weight_hh_l0"] = [list(col) for col in zip(*shape["state_dict"]["gru.weight_hh_l0"])]
    write("import-wrong-shape.json", json.dumps(shape))
    missing = json.loads(text); del missing["model"]["config"]["lookback"]
    write("import-no-lookback.json", json.dumps(missing))
    write("import-deep.json", "[" * 2000 + "]" * 2000)
    write("import-list.json", "[1, 2, 3]\n")
    write("import-state-dict.json", json.dumps(net["state_dict"]))  # torch.save's dict alone
    huge = json.loads(text); huge["model"]["config"]["hidden"] = 10 ** 12
    write("import-huge-hidden.json", json.dumps(huge))
    write_cell_imports(net)


def write_cell_imports(net):
    """Import files whose cell is wrong: stated against the tensors, 3H rows, a mix of cells."""
    lstm = json.loads(json.dumps(net)); lstm["state_dict"] = lstm_state_dict()
    lstm["model"]["config"]["cell"] = "gru"
    write("import-cell-mismatch.json", json.dumps(lstm))
    renamed = json.loads(json.dumps(net))  # a GRU's tensors (3H rows) under an LSTM's names
    renamed["state_dict"] = {k.replace("gru.", "lstm."): v for k, v in net["state_dict"].items()}
    write("import-lstm-3h.json", json.dumps(renamed))
    mixed = json.loads(json.dumps(net)); mixed["state_dict"].update(lstm_state_dict())
    write("import-mixed-cells.json", json.dumps(mixed))


def main():
    if len(sys.argv) != 2:
        sys.exit(f"usage: {sys.argv[0]} PATH/TO/grucast (run from tests/data)")
    grucast = os.path.abspath(sys.argv[1])
    net = torch_json()
    model = import_model(grucast, net)
    os.chdir("bad")
    write_models(model)
    write_imports(net)


main()
