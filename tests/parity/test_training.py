"""Parity 3, training: 20 steps on fixed batches without shuffling end in the same weights as
PyTorch's (relative error ≤ 1e-5, f64). Plain SGD is the contract; SGD with momentum and weight
decay, Adam and AdamW with gradient clipping run too, since the trainer uses them.
"""
import parity

torch = parity.torch
TOLERANCE = 1e-5
STEPS = 20

# (optimizer, PyTorch optimizer, options, clip)
RUNS = [
    ("sgd", torch.optim.SGD, {"lr": 0.1}, 0.0),
    ("sgd", torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "weight_decay": 1e-3}, 0.5),
    ("adam", torch.optim.Adam, {"lr": 1e-2, "weight_decay": 1e-3}, 1.0),
    ("adamw", torch.optim.AdamW, {"lr": 1e-2, "weight_decay": 1e-2}, 0.1),
]


def torch_training(model, batches, loss, optimizer, clip):
    for step in range(STEPS):
        x, y = batches[step % len(batches)]
        optimizer.zero_grad()
        loss(model(x), y).backward()
        if clip > 0:
            torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()


def main():
    args = parity.arguments()
    comparison = parity.Comparison("training")
    for kind in parity.MODELS:
        for n, shape in enumerate(parity.SHAPES[1:4]):
            for name, optimizer_class, options, clip in RUNS:
                loss_name = "mse" if name == "sgd" else "huber"
                model = parity.make_model(kind, shape, torch.float64, seed=50 + n)
                batches = [parity.make_batch(shape, torch.float64, seed=60 + 10 * n + b) for b in range(3)]
                reply = parity.run_driver(args.driver, {"kind": kind,
                    "precision": "f64", "mode": "train", "loss": loss_name, "shards": 2,
                    "state_dict": parity.state_dict_lists(model),
                    "train": {"steps": STEPS, "optimizer": name, "clip": clip,
                              "momentum": options.get("momentum", 0.0), **options,
                              "batches": [{"x": x.tolist(), "y": y.tolist()} for x, y in batches]}})
                optimizer = optimizer_class(model.parameters(), **options)
                torch_training(model, batches, parity.LOSSES[loss_name], optimizer, clip)
                case = f"{kind} {name} {options} clip {clip} D,H,L,K,T,B={shape}"
                for tensor_name, tensor in model.state_dict().items():
                    comparison.check(f"{case} {tensor_name}", reply["state_dict"][tensor_name], tensor, TOLERANCE)
    comparison.finish()


if __name__ == "__main__":
    main()
