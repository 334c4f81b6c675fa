r"""A plain tanh RNN in NumPy, forward and backward: the baseline the LSTM is compared with.

One step, in torch's names (``torch.nn.RNN`` with ``nonlinearity="tanh"``):

.. math::

    h_t = \tanh(W_{ih} x_t + b_{ih} + W_{hh} h_{t-1} + b_{hh})

Backward through one step: :math:`dz = dh_t \odot (1 - h_t^2)`,
:math:`dh_{t-1} = dz\, W_{hh}`. Every step multiplies the gradient by
:math:`\mathrm{diag}(1-h_t^2)\, W_{hh}`, so over a gap of k steps it scales
roughly like the k-th power of that matrix's size: it vanishes or explodes
(Bengio et al. 1994). The LSTM's cell path replaces this product by a product
of forget gates.

:class:`RNN` supports ``num_layers``, ``bias``, ``batch_first`` and unbatched
input, in one direction; the layout of ``input``, ``h_0``, ``output`` and
``h_n`` is that of ``nn.RNN`` (:math:`D = 1`, ``H_out = hidden_size``).
"""
from __future__ import annotations

import numpy as np

from ._checks import (as_array, check_constructor, check_dtype, check_forward_input,
                      check_params, shape_str)

__all__ = ["rnn_step_forward", "rnn_step_backward", "RNN"]


def rnn_step_forward(xw_t, h_prev, weight_hh):
    r""":math:`h_t = \tanh(xw_t + h_{t-1} W_{hh}^\top)` with ``xw_t = x_t W_{ih}^\top + b_{ih} + b_{hh}``; returns ``(h, cache)``."""
    h = np.tanh(xw_t + h_prev @ weight_hh.T)
    return h, (h_prev, h)


def rnn_step_backward(dh, cache, weight_hh):
    r"""Undo :func:`rnn_step_forward`: ``(dxw, dh_prev)`` with :math:`dz = dh \odot (1-h_t^2)`, :math:`dh_{t-1} = dz W_{hh}`."""
    _, h = cache
    dz = dh * (1.0 - h * h)
    return dz, dz @ weight_hh


class RNN:
    r"""``torch.nn.RNN(input_size, hidden_size, num_layers, bias, batch_first)`` with tanh, in NumPy.

    Parameters are ``weight_ih_l{k}`` ``(H, I or H)``, ``weight_hh_l{k}`` ``(H, H)``,
    ``bias_ih_l{k}``, ``bias_hh_l{k}`` ``(H,)``, initialised from
    :math:`U(-1/\sqrt{H}, 1/\sqrt{H})` as torch does. :meth:`backward` uses the
    cache of the last :meth:`forward`, like :meth:`lstm_ref.LSTM.backward`.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dtype=np.float32, seed=None):
        self.input_size, self.hidden_size, self.num_layers, _, _ = check_constructor(
            input_size, hidden_size, num_layers, 0.0, 0)
        self.bias, self.batch_first = bool(bias), bool(batch_first)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype.name}")
        rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(self.hidden_size)
        self._params = {n: rng.uniform(-k, k, s).astype(self.dtype)
                        for n, s in self.param_shapes().items()}
        self._cache = None

    def param_shapes(self) -> dict:
        H, out = self.hidden_size, {}
        for layer in range(self.num_layers):
            out[f"weight_ih_l{layer}"] = (H, self.input_size if layer == 0 else H)
            out[f"weight_hh_l{layer}"] = (H, H)
            if self.bias:
                out[f"bias_ih_l{layer}"] = out[f"bias_hh_l{layer}"] = (H,)
        return out

    def __getattr__(self, name):
        params = self.__dict__.get("_params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"'RNN' object has no attribute '{name}'")

    def state_dict(self) -> dict:
        return {n: p.copy() for n, p in self._params.items()}

    def load_state_dict(self, state_dict) -> "RNN":
        """Load parameters (torch tensors or arrays); names and shapes must match exactly."""
        self._params = check_params(state_dict, self.param_shapes(), self.dtype, "RNN")
        return self

    @classmethod
    def from_torch(cls, module) -> "RNN":
        """The twin of a one-direction tanh ``torch.nn.RNN`` (float32 or float64)."""
        import torch

        if module.nonlinearity != "tanh" or module.bidirectional:
            raise ValueError("lstm_ref.RNN supports nonlinearity='tanh' and one direction, got "
                             f"nonlinearity={module.nonlinearity!r}, "
                             f"bidirectional={module.bidirectional}")
        p = next(module.parameters())
        dtypes = {torch.float32: np.float32, torch.float64: np.float64}
        if p.dtype not in dtypes:
            raise ValueError(f"from_torch supports float32 and float64 modules, got {p.dtype}")
        model = cls(module.input_size, module.hidden_size, module.num_layers, module.bias,
                    module.batch_first, dtype=dtypes[p.dtype])
        return model.load_state_dict(module.state_dict())

    def __call__(self, input, hx=None):
        return self.forward(input, hx)

    def forward(self, input, hx=None):
        """``output, h_n = rnn(input, h_0=None)`` with ``nn.RNN``'s shapes."""
        x = check_forward_input(input, self.dtype, self.input_size)
        batched = x.ndim == 3
        x = x[:, None] if not batched else (x.transpose(1, 0, 2) if self.batch_first else x)
        T, B = x.shape[:2]
        L, H = self.num_layers, self.hidden_size
        shape_h = (L, B, H) if batched else (L, H)
        if hx is None:
            h0 = np.zeros((L, B, H), self.dtype)
        else:
            h0 = check_dtype(as_array(hx, "hx"), "hx", self.dtype)
            if h0.shape != shape_h:
                raise ValueError(f"Expected hidden size {shape_h}, got {shape_str(h0.shape)}")
            h0 = h0 if batched else h0[:, None]
        p, layer_input, h_n, caches = self._params, x, [], []
        for layer in range(L):
            w_ih, w_hh = p[f"weight_ih_l{layer}"], p[f"weight_hh_l{layer}"]
            xw = layer_input @ w_ih.T
            if self.bias:
                xw += p[f"bias_ih_l{layer}"] + p[f"bias_hh_l{layer}"]
            out, steps, h = np.empty((T, B, H), self.dtype), [], h0[layer]
            for t in range(T):
                h, step_cache = rnn_step_forward(xw[t], h, w_hh)
                out[t] = h
                steps.append(step_cache)
            caches.append((layer_input, steps))
            h_n.append(h)
            layer_input = out
        output, h_n = layer_input, np.stack(h_n)
        if not batched:
            output, h_n = output[:, 0], h_n[:, 0]
        elif self.batch_first:
            output = output.transpose(1, 0, 2)
        self._cache = dict(batched=batched, layers=caches, output_shape=output.shape,
                           h_n_shape=h_n.shape, h0_shape=h0.shape)
        return output, h_n

    def backward(self, grad_output, grad_h_n=None) -> dict:
        """Gradients of every ``state_dict()`` key and of ``"input"`` and ``"h_0"``, for the last forward."""
        if self._cache is None:
            raise ValueError("backward needs the cache of a forward pass: call model(input) "
                             "before model.backward(grad_output)")
        cache = self._cache
        grads = {}
        for name, value, shape in (("grad_output", grad_output, cache["output_shape"]),
                                   ("grad_h_n", grad_h_n, cache["h_n_shape"])):
            value = np.zeros(shape, self.dtype) if value is None else check_dtype(
                as_array(value, name), name, self.dtype)
            if value.shape != shape:
                raise ValueError(f"Mismatch in shape: {name} has a shape of "
                                 f"{shape_str(value.shape)} and the forward result has a "
                                 f"shape of {shape_str(shape)}")
            grads[name] = value
        dout, dh_n = grads.pop("grad_output"), grads.pop("grad_h_n")
        if not cache["batched"]:
            dout, dh_n = dout[:, None], dh_n[:, None]
        elif self.batch_first:
            dout = dout.transpose(1, 0, 2)
        dh_0 = np.empty(cache["h0_shape"], self.dtype)
        for layer in range(self.num_layers - 1, -1, -1):
            x, steps = cache["layers"][layer]
            w_hh = self._params[f"weight_hh_l{layer}"]
            T, B = x.shape[:2]
            dz = np.empty((T, B, self.hidden_size), self.dtype)
            dh = dh_n[layer]
            for t in range(T - 1, -1, -1):
                dz[t], dh = rnn_step_backward(dh + dout[t], steps[t], w_hh)
            dh_0[layer] = dh
            dz2 = dz.reshape(T * B, -1)
            h_prev = np.stack([s[0] for s in steps]).reshape(T * B, -1)
            grads[f"weight_ih_l{layer}"] = dz2.T @ x.reshape(T * B, -1)
            grads[f"weight_hh_l{layer}"] = dz2.T @ h_prev
            if self.bias:
                grads[f"bias_ih_l{layer}"] = dz2.sum(axis=0)
                grads[f"bias_hh_l{layer}"] = dz2.sum(axis=0)
            dout = (dz2 @ self._params[f"weight_ih_l{layer}"]).reshape(T, B, -1)
        result = {name: grads[name] for name in self._params}
        if not cache["batched"]:
            dout, dh_0 = dout[:, 0], dh_0[:, 0]
        elif self.batch_first:
            dout = dout.transpose(1, 0, 2)
        result.update(input=dout, h_0=dh_0)
        return result
