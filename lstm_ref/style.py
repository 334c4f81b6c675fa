"""The book's colours: one per gate and state, used by every figure and widget.

Okabe-Ito colours, distinguishable with the common colour-vision deficiencies
(``tests/test_palette.py`` simulates them). Widgets receive these dicts as traits,
so the JavaScript never hard-codes a colour.

* :data:`GATE_COLORS` fills marks: bars, lines, swatches, boxes.
* :data:`TEXT_COLORS` is the same hue darkened until text in it reaches WCAG AA
  (contrast >= 4.5:1) on the widgets' light card; the orange and the sky blue of
  the palette are far too light for text on white.
* :data:`LINE_STYLES` and :data:`MARKERS` give every gate and state a second cue
  beside its colour in the Matplotlib figures (and the gate letter is drawn next
  to every coloured mark in the widgets).
* :data:`GATE_NAMES` are the English names, from the widgets' label table
  (``lstm_ref/widgets/labels/en.json``; the Chinese ones are in ``zh_CN.json``).
"""
import json
import pathlib

GATE_COLORS = {
    "i": "#0072B2",  # input gate: blue
    "f": "#D55E00",  # forget gate: vermillion
    "g": "#009E73",  # cell candidate: green
    "o": "#CC79A7",  # output gate: reddish purple
    "c": "#E69F00",  # cell state: orange
    "h": "#56B4E9",  # hidden state: sky blue
    "x": "#555555",  # input: grey
}

#: The background of every widget (a light card, also on a dark page) and of every figure.
CARD_BACKGROUND = "#ffffff"
#: The lightest tinted surface text is drawn on inside a widget (code boxes, cell boxes).
CARD_SURFACE = "#f4f4f4"
#: Ordinary text on the card.
TEXT = "#1a1a1a"

#: Matplotlib line styles and markers per gate/state: shape cues that survive any colour vision.
LINE_STYLES = {"i": "-", "f": "--", "g": "-.", "o": ":", "c": "-", "h": "--", "x": ":"}
MARKERS = {"i": "o", "f": "s", "g": "^", "o": "D", "c": "v", "h": "P", "x": "X"}


def _channel(v: float) -> float:
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.x relative luminance of ``#rrggbb``."""
    r, g, b = (_channel(int(hex_color[k:k + 2], 16) / 255) for k in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_color(hex_color: str, on=(CARD_BACKGROUND, CARD_SURFACE), minimum: float = 4.6) -> str:
    """``hex_color`` mixed toward black (same hue) until its contrast on every colour of ``on``
    is at least ``minimum`` (4.5 is WCAG AA for normal text; 4.6 leaves room for rounding)."""
    rgb = [int(hex_color[k:k + 2], 16) for k in (1, 3, 5)]
    for step in range(101):
        keep = 1 - step / 100
        out = "#" + "".join(f"{round(v * keep):02x}" for v in rgb)
        if all(contrast_ratio(out, bg) >= minimum for bg in on):
            return out
    return "#000000"


TEXT_COLORS = {k: text_color(v) for k, v in GATE_COLORS.items()}

_LABELS = pathlib.Path(__file__).with_name("widgets") / "labels"
_SHARED = json.loads((_LABELS / "en.json").read_text(encoding="utf-8"))["shared"]
GATE_NAMES = {k: _SHARED[f"gate_{k}"] for k in GATE_COLORS}
