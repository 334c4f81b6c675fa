"""The packing explorer: drag each sequence's length and see the padded batch, the packed layout
and what skipping the packing does to ``h_n``.

Python runs one fixed batch through ``lstm_ref.LSTM`` for every sequence and every
possible length n = 1..T, twice: packed (``lengths=[n]``, the state at the true end)
and merely padded (zeros after step n, no lengths). Those states fill the ``h_packed``
and ``h_padded`` traits. The browser does the rest: the packing arithmetic
(``batch_sizes``, ``sorted_indices``, which ``(b, t)`` lands in which row of
``PackedSequence.data``), the drawing and the readouts, so the widget works on a
static page.
"""
from __future__ import annotations

import numpy as np
import traitlets

from .._checks import check_int, check_lengths
from ..lstm import LSTM
from ._base import BookWidget

__all__ = ["PackingExplorer"]


class PackingExplorer(BookWidget):
    """``PackingExplorer(lengths=(2, 5, 3), input_size=2, hidden_size=4, seed=0)``, ``batch_first=True``.

    ``T = seq_len`` (default ``max(lengths)``) is the padded length. For sequence ``b``
    and length ``n``, ``h_packed[b][n-1]`` is ``h_n`` of sequence b cut to n steps, and
    ``h_padded[b][n-1]`` is ``h_n`` after its n real steps and ``T - n`` zero steps,
    both ``(hidden_size,)``; ``lengths`` holds the lengths on show (the reader drags them).
    """

    _js_file = "packing_explorer.js"
    lengths = traitlets.List(traitlets.Int()).tag(sync=True)
    seq_len = traitlets.Int(5).tag(sync=True)
    hidden_size = traitlets.Int(4).tag(sync=True)
    h_packed = traitlets.List().tag(sync=True)
    h_padded = traitlets.List().tag(sync=True)

    def __init__(self, lengths=(2, 5, 3), seq_len=None, input_size=2, hidden_size=4, seed=0,
                 **kwargs):
        lengths = [int(n) for n in np.asarray(lengths).ravel()]
        T = check_int(max(lengths) if seq_len is None else seq_len, "seq_len", 1)
        B = len(lengths)
        check_lengths(lengths, True, B, T)
        self.input = np.random.default_rng(seed).standard_normal((B, T, input_size))
        self.model = LSTM(input_size, hidden_size, batch_first=True, dtype=np.float64,
                          seed=seed).eval()
        h_packed, h_padded = self.states(self.input)
        super().__init__(lengths=lengths, seq_len=T, hidden_size=hidden_size,
                         h_packed=h_packed.tolist(), h_padded=h_padded.tolist(), **kwargs)

    def states(self, x):
        """``(h_packed, h_padded)``, each ``(B, T, hidden_size)``: index ``[b, n-1]`` for length n."""
        B, T = x.shape[:2]
        packed = np.empty((B, T, self.model.hidden_size))
        padded = np.empty_like(packed)
        for n in range(1, T + 1):
            # All B sequences at once, each cut to n steps (packed) or zero-padded after n.
            _, (h, _) = self.model(x, lengths=[n] * B)
            packed[:, n - 1] = h[0]
            zeroed = x.copy()
            zeroed[:, n:] = 0.0
            _, (h, _) = self.model(zeroed)
            padded[:, n - 1] = h[0]
        return packed, padded

    def hn_error(self):
        """``(B,)``: ``|h_n(padded) - h_n(packed)|`` (Euclidean) at the current ``lengths``."""
        p, q = np.asarray(self.h_packed), np.asarray(self.h_padded)
        idx = np.asarray(self.lengths) - 1
        rows = np.arange(len(idx))
        return np.linalg.norm(q[rows, idx] - p[rows, idx], axis=-1)
