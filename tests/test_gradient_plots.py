"""The why-LSTM figures: one line per curve, in the palette's model colours, causal heatmaps blank above the diagonal."""
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from lstm_ref.gradient_plots import (DISTANCE_YLABEL, MODEL_COLORS, plot_connectivity,  # noqa: E402
                                     plot_distance, plot_learning_curves)
from lstm_ref.style import GATE_COLORS  # noqa: E402


def test_distance_plot_colours_and_data():
    curves = {"RNN": 0.5 ** np.arange(5), "LSTM, bias 0": 0.6 ** np.arange(5), "LSTM, bias 1": 0.9 ** np.arange(5)}
    ax = plot_distance(curves)
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == list(curves)
    np.testing.assert_array_equal(lines[0].get_ydata(), curves["RNN"])
    assert to_rgb(lines[0].get_color()) == to_rgb(GATE_COLORS["x"]) == to_rgb(MODEL_COLORS["RNN"])
    assert to_rgb(lines[1].get_color()) == to_rgb(GATE_COLORS["c"])
    # a second LSTM curve is told apart by its style, not by a new hue
    assert lines[2].get_linestyle() != lines[1].get_linestyle()
    assert ax.get_yscale() == "log"
    plt.close(ax.figure)


def test_connectivity_heatmap_leaves_the_future_blank():
    m = np.tril(np.full((4, 4), 1e-3)) + np.eye(4)
    ax = plot_connectivity(m, vmin=-6, vmax=0.5)
    img = np.ma.filled(ax.get_images()[0].get_array().astype(float), np.nan)
    assert np.isnan(img[0, 3]) and not np.isnan(img[3, 0])
    assert img[3, 0] == -3 and ax.get_images()[0].get_clim() == (-6, 0.5)
    plt.close(ax.figure)


def test_learning_curves_with_baseline():
    h = {"step": [0, 100], "test_mse": [1.0, 0.1]}
    ax = plot_learning_curves({"RNN": h, "LSTM": h}, baseline=1 / 6)
    labels = [ln.get_label() for ln in ax.get_lines()]
    assert labels == ["RNN", "LSTM", "predict the mean (baseline)"]
    assert ax.get_lines()[2].get_ydata()[0] == 1 / 6
    plt.close(ax.figure)


def test_learning_curves_with_several_reference_lines_and_distance_labels():
    h = {"step": [0, 100], "test_mse": [1.0, 0.1]}
    ax = plot_learning_curves({"LSTM": h}, baseline={"mean": 1 / 6, "half": 1 / 12})
    lines = ax.get_lines()
    assert [ln.get_label() for ln in lines] == ["LSTM", "mean", "half"]
    assert lines[2].get_ydata()[0] == 1 / 12 and lines[1].get_linestyle() != lines[2].get_linestyle()
    plt.close(ax.figure)
    ax = plot_distance({"RNN": 0.5 ** np.arange(3)})
    assert ax.get_ylabel() == DISTANCE_YLABEL and "T-1-k" in DISTANCE_YLABEL
    ax2 = plot_distance({"RNN": 0.5 ** np.arange(3)}, ylabel="other")
    assert ax2.get_ylabel() == "other"
    plt.close("all")


def test_connectivity_heatmap_can_leave_the_colour_bar_to_the_caller():
    m = np.tril(np.full((3, 3), 1e-2))
    fig, axes = plt.subplots(1, 2)
    plot_connectivity(m, ax=axes[0])
    plot_connectivity(m, ax=axes[1], colorbar=False)
    assert len(fig.axes) == 3          # two panels and one colour bar
    plt.close(fig)


def test_every_curve_has_its_own_line_style_and_the_models_their_markers():
    """Colour is not the only cue: no two curves share a line style, LSTM and RNN have different
    markers, and the figure is opaque white (legible on a dark page)."""
    from matplotlib.colors import to_hex

    curves = {"RNN": 0.5 ** np.arange(30), "LSTM, bias 0": 0.6 ** np.arange(30),
              "LSTM, bias 1": 0.9 ** np.arange(30), "RNN, x 4": 1.1 ** np.arange(30), "IRNN": np.ones(30)}
    ax = plot_distance(curves)
    lines = ax.get_lines()
    styles = [(str(ln.get_linestyle()), str(ln.get_dashes() if hasattr(ln, "get_dashes") else ""))
              for ln in lines]
    dashes = [tuple(ln._unscaled_dash_pattern[1] or ()) + (ln.get_linestyle(),) for ln in lines]
    assert len(set(dashes)) == len(lines), dashes
    assert lines[0].get_marker() == "s" and lines[1].get_marker() == "o"
    assert lines[0].get_linestyle() != lines[1].get_linestyle()
    assert to_hex(ax.figure.get_facecolor(), keep_alpha=True) == "#ffffffff"
    plt.close(ax.figure)
    h = {"step": [0, 100], "test_mse": [1.0, 0.1]}
    ax = plot_learning_curves({"RNN": h, "LSTM": h})
    a, b = ax.get_lines()
    assert (a.get_linestyle(), a.get_marker()) != (b.get_linestyle(), b.get_marker())
    assert a.get_marker() != b.get_marker() and styles
    plt.close("all")
