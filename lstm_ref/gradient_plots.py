"""Figures of the chapter on why LSTMs work: gradient against distance, connectivity, learning curves.

Each function takes an optional Matplotlib ``ax`` and returns it; colours come
from :mod:`lstm_ref.style` (the LSTM is drawn in the cell-state colour, the
plain RNN in the input grey). Colour is never the only cue: each model has its
own line style and marker (LSTM solid with circles, RNN dashed with squares), and
each further curve of a model another style. Figures have an opaque white
background, legible on the book's dark pages. The data come from
:mod:`lstm_ref.gradients` and :mod:`lstm_ref.adding`; nothing here computes a gradient.
"""
from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import to_rgb

from .style import CARD_BACKGROUND, GATE_COLORS

__all__ = ["MODEL_COLORS", "DISTANCE_YLABEL", "plot_distance", "plot_connectivity", "plot_learning_curves"]

#: One colour per model, from the book's palette.
MODEL_COLORS = {"LSTM": GATE_COLORS["c"], "RNN": GATE_COLORS["x"]}


def _ax(ax, size=(6, 3.5)):
    ax = plt.subplots(figsize=size)[1] if ax is None else ax
    ax.figure.patch.set_facecolor(CARD_BACKGROUND)  # opaque: legible on a dark page too
    ax.figure.patch.set_alpha(1.0)
    return ax


#: Line styles per model, one per further curve of that model: no two curves of a figure share one.
MODEL_LINESTYLES = {"LSTM": ["-", "-.", (0, (1, 1)), (0, (6, 1, 1, 1, 1, 1))],
                    "RNN": ["--", ":", (0, (3, 1, 1, 1)), (0, (8, 2))]}
#: Marker per model, the second cue besides the colour (the third is the legend's label).
MODEL_MARKERS = {"LSTM": "o", "RNN": "s"}
#: Curves of neither model: line styles the models never use, and their own markers.
_OTHER = [((0, (2, 2)), "^"), ((0, (5, 2, 1, 2)), "v"), ((0, (1, 3)), "D"), ((0, (4, 1, 1, 1, 1, 1, 1, 1)), "P")]


def _styles(labels):
    """(colour, linestyle, marker) per label: the model's colour (lightened for its 2nd, 3rd, ...
    curve), its marker, and a line style no other curve of the figure has."""
    seen, out, other = {}, [], 0
    for label in labels:
        model = next((k for k in MODEL_COLORS if label.startswith(k)), None)
        if model is None:
            ls, marker = _OTHER[other % len(_OTHER)]
            other += 1
            out.append((None, ls, marker))
            continue
        n = seen[model] = seen.get(model, -1) + 1
        mix = min(0.15 * n, 0.6)   # blend toward white, keeping the hue
        rgb = tuple((1 - mix) * v + mix for v in to_rgb(MODEL_COLORS[model]))
        styles = MODEL_LINESTYLES[model]
        out.append((rgb, styles[n % len(styles)], MODEL_MARKERS[model]))
    return out


def _markevery(n):
    """About ten markers per curve: enough to tell the curves apart, few enough to see them."""
    return max(1, n // 10)


DISTANCE_YLABEL = r"$\|\partial h_{T-1} / \partial x_{T-1-k}\|_F$"


def plot_distance(curves, ax=None, title=None, ylabel=DISTANCE_YLABEL):
    """``curves``: ``{label: norms}`` where ``norms[k]`` is the gradient norm at distance k; log y-axis.

    Steps are numbered from 0, so the last output is step T - 1 and distance k means
    input step T - 1 - k. A label starting with "LSTM" or "RNN" takes that model's
    colour (lighter and dashed for each further curve of the same model); others cycle.
    """
    ax = _ax(ax)
    for (label, norms), (color, ls, marker) in zip(curves.items(), _styles(curves)):
        ax.semilogy(np.arange(len(norms)), norms, label=label, color=color, ls=ls, lw=2,
                    marker=marker, ms=4.5, markevery=_markevery(len(norms)))
    ax.set_xlabel("distance k (steps between input and output)")
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(frameon=False)
    if title:
        ax.set_title(title)
    return ax


CONNECTIVITY_LABEL = r"$\log_{10}\|\partial h_{t'}/\partial x_t\|$"


def plot_connectivity(matrix, ax=None, title=None, vmin=-12, vmax=None, colorbar=True):
    """Heatmap of ``log10 matrix[t', t]`` (output step t' down, input step t across), as in Distill's figure.

    ``colorbar=False`` leaves the colour bar to the caller (one bar for several panels on one scale)."""
    ax = _ax(ax, (4, 3.6))
    with np.errstate(divide="ignore"):
        logm = np.log10(matrix)
    logm = np.where(np.isfinite(logm), logm, np.nan)  # the future (t > t') stays blank
    vmax = np.nanmax(logm) if vmax is None else vmax   # pass one vmax to compare panels
    im = ax.imshow(np.maximum(logm, vmin), cmap="magma", vmin=vmin, vmax=vmax, origin="upper")
    ax.set_xlabel("input step t")
    ax.set_ylabel("output step t'")
    if title:
        ax.set_title(title)
    if colorbar:
        ax.figure.colorbar(im, ax=ax, label=CONNECTIVITY_LABEL, shrink=0.8)
    return ax


def plot_learning_curves(histories, baseline=None, ax=None):
    """``histories``: ``{label: {"step": [...], "test_mse": [...]}}``.

    ``baseline``: a number (drawn as "predict the mean (baseline)") or ``{label: value}``
    for several horizontal reference lines."""
    ax = _ax(ax)
    for (label, h), (color, ls, marker) in zip(histories.items(), _styles(histories)):
        ax.semilogy(h["step"], h["test_mse"], label=label, color=color, ls=ls, lw=2, marker=marker, ms=3.5)
    if baseline is not None:
        refs = baseline if isinstance(baseline, dict) else {"predict the mean (baseline)": baseline}
        for (label, value), ls in zip(refs.items(), ["--", ":", "-."] * len(refs)):
            ax.axhline(value, color="black", ls=ls, lw=1, label=label)
    ax.set_xlabel("training step")
    ax.set_ylabel("test MSE")
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False)
    return ax
