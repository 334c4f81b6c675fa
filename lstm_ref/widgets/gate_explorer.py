r"""The gate explorer: set the inputs of one LSTM step and watch i, f, g, o, c_t and h_t.

Python puts the weights of one layer (torch's ``weight_ih_l0``, ``weight_hh_l0``,
``bias_ih_l0``, ``bias_hh_l0`` and ``weight_hr_l0``) into traits; the browser
computes the step (``gate_explorer.js``), so the widget works on a static page.
The reader moves :math:`x_t`, :math:`h_{t-1}`, :math:`c_{t-1}` and a shift
:math:`\Delta b_k` added to the pre-activation of every unit of gate
:math:`k \in \{i, f, g, o\}`; :meth:`GateExplorer.step` is the same step in
:mod:`lstm_ref`, which the tests compare with the JavaScript.
"""
from __future__ import annotations

import numpy as np
import traitlets

from ..cell import Gates, input_projection, lstm_cell, step_forward
from ..lstm import LSTM
from ._base import BookWidget

__all__ = ["GateExplorer", "PRESETS", "RANGES"]

#: Slider ranges. |h| < 1 without a projection; a shift of 12 saturates any gate
#: of a layer initialised as torch does, for inputs in these ranges.
RANGES = {"x": [-2.0, 2.0], "h": [-1.0, 1.0], "c": [-3.0, 3.0], "bias": [-12.0, 12.0]}

S = RANGES["bias"][1]
#: name -> (button label, bias shift per gate i, f, g, o, what it shows)
PRESETS = {
    "keep": ("keep the memory", [-S, S, 0.0, 0.0], "f → 1 and i → 0, so c_t ≈ c_{t−1}"),
    "forget": ("forget everything", [-S, -S, 0.0, 0.0], "f → 0 and i → 0, so c_t ≈ 0"),
    "write": ("write new content", [S, -S, 0.0, 0.0], "f → 0 and i → 1, so c_t ≈ g_t"),
    "add": ("add to the memory", [S, S, 0.0, 0.0], "f → 1 and i → 1, so c_t ≈ c_{t−1} + g_t"),
    "hide": ("hide the output", [0.0, 0.0, 0.0, -S], "o → 0, so h_t ≈ 0 whatever c_t holds"),
}


def _floats(a):
    return np.asarray(a, dtype=np.float64).tolist()


class GateExplorer(BookWidget):
    """One step of an LSTM layer with sliders for its inputs and per-gate bias shifts.

    ``GateExplorer(input_size=1, hidden_size=1, proj_size=0, seed=0)`` takes the
    weights of a seeded :class:`lstm_ref.LSTM` (initialised as torch does);
    :meth:`from_lstm` takes them from a given ``lstm_ref.LSTM`` or ``torch.nn.LSTM``.
    """

    _js_file = "gate_explorer.js"

    weight_ih = traitlets.List().tag(sync=True)   # (4H, I) rows i, f, g, o
    weight_hh = traitlets.List().tag(sync=True)   # (4H, H_out)
    bias_ih = traitlets.List().tag(sync=True)     # (4H,)
    bias_hh = traitlets.List().tag(sync=True)     # (4H,)
    weight_hr = traitlets.List().tag(sync=True)   # (P, H), or [] without projection
    x = traitlets.List().tag(sync=True)           # x_t, (I,)
    h_prev = traitlets.List().tag(sync=True)      # h_{t-1}, (H_out,)
    c_prev = traitlets.List().tag(sync=True)      # c_{t-1}, (H,)
    bias_shift = traitlets.List([0.0] * 4).tag(sync=True)  # added to gates i, f, g, o
    presets = traitlets.List().tag(sync=True)
    ranges = traitlets.Dict(RANGES).tag(sync=True)

    def __init__(self, input_size=1, hidden_size=1, proj_size=0, seed=0, *, model=None,
                 x=None, h_prev=None, c_prev=None, **kwargs):
        if model is None:
            model = LSTM(input_size, hidden_size, proj_size=proj_size, dtype=np.float64, seed=seed)
        sd = model.state_dict()
        I, H, H_out = model.input_size, model.hidden_size, model.h_out
        if x is None:
            x = np.linspace(1.0, -1.0, I) if I > 1 else [1.0]
        h_prev = np.zeros(H_out) if h_prev is None else h_prev
        c_prev = np.full(H, 1.5) if c_prev is None else c_prev
        init = {"x": _floats(x), "h_prev": _floats(h_prev), "c_prev": _floats(c_prev)}
        for name, n in (("x", I), ("h_prev", H_out), ("c_prev", H)):
            if len(init[name]) != n:
                raise ValueError(f"Expected {name} of size {n}, got {len(init[name])}")
        presets = [{"name": k, "label": label, "bias_shift": shift, "help": help_}
                   for k, (label, shift, help_) in PRESETS.items()]
        presets.append({"name": "reset", "label": "reset", "bias_shift": [0.0] * 4,
                        "help": "the starting inputs, no bias shift", **init})
        super().__init__(
            weight_ih=_floats(sd["weight_ih_l0"]), weight_hh=_floats(sd["weight_hh_l0"]),
            bias_ih=_floats(sd.get("bias_ih_l0", np.zeros(4 * H))),
            bias_hh=_floats(sd.get("bias_hh_l0", np.zeros(4 * H))),
            weight_hr=_floats(sd["weight_hr_l0"]) if "weight_hr_l0" in sd else [],
            presets=presets, **init, **kwargs)

    @classmethod
    def from_lstm(cls, module, **kwargs):
        """The explorer of layer 0 (forward direction) of an ``lstm_ref.LSTM`` or ``torch.nn.LSTM``."""
        model = module if isinstance(module, LSTM) else LSTM.from_torch(module)
        return cls(model=model, **kwargs)

    def apply_preset(self, name):
        """What the preset's button does in the browser, from Python."""
        preset = next((p for p in self.presets if p["name"] == name), None)
        if preset is None:
            raise ValueError(f"Expected a preset in {[p['name'] for p in self.presets]}, got {name!r}")
        for key in ("x", "h_prev", "c_prev", "bias_shift"):
            if key in preset:
                setattr(self, key, list(preset[key]))

    def step(self):
        r"""This step in :mod:`lstm_ref`: ``(Gates(i, f, g, o), c_t, h_t)`` for the current traits.

        The bias shift enters as extra ``bias_hh``: :math:`b_{hh} + \Delta b` repeated over
        each gate's H rows, so the JavaScript and :func:`lstm_ref.lstm_cell` see the same step.
        """
        W_ih, W_hh = np.array(self.weight_ih), np.array(self.weight_hh)
        H = W_hh.shape[0] // 4
        b_hh = np.array(self.bias_hh) + np.repeat(np.array(self.bias_shift, dtype=np.float64), H)
        W_hr = np.array(self.weight_hr) if self.weight_hr else None
        x, h, c = (np.array(v, dtype=np.float64) for v in (self.x, self.h_prev, self.c_prev))
        b_ih = np.array(self.bias_ih)
        h_t, c_t = lstm_cell(x, (h, c), W_ih, W_hh, b_ih, b_hh, W_hr)  # checks the shapes
        # lstm_gates has no weight_hr argument, so read the gates from the step's cache.
        _, _, (_, _, a, _, _) = step_forward(input_projection(x, W_ih, b_ih, b_hh), h, c, W_hh, W_hr)
        return Gates(a[:H], a[H:2 * H], a[2 * H:3 * H], a[3 * H:]), c_t, h_t
