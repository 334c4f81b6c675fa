"""The book's colours: one per gate and state, used by every figure and widget.

Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
Widgets receive this dict as a trait, so the JavaScript never hard-codes a colour.
"""
GATE_COLORS = {
    "i": "#0072B2",  # input gate: blue
    "f": "#D55E00",  # forget gate: vermillion
    "g": "#009E73",  # cell candidate: green
    "o": "#CC79A7",  # output gate: reddish purple
    "c": "#E69F00",  # cell state: orange
    "h": "#56B4E9",  # hidden state: sky blue
    "x": "#555555",  # input: grey
}

GATE_NAMES = {
    "i": "input gate",
    "f": "forget gate",
    "g": "cell candidate",
    "o": "output gate",
    "c": "cell state",
    "h": "hidden state",
    "x": "input",
}
