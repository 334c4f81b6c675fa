"""lstm_ref.plots: the cell figure uses the book's palette and is the same on every call."""
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_hex  # noqa: E402

from lstm_ref.plots import draw_cell  # noqa: E402
from lstm_ref.style import GATE_COLORS  # noqa: E402


def patches_by_gid(ax):
    return {p.get_gid(): p for p in ax.patches if p.get_gid()}


@pytest.mark.parametrize("proj", [False, True])
def test_one_box_per_gate_in_the_palette_colour(proj):
    ax = draw_cell(proj=proj)
    boxes = patches_by_gid(ax)
    for k in "ifgo":
        assert to_hex(boxes[f"gate-{k}"].get_facecolor()) == GATE_COLORS[k].lower()
    assert ("proj" in boxes) == proj
    labels = {t.get_text() for t in ax.texts}
    assert {"$i_t$", "$f_t$", "$g_t$", "$o_t$", "$c_t$", "$h_t$", "$x_t$", "$c_{t-1}$", "$h_{t-1}$"} <= labels
    assert ("$W_{hr}$" in labels) == proj
    plt.close("all")


def test_draws_into_a_given_axes_and_is_deterministic():
    def svg():
        fig, ax = plt.subplots()
        assert draw_cell(ax) is ax
        buf = io.StringIO()
        with matplotlib.rc_context({"svg.hashsalt": "lstm", "svg.fonttype": "none"}):
            fig.savefig(buf, format="svg", metadata={"Date": None})
        plt.close(fig)
        return buf.getvalue()

    assert svg() == svg()


def test_colour_is_never_the_only_cue_and_text_reaches_wcag_aa():
    """Every coloured label is dark enough to read on white (4.5:1), every gate and state is
    named by its letter, and the hidden-state and input wires differ in line style too."""
    from lstm_ref.style import contrast_ratio

    ax = draw_cell()
    boxes = patches_by_gid(ax)
    for t in ax.texts:
        color = to_hex(t.get_color())
        # Text on a gate's box (sigma, tanh) against the box; any other text against white.
        on = next((to_hex(b.get_facecolor()) for g, b in boxes.items()
                   if g.startswith("gate-") and b.contains_point(ax.transData.transform(t.get_position()))),
                  "#ffffff")
        assert contrast_ratio(color, on) >= 4.5, (t.get_text(), color, on)
    from matplotlib.patches import FancyArrowPatch
    styles = {}
    for line in ax.get_lines():
        styles.setdefault(to_hex(line.get_color()), set()).add(str(line.get_linestyle()))
    for p in ax.patches:
        if isinstance(p, FancyArrowPatch):
            styles.setdefault(to_hex(p.get_edgecolor()), set()).add(str(p.get_linestyle()))
    h, x, c = (styles[GATE_COLORS[k].lower()] for k in "hxc")
    assert c == {"-"} and "-" not in h and "-" not in x and not h & x, styles
    plt.close("all")


def test_figure_background_is_opaque_white_for_dark_pages():
    fig, ax = plt.subplots()
    draw_cell(ax)
    assert to_hex(fig.get_facecolor(), keep_alpha=True) == "#ffffffff"
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=30)
    plt.close(fig)
    buf.seek(0)
    img = plt.imread(buf)
    assert img.shape[2] == 3 or (img[..., 3] == 1).all()      # no transparent pixel
    assert (img[0, 0, :3] == 1).all()                          # a white corner
