"""One direction of one layer: the time loop over :func:`lstm_ref.cell.step_forward`."""
from __future__ import annotations

import numpy as np

from .cell import input_projection, step_forward

__all__ = ["layer_forward"]


def layer_forward(x, h0, c0, weight_ih, weight_hh, bias_ih=None, bias_hh=None,
                  weight_hr=None, reverse=False, mask=None):
    """Run one direction of one layer over a whole sequence.

    ``x`` is time-major ``(T, B, I)``; ``h0`` is ``(B, H_out)`` and ``c0`` is ``(B, H)``.
    With ``reverse=True`` the loop runs t = T-1, ..., 0, and ``output[t]`` is
    still stored at position t, which is why a bidirectional output needs no
    flip back. ``mask`` (``(T, B, 1)`` booleans, True where t < length) freezes
    the state past each sequence's end and zeroes its output there, which is
    what packing does in torch; the reverse direction then starts at each
    sequence's true end.

    Returns ``output (T, B, H_out), (h_n, c_n), cache``, where
    ``cache = (x, steps, mask)`` and ``steps[t]`` is the step cache of time t.
    """
    T, B = x.shape[:2]
    xw = input_projection(x, weight_ih, bias_ih, bias_hh)
    H_out = h0.shape[-1]
    output = np.empty((T, B, H_out), dtype=x.dtype)
    steps = [None] * T
    h, c = h0, c0
    for t in (range(T - 1, -1, -1) if reverse else range(T)):
        h_new, c_new, steps[t] = step_forward(xw[t], h, c, weight_hh, weight_hr)
        if mask is not None:
            keep = mask[t]
            h_new = np.where(keep, h_new, h)
            c_new = np.where(keep, c_new, c)
            output[t] = np.where(keep, h_new, 0)
        else:
            output[t] = h_new
        h, c = h_new, c_new
    return output, (h, c), (x, steps, mask)
