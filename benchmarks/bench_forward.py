"""Forward time of lstm_ref.LSTM relative to torch.nn.LSTM (float32, no grad), measured in one run.

Run: ``python benchmarks/bench_forward.py``. Each size is timed as the best of
several repeats for both implementations, interleaved, so that machine load
affects both alike. Goal: ratio <= 1.5 at every size.
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


def main(repeats=7):
    torch.manual_seed(0)
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), numpy {np.__version__}")
    print(f"{'size':40s} {'torch ms':>9s} {'lstm_ref ms':>12s} {'ratio':>6s}")
    ratios = []
    for label, B, T, I, H, L, bi in SIZES:
        module = torch.nn.LSTM(I, H, num_layers=L, bidirectional=bi).eval()
        model = lstm_ref.LSTM.from_torch(module)
        x = torch.randn(T, B, I)
        xn = x.numpy()
        with torch.no_grad():
            ref = module(x)[0].numpy()
            err = np.abs(model(xn)[0] - ref).max()
            module(x), model(xn)  # warm up
            tt = best_time(lambda: module(x), repeats)
            tn = best_time(lambda: model(xn), repeats)
        ratios.append(tn / tt)
        print(f"{label:40s} {tt * 1e3:9.2f} {tn * 1e3:12.2f} {tn / tt:6.2f}   (max |diff| {err:.1e})")
    print(f"worst ratio {max(ratios):.2f} (goal <= 1.5)")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    main(ap.parse_args().repeats)
