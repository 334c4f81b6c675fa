"""anywidget widgets of the book: Python computes data into traits, the browser draws and reacts.

Every widget works on the static HTML page (no kernel): all interaction is in
its JavaScript, which reads the precomputed traits. With a live kernel the
Python side may recompute and update the traits. Widgets import from the core
(``lstm_ref.cell``, ``lstm_ref.lstm``, ...); the core never imports widgets.
"""
from ._base import BookWidget

__all__ = ["BookWidget"]
