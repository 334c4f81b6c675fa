"""Base class for the book's widgets: the shared colour trait and the ESM loading convention."""
import pathlib

import anywidget
import traitlets

from ..style import GATE_COLORS, GATE_NAMES

HERE = pathlib.Path(__file__).parent


class BookWidget(anywidget.AnyWidget):
    """An anywidget whose front end is ``lstm_ref/widgets/<_js_file>`` and which carries the book's colours.

    Subclasses set ``_js_file = "name.js"`` (and optionally ``_css_file``). The
    JavaScript receives ``colors`` and ``names`` as traits, so figures and
    widgets share one palette (:mod:`lstm_ref.style`).
    """

    _js_file = None
    _css_file = None
    colors = traitlets.Dict(GATE_COLORS).tag(sync=True)
    names = traitlets.Dict(GATE_NAMES).tag(sync=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The source text (not a path) so anywidget never starts a file watcher.
        # Only where the class itself names a file: HasTraits.add_traits (called by
        # AnyWidget.__init__) subclasses again, and must keep its _esm trait.
        if cls.__dict__.get("_js_file"):
            cls._esm = (HERE / cls._js_file).read_text()
        if cls.__dict__.get("_css_file"):
            cls._css = (HERE / cls._css_file).read_text()
