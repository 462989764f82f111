"""What the parity tests share: the PyTorch reference models, the driver call, the comparison.

A model joins the suite with a class in MODELS whose state_dict uses grucast's tensor names
(docs/torch-json.md) and whose forward maps x (B, T, D) to the forecasts (B, K).
"""
import argparse
import json
import subprocess
import sys

import torch

torch.set_num_threads(1)  # ctest runs tests side by side; one thread each keeps them fair


def recurrent(cell, inputs, hidden, layers):
    """nn.GRU or nn.LSTM (batch_first, with biases, one direction): grucast's stacked cells."""
    module = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
    return module(inputs, hidden, layers, batch_first=True)


class Gru(torch.nn.Module):
    """nn.GRU(batch_first) → h_T of the top layer → nn.Linear: grucast's GRU forecaster."""

    def __init__(self, inputs, hidden, layers, outputs):
        super().__init__()
        self.gru = recurrent("gru", inputs, hidden, layers)
        self.head = torch.nn.Linear(hidden, outputs)

    def forward(self, x):
        states, _ = self.gru(x)
        return self.head(states[:, -1])


class Lstm(torch.nn.Module):
    """nn.LSTM(batch_first) → h_T of the top layer → nn.Linear: grucast's LSTM forecaster."""

    def __init__(self, inputs, hidden, layers, outputs):
        super().__init__()
        self.lstm = recurrent("lstm", inputs, hidden, layers)
        self.head = torch.nn.Linear(hidden, outputs)

    def forward(self, x):
        states, _ = self.lstm(x)
        return self.head(states[:, -1])


class AdditiveAttention(torch.nn.Module):
    """e_t = vᵀ tanh(W_a h_t + b_a + U_a q): key (W_a, b_a), query (U_a), score (vᵀ)."""

    def __init__(self, hidden):
        super().__init__()
        self.key = torch.nn.Linear(hidden, hidden)
        self.query = torch.nn.Linear(hidden, hidden, bias=False)
        self.score = torch.nn.Linear(hidden, 1, bias=False)

    def forward(self, states, query):
        return self.score(torch.tanh(self.key(states) + self.query(query).unsqueeze(1))).squeeze(-1)


class RecurrentAttention(torch.nn.Module):
    """GRU or LSTM states h_1..h_T, query q = h_T, α = softmax(e), c = Σ α_t h_t, head on [q; c].

    The recurrent module is named after its cell (gru or lstm), as grucast's tensors are.
    """

    def __init__(self, inputs, hidden, layers, outputs, kind, cell="gru"):
        super().__init__()
        self.kind = kind
        self.cell = cell
        setattr(self, cell, recurrent(cell, inputs, hidden, layers))
        if kind == "additive":
            self.attention = AdditiveAttention(hidden)
        self.head = torch.nn.Linear(2 * hidden, outputs)

    def weights(self, states):
        query = states[:, -1]
        if self.kind == "additive":
            scores = self.attention(states, query)
        else:  # scaled dot product
            scores = (states @ query.unsqueeze(-1)).squeeze(-1) / states.shape[-1] ** 0.5
        return torch.softmax(scores, dim=1)

    def forward(self, x):
        states, _ = getattr(self, self.cell)(x)
        alpha = self.weights(states)
        context = (alpha.unsqueeze(-1) * states).sum(dim=1)
        return self.head(torch.cat([states[:, -1], context], dim=1))


MODELS = {
    "gru": Gru,
    "gru+additive": lambda D, H, L, K: RecurrentAttention(D, H, L, K, "additive", "gru"),
    "gru+dot": lambda D, H, L, K: RecurrentAttention(D, H, L, K, "dot", "gru"),
    "lstm": Lstm,
    "lstm+additive": lambda D, H, L, K: RecurrentAttention(D, H, L, K, "additive", "lstm"),
    "lstm+dot": lambda D, H, L, K: RecurrentAttention(D, H, L, K, "dot", "lstm"),
}


def model_kind(cell, attention):
    """The MODELS key of a cell ("gru", "lstm") and an attention ("none", "additive", "dot")."""
    return cell if attention == "none" else f"{cell}+{attention}"


LOSSES = {
    "mse": torch.nn.MSELoss(),
    "mae": torch.nn.L1Loss(),
    "huber": torch.nn.HuberLoss(delta=1.0),
}

DTYPES = {"f32": torch.float32, "f64": torch.float64}

# The shapes every suite runs: L = 1 and 2, D ≠ H, T = 1, B = 1, K = 1 among them.
SHAPES = [
    # (D, H, L, K, T, B)
    (1, 4, 1, 1, 1, 1),
    (1, 8, 1, 3, 12, 5),
    (3, 5, 1, 2, 7, 4),
    (2, 6, 2, 4, 9, 3),
    (4, 3, 2, 1, 1, 2),
    (5, 16, 2, 7, 24, 8),
]


def arguments():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--driver", required=True, help="the grucast_parity_driver executable")
    return parser.parse_args()


def make_model(kind, shape, dtype, seed):
    inputs, hidden, layers, outputs = shape[:4]
    torch.manual_seed(seed)
    return MODELS[kind](inputs, hidden, layers, outputs).to(dtype)


def make_batch(shape, dtype, seed):
    inputs, _, _, outputs, steps, batch = shape
    generator = torch.Generator().manual_seed(seed)
    x = torch.randn(batch, steps, inputs, generator=generator, dtype=torch.float64).to(dtype)
    y = torch.randn(batch, outputs, generator=generator, dtype=torch.float64).to(dtype)
    return x, y


def state_dict_lists(model):
    return {name: tensor.detach().tolist() for name, tensor in model.state_dict().items()}


def run_driver(driver, request):
    """Runs the grucast side on one request; a failure of the driver fails the test."""
    done = subprocess.run([driver], input=json.dumps(request), capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"FAIL: the driver exited with {done.returncode}: {done.stderr.strip()}")
    return json.loads(done.stdout)


class Comparison:
    """Relative error of each tensor: max |ours − torch| / max |torch|, worst element named."""

    def __init__(self, title):
        self.title = title
        self.failures = []
        self.checked = 0
        self.worst = 0.0

    def check(self, what, ours, reference, tolerance):
        ours = torch.as_tensor(ours, dtype=torch.float64)
        reference = reference.detach().to(torch.float64)
        if ours.shape != reference.shape:
            self.failures.append(f"{what}: grucast gives shape {tuple(ours.shape)}, PyTorch {tuple(reference.shape)}")
            return
        difference = (ours - reference).abs()
        scale = max(reference.abs().max().item(), 1e-12)
        error = difference.max().item() / scale
        self.checked += 1
        self.worst = max(self.worst, error)
        if not error <= tolerance:  # NaN fails too
            index = tuple(int(i) for i in torch.nonzero(difference == difference.max())[0])
            self.failures.append(
                f"{what}: relative error {error:.3e} > {tolerance:.0e}, worst at {list(index)}: "
                f"grucast {ours[index].item():.17g}, PyTorch {reference[index].item():.17g}")

    def finish(self):
        """Prints the outcome; exits non-zero on any mismatch."""
        for failure in self.failures:
            print(f"FAIL {self.title}: {failure}")
        if self.failures or self.checked == 0:
            sys.exit(f"{self.title}: {len(self.failures)} mismatches in {self.checked} tensors compared")
        print(f"{self.title}: {self.checked} tensors agree, worst relative error {self.worst:.3e}")
