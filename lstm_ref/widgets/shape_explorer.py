"""The shape explorer: pick an ``nn.LSTM`` configuration and see the shape of every tensor.

All arithmetic runs in the browser (``shape_explorer.js``, the twin of
:func:`lstm_ref.shapes`), so the widget works on a static page. The traits are
the configuration; :meth:`ShapeExplorer.shapes` gives the same answer from
Python, and the tests check the JavaScript, :func:`lstm_ref.shapes` and a real
``torch.nn.LSTM`` against each other.
"""
from __future__ import annotations

import traitlets

from ..shapes import shapes
from ._base import BookWidget

__all__ = ["ShapeExplorer"]


class ShapeExplorer(BookWidget):
    """Controls for B, T, input_size, hidden_size, num_layers, proj_size and four switches.

    The defaults are the book's running example: ``nn.LSTM(5, 3)`` on a batch of
    ``B = 2`` sequences of ``T = 4`` steps. ``batched=False`` means unbatched
    input ``(T, input_size)``; ``batch_first`` then has no effect, as in torch.
    """

    _js_file = "shape_explorer.js"

    batch_size = traitlets.Int(2).tag(sync=True)
    seq_len = traitlets.Int(4).tag(sync=True)
    input_size = traitlets.Int(5).tag(sync=True)
    hidden_size = traitlets.Int(3).tag(sync=True)
    num_layers = traitlets.Int(1).tag(sync=True)
    proj_size = traitlets.Int(0).tag(sync=True)
    bidirectional = traitlets.Bool(False).tag(sync=True)
    batch_first = traitlets.Bool(False).tag(sync=True)
    batched = traitlets.Bool(True).tag(sync=True)
    bias = traitlets.Bool(True).tag(sync=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shapes()  # a bad configuration fails here, with lstm_ref's (torch's) message

    def config(self) -> dict:
        """The keyword arguments of :func:`lstm_ref.shapes` for the current controls."""
        return dict(batch_size=self.batch_size if self.batched else None, seq_len=self.seq_len,
                    input_size=self.input_size, hidden_size=self.hidden_size,
                    num_layers=self.num_layers, bidirectional=self.bidirectional,
                    batch_first=self.batch_first, proj_size=self.proj_size, bias=self.bias)

    def shapes(self) -> dict:
        """:func:`lstm_ref.shapes` for the current controls: what the widget shows."""
        return shapes(**self.config())
