"""Parity 1, forward: the same weights give the same forecasts as PyTorch.

Relative error ≤ 1e-6 in f64 and ≤ 1e-4 in f32, both sides in the same precision, for every
model of parity.MODELS over parity.SHAPES.
"""
import parity

TOLERANCE = {"f64": 1e-6, "f32": 1e-4}


def main():
    args = parity.arguments()
    comparison = parity.Comparison("forward")
    for kind in parity.MODELS:
        for n, shape in enumerate(parity.SHAPES):
            for precision, dtype in parity.DTYPES.items():
                model = parity.make_model(kind, shape, dtype, seed=10 + n)
                x, y = parity.make_batch(shape, dtype, seed=20 + n)
                reply = parity.run_driver(args.driver, {"kind": kind,
                    "precision": precision, "mode": "forward", "state_dict": parity.state_dict_lists(model),
                    "x": x.tolist(), "y": y.tolist()})
                with parity.torch.no_grad():
                    expected = model(x)
                comparison.check(f"{kind} {precision} D,H,L,K,T,B={shape} forecasts", reply["prediction"], expected,
                                 TOLERANCE[precision])
    comparison.finish()


if __name__ == "__main__":
    main()
