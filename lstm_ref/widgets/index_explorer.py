"""The index explorer: point at a slice of ``output`` or a row of ``h_n`` and see its layer, direction and time step.

Python runs one batch through ``lstm_ref.LSTM`` for every ``num_layers`` in 1..3,
one- and bidirectional, and stores ``output`` and ``h_n`` in the ``examples``
trait. The browser does the rest: the index arithmetic (``output[b, t, j]``
belongs to the top layer, direction ``j // H``, time step t; ``h_n[row]`` to
layer ``row // D``, direction ``row % D``), the colours and the highlighting of
equal cells, so the widget works on a static page.
"""
from __future__ import annotations

import numpy as np
import traitlets

from .._checks import check_int
from ..lstm import LSTM
from ..style import GATE_COLORS
from ._base import BookWidget

__all__ = ["IndexExplorer", "DIRECTION_COLORS"]

# Two hues of the book's palette that stay apart for every colour-vision deficiency.
DIRECTION_COLORS = {"forward": GATE_COLORS["i"], "reverse": GATE_COLORS["c"]}


def example_key(num_layers: int, bidirectional: bool) -> str:
    return f"L{num_layers}_D{2 if bidirectional else 1}"


class IndexExplorer(BookWidget):
    """``IndexExplorer(seq_len=4, batch_size=2, input_size=5, hidden_size=3)``, ``batch_first=True``.

    ``examples[example_key(L, bidirectional)]`` holds ``output`` ``(B, T, D*H)``
    and ``h_n`` ``(D*L, B, H)`` as nested lists; ``num_layers`` and
    ``bidirectional`` select the one on show (the reader changes them in the page).
    """

    _js_file = "index_explorer.js"
    examples = traitlets.Dict().tag(sync=True)
    seq_len = traitlets.Int(4).tag(sync=True)
    batch_size = traitlets.Int(2).tag(sync=True)
    hidden_size = traitlets.Int(3).tag(sync=True)
    num_layers = traitlets.Int(2).tag(sync=True)
    bidirectional = traitlets.Bool(True).tag(sync=True)
    direction_colors = traitlets.Dict(DIRECTION_COLORS).tag(sync=True)

    def __init__(self, seq_len=4, batch_size=2, input_size=5, hidden_size=3, num_layers=2,
                 bidirectional=True, seed=0, **kwargs):
        T = check_int(seq_len, "seq_len", 1)
        B = check_int(batch_size, "batch_size", 1)
        H = check_int(hidden_size, "hidden_size", 1)
        num_layers = check_int(num_layers, "num_layers", 1)
        if num_layers > 3:
            raise ValueError(f"IndexExplorer shows num_layers 1 to 3, got {num_layers}")
        rng = np.random.default_rng(seed)
        x = rng.standard_normal((B, T, input_size))
        self._sizes = (input_size, H, seed)
        examples = {}
        for L in (1, 2, 3):
            for bidir in (False, True):
                output, (h_n, _) = self.model(L, bidir)(x)
                examples[example_key(L, bidir)] = {"output": output.tolist(), "h_n": h_n.tolist()}
        super().__init__(examples=examples, seq_len=T, batch_size=B, hidden_size=H,
                         num_layers=num_layers, bidirectional=bool(bidirectional), **kwargs)
        self.input = x  #: the batch ``(B, T, input_size)`` every example ran on

    def model(self, num_layers=None, bidirectional=None) -> LSTM:
        """The ``lstm_ref.LSTM`` (float64, eval mode) behind ``examples[example_key(L, bidirectional)]``."""
        input_size, H, seed = self._sizes
        L = self.num_layers if num_layers is None else num_layers
        bidir = self.bidirectional if bidirectional is None else bool(bidirectional)
        return LSTM(input_size, H, L, batch_first=True, bidirectional=bidir, dtype=np.float64,
                    seed=seed + 10 * L + bidir).eval()
