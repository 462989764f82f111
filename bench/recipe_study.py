#!/usr/bin/python3
"""The study behind grucast train's defaults, in PyTorch: the rolling-origin protocol of
docs/benchmarks.md with a GRU and the preprocessing knobs of grucast (transform, scaler,
window normalization, extra input channels, loss), so that settings grucast does not expose
(no window-mean input, division by the window's spread) can be measured too.

Needs python3-torch and python3-numpy (Debian packages); run with /usr/bin/python3 from the
top folder. Each run appends to --out (JSON lines) and prints MASE per seed. The rows quoted
in docs/benchmarks.md:
  bench/recipe_study.py --name sdiff --cfg '{}' --tasks seattle,co2,sp500
  bench/recipe_study.py --name sdiff_mean --cfg '{"normalize":"mean"}' --tasks seattle,co2,sp500
  bench/recipe_study.py --name sdiff_revin --cfg '{"normalize":"mean_std"}' --tasks seattle,co2,sp500
  bench/recipe_study.py --name sdiff_mean_input --cfg '{"normalize":"mean","channels":"z+c"}' --tasks seattle,co2,sp500
  bench/recipe_study.py --name defaults --cfg '{"normalize":"mean","channels":"z+c","loss":"huber"}'

Indexing: y is a 0-based numpy array, y[i] = y_{i+1}.  An origin t (1-based) means the model has
seen y[0:t] and predicts y[t:t+K].
"""
import argparse, csv, json, math, sys, time
import numpy as np
import torch
import torch.nn as nn

torch.set_num_threads(1)
DS = "datasets/"

TASKS = {  # name: file, column, K, T, m
    "seattle": ("seattle-weather.csv", "temp_max", 7, 28, 1),
    "co2": ("co2-concentration.csv", "CO2", 12, 36, 12),
    "hourly": ("seattle-weather-hourly-normals.csv", "temperature", 24, 168, 24),
    "sp500": ("sp500-2000.csv", "close", 5, 30, 1),
    # unseen series
    "tmin": ("seattle-weather.csv", "temp_min", 7, 28, 1),
    "wind": ("seattle-weather.csv", "wind", 7, 28, 1),
    "precip": ("seattle-weather.csv", "precipitation", 7, 28, 1),
    "pressure": ("seattle-weather-hourly-normals.csv", "pressure", 24, 168, 24),
    "hwind": ("seattle-weather-hourly-normals.csv", "wind", 24, 168, 24),
    "co2adj": ("co2-concentration.csv", "adjusted CO2", 12, 36, 12),
    "sp_open": ("sp500-2000.csv", "open", 5, 30, 1),
}


def load(task):
    f, col, K, T, m = TASKS[task]
    with open(DS + f, newline="") as fh:
        y = np.array([float(r[col]) for r in csv.DictReader(fh)], dtype=np.float64)
    return y, K, T, m


def split(N):
    return math.floor(0.7 * N), math.floor(0.1 * N)


def mase_scale(y, m, n_train):
    return np.mean(np.abs(y[m:n_train] - y[:n_train - m]))


def baseline(y, K, m, method):
    N = len(y); ntr, nva = split(N)
    s = mase_scale(y, m, ntr)
    errs = []
    for t in range(ntr + nva, N - K + 1):
        for h in range(1, K + 1):
            f = y[t - 1] if method == "naive" else y[t - m + (h - 1) % m]
            errs.append(abs(f - y[t + h - 1]))
    return np.mean(errs) / s


# ----------------------------------------------------------------------------- preprocessing
def transform(y, kind, m):
    """Returns z (NaN where undefined) and first valid index fv."""
    if kind == "none":
        return y.copy(), 0
    if kind == "log":
        return np.log(y), 0
    if kind in ("diff", "sdiff"):
        p = 1 if kind == "diff" else m
        z = np.full_like(y, np.nan); z[p:] = y[p:] - y[:-p]
        return z, p
    raise ValueError(kind)


def inverse_transform(zhat, y, t, kind, m):
    """zhat: (n, K) forecasts of z[t:t+K] for each origin t (array of origins)."""
    if kind == "none":
        return zhat
    if kind == "log":
        return np.exp(zhat)
    p = 1 if kind == "diff" else m
    n, K = zhat.shape
    out = np.empty_like(zhat)
    for h in range(K):  # y_{t+h+1} = y_{t+h+1-p} + d_{t+h+1}
        if h < p:
            base = y[t + h - p]      # observed: index t+h-p <= t-1
        else:
            base = out[:, h - p]
        out[:, h] = base + zhat[:, h]
    return out


def fit_scaler(z, fv, ntr, kind):
    tr = z[fv:ntr]
    if kind == "zscore":
        return float(tr.mean()), float(tr.std()) + 1e-8
    if kind == "minmax":
        return float(tr.min()), float(tr.max() - tr.min()) + 1e-8
    return 0.0, 1.0


def windows(s, origins, T, K):
    idx_in = origins[:, None] + np.arange(-T, 0)[None, :]
    idx_out = origins[:, None] + np.arange(0, K)[None, :]
    X = s[idx_in]
    Y = s[np.minimum(idx_out, len(s) - 1)]
    return X, Y


def win_norm(X, Y, kind, eps):
    """Per-window normalization. Returns Xn, Yn, c, r with Xn=(X-c)/r."""
    n = X.shape[0]
    if kind == "none":
        c = np.zeros((n, 1)); r = np.ones((n, 1))
    elif kind == "last":
        c = X[:, -1:]; r = np.ones((n, 1))
    elif kind == "last_std":
        c = X[:, -1:]; r = X.std(axis=1, keepdims=True) + eps
    elif kind == "mean":
        c = X.mean(axis=1, keepdims=True); r = np.ones((n, 1))
    elif kind == "mean_std":  # RevIN without affine
        c = X.mean(axis=1, keepdims=True); r = X.std(axis=1, keepdims=True) + eps
    else:
        raise ValueError(kind)
    return (X - c) / r, (Y - c) / r, c, r


# ----------------------------------------------------------------------------- model
class Net(nn.Module):
    def __init__(self, D, H, L, K, dropout, skip="none", T=None, v0=0.0):
        super().__init__()
        self.gru = nn.GRU(D, H, L, batch_first=True, dropout=dropout if L > 1 else 0.0)
        self.head = nn.Linear(H, K)
        self.skip = skip
        if skip == "mean":   # out += v * mean(x[:, :, 0]), v in R^K, init 0
            self.v = nn.Parameter(torch.full((K,), float(v0)))
        elif skip == "ar":   # out += A x[:, :, 0], A in R^{K x T}, init 0 (LSTNet-style AR highway)
            self.A = nn.Linear(T, K, bias=False); nn.init.zeros_(self.A.weight)

    def forward(self, x):
        o, _ = self.gru(x)
        out = self.head(o[:, -1, :])
        if self.skip == "mean":
            out = out + self.v * x[:, :, 0].mean(dim=1, keepdim=True)
        elif self.skip == "ar":
            out = out + self.A(x[:, :, 0])
        return out


DEFAULT = dict(transform="sdiff", scaler="zscore", normalize="none", eps=1e-5, channels="z",
               H=32, L=1, dropout=0.0, loss="mse", opt="adam", lr=1e-3, wd=0.0, clip=1.0,
               sched="constant", skip="none", v0=0.0, batch=64, epochs=100, patience=10, max_seconds=1e9)


def make_inputs(Xn, X, ch, cc=None):
    if ch == "z+g":  # extra channel: the globally scaled window before window normalization
        return np.stack([Xn, X], axis=2)
    if ch == "z+c":  # extra channel: the window statistic c, repeated at every step
        return np.stack([Xn, np.broadcast_to(cc, Xn.shape)], axis=2)
    if ch == "z":
        return Xn[:, :, None]
    if ch == "z+dz":  # extra channel: first difference of the normalized window (0 at first step)
        d = np.diff(Xn, axis=1, prepend=Xn[:, :1])
        return np.stack([Xn, d], axis=2)
    raise ValueError(ch)


def run(task, cfg, seed, verbose=False):
    c = dict(DEFAULT); c.update(cfg)
    y, K, T, m = load(task)
    N = len(y); ntr, nva = split(N)
    z, fv = transform(y, c["transform"], m)
    mu, sd = fit_scaler(z, fv, ntr, c["scaler"])
    s = (z - mu) / sd
    s = np.nan_to_num(s)  # undefined prefix never used (origins start at T+fv)
    tr_o = np.arange(T + fv, ntr - K + 1)
    va_o = np.arange(ntr, ntr + nva - K + 1)
    te_o = np.arange(ntr + nva, N - K + 1)
    sets = {}
    for name, o in (("tr", tr_o), ("va", va_o), ("te", te_o)):
        X, Y = windows(s, o, T, K)
        Xn, Yn, cc, rr = win_norm(X, Y, c["normalize"], c["eps"])
        sets[name] = (torch.tensor(make_inputs(Xn, X, c["channels"], cc), dtype=torch.float32),
                      torch.tensor(Yn, dtype=torch.float32), cc, rr, o)
    torch.manual_seed(seed); np.random.seed(seed)
    D = sets["tr"][0].shape[2]
    net = Net(D, c["H"], c["L"], K, c["dropout"], c["skip"], T, c["v0"])
    lossf = {"mse": nn.MSELoss(), "mae": nn.L1Loss(), "huber": nn.HuberLoss(delta=1.0)}[c["loss"]]
    if c["opt"] == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=c["lr"], weight_decay=c["wd"])
    elif c["opt"] == "adamw":
        opt = torch.optim.AdamW(net.parameters(), lr=c["lr"], weight_decay=c["wd"])
    else:
        opt = torch.optim.SGD(net.parameters(), lr=c["lr"], momentum=0.9, weight_decay=c["wd"])
    sch = None
    if c["sched"] == "cosine":
        sch = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=c["epochs"])
    elif c["sched"] == "plateau":
        sch = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=3)
    Xtr, Ytr = sets["tr"][0], sets["tr"][1]
    Xva, Yva = sets["va"][0], sets["va"][1]
    best, best_state, best_ep, bad = float("inf"), None, -1, 0
    t0 = time.time()
    g = torch.Generator(); g.manual_seed(seed)
    ep = 0
    for ep in range(c["epochs"]):
        net.train()
        perm = torch.randperm(len(Xtr), generator=g)
        for i in range(0, len(Xtr), c["batch"]):
            b = perm[i:i + c["batch"]]
            opt.zero_grad()
            l = lossf(net(Xtr[b]), Ytr[b])
            l.backward()
            if c["clip"] > 0:
                nn.utils.clip_grad_norm_(net.parameters(), c["clip"])
            opt.step()
        net.eval()
        with torch.no_grad():
            vl = lossf(net(Xva), Yva).item()
        if sch is not None:
            sch.step(vl) if c["sched"] == "plateau" else sch.step()
        if verbose:
            print(f"  ep {ep} val {vl:.5f}", file=sys.stderr)
        if vl < best:
            best, best_ep, bad = vl, ep, 0
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            bad += 1
            if bad >= c["patience"]:
                break
        if time.time() - t0 > c["max_seconds"]:
            break
    train_time = time.time() - t0
    net.load_state_dict(best_state)
    net.eval()
    Xte, _, cc, rr, o = sets["te"]
    with torch.no_grad():
        out = net(Xte).numpy().astype(np.float64)
    zhat = (out * rr + cc) * sd + mu
    yhat = inverse_transform(zhat, y, o, c["transform"], m)
    Yact = y[o[:, None] + np.arange(K)[None, :]]
    mae = np.mean(np.abs(yhat - Yact))
    return dict(task=task, seed=seed, mase=mae / mase_scale(y, m, ntr), epochs=ep + 1,
                best_epoch=best_ep + 1, val=best, secs=round(train_time, 1), ntrain=len(Xtr))


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--name", required=True)
    ap.add_argument("--cfg", default="{}")
    ap.add_argument("--tasks", default="seattle,co2,hourly,sp500")
    ap.add_argument("--seeds", default="0,1,2")
    ap.add_argument("--out", default="recipe_study.jsonl")
    ap.add_argument("-v", action="store_true")
    a = ap.parse_args()
    cfg = json.loads(a.cfg)
    for task in a.tasks.split(","):
        ms = []
        for seed in map(int, a.seeds.split(",")):
            r = run(task, cfg, seed, a.v)
            r["name"] = a.name; r["cfg"] = cfg
            ms.append(r["mase"])
            with open(a.out, "a") as fh:
                fh.write(json.dumps(r) + "\n")
            print(f"{a.name} {task} seed {seed}: MASE {r['mase']:.4f} ep {r['epochs']} "
                  f"(best {r['best_epoch']}) {r['secs']}s", flush=True)
        print(f"== {a.name} {task}: mean {np.mean(ms):.4f} min {np.min(ms):.4f} max {np.max(ms):.4f}",
              flush=True)
