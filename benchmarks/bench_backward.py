"""Forward + backward time of lstm_ref.LSTM relative to torch.nn.LSTM's forward + ``.backward()`` (float32), in one run.

Run: ``python benchmarks/bench_backward.py``. Same sizes as ``bench_forward.py``.
Both sides compute the gradients of every parameter and of the input for the
loss ``sum(output * grad_output)``. Each size is timed as the best of several
repeats, in alternating blocks (torch, lstm_ref, torch, ...) so that machine load
affects both alike. Blocks rather than single calls: torch's worker threads keep
spinning for a moment after ``.backward()`` and would slow a NumPy call timed
right after it. Goal: ratio <= 2.
"""
from __future__ import annotations

import argparse
import pathlib
import sys

import numpy as np
import torch

import lstm_ref

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_forward import SIZES, interleaved  # noqa: E402  (one list of sizes, one timer)


def main(repeats=5, rounds=3):
    torch.manual_seed(0)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}")
    print(f"{'size':40s} {'torch ms':>9s} {'lstm_ref ms':>12s} {'ratio':>6s}")
    ratios = []
    for label, B, T, I, H, L, bi in SIZES:
        module = torch.nn.LSTM(I, H, num_layers=L, bidirectional=bi)
        model = lstm_ref.LSTM.from_torch(module)
        x = torch.randn(T, B, I, requires_grad=True)
        go = torch.randn(T, B, (2 if bi else 1) * H)
        xn, gon = x.detach().numpy(), go.numpy()

        def run_torch():
            module.zero_grad()
            x.grad = None
            module(x)[0].backward(go)

        def run_ref():
            model(xn)
            return model.backward(gon)

        run_torch()
        grads = run_ref()
        err = max(np.abs(grads[k] - p.grad.numpy()).max() for k, p in module.named_parameters())
        err = max(err, np.abs(grads["input"] - x.grad.numpy()).max())
        tt, tn = interleaved([run_torch, run_ref], repeats, rounds)
        ratios.append(tn / tt)
        print(f"{label:40s} {tt * 1e3:9.2f} {tn * 1e3:12.2f} {tn / tt:6.2f}   (max |grad diff| {err:.1e})")
    print(f"worst ratio {max(ratios):.2f} (goal <= 2)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="calls per block")
    ap.add_argument("--rounds", type=int, default=3, help="blocks per implementation")
    args = ap.parse_args()
    main(args.repeats, args.rounds)
