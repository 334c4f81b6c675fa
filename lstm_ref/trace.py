r"""Everything one LSTM layer computes along a sequence: ``x_t``, the gates, ``c_t`` and ``h_t`` at every t.

:func:`lstm_ref.layer.layer_forward` keeps only what the forward pass needs;
:func:`trace` runs the same steps (:func:`lstm_ref.cell.step_forward`) and
keeps every intermediate, for the chapters and the sequence explorer to show.
For t = 0, ..., T-1 (or T-1, ..., 0 with ``reverse=True``):

.. math::

    (i_t, f_t, g_t, o_t) &= \text{gates}(x_t, h_{t-1}) \\
    c_t &= f_t \odot c_{t-1} + i_t \odot g_t \\
    h_t &= o_t \odot \tanh(c_t)
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._checks import as_array, check_cell_args
from .cell import input_projection, step_forward

__all__ = ["Trace", "trace", "trace_lstm"]


class Trace(NamedTuple):
    """Per-step values of one layer and direction; every field has time as its first axis.

    ``x`` is ``(T, ..., I)``; ``i``, ``f``, ``g``, ``o``, ``c`` are ``(T, ..., H)``;
    ``h`` is ``(T, ..., H_out)``. Index ``t`` always means time step t, also for
    ``reverse=True`` (which only changes the order the steps were computed in).
    """

    x: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    h: np.ndarray


def trace(x, weight_ih, weight_hh, bias_ih=None, bias_hh=None, hx=None, weight_hr=None,
          reverse=False) -> Trace:
    """Run one layer over ``x`` (time-major ``(T, B, I)`` or unbatched ``(T, I)``) and keep every step.

    ``hx = (h_0, c_0)`` with shapes ``(B, H_out)``, ``(B, H)`` (no ``B`` when
    unbatched); zeros if omitted. Arguments are checked as :func:`lstm_ref.lstm_cell`
    checks them.
    """
    x = as_array(x, "input")
    if x.ndim not in (2, 3):
        raise ValueError(f"trace: Expected input to be 2D or 3D, got {x.ndim}D instead")
    H = as_array(weight_hh, "weight_hh").shape[0] // 4
    h_out = H if weight_hr is None else as_array(weight_hr, "weight_hr").shape[0]
    if hx is None:
        hx = (np.zeros(x.shape[1:-1] + (h_out,), x.dtype), np.zeros(x.shape[1:-1] + (H,), x.dtype))
    # Check one step's arguments (shapes, dtypes) exactly as lstm_cell does.
    _, (h, c), weight_ih, weight_hh, bias_ih, bias_hh, weight_hr = check_cell_args(
        x[0], hx, weight_ih, weight_hh, bias_ih, bias_hh, weight_hr)
    T = x.shape[0]
    xw = input_projection(x, weight_ih, bias_ih, bias_hh)
    gates = np.empty(x.shape[:-1] + (4 * H,), x.dtype)
    cs = np.empty(x.shape[:-1] + (H,), x.dtype)
    hs = np.empty(x.shape[:-1] + (h_out,), x.dtype)
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        h, c, (_, _, gates[t], _, _) = step_forward(xw[t], h, c, weight_hh, weight_hr)
        cs[t], hs[t] = c, h
    i, f, g, o = (gates[..., k * H:(k + 1) * H] for k in range(4))
    return Trace(x, i, f, g, o, cs, hs)


def trace_lstm(model, x, layer=0, direction=0, hx=None) -> Trace:
    """:func:`trace` of one layer and direction of an :class:`lstm_ref.LSTM` (or ``torch.nn.LSTM``).

    ``x`` is that layer's input, time-major or unbatched (for ``layer >= 1`` that
    is the output of the layer below, ``D * H_out`` wide).
    """
    if not hasattr(model, "state_dict") or not hasattr(model, "num_layers"):
        raise ValueError(f"model must be an LSTM, got {type(model).__name__}")
    params = {k: as_array(v, k) for k, v in model.state_dict().items()}
    D = 2 if model.bidirectional else 1
    if not 0 <= layer < model.num_layers:
        raise ValueError(f"layer must be in [0, {model.num_layers - 1}], got {layer}")
    if not 0 <= direction < D:
        raise ValueError(f"direction must be in [0, {D - 1}], got {direction}")
    sfx = f"_l{layer}" + ("_reverse" if direction else "")
    return trace(x, params["weight_ih" + sfx], params["weight_hh" + sfx],
                 params.get("bias_ih" + sfx), params.get("bias_hh" + sfx), hx,
                 params.get("weight_hr" + sfx), reverse=bool(direction))
