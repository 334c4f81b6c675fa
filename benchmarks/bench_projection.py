"""Forward time of nn.LSTM with and without proj_size, on CPU, measured in one run.

Run: ``python benchmarks/bench_projection.py``. For each size it prints the
parameter ratio (LSTM / LSTMP), the multiply-adds per step in the weight
products (LSTM / LSTMP), and three time ratios, each the best of several
repeats timed in alternating blocks so that machine load affects both alike:

* ``speed-up``: LSTM time / LSTMP time, torch's defaults (the LSTM may use
  oneDNN's fused kernel; the LSTMP cannot: torch has no oneDNN kernel with a
  projection and falls back to its own ATen loop);
* ``oneDNN gain``: the LSTM's time with oneDNN disabled / enabled;
* ``speed-up, no oneDNN``: LSTM time / LSTMP time with oneDNN disabled for both.

Forward only, float32, no grad, ``torch.set_num_threads`` as given (default 1).
"""
from __future__ import annotations

import argparse
import pathlib
import sys
import warnings

import torch
import torch.nn as nn

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from bench_forward import interleaved  # noqa: E402  (one timer for every benchmark)

SIZES = [  # (I, H, P, T, B, num_layers, bidirectional)
    (40, 512, 128, 50, 16, 1, False),
    (40, 1024, 256, 50, 16, 1, False),
    (512, 512, 128, 50, 16, 2, True),
]


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def macs_per_step(module):
    """Multiply-adds of the weight products per time step and sequence: one per weight entry."""
    return sum(p.numel() for n, p in module.named_parameters() if n.startswith("weight"))


def main(repeats=5, rounds=3, threads=1):
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    warnings.filterwarnings("ignore", message="LSTM with projections is not supported")
    warnings.filterwarnings("ignore", message="TF32 acceleration")  # about Intel GPUs
    print(f"torch {torch.__version__} ({torch.get_num_threads()} threads), "
          f"oneDNN available: {torch.backends.mkldnn.is_available()}")
    print(f"{'I, H, P, T, B, layers, bidir':34s} {'params':>7s} {'MACs':>6s} "
          f"{'speed-up':>9s} {'oneDNN gain':>12s} {'speed-up, no oneDNN':>20s}")
    for I, H, P, T, B, L, bi in SIZES:
        kw = dict(num_layers=L, bidirectional=bi, batch_first=True)
        plain = nn.LSTM(I, H, **kw).eval()
        proj = nn.LSTM(I, H, proj_size=P, **kw).eval()
        x = torch.randn(B, T, I)
        with torch.no_grad():
            t_plain, t_proj = interleaved([lambda: plain(x), lambda: proj(x)], repeats, rounds)
            with torch.backends.mkldnn.flags(enabled=False):
                t_plain_aten, t_proj_aten = interleaved(
                    [lambda: plain(x), lambda: proj(x)], repeats, rounds)
        label = f"{I}, {H}, {P}, {T}, {B}, {L}, {bi}"
        print(f"{label:34s} {n_params(plain) / n_params(proj):7.2f} "
              f"{macs_per_step(plain) / macs_per_step(proj):6.2f} "
              f"{t_plain / t_proj:9.2f} {t_plain_aten / t_plain:12.2f} "
              f"{t_plain_aten / t_proj_aten:20.2f}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=5, help="calls per block")
    ap.add_argument("--rounds", type=int, default=3, help="blocks per implementation")
    ap.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    args = ap.parse_args()
    main(args.repeats, args.rounds, args.threads)
