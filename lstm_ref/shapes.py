"""Every tensor shape of an ``nn.LSTM`` call, from its configuration alone (no weights, no data).

This is the Python side of the shape explorer; the tests check it against a
real ``torch.nn.LSTM`` over a grid of configurations.
"""
from __future__ import annotations

from ._checks import check_constructor, check_int

__all__ = ["shapes", "param_names"]


def param_names(num_layers=1, bidirectional=False, bias=True, proj_size=0):
    """The parameter names of an ``nn.LSTM``, in torch's order (layer, direction, kind)."""
    names = []
    for layer in range(num_layers):
        for suffix in ("", "_reverse")[: 2 if bidirectional else 1]:
            kinds = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if bias else [])
            kinds += ["weight_hr"] if proj_size > 0 else []
            names += [f"{k}_l{layer}{suffix}" for k in kinds]
    return names


def shapes(batch_size=None, seq_len=1, input_size=1, hidden_size=1, num_layers=1,
           bidirectional=False, batch_first=False, proj_size=0, bias=True):
    """Shapes of ``input``, ``h_0``, ``c_0``, ``output``, ``h_n``, ``c_n`` and parameters.

    ``batch_size=None`` means unbatched input ``(T, input_size)``. With
    ``D = 2 if bidirectional else 1`` and ``H_out = proj_size or hidden_size``:

    * ``input``: ``(T, B, I)``, ``(B, T, I)`` if ``batch_first``, or ``(T, I)``
    * ``h_0``, ``h_n``: ``(D*num_layers, B, H_out)``;
      ``c_0``, ``c_n``: ``(D*num_layers, B, hidden_size)``
      (never batch-first; no ``B`` when unbatched)
    * ``output``: ``(T, B, D*H_out)``, ``(B, T, D*H_out)`` or ``(T, D*H_out)``

    Returns ``{"tensors": {name: shape}, "params": {name: shape}}``.
    """
    input_size, hidden_size, num_layers, _, proj_size = check_constructor(
        input_size, hidden_size, num_layers, 0.0, proj_size)
    T = check_int(seq_len, "seq_len", 1)
    D = 2 if bidirectional else 1
    H_out = proj_size or hidden_size
    if batch_size is None:
        lead, state = (T,), (D * num_layers,)
    else:
        B = check_int(batch_size, "batch_size", 1)
        lead = (B, T) if batch_first else (T, B)
        state = (D * num_layers, B)
    tensors = {
        "input": lead + (input_size,),
        "h_0": state + (H_out,),
        "c_0": state + (hidden_size,),
        "output": lead + (D * H_out,),
        "h_n": state + (H_out,),
        "c_n": state + (hidden_size,),
    }
    params = {}
    for name in param_names(num_layers, bidirectional, bias, proj_size):
        kind, layer = name.split("_l")[0], int(name.split("_l")[1].split("_")[0])
        layer_in = input_size if layer == 0 else D * H_out
        params[name] = {"weight_ih": (4 * hidden_size, layer_in),
                        "weight_hh": (4 * hidden_size, H_out),
                        "bias_ih": (4 * hidden_size,), "bias_hh": (4 * hidden_size,),
                        "weight_hr": (proj_size, hidden_size)}[kind]
    return {"tensors": tensors, "params": params}
