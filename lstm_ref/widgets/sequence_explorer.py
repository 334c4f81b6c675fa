"""The sequence explorer: step through time over a real sequence and watch x_t, the gates, c_t and h_t.

Python runs the sequence through one LSTM layer with :func:`lstm_ref.trace.trace`
and stores every step in the ``steps`` trait; the browser draws the heatmaps
and bars and does the stepping (buttons, slider, play), so the widget works on
a static page. With a live kernel, :meth:`SequenceExplorer.feed` runs a new
sequence through the same weights and the page redraws.
"""
from __future__ import annotations

import numpy as np
import traitlets

from .._checks import as_array
from ..trace import trace_lstm
from ._base import BookWidget

__all__ = ["SequenceExplorer"]


class SequenceExplorer(BookWidget):
    """``SequenceExplorer(model, x)``: ``model`` a one-layer, one-direction ``lstm_ref.LSTM`` or
    ``torch.nn.LSTM`` without projection, ``x`` one unbatched sequence ``(T, input_size)``.

    ``steps`` holds lists indexed ``[t][unit]``: ``x`` (T, I) and ``i``, ``f``, ``g``,
    ``o``, ``c``, ``h`` (T, H), plus ``h0``/``c0`` (H,), the state before t = 0.
    ``t`` is the step on show. ``title`` is a string, or ``{language: text}`` (``"en"``,
    ``"zh_CN"``) to give the title in every edition of the book; the page shows the one of
    its language (``titles``), else the English ``title``.
    """

    _js_file = "sequence_explorer.js"
    steps = traitlets.Dict().tag(sync=True)
    t = traitlets.Int(0).tag(sync=True)
    title = traitlets.Unicode("").tag(sync=True)
    titles = traitlets.Dict().tag(sync=True)  # {language: title}; "" or missing -> title

    def __init__(self, model, x, hx=None, title="", **kwargs):
        if isinstance(title, dict):
            kwargs.setdefault("titles", dict(title))
            title = title.get("en", next(iter(title.values()), ""))
        if getattr(model, "num_layers", None) != 1 or getattr(model, "bidirectional", True):
            raise ValueError("SequenceExplorer needs a one-layer, one-direction LSTM, got "
                             f"{model!r}")
        if getattr(model, "proj_size", 0):
            raise ValueError(f"SequenceExplorer needs proj_size=0, got {model.proj_size}")
        super().__init__(title=title, **kwargs)
        self._model = model
        self.feed(x, hx)

    def feed(self, x, hx=None):
        """Run a new unbatched sequence ``x`` of shape ``(T, input_size)`` and show it from t = 0."""
        x = as_array(x, "input")
        if x.ndim != 2:
            raise ValueError(f"SequenceExplorer: Expected input to be 2D (T, input_size), "
                             f"got {x.ndim}D instead")
        dtype = next(iter(self._model.state_dict().values()))
        x = x.astype(as_array(dtype, "weight").dtype, copy=False)
        tr = trace_lstm(self._model, x, hx=hx)
        H = tr.c.shape[-1]
        h0, c0 = (np.zeros(H), np.zeros(H)) if hx is None else (as_array(hx[0], "h_0"),
                                                                 as_array(hx[1], "c_0"))
        steps = {k: np.asarray(v, dtype=float).tolist() for k, v in tr._asdict().items()}
        steps["h0"] = np.asarray(h0, dtype=float).tolist()
        steps["c0"] = np.asarray(c0, dtype=float).tolist()
        # Assign t before steps so the front end never sees a t beyond the new T.
        self.t = 0
        self.steps = steps
        return self
