r"""The adding problem: a long-range task for an RNN and an LSTM, in torch.

This is the form of later benchmarks (Le et al. 2015, Arjovsky et al. 2016), not
the original task of Hochreiter & Schmidhuber 1997 (values in [-1, 1], the first
marker among the first ten steps, target 0.5 + (X1 + X2) / 4, varying lengths).

Each input step carries two numbers: a value :math:`v_t \sim U(0, 1)` and a
marker that is 1 at exactly two steps, one in each half of the sequence
(:math:`v_a` in the first half, :math:`v_b` in the second), and 0 elsewhere. The
target is :math:`v_a + v_b`. Predicting the mean, 1, scores a mean squared error
of :math:`\mathrm{Var}(v_a + v_b) = 2/12 \approx 0.167`: the trivial baseline.
Remembering only :math:`v_b`, at most T/2 steps back, and predicting
:math:`0.5 + v_b` scores :math:`\mathrm{Var}(v_a) = 1/12`, half the baseline
(:data:`HALF_MEMORY_MSE`); below that, a model must carry :math:`v_a` across up
to T - 1 steps.
"""
from __future__ import annotations

import copy
import time

import torch
from torch import nn

__all__ = ["BASELINE_MSE", "HALF_MEMORY_MSE", "adding_batch", "SequenceRegressor", "train_adding"]

#: MSE of always predicting 1 (the mean of the target): Var(U(0,1) + U(0,1)) = 1/6.
BASELINE_MSE = 1.0 / 6.0
#: MSE of predicting 0.5 + v_b (remembering only the second marked value): Var(U(0,1)) = 1/12.
HALF_MEMORY_MSE = 1.0 / 12.0


def adding_batch(batch_size, seq_len, generator=None):
    """``(x, y)`` with ``x`` ``(B, T, 2)`` = (value, marker) per step and
    ``y`` ``(B, 1)`` = the sum of the two marked values."""
    values = torch.rand(batch_size, seq_len, generator=generator)
    first = torch.randint(0, seq_len // 2, (batch_size,), generator=generator)
    second = torch.randint(seq_len // 2, seq_len, (batch_size,), generator=generator)
    markers = torch.zeros(batch_size, seq_len)
    rows = torch.arange(batch_size)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    x = torch.stack([values, markers], dim=-1)
    return x, (values * markers).sum(dim=1, keepdim=True)


class SequenceRegressor(nn.Module):
    """``nn.LSTM`` or ``nn.RNN`` (tanh), batch-first, then a linear read-out of the last hidden state."""

    def __init__(self, kind, input_size=2, hidden_size=32, forget_bias=None):
        super().__init__()
        if kind not in ("lstm", "rnn"):
            raise ValueError(f"kind must be 'lstm' or 'rnn', got {kind!r}")
        self.rnn = (nn.LSTM if kind == "lstm" else nn.RNN)(input_size, hidden_size, batch_first=True)
        if forget_bias is not None and kind == "lstm":
            H = hidden_size
            with torch.no_grad():  # rows H:2H are the forget gate; torch adds both biases
                self.rnn.bias_ih_l0[H:2 * H] = forget_bias
                self.rnn.bias_hh_l0[H:2 * H] = 0.0
        self.head = nn.Linear(hidden_size, 1)

    def forward(self, x):
        output, _ = self.rnn(x)
        return self.head(output[:, -1])


def train_adding(kind, seq_len=50, hidden_size=32, steps=1500, batch_size=64, lr=1e-2,
                 max_norm=1.0, seed=0, eval_every=100, forget_bias=None):
    """Train on fresh batches with Adam and clipping; returns ``(model, history)``.

    The test set (1000 sequences) is fixed by ``seed`` and shared by every model
    trained with that seed. ``history`` is ``{"step": [...], "test_mse": [...],
    "grad_norm": [...] (before clipping, every step), "seconds": float,
    "initial_state": the model's state_dict before the first step}``.
    """
    torch.manual_seed(seed)
    model = SequenceRegressor(kind, hidden_size=hidden_size, forget_bias=forget_bias)
    data_gen = torch.Generator().manual_seed(seed + 1)
    test_gen = torch.Generator().manual_seed(seed + 2)
    x_test, y_test = adding_batch(1000, seq_len, test_gen)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    history = {"step": [], "test_mse": [], "grad_norm": [],
               "initial_state": copy.deepcopy(model.state_dict())}
    t0 = time.perf_counter()
    for step in range(steps + 1):
        if step % eval_every == 0:
            with torch.no_grad():
                history["step"].append(step)
                mse = ((model(x_test) - y_test) ** 2).mean().item()
                history["test_mse"].append(mse)
        if step == steps:
            break
        x, y = adding_batch(batch_size, seq_len, data_gen)
        loss = ((model(x) - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        norm = nn.utils.clip_grad_norm_(model.parameters(), max_norm)  # before clipping
        history["grad_norm"].append(norm.item())
        opt.step()
    history["seconds"] = time.perf_counter() - t0
    return model, history
