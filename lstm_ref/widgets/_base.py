"""Base class for the book's widgets: colours, labels in every language, and the ESM loading convention."""
import json
import pathlib

import anywidget
import traitlets

from ..style import GATE_COLORS, GATE_NAMES, TEXT_COLORS

HERE = pathlib.Path(__file__).parent
LABELS_DIR = HERE / "labels"
#: The label tables, one per language: ``labels/<code>.json`` (``en`` first).
LANGUAGES = ["en", "zh_CN"]
#: JavaScript shared by every widget (label lookup, the light card, keyboard helpers),
#: put in front of each widget's own module.
COMMON_JS = "_common.js"


def load_labels() -> dict:
    """``{language: table}`` for every language: each table maps a group (``shared`` or a
    widget's name) to ``{key: text}``."""
    return {lang: json.loads((LABELS_DIR / f"{lang}.json").read_text(encoding="utf-8"))
            for lang in LANGUAGES}


class BookWidget(anywidget.AnyWidget):
    """An anywidget whose front end is ``lstm_ref/widgets/<_js_file>`` and which carries the book's
    colours and its text in every language.

    Subclasses set ``_js_file = "name.js"`` (and optionally ``_css_file``). The
    JavaScript receives ``colors`` (fills), ``text_colors`` (the same hues dark
    enough for text) and ``labels`` as traits, so figures and widgets share one
    palette (:mod:`lstm_ref.style`) and one wording. ``labels`` holds the shared
    group and the widget's own group (``_js_file`` without ``.js``) of every
    language, ``{"en": {...}, "zh_CN": {...}}``, so one stored widget state serves
    every edition of the book: the page's ``<html lang>`` picks the table, unless
    ``language`` (``"en"``, ``"zh_CN"``) is set.
    """

    _js_file = None
    _css_file = None
    colors = traitlets.Dict(GATE_COLORS).tag(sync=True)
    text_colors = traitlets.Dict(TEXT_COLORS).tag(sync=True)
    names = traitlets.Dict(GATE_NAMES).tag(sync=True)
    labels = traitlets.Dict().tag(sync=True)
    language = traitlets.Unicode("").tag(sync=True)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # The source text (not a path) so anywidget never starts a file watcher.
        # Only where the class itself names a file: HasTraits.add_traits (called by
        # AnyWidget.__init__) subclasses again, and must keep its _esm trait.
        if cls.__dict__.get("_js_file"):
            cls._esm = (HERE / COMMON_JS).read_text() + "\n" + (HERE / cls._js_file).read_text()
            cls._labels_group = cls._js_file.removesuffix(".js")
        if cls.__dict__.get("_css_file"):
            cls._css = (HERE / cls._css_file).read_text()

    @traitlets.default("labels")
    def _default_labels(self):
        group = getattr(self, "_labels_group", None)
        return {lang: {g: table[g] for g in ("shared", group) if g in table}
                for lang, table in load_labels().items()}

    @traitlets.validate("language")
    def _check_language(self, proposal):
        value = proposal["value"]
        if value not in ("", *LANGUAGES):
            raise traitlets.TraitError(f"language must be one of {['', *LANGUAGES]}, got {value!r}")
        return value
