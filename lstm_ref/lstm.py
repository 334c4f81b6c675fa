"""``LSTM``: a NumPy ``torch.nn.LSTM`` with every option, layer stacking and directions."""
from __future__ import annotations

import warnings

import numpy as np

from ._checks import (check_constructor, check_forward_input, check_hidden, check_lengths,
                      check_params)
from .layer import layer_forward
from .shapes import shapes

__all__ = ["LSTM"]


class LSTM:
    r"""A multi-layer LSTM in NumPy, with torch's API, parameter names and numerics.

    Each layer and direction runs the step of :mod:`lstm_ref.cell`
    (:math:`c_t = f_t \odot c_{t-1} + i_t \odot g_t`,
    :math:`h_t = o_t \odot \tanh(c_t)`, or :math:`h_t = W_{hr}(o_t \odot \tanh(c_t))`
    with ``proj_size > 0``). Layer k >= 1 takes the ``D * H_out`` features of
    layer k-1 as input, where ``D = 2`` if bidirectional else 1 and
    ``H_out = proj_size or hidden_size``. In training mode, dropout with
    probability ``dropout`` acts on every layer's output except the last.

    Parameters are initialised as torch does, from
    :math:`U(-1/\sqrt{\text{hidden\_size}}, 1/\sqrt{\text{hidden\_size}})`,
    using NumPy's generator seeded by ``seed``. Neither that generator nor the
    dropout masks can reproduce torch's RNG: to compare with torch, copy the
    weights (:meth:`from_torch`, :meth:`load_state_dict`) and compare in eval
    mode or with ``dropout=0``.
    """

    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, batch_first=False,
                 dropout=0.0, bidirectional=False, proj_size=0, dtype=np.float32, seed=None):
        (self.input_size, self.hidden_size, self.num_layers, self.dropout,
         self.proj_size) = check_constructor(input_size, hidden_size, num_layers, dropout,
                                             proj_size)
        self.bias = bool(bias)
        self.batch_first = bool(batch_first)
        self.bidirectional = bool(bidirectional)
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise ValueError(f"dtype must be float32 or float64, got {self.dtype.name}")
        if self.dropout > 0 and self.num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero "
                "dropout expects num_layers greater than 1, but got "
                f"dropout={dropout} and num_layers={num_layers}", UserWarning, stacklevel=2)
        self.training = True
        self._rng = np.random.default_rng(seed)
        k = 1.0 / np.sqrt(self.hidden_size)
        self._params = {name: self._rng.uniform(-k, k, shape).astype(self.dtype)
                        for name, shape in self.param_shapes().items()}
        self._cache = None

    # ----- configuration -------------------------------------------------------------
    @property
    def num_directions(self) -> int:
        return 2 if self.bidirectional else 1

    @property
    def h_out(self) -> int:
        """Width of ``h``: ``proj_size`` if it is set, else ``hidden_size``."""
        return self.proj_size or self.hidden_size

    def param_shapes(self) -> dict:
        """``{name: shape}`` for every parameter, in torch's order."""
        return shapes(1, 1, self.input_size, self.hidden_size, self.num_layers,
                      self.bidirectional, proj_size=self.proj_size, bias=self.bias)["params"]

    def __repr__(self) -> str:
        extra = [f"{self.input_size}", f"{self.hidden_size}"]
        for attr, default in (("proj_size", 0), ("num_layers", 1), ("bias", True),
                              ("batch_first", False), ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, attr) != default:
                extra.append(f"{attr}={getattr(self, attr)}")
        return f"LSTM({', '.join(extra)})"

    def __getattr__(self, name):
        # Parameters read like torch's: model.weight_ih_l0
        params = self.__dict__.get("_params", {})
        if name in params:
            return params[name]
        raise AttributeError(f"'LSTM' object has no attribute '{name}'")

    def train(self, mode: bool = True) -> "LSTM":
        self.training = bool(mode)
        return self

    def eval(self) -> "LSTM":
        return self.train(False)

    # ----- parameters ----------------------------------------------------------------
    def state_dict(self) -> dict:
        """Copies of the parameters as NumPy arrays, keyed exactly as ``nn.LSTM.state_dict()``."""
        return {name: p.copy() for name, p in self._params.items()}

    def load_state_dict(self, state_dict) -> "LSTM":
        """Load parameters from torch tensors or arrays; every name and shape must match."""
        self._params = check_params(state_dict, self.param_shapes(), self.dtype, "LSTM")
        return self

    @classmethod
    def from_torch(cls, module) -> "LSTM":
        """The equivalent model of a ``torch.nn.LSTM``: same configuration, weights, dtype and mode."""
        import torch  # only needed here

        dtypes = {torch.float32: np.float32, torch.float64: np.float64}
        p = next(module.parameters())
        if p.dtype not in dtypes:
            raise ValueError(f"from_torch supports float32 and float64 modules, got {p.dtype}")
        model = cls(module.input_size, module.hidden_size, module.num_layers, module.bias,
                    module.batch_first, 0.0, module.bidirectional, module.proj_size,
                    dtype=dtypes[p.dtype])
        model.dropout = float(module.dropout)  # set after __init__ so that no warning repeats
        model.load_state_dict(module.state_dict())
        return model.train(module.training)

    # ----- forward -------------------------------------------------------------------
    def __call__(self, input, hx=None, lengths=None):
        return self.forward(input, hx, lengths)

    def forward(self, input, hx=None, lengths=None):
        """``output, (h_n, c_n) = model(input, hx=None, lengths=None)``, as torch.

        * ``input``: ``(T, B, input_size)``, ``(B, T, input_size)`` if ``batch_first``,
          or unbatched ``(T, input_size)`` (``batch_first`` is then ignored).
        * ``hx = (h_0, c_0)``: ``(D*num_layers, B, H_out)`` and
          ``(D*num_layers, B, hidden_size)``
          (no ``B`` axis when unbatched); zeros if omitted.
        * ``lengths``: the true length of each batch element of a right-padded batch;
          the result equals torch's ``pack_padded_sequence(..., enforce_sorted=False)``
          -> ``nn.LSTM`` -> ``pad_packed_sequence(total_length=T)``.
        * ``output``: ``(T, B, D*H_out)`` (or batch-first, or unbatched), the last
          layer's ``h_t`` at every t, both directions concatenated (forward first).
        * ``h_n``, ``c_n``: ``(D*num_layers, B, H_out)`` and
          ``(D*num_layers, B, hidden_size)``,
          row ``layer*D + direction``; never batch-first.
        """
        x = check_forward_input(input, self.dtype, self.input_size)
        batched = x.ndim == 3
        if not batched:
            x = x[:, None, :]
        elif self.batch_first:
            x = x.transpose(1, 0, 2)
        T, B = x.shape[:2]
        D, L, H = self.num_directions, self.num_layers, self.hidden_size
        shape_h, shape_c = (D * L, B, self.h_out), (D * L, B, H)
        if hx is None:
            h0, c0 = np.zeros(shape_h, self.dtype), np.zeros(shape_c, self.dtype)
        else:
            h0, c0 = check_hidden(hx, batched, self.dtype, shape_h, shape_c)
            if not batched:
                h0, c0 = h0[:, None, :], c0[:, None, :]
        mask = None
        if lengths is not None:
            lengths = check_lengths(lengths, batched, B, T)
            mask = (np.arange(T)[:, None] < lengths[None, :])[..., None]

        layer_input, h_n, c_n, layer_caches = x, [], [], []
        for layer in range(L):
            outs, dir_caches = [], []
            for d in range(D):
                idx = layer * D + d
                sfx = f"_l{layer}" + ("_reverse" if d else "")
                p = self._params
                out, (h, c), cache = layer_forward(
                    layer_input, h0[idx], c0[idx],
                    p["weight_ih" + sfx], p["weight_hh" + sfx],
                    p.get("bias_ih" + sfx), p.get("bias_hh" + sfx),
                    p.get("weight_hr" + sfx),
                    reverse=bool(d), mask=mask)
                outs.append(out)
                h_n.append(h)
                c_n.append(c)
                dir_caches.append(cache)
            layer_output = outs[0] if D == 1 else np.concatenate(outs, axis=-1)
            drop = None
            if self.training and self.dropout > 0 and layer < L - 1:
                keep = self._rng.random(layer_output.shape) >= self.dropout
                scale = 1.0 / (1.0 - self.dropout) if self.dropout < 1 else 0.0
                drop = (keep * scale).astype(self.dtype)
                layer_output = layer_output * drop
            layer_caches.append((dir_caches, drop))
            layer_input = layer_output

        output, h_n, c_n = layer_input, np.stack(h_n), np.stack(c_n)
        self._cache = {"batched": batched, "batch_first": self.batch_first,
                       "T": T, "B": B,
                       "layers": layer_caches, "h0": h0, "c0": c0, "mask": mask,
                       "output_shape": None}
        if not batched:
            output, h_n, c_n = output[:, 0], h_n[:, 0], c_n[:, 0]
        elif self.batch_first:
            output = output.transpose(1, 0, 2)
        self._cache["output_shape"] = output.shape
        return output, (h_n, c_n)

    # ----- backward ------------------------------------------------------------------
    def backward(self, grad_output, grad_h_n=None, grad_c_n=None) -> dict:
        """Backpropagation through time for the most recent forward call (see :mod:`lstm_ref.bptt`).

        ``grad_output``, ``grad_h_n``, ``grad_c_n``: gradients of the loss with respect to
        ``output``, ``h_n``, ``c_n``, in their shapes (None means zeros). Returns a dict
        mapping every ``state_dict()`` key and ``"input"``, ``"h_0"``, ``"c_0"`` to an
        array of that tensor's shape: what torch leaves in ``.grad`` after
        ``(output * grad_output).sum() + ... .backward()``. The parameters are read
        now, so do not change them between the forward and the backward.
        """
        from .bptt import lstm_backward  # local: bptt reads the cache that forward() stores
        return lstm_backward(self, grad_output, grad_h_n, grad_c_n)
