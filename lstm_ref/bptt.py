r"""Backpropagation through time for :mod:`lstm_ref`: the LSTM's backward pass, from scratch.

Three levels mirror the forward pass:

* :func:`step_backward` undoes one :func:`lstm_ref.cell.step_forward`, from its cache;
* :func:`layer_backward` runs the time loop backwards for one direction of one layer;
* :func:`lstm_backward` walks the layers top-down and the directions, for an :class:`~lstm_ref.LSTM`.

Notation: a step computes the fused pre-activation
:math:`z_t = W_{ih} x_t + b_{ih} + b_{hh} + W_{hh} h_{t-1}` (shape ``(B, 4H)``, gates
i, f, g, o), then :math:`c_t = f_t \odot c_{t-1} + i_t \odot g_t`,
:math:`m_t = o_t \odot \tanh(c_t)` and :math:`h_t = m_t` (or :math:`W_{hr} m_t`).
A ``d`` prefix is the gradient of the loss with respect to that quantity.

The weight gradients are sums over time, :math:`dW_{hh} = \sum_t dz_t^\top h_{t-1}`,
so the time loop only carries the recurrent state; each weight gradient is then one
matrix product over all ``T*B`` rows, the backward twin of
:func:`lstm_ref.cell.input_projection`.
"""
from __future__ import annotations

import numpy as np

from ._checks import as_array, check_dtype, shape_str

__all__ = ["step_backward", "layer_backward", "lstm_backward"]


def step_backward(dh, dc, cache, weight_hh, weight_hr=None):
    r"""Undo one :func:`~lstm_ref.cell.step_forward`: ``(dxw, dh_prev, dc_prev)``.

    ``dh`` ``(B, H_out)`` and ``dc`` ``(B, H)`` are the gradients reaching
    :math:`h_t` and :math:`c_t`; ``cache = (h_prev, c_prev, gates, tanh_c, m)``.

    .. math::

        dm &= dh \;(\text{or } dh\, W_{hr}) \qquad
        dc \mathrel{+}= dm \odot o \odot (1 - \tanh^2 c_t) \\
        dz &= [dc \odot g \odot i(1-i),\; dc \odot c_{t-1} \odot f(1-f),\;
               dc \odot i \odot (1-g^2),\; dm \odot \tanh c_t \odot o(1-o)] \\
        dh_{t-1} &= dz\, W_{hh}, \qquad dc_{t-1} = dc \odot f

    ``dxw = dz`` is the gradient of the input projection ``xw_t`` (equal to that of
    :math:`z_t`, since :math:`z_t = xw_t + W_{hh} h_{t-1}`). The cell path
    :math:`dc_{t-1} = f_t \odot dc_t` has no weight matrix and no squashing: the
    constant error carousel, with a forget gate where the 1997 cell had a weight 1.
    """
    h_prev, c_prev, gates, tanh_c, m = cache
    H = c_prev.shape[-1]
    i, f = gates[..., :H], gates[..., H:2 * H]
    g, o = gates[..., 2 * H:3 * H], gates[..., 3 * H:]
    dm = dh if weight_hr is None else dh @ weight_hr
    dc = dc + dm * o * (1.0 - tanh_c * tanh_c)
    # Local derivatives: sigma' = s(1-s) for i, f, o and tanh' = 1-g^2 for g.
    dz = gates * (1.0 - gates)
    dz[..., 2 * H:3 * H] = 1.0 - g * g
    dz[..., :H] *= dc * g
    dz[..., H:2 * H] *= dc * c_prev
    dz[..., 2 * H:3 * H] *= dc * i
    dz[..., 3 * H:] *= dm * tanh_c
    return dz, dz @ weight_hh, dc * f


def layer_backward(doutput, dh_n, dc_n, cache, weight_ih, weight_hh, weight_hr=None,
                   reverse=False):
    r"""Backward of :func:`lstm_ref.layer.layer_forward`: ``dx, (dh_0, dc_0), grads``.

    ``doutput`` ``(T, B, H_out)`` is the gradient of this direction's output,
    ``dh_n``/``dc_n`` those of its final state, ``cache = (x, steps, mask)``.
    The loop visits the steps in the opposite order of the forward loop.

    With a ``mask``, only the sequences that took step t are stepped back through
    it. The others kept their state (``h_t = h_{t-1}``, ``c_t = c_{t-1}``), so their
    gradient passes straight through to ``t-1``, and their padded outputs and
    inputs are never read: padding gets a zero gradient and, whatever it holds,
    changes no gradient (as with torch's packed sequences).

    ``grads`` maps ``weight_ih``, ``weight_hh``, ``bias_ih``, ``bias_hh`` (both
    biases get :math:`\sum_t dz_t`) and, with a projection, ``weight_hr`` to arrays.
    The sums run over the real steps only: the rows ``(t, b)`` with ``t < length_b``.
    """
    x, steps, mask = cache
    T, B, I = x.shape
    valid = np.ones((T, B), dtype=bool) if mask is None else mask[..., 0]
    dz, dh_seen = [None] * T, [None] * T  # per step: rows of the sequences that ran
    dh, dc = dh_n.copy(), dc_n.copy()
    for t in (range(T) if reverse else range(T - 1, -1, -1)):
        run = slice(None) if mask is None else np.flatnonzero(valid[t])
        dh_seen[t] = dh[run] + doutput[t, run]
        dz[t], dh[run], dc[run] = step_backward(dh_seen[t], dc[run], steps[t],
                                                weight_hh, weight_hr)

    # Each weight gradient is one product over all real steps, stacked in (t, b) order,
    # the order in which x[valid] lists their inputs.
    dz = np.concatenate(dz)
    x_run = x[valid]
    h_prev = np.concatenate([s[0] for s in steps])
    db = dz.sum(axis=0)
    grads = {"weight_ih": dz.T @ x_run, "weight_hh": dz.T @ h_prev,
             "bias_ih": db, "bias_hh": db.copy()}
    if weight_hr is not None:
        m = np.concatenate([s[4] for s in steps])
        grads["weight_hr"] = np.concatenate(dh_seen).T @ m
    dx = np.zeros_like(x)
    dx[valid] = dz @ weight_ih
    return dx, (dh, dc), grads


def _grad_array(value, name, expected_shape, dtype):
    value = check_dtype(as_array(value, name), name, dtype)
    if value.shape != tuple(expected_shape):
        raise ValueError(f"Mismatch in shape: {name} has a shape of {shape_str(value.shape)} and "
                         f"the forward result has a shape of {shape_str(expected_shape)}")
    return value


def lstm_backward(model, grad_output, grad_h_n=None, grad_c_n=None):
    """Gradients of every parameter and of ``input``, ``h_0``, ``c_0`` for the last forward of ``model``.

    ``grad_output``, ``grad_h_n``, ``grad_c_n`` have the shapes of ``output``,
    ``h_n``, ``c_n`` (None means zeros). Layer k's input gradient is the sum of
    its directions' ``dx``, and becomes the output gradient of layer k-1, times
    layer k-1's dropout mask if one was drawn. Returns a dict keyed like
    ``model.state_dict()`` plus ``"input"``, ``"h_0"``, ``"c_0"``, in torch's shapes.
    """
    cache = model._cache
    if cache is None:
        raise ValueError("backward needs the cache of a forward pass: call model(input) before "
                         "model.backward(grad_output)")
    batched, B = cache["batched"], cache["B"]
    D, L, H, P = model.num_directions, model.num_layers, model.hidden_size, model.h_out
    dtype = cache["h0"].dtype
    state_h = (D * L, B, P) if batched else (D * L, P)
    state_c = (D * L, B, H) if batched else (D * L, H)
    dout = _grad_array(grad_output, "grad_output", cache["output_shape"], dtype)
    dh_n = (np.zeros(state_h, dtype) if grad_h_n is None
            else _grad_array(grad_h_n, "grad_h_n", state_h, dtype))
    dc_n = (np.zeros(state_c, dtype) if grad_c_n is None
            else _grad_array(grad_c_n, "grad_c_n", state_c, dtype))
    if not batched:
        dout, dh_n, dc_n = dout[:, None], dh_n[:, None], dc_n[:, None]
    elif cache["batch_first"]:
        dout = dout.transpose(1, 0, 2)

    params, grads = model._params, {}
    dh_0, dc_0 = np.empty_like(cache["h0"]), np.empty_like(cache["c0"])
    for layer in range(L - 1, -1, -1):
        dir_caches, drop = cache["layers"][layer]
        if drop is not None:
            dout = dout * drop
        dx = 0
        for d in range(D):
            idx = layer * D + d
            sfx = f"_l{layer}" + ("_reverse" if d else "")
            dx_d, (dh_0[idx], dc_0[idx]), g = layer_backward(
                dout[..., d * P:(d + 1) * P], dh_n[idx], dc_n[idx], dir_caches[d],
                params["weight_ih" + sfx], params["weight_hh" + sfx],
                params.get("weight_hr" + sfx), reverse=bool(d))
            dx = dx + dx_d
            grads.update({k + sfx: v for k, v in g.items()})
        dout = dx

    result = {name: grads[name] for name in params}  # torch's order; drops bias if bias=False
    if not batched:
        dout, dh_0, dc_0 = dout[:, 0], dh_0[:, 0], dc_0[:, 0]
    elif cache["batch_first"]:
        dout = dout.transpose(1, 0, 2)
    result.update(input=dout, h_0=dh_0, c_0=dc_0)
    return result
