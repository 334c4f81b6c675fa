r"""One LSTM time step, in torch's notation and torch's gate order (i, f, g, o).

For a step with input :math:`x_t` and state :math:`(h_{t-1}, c_{t-1})`:

.. math::

    i_t &= \sigma(W_{ii} x_t + b_{ii} + W_{hi} h_{t-1} + b_{hi}) \\
    f_t &= \sigma(W_{if} x_t + b_{if} + W_{hf} h_{t-1} + b_{hf}) \\
    g_t &= \tanh(W_{ig} x_t + b_{ig} + W_{hg} h_{t-1} + b_{hg}) \\
    o_t &= \sigma(W_{io} x_t + b_{io} + W_{ho} h_{t-1} + b_{ho}) \\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
    h_t &= o_t \odot \tanh(c_t)
        \qquad\text{or, with } \texttt{proj\_size} > 0,\qquad
    h_t = W_{hr}\,(o_t \odot \tanh(c_t))

The four gate matrices are stacked row-wise, exactly as torch stores them:
``weight_ih = [W_ii; W_if; W_ig; W_io]`` has shape ``(4*hidden_size, input_size)``
and ``weight_hh = [W_hi; W_hf; W_hg; W_ho]`` has shape ``(4*hidden_size, H_out)``.

The step is split like CS231n's ``rnn_layers.py``: the input projection
``W_ih x_t + b_ih + b_hh`` is computed outside :func:`step_forward` so that a
layer can do it for all time steps in one matrix product.
"""
from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np

from ._checks import check_cell_args

__all__ = ["Gates", "sigmoid", "input_projection", "step_forward", "lstm_gates", "lstm_cell"]


class Gates(NamedTuple):
    """The four gate activations of one step, each ``(B, hidden_size)`` or ``(hidden_size,)``."""

    i: np.ndarray  #: input gate, sigma(.) in (0, 1): how much of g to write
    f: np.ndarray  #: forget gate, sigma(.) in (0, 1): how much of c_{t-1} to keep
    g: np.ndarray  #: cell candidate, tanh(.) in (-1, 1): what to write
    o: np.ndarray  #: output gate, sigma(.) in (0, 1): how much of tanh(c_t) to show


def sigmoid(z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
    r"""Logistic sigmoid :math:`\sigma(z) = 1/(1+e^{-z})`, computed as ``(1 + tanh(z/2)) / 2``.

    The tanh form never overflows (``exp(1e4)`` would), so inputs of any size
    give finite results without NumPy warnings.
    """
    out = np.multiply(z, 0.5, out=out)
    np.tanh(out, out=out)
    out += 1.0
    out *= 0.5
    return out


@functools.lru_cache(maxsize=None)
def _gate_scale(H: int, dtype):
    """``(s, 1 - s)``: ``s`` is 1/2 on the i, f, o rows and 1 on the g rows (read-only, cached)."""
    s = np.full(4 * H, 0.5, dtype=dtype)
    s[2 * H:3 * H] = 1.0
    offset = 1.0 - s
    s.flags.writeable = offset.flags.writeable = False
    return s, offset


def _activate(z: np.ndarray, H: int) -> np.ndarray:
    r"""Apply the gate nonlinearities, in place, to fused pre-activations ``z`` of shape ``(..., 4H)``.

    Rows i, f, o get the sigmoid and rows g get tanh. Since
    :math:`\sigma(z) = \tfrac12(1 + \tanh(z/2))`, all four are one tanh over the
    fused array: :math:`a = s \odot \tanh(s \odot z) + (1 - s)`, with
    :math:`s = \tfrac12` on the i, f, o rows and :math:`s = 1` on the g rows.
    Four array operations instead of one per gate; the tanh form also never
    overflows (``exp(1e4)`` would).
    """
    s, offset = _gate_scale(H, z.dtype)
    z *= s
    np.tanh(z, out=z)
    z *= s
    z += offset
    return z


def step_forward(xw_t, h_prev, c_prev, weight_hh, weight_hr=None):
    """One LSTM step from a precomputed input projection; returns ``(h, c, cache)``.

    ``xw_t`` is :math:`W_{ih} x_t + b_{ih} + b_{hh}`, shape ``(B, 4H)``.
    The cache holds what :func:`lstm_ref.bptt.step_backward` needs:
    ``(h_prev, c_prev, gates, tanh_c, m)`` with ``gates`` the activated
    ``(B, 4H)`` array in order i, f, g, o and ``m = o * tanh(c)`` (the
    pre-projection hidden state; equal to ``h`` when there is no projection).
    """
    H = c_prev.shape[-1]
    z = h_prev @ weight_hh.T
    z += xw_t
    gates = _activate(z, H)
    i, f = gates[..., :H], gates[..., H:2 * H]
    g, o = gates[..., 2 * H:3 * H], gates[..., 3 * H:]
    c = f * c_prev
    c += i * g
    tanh_c = np.tanh(c)
    m = o * tanh_c
    h = m if weight_hr is None else m @ weight_hr.T
    return h, c, (h_prev, c_prev, gates, tanh_c, m)


def input_projection(x, weight_ih, bias_ih=None, bias_hh=None):
    r""":math:`x W_{ih}^\top + b_{ih} + b_{hh}` for one step ``(B, I)`` or all ``(T, B, I)``.

    The input does not depend on the recurrent state, so a layer computes this
    for every time step in one matrix product before its time loop, as cuDNN
    does; only ``h @ W_hh^T`` stays inside the loop.
    """
    lead = x.shape[:-1]
    xw = x.reshape(-1, x.shape[-1]) @ weight_ih.T
    if bias_ih is not None:
        xw += bias_ih
    if bias_hh is not None:
        xw += bias_hh
    return xw.reshape(lead + (weight_ih.shape[0],))


def lstm_gates(x, h, weight_ih, weight_hh, bias_ih=None, bias_hh=None) -> Gates:
    """The four gate activations :math:`(i_t, f_t, g_t, o_t)` of one step.

    Same arguments as :func:`lstm_cell` but only ``h`` (not ``c``) is needed:
    the gates depend on :math:`x_t` and :math:`h_{t-1}` alone.
    """
    x, (h, _), weight_ih, weight_hh, bias_ih, bias_hh, _ = check_cell_args(
        x, (h, None), weight_ih, weight_hh, bias_ih, bias_hh, None)
    H = weight_hh.shape[0] // 4
    z = input_projection(x, weight_ih, bias_ih, bias_hh)
    z += h @ weight_hh.T
    a = _activate(z, H)
    return Gates(a[..., :H], a[..., H:2 * H], a[..., 2 * H:3 * H], a[..., 3 * H:])


def lstm_cell(x, hx, weight_ih, weight_hh, bias_ih=None, bias_hh=None, weight_hr=None):
    """One LSTM step, the NumPy twin of ``torch.nn.LSTMCell`` (plus ``weight_hr`` for projections).

    Parameters
    ----------
    x : array, ``(B, input_size)`` or unbatched ``(input_size,)``
    hx : tuple ``(h, c)``; ``h`` is ``(B, H_out)`` and ``c`` is ``(B, hidden_size)``
        (without the batch dimension for unbatched ``x``).
    weight_ih : ``(4*hidden_size, input_size)``, rows stacked i, f, g, o
    weight_hh : ``(4*hidden_size, H_out)``
    bias_ih, bias_hh : ``(4*hidden_size,)`` or None
    weight_hr : ``(proj_size, hidden_size)`` or None; ``H_out = proj_size`` if given
        else ``hidden_size``

    Returns
    -------
    (h, c) : the new hidden and cell state, same shapes as ``hx``.
    """
    x, (h, c), weight_ih, weight_hh, bias_ih, bias_hh, weight_hr = check_cell_args(
        x, hx, weight_ih, weight_hh, bias_ih, bias_hh, weight_hr)
    xw = input_projection(x, weight_ih, bias_ih, bias_hh)
    h, c, _ = step_forward(xw, h, c, weight_hh, weight_hr)
    return h, c

