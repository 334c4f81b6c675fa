"""Figures of the book, drawn by code in the book's colours (:mod:`lstm_ref.style`).

Every function takes an optional Matplotlib ``ax`` and returns it, so a chapter
can place a figure in a grid or draw it alone. Figures depend on nothing
random: the same call draws the same picture.

Colour never carries meaning alone: every gate and state is named by its letter
next to its mark, the hidden-state wires are dashed and the input's dotted, and
text uses :data:`lstm_ref.style.TEXT_COLORS` (WCAG AA on white). The figure has an
opaque white background, so it reads the same on the book's dark pages.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch

from .style import CARD_BACKGROUND, GATE_COLORS, TEXT_COLORS, contrast_ratio

__all__ = ["draw_cell"]

_GATES = {  # gate -> (x position in the cell, nonlinearity label)
    "f": (3.5, r"$\sigma$"),
    "i": (4.8, r"$\sigma$"),
    "g": (6.1, r"$\tanh$"),
    "o": (7.7, r"$\sigma$"),
}
_C_Y, _BUS_Y, _GATE_Y = 5.4, 1.4, 2.7   # heights of the cell-state line, the [h, x] bus, the gates
_WIRE = 2.2
#: Line style per wire colour: the hidden state dashed, the input dotted, the rest solid.
WIRE_STYLES = {"h": (0, (4, 2)), "x": (0, (1, 1.5))}


def _wire(ax, points, color, arrow=True, lw=_WIRE, ls="-"):
    """A polyline through ``points``; the last segment ends in an arrow head."""
    for (x0, y0), (x1, y1) in zip(points[:-2], points[1:-1]):
        ax.plot([x0, x1], [y0, y1], color=color, lw=lw, ls=ls, solid_capstyle="round", zorder=1)
    ax.add_patch(FancyArrowPatch(points[-2], points[-1], color=color, lw=lw, zorder=1, linestyle=ls,
                                 arrowstyle="-|>" if arrow else "-", mutation_scale=14,
                                 shrinkA=0, shrinkB=0))


def _op(ax, xy, symbol, color="black"):
    """A pointwise operation: a white circle with ``symbol`` (x for product, + for sum)."""
    ax.add_patch(Circle(xy, 0.28, facecolor="white", edgecolor=color, lw=1.8, zorder=3))
    ax.text(*xy, symbol, ha="center", va="center", fontsize=15, color=color, zorder=4)


def _gate_box(ax, key, x, label):
    """A gate: a box in the gate's colour with its nonlinearity, and its name beside it."""
    ax.add_patch(FancyBboxPatch((x - 0.45, _GATE_Y - 0.35), 0.9, 0.7,
                                boxstyle="round,pad=0.02,rounding_size=0.12",
                                facecolor=GATE_COLORS[key], edgecolor="none", zorder=3,
                                gid=f"gate-{key}"))
    ink = max(("#ffffff", "#000000"), key=lambda c: contrast_ratio(c, GATE_COLORS[key]))
    ax.text(x, _GATE_Y, label, ha="center", va="center", color=ink, fontsize=12, zorder=4)
    ax.text(x + 0.52, _GATE_Y + 0.55, f"${key}_t$", ha="left", va="center",
            color=TEXT_COLORS[key], fontsize=13, zorder=4)


def draw_cell(ax=None, proj=False):
    r"""Draw one LSTM cell: the cell-state line on top, the four gates, the hidden state below.

    The picture is the step of :func:`lstm_ref.cell.step_forward`:
    :math:`c_t = f_t \odot c_{t-1} + i_t \odot g_t` along the top line and
    :math:`h_t = o_t \odot \tanh(c_t)` on the right, with every gate reading
    :math:`[x_t, h_{t-1}]` from the bus at the bottom. With ``proj=True`` the
    output passes through the projection :math:`W_{hr}` (``proj_size > 0``).
    Gate colours come from :data:`lstm_ref.style.GATE_COLORS`.
    """
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 5.2))
    ax.figure.patch.set_facecolor(CARD_BACKGROUND)  # opaque: legible on a dark page too
    ax.figure.patch.set_alpha(1.0)
    col, tcol = GATE_COLORS, TEXT_COLORS
    hs, xs = WIRE_STYLES["h"], WIRE_STYLES["x"]
    ax.add_patch(FancyBboxPatch((1.2, 0.8), 9.6, 5.4, boxstyle="round,pad=0,rounding_size=0.4",
                                facecolor="#F4F4F4", edgecolor="#BBBBBB", lw=1.2, zorder=0))
    x_f, x_i, x_g, x_o = (_GATES[k][0] for k in "figo")
    x_out = 9.1  # where the output branch leaves the cell-state line

    # Cell state: c_{t-1} -> (x f) -> (+ i*g) -> c_t, straight through: the additive path.
    _wire(ax, [(0.2, _C_Y), (x_f - 0.28, _C_Y)], col["c"])
    _wire(ax, [(x_f + 0.28, _C_Y), (x_g - 0.28, _C_Y)], col["c"])
    _wire(ax, [(x_g + 0.28, _C_Y), (11.9, _C_Y)], col["c"])
    ax.text(0.2, _C_Y + 0.35, "$c_{t-1}$", color=tcol["c"], fontsize=14, ha="left")
    ax.text(11.9, _C_Y + 0.35, "$c_t$", color=tcol["c"], fontsize=14, ha="right")

    # Inputs: h_{t-1} from the left and x_t from below meet on one bus that feeds every gate.
    _wire(ax, [(0.2, _BUS_Y), (x_o, _BUS_Y)], col["h"], arrow=False, ls=hs)
    _wire(ax, [(2.2, 0.0), (2.2, _BUS_Y)], col["x"], ls=xs)
    ax.text(0.2, _BUS_Y - 0.45, "$h_{t-1}$", color=tcol["h"], fontsize=14, ha="left")
    ax.text(2.35, 0.15, "$x_t$", color=tcol["x"], fontsize=14, ha="left")
    for key, (x, label) in _GATES.items():
        _wire(ax, [(x, _BUS_Y), (x, _GATE_Y - 0.35)], col["h"], ls=hs)
        _gate_box(ax, key, x, label)

    # Forget: f_t scales the old memory.
    _wire(ax, [(x_f, _GATE_Y + 0.35), (x_f, _C_Y - 0.28)], col["f"])
    _op(ax, (x_f, _C_Y), "×")
    # Write: i_t * g_t is added to the memory.
    y_ig = 4.2
    _wire(ax, [(x_i, _GATE_Y + 0.35), (x_i, y_ig), (x_g - 0.28, y_ig)], col["i"])
    _wire(ax, [(x_g, _GATE_Y + 0.35), (x_g, y_ig - 0.28)], col["g"])
    _op(ax, (x_g, y_ig), "×")
    _wire(ax, [(x_g, y_ig + 0.28), (x_g, _C_Y - 0.28)], "black")
    _op(ax, (x_g, _C_Y), "+")
    # Read: h_t = o_t * tanh(c_t).
    y_tanh, y_oh = 4.3, 2.7
    _wire(ax, [(x_out, _C_Y), (x_out, y_tanh + 0.3)], col["c"])
    ax.add_patch(Ellipse((x_out, y_tanh), 1.0, 0.55, facecolor="white", edgecolor=col["c"],
                         lw=1.8, zorder=3))
    ax.text(x_out, y_tanh, r"$\tanh$", ha="center", va="center", fontsize=12, zorder=4)
    _wire(ax, [(x_out, y_tanh - 0.28), (x_out, y_oh + 0.28)], col["c"])
    _wire(ax, [(x_o + 0.45, _GATE_Y), (x_out - 0.28, y_oh)], col["o"])
    _op(ax, (x_out, y_oh), "×")

    if proj:  # h_t = W_hr (o_t * tanh(c_t)): a linear map to proj_size features
        x_p = 10.45
        _wire(ax, [(x_out + 0.28, y_oh), (x_p - 0.45, y_oh)], col["h"], ls=hs)
        ax.add_patch(FancyBboxPatch((x_p - 0.45, y_oh - 0.33), 0.9, 0.66,
                                    boxstyle="round,pad=0.02,rounding_size=0.12",
                                    facecolor="white", edgecolor=col["h"], lw=1.8, zorder=3,
                                    gid="proj"))
        ax.text(x_p, y_oh, "$W_{hr}$", ha="center", va="center", fontsize=12, zorder=4)
        _wire(ax, [(x_p + 0.45, y_oh), (11.9, y_oh)], col["h"], ls=hs)
    else:
        _wire(ax, [(x_out + 0.28, y_oh), (11.9, y_oh)], col["h"], ls=hs)
    ax.text(11.9, y_oh - 0.45, "$h_t$", color=tcol["h"], fontsize=14, ha="right")

    ax.set_xlim(0, 12)
    ax.set_ylim(-0.1, 6.4)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax
