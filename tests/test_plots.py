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
