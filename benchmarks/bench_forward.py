"""Forward time of lstm_ref.LSTM relative to torch.nn.LSTM (float32, no grad), measured in one run.

Run: ``python benchmarks/bench_forward.py``. Each size is timed as the best of
several repeats, in alternating blocks (torch, lstm_ref, torch, ...) so that
machine load affects both alike. Goal: ratio <= 1.5 at every size.

The last column is a floor for any NumPy implementation of this algorithm: the
time of lstm_ref's matrix products alone (the input projection of all steps
plus the T recurrent ``h @ W_hh^T`` per layer and direction), relative to
torch's whole forward.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import torch

import lstm_ref

SIZES = [  # (label, B, T, I, H, num_layers, bidirectional)
    ("B=32 T=100 I=H=128, 1 layer", 32, 100, 128, 128, 1, False),
    ("B=32 T=100 I=H=128, 2 layers, bidir", 32, 100, 128, 128, 2, True),
    ("B=8 T=50 I=H=64, 1 layer", 8, 50, 64, 64, 1, False),
]


def best_time(fn, repeats):
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def interleaved(fns, repeats, rounds):
    """Best time of each function, timed in alternating blocks of ``repeats`` calls."""
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            best[k] = min(best[k], best_time(fn, repeats))
    return best


def matmuls_only(model, x):
    """The matrix products of ``model(x)`` and nothing else (same shapes, same BLAS calls)."""
    T, B = x.shape[:2]
    layer_in = x
    for layer in range(model.num_layers):
        outs = []
        for d in range(model.num_directions):
            sfx = f"_l{layer}" + ("_reverse" if d else "")
            w_ih = np.asfortranarray(getattr(model, "weight_ih" + sfx))
            w_hh = np.asfortranarray(getattr(model, "weight_hh" + sfx))
            layer_in.reshape(T * B, -1) @ w_ih.T
            h = np.zeros((B, model.h_out), model.dtype)
            for _ in range(T):
                h @ w_hh.T
            outs.append(np.empty((T, B, model.h_out), model.dtype))
        layer_in = np.concatenate(outs, axis=-1)


def main(repeats=5, rounds=3):
    torch.manual_seed(0)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}")
    print(f"{'size':40s} {'torch ms':>9s} {'lstm_ref ms':>12s} {'ratio':>6s} {'matmul floor':>13s}")
    ratios = []
    for label, B, T, I, H, L, bi in SIZES:
        module = torch.nn.LSTM(I, H, num_layers=L, bidirectional=bi).eval()
        model = lstm_ref.LSTM.from_torch(module)
        x = torch.randn(T, B, I)
        xn = x.numpy()
        with torch.no_grad():
            err = np.abs(model(xn)[0] - module(x)[0].numpy()).max()
            tt, tn, tm = interleaved([lambda: module(x), lambda: model(xn),
                                      lambda: matmuls_only(model, xn)], repeats, rounds)
        ratios.append(tn / tt)
        print(f"{label:40s} {tt * 1e3:9.2f} {tn * 1e3:12.2f} {tn / tt:6.2f} {tm / tt:13.2f}"
              f"   (max |diff| {err:.1e})")
    print(f"worst ratio {max(ratios):.2f} (goal <= 1.5)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="calls per block")
    ap.add_argument("--rounds", type=int, default=3, help="blocks per implementation")
    args = ap.parse_args()
    main(args.repeats, args.rounds)
