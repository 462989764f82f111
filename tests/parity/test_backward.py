"""Parity 2, backward: for one batch, every parameter gradient and the input gradient equal
PyTorch autograd's (relative error ≤ 1e-6, f64), for every loss; the batch is also split into
shards whose gradients are summed, as the trainer's threads do.
"""
import parity

TOLERANCE = 1e-6


def main():
    args = parity.arguments()
    comparison = parity.Comparison("backward")
    for kind in parity.MODELS:
        for n, shape in enumerate(parity.SHAPES):
            for loss_name, loss in parity.LOSSES.items():
                for shards in (1, 3):
                    model = parity.make_model(kind, shape, parity.torch.float64, seed=30 + n)
                    x, y = parity.make_batch(shape, parity.torch.float64, seed=40 + n)
                    reply = parity.run_driver(args.driver, {"kind": kind,
                        "precision": "f64", "mode": "backward", "loss": loss_name, "shards": shards,
                        "state_dict": parity.state_dict_lists(model), "x": x.tolist(), "y": y.tolist()})
                    x.requires_grad_(True)
                    value = loss(model(x), y)
                    value.backward()
                    case = f"{kind} {loss_name} shards {shards} D,H,L,K,T,B={shape}"
                    comparison.check(f"{case} loss", [reply["loss"]], value.detach().reshape(1), TOLERANCE)
                    for name, parameter in model.named_parameters():
                        comparison.check(f"{case} d{name}", reply["grad"][name], parameter.grad, TOLERANCE)
                    comparison.check(f"{case} dx", reply["dx"], x.grad, TOLERANCE)
    comparison.finish()


if __name__ == "__main__":
    main()
